"""Where a deal's feasibility review stands: gate, sign-offs, padded schedule, requested date, capacity.

Read-only. The capacity check puts this deal's padded work on top of what other deals have already
promised (agreed, kicked off, delivering) and names the customers who would be bumped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from salesdesk.domain import feasibility as rules
from salesdesk.domain.calendar import WorkCalendar
from salesdesk.domain.capacity import CapacityReport, Commitment, OverloadedWeek, check_capacity
from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import COMMITTED_STAGES, Deal, GapHandling, ItemStatus, Settings, SignOff
from salesdesk.domain.schedule import Schedule, ScheduledItem, requested_gap
from salesdesk.services.context import Context
from salesdesk.services.promise import calendar_from_settings, deal_schedule
from salesdesk.store.schema import CustomerRow, DealRowORM, WorkItemRow


@dataclass(frozen=True)
class FeasibilityStatus:
    """Everything the Feasibility page shows for one deal."""

    deal: Deal
    gate: rules.GateResult
    message: str
    schedule: tuple[ScheduledItem, ...]  # raw, factor, padded, start, due per work item (internal)
    padded_date: date | None  # the date the padded schedule supports
    raw_date: date | None  # what the raw estimates alone would give: for comparison, never promised
    requested_date: date | None
    promised_date: date | None  # what the deal promises (the padded date, or the override)
    gap_working_days: int | None  # working days the padded date lies after the requested date
    gap_handling: GapHandling | None
    gap_reason: str
    capacity: CapacityReport
    capacity_warnings: tuple[str, ...]
    schedule_problem: str = ""  # why no schedule could be made, if so

    @property
    def departments(self) -> tuple[rules.DepartmentStatus, ...]:
        return self.gate.departments

    @property
    def gap_unhandled(self) -> bool:
        """True when the customer asked for an earlier date and nobody recorded how that is handled."""
        return bool(self.gap_working_days) and self.gap_handling is None

    @property
    def signoff_history(self) -> tuple[SignOff, ...]:
        """Every sign-off ever given on the deal, oldest first (superseded ones too)."""
        return tuple(sorted(self.deal.signoffs, key=lambda s: s.signed_at))


def padded_schedule(deal: Deal, st: Settings, today: date | None = None) -> Schedule | None:
    """The deal's padded schedule; None while it has no work items."""
    if not deal.work_items:
        return None
    return deal_schedule(deal, st, today=today)


def _days(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def _week(d: date) -> str:
    return f"{d.day} {d:%b} {d.year}"


def capacity_warnings(report: CapacityReport) -> tuple[str, ...]:
    """One sentence per overloaded department, naming the deals that would be bumped."""
    by_department: dict[str, list[OverloadedWeek]] = {}
    for week in report.overloaded_weeks:
        by_department.setdefault(week.department, []).append(week)
    sentences = []
    for department, weeks in by_department.items():
        worst = max(weeks, key=lambda w: w.excess)
        span = (
            f"in the week of {_week(weeks[0].week_start)}"
            if len(weeks) == 1
            else f"in {len(weeks)} weeks between {_week(weeks[0].week_start)} and {_week(weeks[-1].week_start)}"
        )
        bumped = list(dict.fromkeys(deal for week in weeks for deal in week.bumped))
        if bumped:
            effect = ", ".join(f"{b.deal_ref} ({b.customer})" for b in bumped) + " would be bumped"
        else:
            effect = "this deal alone is more than the department can do then"
        sentences.append(
            f"{department} would be over capacity {span} (worst: {_days(worst.committed_load + worst.new_load)} "
            f"working days against {_days(worst.capacity)} in the week of {_week(worst.week_start)}): {effect}."
        )
    return tuple(sentences)


def committed_work(ctx: Context, exclude_deal_uid: str, around: Sequence[Commitment]) -> list[Commitment]:
    """Padded work other deals have promised (agreed, kicked off, delivering) in the weeks ``around`` touches."""
    if not around:
        return []
    q = (
        select(DealRowORM.ref, CustomerRow.name, WorkItemRow.department, WorkItemRow.planned_start,
               WorkItemRow.promised_due, WorkItemRow.padded_days)
        .join(DealRowORM, DealRowORM.id == WorkItemRow.deal_id)
        .join(CustomerRow, CustomerRow.id == DealRowORM.customer_id)
        .where(
            DealRowORM.stage.in_([s.value for s in COMMITTED_STAGES]),
            DealRowORM.uid != exclude_deal_uid,
            WorkItemRow.department.in_({c.department for c in around}),
            WorkItemRow.status != ItemStatus.DONE.value,
            WorkItemRow.promised_due >= min(c.start for c in around),
            WorkItemRow.planned_start <= max(c.due for c in around),
            WorkItemRow.padded_days.is_not(None),
        )
        .order_by(DealRowORM.updated_at, WorkItemRow.id)
    )
    with ctx.store.read() as s:
        rows = s.execute(q).all()
    found = []
    for ref, customer, department, start, due, padded in rows:
        if start is None or due is None or padded is None:
            continue
        # A start moved after the promise was made can lie past the promised date: the work is still owed.
        found.append(Commitment(ref, customer, department, min(start, due), due, padded))
    return found


def capacity_report(
    ctx: Context, deal: Deal, items: Sequence[ScheduledItem], st: Settings, calendar: WorkCalendar
) -> CapacityReport:
    """Would this deal's padded work push a department past its weekly capacity?"""
    capacity = {d.name: d.weekly_capacity for d in st.departments if d.weekly_capacity is not None}
    new = [
        Commitment(deal.ref, deal.customer_name, i.department, i.start, i.due, i.padded_days)
        for i in items
        if i.department in capacity
    ]
    if not new:
        return CapacityReport(())
    return check_capacity(new, committed_work(ctx, deal.uid, new), capacity, calendar)


def build_status(ctx: Context, deal: Deal, st: Settings, *, today: date | None = None) -> FeasibilityStatus:
    """Put together the Feasibility page for ``deal``."""
    result = rules.gate(deal)
    calendar = calendar_from_settings(st)
    problem = ""
    try:
        sched = padded_schedule(deal, st, today)
    except SalesDeskError as exc:
        sched, problem = None, str(exc)
    items = sched.items if sched else ()
    padded = sched.promised_date if sched else None
    report = capacity_report(ctx, deal, items, st, calendar)
    return FeasibilityStatus(
        deal=deal,
        gate=result,
        message=rules.gate_message(result),
        schedule=items,
        padded_date=padded,
        raw_date=sched.raw_date if sched else None,
        requested_date=deal.requested_date,
        promised_date=deal.promised_date,
        gap_working_days=requested_gap(deal.requested_date, padded, calendar),
        gap_handling=deal.gap_handling,
        gap_reason=deal.gap_reason,
        capacity=report,
        capacity_warnings=capacity_warnings(report),
        schedule_problem=problem,
    )
