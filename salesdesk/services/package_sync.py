"""What a copy of a deal has shared with other computers, and what an import should do about it.

Every export and import leaves a sync point in the (append-only) audit log: the deal's version and
content hash at that moment, plus the hashes the other copy had shared before (its lineage). A
package carries its copy's lineage. Comparing hashes, not just version numbers, tells apart:

* **unchanged** — both copies hold the same deal;
* **fast-forward** — the package grew from exactly what this computer holds: take it;
* **older** — this computer already grew from the package's content: nothing to take;
* **conflict** — both changed since they last shared: a person chooses (theirs, ours, or a copy).

Version numbers alone cannot tell these apart: two laptops editing the same version both call
their next save "version 8".
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from salesdesk.services.context import Context
from salesdesk.store.schema import AuditRow

#: The audit log entity under which sync points are kept.
SYNC_ENTITY = "deal_sync"


@dataclass(frozen=True)
class SyncPoint:
    version: int
    sha256: str
    lineage: tuple[tuple[int, str], ...] = ()

    @property
    def hashes(self) -> set[str]:
        return {self.sha256} | {sha for _, sha in self.lineage}


class Decision(StrEnum):
    UNCHANGED = "unchanged"
    FAST_FORWARD = "fast_forward"
    OLDER = "older"
    CONFLICT = "conflict"


def sync_points(session: Session, deal_uid: str) -> list[SyncPoint]:
    """The deal's sync points, oldest first (unreadable entries are skipped, never trusted)."""
    rows = session.scalars(
        select(AuditRow.old).where(AuditRow.deal_uid == deal_uid, AuditRow.entity == SYNC_ENTITY).order_by(AuditRow.id)
    )
    points: list[SyncPoint] = []
    for raw in rows:
        try:
            data = json.loads(raw or "")
            lineage = tuple((int(v), str(h)) for v, h in data.get("lineage", []))
            points.append(SyncPoint(int(data["version"]), str(data["sha256"]), lineage))
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
    return points


def record_sync(ctx: Context, session: Session, *, deal_uid: str, action: str, point: SyncPoint, note: str) -> None:
    """Keep a sync point (``action`` is "export" or "import"; ``note`` is what a person reads)."""
    data = {"version": point.version, "sha256": point.sha256, "lineage": [list(e) for e in sorted(set(point.lineage))]}
    ctx.audit(session, entity=SYNC_ENTITY, entity_uid=deal_uid, deal_uid=deal_uid, action=action, field="package",
              old=json.dumps(data, separators=(",", ":")), new=note)


def shared_lineage(points: Iterable[SyncPoint]) -> set[tuple[int, str]]:
    """Every (version, hash) this copy has shared or seen shared."""
    out: set[tuple[int, str]] = set()
    for p in points:
        out.add((p.version, p.sha256))
        out.update(p.lineage)
    return out


def base_version(points: list[SyncPoint], current_sha: str) -> int | None:
    """The version this copy last shared with different content from now (None: never)."""
    for p in reversed(points):
        if p.sha256 != current_sha:
            return p.version
    return None


def decide(*, local_sha: str, local_hashes: set[str], package_sha: str, package_sha_here: str,
           package_hashes: set[str]) -> Decision:
    """What importing a package means for the local copy (see the module docstring).

    ``package_sha`` is the package's hash as its exporter computed it; ``package_sha_here`` the hash
    of the same deal after mapping its team members to this computer's.
    """
    if local_sha in (package_sha, package_sha_here):
        return Decision.UNCHANGED
    if local_sha in package_hashes:
        return Decision.FAST_FORWARD
    if package_sha in local_hashes or package_sha_here in local_hashes:
        return Decision.OLDER
    return Decision.CONFLICT
