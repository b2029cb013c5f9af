"""How answers, verdicts, sign-off states and the handling of a requested date read on screen.

The tables hold the English words (marked for translation); ``answer_text`` and friends translate them.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDateTime, QLocale

from salesdesk.domain.feasibility import DepartmentStatus
from salesdesk.domain.model import Answer, GapHandling, Verdict
from salesdesk.ui import theme
from salesdesk.ui.text import tr

ANSWERS: tuple[tuple[Answer | None, str], ...] = (
    (None, str(QT_TRANSLATE_NOOP("Feasibility", "Not answered"))),
    (Answer.YES, str(QT_TRANSLATE_NOOP("Feasibility", "Yes"))),
    (Answer.NO, str(QT_TRANSLATE_NOOP("Feasibility", "No"))),
    (Answer.WITH_CONDITIONS, str(QT_TRANSLATE_NOOP("Feasibility", "With conditions"))),
    (Answer.NOT_APPLICABLE, str(QT_TRANSLATE_NOOP("Feasibility", "N.a."))),
)

VERDICTS: tuple[tuple[Verdict, str], ...] = (
    (Verdict.FEASIBLE, str(QT_TRANSLATE_NOOP("Feasibility", "Feasible"))),
    (Verdict.FEASIBLE_WITH_CONDITIONS, str(QT_TRANSLATE_NOOP("Feasibility", "Feasible with conditions"))),
    (Verdict.NOT_FEASIBLE, str(QT_TRANSLATE_NOOP("Feasibility", "Not feasible"))),
)

GAP_HANDLINGS: tuple[tuple[GapHandling | None, str], ...] = (
    (None, str(QT_TRANSLATE_NOOP("Feasibility", "Not handled yet"))),
    (GapHandling.LATER_DATE_ACCEPTED, str(QT_TRANSLATE_NOOP("Feasibility", "The customer accepts the later date"))),
    (GapHandling.SCOPE_CHANGED, str(QT_TRANSLATE_NOOP("Feasibility", "The scope was changed"))),
    (GapHandling.OVERRIDE, str(QT_TRANSLATE_NOOP("Feasibility", "Override: promise the requested date"))),
)

VERDICT_HUES: dict[Verdict, str] = {
    Verdict.FEASIBLE: "#2e7d32",
    Verdict.FEASIBLE_WITH_CONDITIONS: "#2a9d8f",
    Verdict.NOT_FEASIBLE: theme.PROBLEM_HUE,
}
NOT_SIGNED_HUE = "#8a8a8a"
STALE_HUE = theme.WARNING_HUE


def answer_text(answer: Answer | None) -> str:
    return tr(dict(ANSWERS)[answer], "Feasibility")


def verdict_text(verdict: Verdict) -> str:
    return tr(dict(VERDICTS)[verdict], "Feasibility")


def gap_text(handling: GapHandling | None) -> str:
    return tr(dict(GAP_HANDLINGS)[handling], "Feasibility")


def signoff_pill(status: DepartmentStatus) -> tuple[str, str]:
    """(words, hue) of a department's sign-off: not signed, its verdict, or STALE."""
    if status.current_signoff is None:
        return tr("Not signed", "Feasibility"), NOT_SIGNED_HUE
    if status.stale:
        return tr("STALE", "Feasibility"), STALE_HUE
    return verdict_text(status.current_signoff.verdict), VERDICT_HUES[status.current_signoff.verdict]


def days(value: Decimal) -> str:
    """``3`` for 3.00, ``2.5`` for 2.50."""
    return format(value.normalize(), "f") if value else "0"


def when(at: datetime | None) -> str:
    """An instant in the reader's local time, e.g. "3 Mar 2026 14:05"."""
    if at is None:
        return ""
    local = QDateTime.fromSecsSinceEpoch(int(at.timestamp())).toLocalTime()
    return QLocale().toString(local, "d MMM yyyy HH:mm")


def working_days(n: int) -> str:
    return tr("1 working day", "Feasibility") if n == 1 else tr("{n} working days", "Feasibility").format(n=n)
