"""The promise engine applied to a stored deal: which factor, which calendar, which dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from salesdesk.domain.calendar import Closure, WorkCalendar
from salesdesk.domain.model import Deal, Settings
from salesdesk.domain.promise import resolve_factor
from salesdesk.domain.schedule import Schedule, WorkItemSpec, schedule


def calendar_from_settings(st: Settings) -> WorkCalendar:
    return WorkCalendar(
        weekend=frozenset(st.weekend_days),
        country=st.holiday_country,
        subdivision=st.holiday_subdivision,
        closures=tuple(Closure(c.start, c.end, c.reason or "no reason given") for c in st.closures),
    )


def factor_for_deal(deal: Deal, st: Settings, department: str) -> Decimal:
    return department_factor(st, department, deal.factor_override, deal.factor_override_reason)


def department_factor(
    st: Settings, department: str, override: Decimal | None = None, override_reason: str = ""
) -> Decimal:
    """The buffer factor for ``department``'s work: a deal's override, else the department's, else the default."""
    dept = st.department(department)
    return resolve_factor(override, override_reason, dept.buffer_factor if dept else None, st.default_factor).factor


def deal_schedule(deal: Deal, st: Settings, *, today: date | None = None) -> Schedule:
    """The padded schedule of the deal's work items, from its start date (or today)."""
    start = deal.start_date or today or date.today()
    specs = [
        WorkItemSpec(w.uid, w.department, w.task, w.raw_days, tuple(w.predecessors)) for w in deal.work_items
    ]
    return schedule(specs, start, calendar_from_settings(st), lambda d: factor_for_deal(deal, st, d))
