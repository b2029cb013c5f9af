"""PDF documents: plain input dataclasses in (see ``model``), PDF bytes out.

Nothing here knows about Qt, the database or the services; the services layer maps a deal into
an ``*Doc`` and calls a builder. Every builder is deterministic: identical input gives
byte-identical PDFs, stamped with the document id and revision on every page and in the
PDF metadata (see ``letterhead.parse_doc_stamp``).
"""

from __future__ import annotations

import importlib
from typing import Any

# Builders load reportlab (a few hundred milliseconds); they are imported when first used, so
# opening the app or running a quick command does not pay for it.
_WHERE = {
    "build_action_plan": "action_plan",
    "build_agreement": "agreement",
    "build_brief": "brief",
    "build_feasibility": "feasibility",
    "build_quote": "quote",
    "default_logo_png": "letterhead",
    "doc_stamp": "letterhead",
    "parse_doc_stamp": "letterhead",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "build_action_plan",
    "build_agreement",
    "build_brief",
    "build_feasibility",
    "build_quote",
    "default_logo_png",
    "doc_stamp",
    "parse_doc_stamp",
]
