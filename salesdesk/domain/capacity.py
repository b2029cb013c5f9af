"""Will another customer get bumped? Weekly load per department against its capacity.

A commitment's padded working days are spread evenly over its working days (start, due]. Loads
are summed per department and week (weeks start on Monday) and compared with the department's
capacity in working days per week. Sums are exact fractions, so three thirds make a whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import NamedTuple

from salesdesk.domain.calendar import WorkCalendar
from salesdesk.domain.errors import ValidationError
from salesdesk.domain.promise import Number, to_decimal

_ONE_DAY = timedelta(days=1)
_LOAD_STEP = Decimal("0.01")


@dataclass(frozen=True)
class Commitment:
    """Work a department has promised (or would promise) for one deal, from ``start`` to ``due``."""

    deal_ref: str
    customer: str
    department: str
    start: date
    due: date
    padded_days: Decimal | int

    def __post_init__(self) -> None:
        if self.due < self.start:
            raise ValidationError(
                f"The work for {self.customer} ({self.deal_ref}) is due before it starts.",
                "Check the start and due dates.",
            )
        if to_decimal(self.padded_days, "number of working days") < 0:
            raise ValidationError(
                f"The work for {self.customer} ({self.deal_ref}) has a negative number of days.",
                "Enter zero or more working days.",
            )


class BumpedDeal(NamedTuple):
    """A deal already promised that the new work would crowd out."""

    customer: str
    deal_ref: str


@dataclass(frozen=True)
class OverloadedWeek:
    """A week in which the new work would push a department past its capacity."""

    department: str
    week_start: date
    capacity: Decimal
    committed_load: Decimal
    new_load: Decimal
    bumped: tuple[BumpedDeal, ...]

    @property
    def excess(self) -> Decimal:
        """Working days over capacity."""
        return self.committed_load + self.new_load - self.capacity


@dataclass(frozen=True)
class CapacityReport:
    """The weeks that would be over capacity, by department then week."""

    overloaded_weeks: tuple[OverloadedWeek, ...]

    @property
    def is_over(self) -> bool:
        """True when any week would be over capacity."""
        return bool(self.overloaded_weeks)

    @property
    def bumped(self) -> tuple[BumpedDeal, ...]:
        """Every deal that would be bumped, each once, in the order first met."""
        return tuple(dict.fromkeys(deal for week in self.overloaded_weeks for deal in week.bumped))


def week_start(d: date) -> date:
    """The Monday of ``d``'s week."""
    return d - timedelta(days=d.weekday())


def _to_load(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(_LOAD_STEP, rounding=ROUND_HALF_UP)


class _LoadSpreader:
    """Spreads commitments over weeks, remembering the calendar walk for repeated date ranges."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self._calendar = calendar
        self._weeks: dict[tuple[date, date], tuple[int, dict[date, int]]] = {}

    def _working_days_per_week(self, start: date, due: date) -> tuple[int, dict[date, int]]:
        key = (start, due)
        if key not in self._weeks:
            per_week: dict[date, int] = {}
            total = 0
            d = start + _ONE_DAY
            while d <= due:
                if self._calendar.is_working_day(d):
                    monday = week_start(d)
                    per_week[monday] = per_week.get(monday, 0) + 1
                    total += 1
                d += _ONE_DAY
            self._weeks[key] = (total, per_week)
        return self._weeks[key]

    def weekly_load(self, commitment: Commitment) -> dict[date, Fraction]:
        days = Fraction(to_decimal(commitment.padded_days, "number of working days"))
        total, per_week = self._working_days_per_week(commitment.start, commitment.due)
        if total == 0:
            # No working day in the span (a same-day job): the load still lands somewhere.
            return {week_start(commitment.due): days}
        return {monday: days * count / total for monday, count in per_week.items()}


def check_capacity(
    new: Iterable[Commitment],
    committed: Iterable[Commitment],
    capacity_per_week: Mapping[str, Number],
    calendar: WorkCalendar,
) -> CapacityReport:
    """The weeks where ``new`` work on top of ``committed`` work exceeds a department's capacity.

    Only weeks the new work touches are reported: a week already over before it is not its doing.
    Departments without a capacity setting are never over.
    """
    capacity: dict[str, Fraction] = {}
    for department, value in capacity_per_week.items():
        amount = to_decimal(value, f"weekly capacity of {department}")
        if amount < 0:
            raise ValidationError(
                f"The weekly capacity of {department} is negative ({amount}).",
                "Enter zero or more working days per week.",
                field="capacity",
            )
        capacity[department] = Fraction(amount)

    spreader = _LoadSpreader(calendar)
    new_load: dict[tuple[str, date], Fraction] = {}
    for commitment in new:
        if commitment.department in capacity:
            for monday, load in spreader.weekly_load(commitment).items():
                slot = (commitment.department, monday)
                new_load[slot] = new_load.get(slot, Fraction(0)) + load

    committed_load: dict[tuple[str, date], Fraction] = {}
    # dict as an ordered set: deals named in the order they were committed, each once.
    holders: dict[tuple[str, date], dict[BumpedDeal, None]] = {}
    for commitment in committed:
        if commitment.department not in capacity:
            continue
        deal = BumpedDeal(commitment.customer, commitment.deal_ref)
        for monday, load in spreader.weekly_load(commitment).items():
            slot = (commitment.department, monday)
            if slot not in new_load:
                continue  # only weeks the new work touches can be pushed over
            committed_load[slot] = committed_load.get(slot, Fraction(0)) + load
            if load > 0:
                holders.setdefault(slot, {})[deal] = None

    overloaded: list[OverloadedWeek] = []
    for slot in sorted(new_load):
        department, monday = slot
        added = new_load[slot]
        already = committed_load.get(slot, Fraction(0))
        if added > 0 and already + added > capacity[department]:
            overloaded.append(
                OverloadedWeek(
                    department=department,
                    week_start=monday,
                    capacity=_to_load(capacity[department]),
                    committed_load=_to_load(already),
                    new_load=_to_load(added),
                    bumped=tuple(holders.get(slot, {})),
                )
            )
    return CapacityReport(tuple(overloaded))
