"""When a missing kickoff becomes a warning: a first shipment within five working days."""

from __future__ import annotations

from datetime import date

from salesdesk.domain.calendar import WorkCalendar
from salesdesk.domain.model import Stage

KICKOFF_WARNING_WORKING_DAYS = 5
_STAGES_BEFORE_KICKOFF = frozenset({Stage.QUOTED, Stage.AGREED})


def kickoff_due_soon(
    stage: Stage, first_shipment: date | None, *, today: date | None = None, calendar: WorkCalendar | None = None
) -> bool:
    """True while a deal without a kickoff has its first shipment within five working days (or overdue)."""
    if first_shipment is None or stage not in _STAGES_BEFORE_KICKOFF:
        return False
    today = today or date.today()
    if first_shipment <= today:
        return True
    cal = calendar or WorkCalendar()
    return cal.working_days_between(today, first_shipment) <= KICKOFF_WARNING_WORKING_DAYS
