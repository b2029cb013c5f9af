"""What every service needs: the open store and who is doing the work (for the audit log)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from salesdesk.store.engine import Store
from salesdesk.store.schema import AuditRow


def now() -> datetime:
    return datetime.now(UTC)


def audit_value(value: Any) -> str | None:
    """How a value is written into the audit log: readable, stable, never a database id."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, tuple | list):
        return json.dumps([audit_value(v) for v in value], ensure_ascii=False)
    return str(value)


@dataclass
class Context:
    store: Store
    actor: str = "SalesDesk"

    def audit(
        self,
        session: Session,
        *,
        entity: str,
        entity_uid: str,
        action: str,
        field: str = "",
        old: Any = None,
        new: Any = None,
        deal_uid: str | None = None,
        at: datetime | None = None,
    ) -> None:
        session.add(
            AuditRow(
                at=at or now(),
                actor=self.actor,
                entity=entity,
                entity_uid=entity_uid,
                deal_uid=deal_uid,
                action=action,
                field=field,
                old=audit_value(old),
                new=audit_value(new),
            )
        )
