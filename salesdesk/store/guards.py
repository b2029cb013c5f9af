"""Rules the store enforces whoever writes: a signed agreement revision is frozen.

The agreement service never edits a signed revision; this guard makes sure no other code does
either, through the ORM. Once a revision is signed (or superseded), its number, document id,
snapshot, PDF, hashes, dates and signatures never change and it is never deleted. The only
change allowed is signed → superseded, when a later revision replaces it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from salesdesk.domain.errors import RefusedError
from salesdesk.store.schema import AgreementRevisionRow, SignatureRow

FROZEN_STATUSES = frozenset({"signed", "superseded"})
_ALLOWED_STATUS_CHANGES = frozenset({("signed", "superseded")})
_FROZEN_COLUMNS = ("uid", "deal_id", "number", "doc_id", "snapshot_json", "snapshot_sha256", "pdf", "pdf_sha256",
                   "created_at", "signed_at")
_SIGNATURE_COLUMNS = ("uid", "revision_id", "side", "signer_name", "member_id", "contact_id", "method", "signed_on",
                      "image_png", "scan", "recorded_at")


def _refuse(number: int | None) -> RefusedError:
    which = f"Agreement revision {number}" if number is not None else "This agreement revision"
    return RefusedError(
        f"{which} is signed and frozen; it cannot be changed or removed.",
        "If the deal changed, prepare a new revision and have both sides sign that.",
    )


def _stored(session: Session, revision_id: int | None) -> tuple[str | None, int | None]:
    """(status, number) of a revision as the database holds it now."""
    if revision_id is None:
        return None, None
    with session.no_autoflush:
        row = session.execute(select(AgreementRevisionRow.status, AgreementRevisionRow.number)
                              .where(AgreementRevisionRow.id == revision_id)).first()
    return (row[0], row[1]) if row else (None, None)


def _original_status(session: Session, row: AgreementRevisionRow) -> str | None:
    """The revision's status as it was before this flush (None for a new revision)."""
    state = inspect(row)
    if state.key is None:
        return None
    history = state.attrs.status.history
    if history.deleted:
        return str(history.deleted[0])
    if history.unchanged:
        return str(history.unchanged[0])
    return _stored(session, row.id)[0]


def _revision_of(session: Session, sig: SignatureRow,
                 known: dict[int, tuple[str | None, int | None]]) -> tuple[str | None, int | None]:
    """(status before this flush, number) of the revision a signature belongs, or belonged, to."""
    history = inspect(sig).attrs.revision_id.history
    revision_id = (history.deleted or history.unchanged or (sig.revision_id,))[0]
    if revision_id is None:
        return None, None
    if revision_id not in known:
        known[revision_id] = _stored(session, revision_id)
    return known[revision_id]


def _check_flush(session: Session, _context: Any, _instances: Any) -> None:
    known: dict[int, tuple[str | None, int | None]] = {}
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AgreementRevisionRow):
            before = _original_status(session, obj)
            if obj.id is not None:
                known[obj.id] = (before, obj.number)
            if before not in FROZEN_STATUSES:
                continue
            if obj in session.deleted:
                raise _refuse(obj.number)
            state = inspect(obj)
            if any(state.attrs[c].history.has_changes() for c in _FROZEN_COLUMNS) \
                    or state.attrs.signatures.history.has_changes():
                raise _refuse(obj.number)
            if obj.status != before and (before, obj.status) not in _ALLOWED_STATUS_CHANGES:
                raise _refuse(obj.number)
    for obj in list(session.dirty) + list(session.deleted) + list(session.new):
        if not isinstance(obj, SignatureRow):
            continue
        state = inspect(obj)
        if obj in session.dirty and not any(state.attrs[c].history.has_changes() for c in _SIGNATURE_COLUMNS):
            continue
        if obj in session.new and obj.revision_id is None:
            continue  # joins a revision through the relationship: checked with that revision above
        status, number = _revision_of(session, obj, known)
        if status in FROZEN_STATUSES:
            raise _refuse(number)


def install_guards() -> None:
    """Install the guards on every ORM session (idempotent)."""
    if not event.contains(Session, "before_flush", _check_flush):
        event.listen(Session, "before_flush", _check_flush)
