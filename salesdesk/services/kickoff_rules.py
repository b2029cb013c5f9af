"""When a missing kickoff becomes a warning: a first shipment within five working days.

Also the one rule the kickoff itself checks: every non-standard term is acknowledged first.
"""

from __future__ import annotations

from datetime import date

from salesdesk.domain.calendar import WorkCalendar
from salesdesk.domain.model import Deal, DealTerm, Stage

KICKOFF_WARNING_WORKING_DAYS = 5
STAGES_BEFORE_KICKOFF = frozenset({Stage.QUOTED, Stage.AGREED})


def kickoff_due_soon(
    stage: Stage, first_shipment: date | None, *, today: date | None = None, calendar: WorkCalendar | None = None
) -> bool:
    """True while a deal without a kickoff has its first shipment within five working days (or overdue)."""
    if first_shipment is None or stage not in STAGES_BEFORE_KICKOFF:
        return False
    today = today or date.today()
    if first_shipment <= today:
        return True
    cal = calendar or WorkCalendar()
    return cal.working_days_between(today, first_shipment) <= KICKOFF_WARNING_WORKING_DAYS


def warning_horizon(today: date, calendar: WorkCalendar) -> date:
    """The last first-shipment date that already warrants a warning today (for filtering in SQL)."""
    return calendar.add_working_days(today, KICKOFF_WARNING_WORKING_DAYS)


def unacknowledged_terms(deal: Deal) -> tuple[DealTerm, ...]:
    """The deal's non-standard terms the account manager has not acknowledged yet."""
    return tuple(t for t in deal.terms if t.non_standard and not t.acknowledged_by)
