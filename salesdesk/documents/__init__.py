"""PDF documents: plain input dataclasses in (see ``model``), PDF bytes out.

Nothing here knows about Qt, the database or the services; the services layer maps a deal into
an ``*Doc`` and calls a builder. Every builder is deterministic: identical input gives
byte-identical PDFs, stamped with the document id and revision on every page and in the
PDF metadata (see ``letterhead.parse_doc_stamp``).
"""

from __future__ import annotations

from .action_plan import build_action_plan
from .agreement import build_agreement
from .brief import build_brief
from .feasibility import build_feasibility
from .letterhead import default_logo_png, doc_stamp, parse_doc_stamp
from .quote import build_quote

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
