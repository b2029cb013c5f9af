"""Put my unsaved edits on top of someone else's newer version of the deal (no Qt here).

Used when the rep chose to keep editing after a conflict and then to save over the other
version: fields the rep did not touch keep the other person's values; fields (or whole lists,
such as the probing questions) the rep changed take the rep's values.
"""

from __future__ import annotations

from dataclasses import fields, replace

from salesdesk.domain.model import Deal

_BOOKKEEPING = frozenset({"uid", "ref", "version", "created_at", "updated_at"})


def edited_fields(base: Deal, mine: Deal) -> list[str]:
    return [f.name for f in fields(Deal) if f.name not in _BOOKKEEPING and getattr(mine, f.name) != getattr(base, f.name)]


def rebase(base: Deal, mine: Deal, theirs: Deal) -> Deal:
    """``theirs`` with every field the rep changed since ``base`` set to the rep's value."""
    return replace(theirs, **{name: getattr(mine, name) for name in edited_fields(base, mine)})
