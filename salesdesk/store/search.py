"""Keeps ``deals.search_text`` current whoever writes a deal row through the ORM."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select

from salesdesk.domain.search import search_key
from salesdesk.store.schema import CustomerRow, DealRowORM

_installed = False


def _customer_name(connection: Any, target: DealRowORM) -> str:
    customer = target.__dict__.get("customer")
    if customer is not None and customer.id == target.customer_id:
        return str(customer.name)
    name = connection.scalar(select(CustomerRow.name).where(CustomerRow.id == target.customer_id))
    return str(name or "")


def _refresh(_mapper: Any, connection: Any, target: DealRowORM) -> None:
    target.search_text = search_key(target.ref, target.title, _customer_name(connection, target))


def install_search_text() -> None:
    """Register the listeners once per process."""
    global _installed
    if _installed:
        return
    event.listen(DealRowORM, "before_insert", _refresh)
    event.listen(DealRowORM, "before_update", _refresh)
    _installed = True
