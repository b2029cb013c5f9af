"""Words and numbers as the rep reads them: translation, dates, money, counts."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from decimal import Decimal

    from salesdesk.domain.model import Stage


def tr(text: str, context: str = "SalesDesk") -> str:
    """Translate ``text`` outside a widget (inside one, use ``self.tr``)."""
    return QCoreApplication.translate(context, text)


def stage_label(stage: Stage) -> str:
    return QCoreApplication.translate("Stage", stage.label)


def format_date(day: date | None, empty: str = "—") -> str:
    """A date a rep reads at a glance, e.g. "2 Mar 2026"."""
    if day is None:
        return empty
    from PySide6.QtCore import QDate, QLocale  # not at start-up: QLocale's enums take milliseconds to build

    return QLocale().toString(QDate(day.year, day.month, day.day), "d MMM yyyy")


def format_money(value: Decimal | None, currency: str = "", *, cents: bool = True) -> str:
    if value is None:
        return "—"
    amount = f"{value:,.2f}" if cents else f"{round(value):,}"
    return f"{currency} {amount}".strip()


def count_label(n: int, one: str, many: str) -> str:
    """ "1 deal", "1,234 deals" (``one``/``many`` already translated, with ``{n}`` in them)."""
    return (one if n == 1 else many).format(n=f"{n:,}")
