"""The yardstick: promises kept, breakdowns, estimate accuracy and calibrated buffer factors.

Pure calculations. The store hands over figures already grouped where the database can group
them (finished work items by department and month, and by department, raw estimate and working
days taken; delivered deals by month; breakdowns by category, department and month), so the same
code summarises ten deals or a million work items.

The rules, in one place:

* A work item kept its promise when it was finished on or before its promised due date.
* A delivered deal kept its promise when its last work item was finished on or before the deal's
  promised date — and the customer's wish when that was on or before the requested date.
* Estimate accuracy is the working days a finished item actually took ÷ its raw estimate.
* A buffer factor ``f`` would have kept an item's promise when ``ceil(raw × f)`` is at least the
  working days the item took; the suggested factor is the smallest one (in steps of 0.1, between
  1.0 and 5.0) that keeps the target share of the last items a department finished.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from salesdesk.domain.errors import ValidationError
from salesdesk.domain.model import BreakdownCategory
from salesdesk.domain.promise import MAX_FACTOR, MIN_FACTOR

#: How many past items a suggestion needs at the very least; fewer say nothing reliable.
MIN_HISTORY = 10
FACTOR_STEP = Decimal("0.1")
#: The quantiles of the accuracy distribution, by the name they are shown under.
QUANTILES: tuple[tuple[str, float], ...] = (("p10", 0.10), ("p25", 0.25), ("p50", 0.50), ("p75", 0.75),
                                            ("p90", 0.90))
#: Edges of the accuracy histogram (actual ÷ raw): below 0.5, 0.5–0.75, …, 4.0 and above.
RATIO_EDGES: tuple[float, ...] = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0)

_ONE_DAY = timedelta(days=1)


def month_of(d: date) -> str:
    """The month a date belongs to, as the yardstick names it: ``"2026-03"``."""
    return f"{d.year:04d}-{d.month:02d}"


def month_number(d: date) -> int:
    """Months since year 0: consecutive months are consecutive numbers."""
    return d.year * 12 + d.month - 1


@dataclass(frozen=True, slots=True)
class Period:
    """The days the yardstick looks at, ``start`` to ``end`` inclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(
                f"The period ends ({self.end.isoformat()}) before it starts ({self.start.isoformat()}).",
                "Swap the two dates.",
                field="period",
            )

    @classmethod
    def last_months(cls, end: date, months: int = 12) -> Period:
        """The ``months`` calendar months up to and including ``end``'s month, ending on ``end``."""
        first = month_number(end) - (months - 1)
        return cls(date(first // 12, first % 12 + 1, 1), end)

    def months(self) -> tuple[str, ...]:
        """Every month the period touches, in order."""
        first, last = month_number(self.start), month_number(self.end)
        return tuple(f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(first, last + 1))

    def __contains__(self, d: object) -> bool:
        return isinstance(d, date) and self.start <= d <= self.end


class WorkingDayIndex:
    """Working days counted once for a range of dates, so any count inside it costs O(1).

    ``cumulative(d)`` is the number of working days from the first day of the range up to and
    including ``d``; the working days in ``(a, b]`` are the difference of two such counts. A date
    outside the range widens it (doubling, so repeated misses stay cheap).
    """

    __slots__ = ("_counts", "_first", "_is_working_day")

    def __init__(self, is_working_day: Callable[[date], bool], first: date, last: date) -> None:
        if last < first:
            first, last = last, first
        self._is_working_day = is_working_day
        self._first = first
        self._counts: list[int] = []
        self._extend_to(last)

    def copy(self) -> WorkingDayIndex:
        """The same counts in an index of its own (one that may widen without touching this one)."""
        twin = WorkingDayIndex.__new__(WorkingDayIndex)
        twin._is_working_day = self._is_working_day
        twin._first = self._first
        twin._counts = list(self._counts)
        return twin

    @property
    def first(self) -> date:
        return self._first

    @property
    def last(self) -> date:
        return self._first + timedelta(days=len(self._counts) - 1)

    def _extend_to(self, last: date) -> None:
        counts = self._counts
        running = counts[-1] if counts else 0
        d = self._first + timedelta(days=len(counts))
        while d <= last:
            if self._is_working_day(d):
                running += 1
            counts.append(running)
            if d == date.max:
                break
            d += _ONE_DAY

    def _widen_back_to(self, first: date) -> None:
        span = max((self._first - first).days, len(self._counts))
        new_first = date.fromordinal(max(1, self._first.toordinal() - span))
        head = WorkingDayIndex(self._is_working_day, new_first, self._first - _ONE_DAY)
        offset = head._counts[-1]
        self._counts = head._counts + [c + offset for c in self._counts]
        self._first = new_first

    def _cover(self, d: date) -> None:
        if d < self._first:
            self._widen_back_to(d)
        if (d - self._first).days >= len(self._counts):
            doubled = date.fromordinal(min(date.max.toordinal(), self._first.toordinal() + 2 * len(self._counts)))
            self._extend_to(max(d, doubled))

    def cumulative(self, d: date) -> int:
        """Working days from the start of the range up to and including ``d``.

        Only differences of these counts mean anything: the range may grow backwards later.
        """
        self._cover(d)
        return self._counts[(d - self._first).days]

    def between(self, start: date, done: date) -> int:
        """Working days in ``(start, done]`` — the way a promise counts them; negative if reversed."""
        self._cover(start)
        self._cover(done)
        return self._counts[(done - self._first).days] - self._counts[(start - self._first).days]

    def days(self) -> Iterator[tuple[date, int]]:
        """Every day of the range with its cumulative count."""
        for i, count in enumerate(self._counts):
            yield self._first + timedelta(days=i), count


@dataclass(frozen=True, slots=True)
class OnTime:
    """How many promises were measured and how many of them were kept."""

    measured: int = 0
    kept: int = 0

    @property
    def rate(self) -> float | None:
        """The share kept, 0–1; None when nothing was due."""
        return self.kept / self.measured if self.measured else None

    def __add__(self, other: OnTime) -> OnTime:
        return OnTime(self.measured + other.measured, self.kept + other.kept)


@dataclass(frozen=True, slots=True)
class Bin:
    """One bar of a histogram: ``low`` ≤ value < ``high`` (None: unbounded)."""

    low: float | None
    high: float | None
    count: int


@dataclass(frozen=True, slots=True)
class Distribution:
    """How a measure spreads over many items: count, mean, quantiles and a histogram."""

    count: int
    mean: float | None
    quantiles: Mapping[str, float]
    bins: tuple[Bin, ...]


def distribution(weighted: Iterable[tuple[float, int]], edges: Sequence[float] = RATIO_EDGES) -> Distribution:
    """The distribution of values given as (value, how many items had it).

    A quantile ``q`` is the smallest value that at least ``q`` of the items do not exceed
    (nearest rank), so it is always a value some item really had.
    """
    counts: dict[float, int] = {}
    for value, n in weighted:
        if n > 0:
            counts[value] = counts.get(value, 0) + n
    total = sum(counts.values())
    bars = [0] * (len(edges) + 1)
    for value, n in counts.items():
        bars[bisect_right(edges, value)] += n
    bounds: list[float | None] = [None, *edges, None]
    bins = tuple(Bin(bounds[i], bounds[i + 1], bars[i]) for i in range(len(bars)))
    if not total:
        return Distribution(0, None, {}, bins)
    ordered = sorted(counts.items())
    quantiles: dict[str, float] = {}
    for name, q in QUANTILES:
        rank = max(1, _ceil(q * total))
        seen = 0
        for value, n in ordered:
            seen += n
            if seen >= rank:
                quantiles[name] = value
                break
    mean = sum(value * n for value, n in ordered) / total
    return Distribution(total, mean, quantiles, bins)


def _ceil(x: float) -> int:
    n = int(x)
    return n + 1 if n < x else n


@dataclass(frozen=True, slots=True)
class ItemGroup:
    """Finished work items that share a department, month, raw estimate, days taken and verdict.

    ``working_days`` is None when the item's actual start is unknown; ``on_time`` is None when it
    had no promised date (it then counts as done but not as a promise measured).
    """

    department: str
    month: str
    raw_days: Decimal
    working_days: int | None
    on_time: bool | None
    count: int


@dataclass(frozen=True, slots=True)
class FinishedGroup:
    """Finished work items of one department and month: how many, how many of them had a
    promised date and kept it, and how many have a known start (so their working days are known)."""

    department: str
    month: str
    done: int
    on_time: OnTime
    timed: int


@dataclass(frozen=True, slots=True)
class EffortGroup:
    """Finished work items of one department with the same raw estimate and working days taken."""

    department: str
    raw_days: Decimal
    working_days: int
    count: int


def split_item_groups(groups: Iterable[ItemGroup]) -> tuple[list[FinishedGroup], list[EffortGroup]]:
    """The two views the yardstick needs of finished items: per department and month, and per
    department, raw estimate and working days taken (the store can count them that way at once)."""
    finished: dict[tuple[str, str], list[int]] = {}
    effort: dict[tuple[str, Decimal, int], int] = {}
    for g in groups:
        row = finished.setdefault((g.department, g.month), [0, 0, 0, 0])
        row[0] += g.count
        if g.on_time is not None:
            row[1] += g.count
            row[2] += g.count if g.on_time else 0
        if g.working_days is not None:
            row[3] += g.count
            key = (g.department, g.raw_days, g.working_days)
            effort[key] = effort.get(key, 0) + g.count
    return (
        [FinishedGroup(d, m, done, OnTime(measured, kept), timed) for (d, m), (done, measured, kept, timed)
         in finished.items()],
        [EffortGroup(d, raw, days, n) for (d, raw, days), n in effort.items()],
    )


@dataclass(frozen=True, slots=True)
class ItemFigures:
    done: int
    on_time: OnTime
    by_month: Mapping[str, OnTime]
    by_department: Mapping[str, OnTime]
    done_by_department: Mapping[str, int]
    accuracy: Mapping[str, Distribution]


def summarise_items(groups: Iterable[ItemGroup], months: Sequence[str]) -> ItemFigures:
    """On-time rates (overall, per month, per department) and estimate accuracy per department."""
    finished, effort = split_item_groups(groups)
    return summarise_finished_items(finished, effort, months)


def summarise_finished_items(
    finished: Iterable[FinishedGroup], effort: Iterable[EffortGroup], months: Sequence[str]
) -> ItemFigures:
    """:func:`summarise_items` from the two views of :func:`split_item_groups` (groups may repeat)."""
    by_month: dict[str, list[int]] = {m: [0, 0] for m in months}
    by_department: dict[str, list[int]] = {}
    done_by_department: dict[str, int] = {}
    done = 0
    for g in finished:
        done += g.done
        done_by_department[g.department] = done_by_department.get(g.department, 0) + g.done
        dept = by_department.setdefault(g.department, [0, 0])
        if g.on_time.measured:
            month = by_month.setdefault(g.month, [0, 0])
            month[0] += g.on_time.measured
            month[1] += g.on_time.kept
            dept[0] += g.on_time.measured
            dept[1] += g.on_time.kept
    ratios: dict[str, dict[float, int]] = {}
    for e in effort:
        if e.raw_days > 0:
            ratio = e.working_days / float(e.raw_days)
            table = ratios.setdefault(e.department, {})
            table[ratio] = table.get(ratio, 0) + e.count
    overall = OnTime(sum(v[0] for v in by_month.values()), sum(v[1] for v in by_month.values()))
    return ItemFigures(
        done=done,
        on_time=overall,
        by_month={m: OnTime(*v) for m, v in sorted(by_month.items())},
        by_department={d: OnTime(*v) for d, v in sorted(by_department.items())},
        done_by_department=dict(sorted(done_by_department.items())),
        accuracy={d: distribution(t.items()) for d, t in sorted(ratios.items())},
    )


@dataclass(frozen=True, slots=True)
class DeliveredDeal:
    """A delivered deal as the yardstick sees it: when its last work item was finished."""

    delivered_on: date
    promised_date: date | None
    requested_date: date | None


def deal_kept(deal: DeliveredDeal) -> tuple[bool | None, bool | None]:
    """(kept the promised date, met the requested date); None where there was no such date."""
    promised = None if deal.promised_date is None else deal.delivered_on <= deal.promised_date
    requested = None if deal.requested_date is None else deal.delivered_on <= deal.requested_date
    return promised, requested


@dataclass(frozen=True, slots=True)
class DealGroup:
    """Delivered deals of one month: how many, and how many kept the promised and requested dates."""

    month: str
    delivered: int
    promised: OnTime
    requested: OnTime


def group_deals(deals: Iterable[DeliveredDeal]) -> list[DealGroup]:
    """Delivered deals grouped by the month of delivery (the store does the same in SQL)."""
    acc: dict[str, list[int]] = {}
    for deal in deals:
        row = acc.setdefault(month_of(deal.delivered_on), [0, 0, 0, 0, 0])
        promised, requested = deal_kept(deal)
        row[0] += 1
        if promised is not None:
            row[1] += 1
            row[2] += promised
        if requested is not None:
            row[3] += 1
            row[4] += requested
    return [DealGroup(m, r[0], OnTime(r[1], r[2]), OnTime(r[3], r[4])) for m, r in sorted(acc.items())]


@dataclass(frozen=True, slots=True)
class DealFigures:
    delivered: int
    promised: OnTime
    requested: OnTime
    by_month: Mapping[str, DealGroup]


def summarise_deals(groups: Iterable[DealGroup], months: Sequence[str]) -> DealFigures:
    by_month = {m: DealGroup(m, 0, OnTime(), OnTime()) for m in months}
    for g in groups:
        prev = by_month.get(g.month, DealGroup(g.month, 0, OnTime(), OnTime()))
        by_month[g.month] = DealGroup(g.month, prev.delivered + g.delivered, prev.promised + g.promised,
                                      prev.requested + g.requested)
    ordered = dict(sorted(by_month.items()))
    return DealFigures(
        delivered=sum(g.delivered for g in ordered.values()),
        promised=sum((g.promised for g in ordered.values()), OnTime()),
        requested=sum((g.requested for g in ordered.values()), OnTime()),
        by_month=ordered,
    )


@dataclass(frozen=True, slots=True)
class BreakdownGroup:
    """Breakdowns of one category, department and month: how many and what they cost."""

    category: str
    department: str
    month: str
    count: int
    cost: Decimal = Decimal("0")


@dataclass(frozen=True, slots=True)
class BreakdownFigures:
    total: int
    cost: Decimal
    by_category: Mapping[BreakdownCategory, int]
    by_department: Mapping[str, Mapping[BreakdownCategory, int]]
    by_month: Mapping[str, Mapping[BreakdownCategory, int]]


def _category(value: str) -> BreakdownCategory:
    try:
        return BreakdownCategory(value)
    except ValueError:
        return BreakdownCategory.OTHER  # a category this version does not know still counts


def summarise_breakdowns(
    groups: Iterable[BreakdownGroup], months: Sequence[str], *, cost: Decimal | None = None
) -> BreakdownFigures:
    """Breakdowns by category (every category present), by department and by month.

    ``cost`` is their total cost when the groups do not carry it (the store may add it up at once).
    """
    categories = tuple(BreakdownCategory)  # iterating the enum is slow, and empty() runs per department and month

    def empty() -> dict[BreakdownCategory, int]:
        return dict.fromkeys(categories, 0)

    by_category = empty()
    by_department: dict[str, dict[BreakdownCategory, int]] = {}
    by_month: dict[str, dict[BreakdownCategory, int]] = {m: empty() for m in months}
    total, total_cost = 0, Decimal("0")
    for g in groups:
        category = _category(g.category)
        total += g.count
        total_cost += g.cost
        by_category[category] += g.count
        dept = by_department.get(g.department)
        if dept is None:
            dept = by_department[g.department] = empty()
        dept[category] += g.count
        month = by_month.get(g.month)
        if month is None:
            month = by_month[g.month] = empty()
        month[category] += g.count
    if cost is not None:
        total_cost += cost
    return BreakdownFigures(total, total_cost, by_category, dict(sorted(by_department.items())),
                            dict(sorted(by_month.items())))


@dataclass(frozen=True, slots=True)
class Calibration:
    """A department's buffer factor in use, and the one its own history suggests.

    ``suggested`` is None when fewer than :data:`MIN_HISTORY` finished items are known.
    ``kept_at_current`` / ``kept_at_suggested`` are the shares of the sample each would have kept.
    """

    department: str
    current: Decimal
    current_source: str  # "department" | "default"
    suggested: Decimal | None
    sample: int
    target: Decimal
    kept_at_current: float | None = None
    kept_at_suggested: float | None = None
    reaches_target: bool = False  # False when even 5.0 would not have kept the target share

    @property
    def enough_history(self) -> bool:
        return self.suggested is not None


def would_keep(raw_days: Decimal, working_days: int, factor: Decimal) -> bool:
    """True when ``ceil(raw × factor)`` working days would have covered what the item took."""
    return int((raw_days * factor).to_integral_value(rounding=ROUND_CEILING)) >= working_days


def smallest_factor(raw_days: Decimal, working_days: int) -> Decimal:
    """The smallest factor on the 0.1 grid (at least 1.0, maybe above 5.0) that keeps this promise.

    ``ceil(raw × f) ≥ taken`` holds exactly when ``raw × f > taken − 1``, so it is the grid value
    just above ``(taken − 1) ÷ raw``.
    """
    bound = (Decimal(working_days - 1) / raw_days / FACTOR_STEP).to_integral_value(rounding=ROUND_FLOOR)
    return max(MIN_FACTOR, (bound + 1) * FACTOR_STEP)


def _kept(history: Sequence[tuple[Decimal, int]], factor: Decimal) -> int:
    return sum(1 for raw, taken in history if would_keep(raw, taken, factor))


def calibrate(
    department: str,
    history: Sequence[tuple[Decimal, int]],
    *,
    current: Decimal,
    current_source: str = "department",
    target: Decimal = Decimal("0.95"),
) -> Calibration:
    """The smallest factor (steps of 0.1, 1.0–5.0) that keeps ``target`` of ``history``'s promises.

    ``history`` holds (raw estimate, working days taken) of the items to learn from — the caller
    picks the last N a department finished. Below :data:`MIN_HISTORY` items nothing is suggested.
    When even 5.0 falls short, 5.0 is suggested and ``reaches_target`` says so.
    """
    sample = len(history)
    if not sample:
        return Calibration(department, current, current_source, None, 0, target)
    kept_now = _kept(history, current) / sample
    if sample < MIN_HISTORY:
        return Calibration(department, current, current_source, None, sample, target, kept_now)
    # Keeping the target share means keeping the ``needed`` easiest promises: the factor is the
    # ``needed``-th smallest of the factors each promise would have required.
    needed = int((target * sample).to_integral_value(rounding=ROUND_CEILING))
    required = sorted(smallest_factor(raw, taken) for raw, taken in history)
    factor = min(required[max(needed, 1) - 1], MAX_FACTOR)
    kept = _kept(history, factor)
    return Calibration(department, current, current_source, factor, sample, target, kept_now, kept / sample,
                       reaches_target=kept >= needed)


@dataclass(frozen=True, slots=True)
class Declined:
    """Deals we said no to, and why."""

    count: int
    reasons: tuple[tuple[str, int], ...]  # (reason, deals), most frequent first
    by_department: tuple[tuple[str, int], ...]  # (department that said "not feasible", deals)


@dataclass(frozen=True, slots=True)
class Contributor:
    """Someone on our side who took part in deals delivered on time."""

    name: str
    department: str
    deals: int


@dataclass(frozen=True, slots=True)
class Success:
    ref: str
    title: str
    customer: str
    delivered_on: date
    promised_date: date
    people: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Successes:
    """Deals delivered on time, and who made it happen."""

    count: int
    people: tuple[Contributor, ...]
    recent: tuple[Success, ...]


@dataclass(frozen=True, slots=True)
class Yardstick:
    """Every figure of the yardstick for one period (and optionally one owner or department)."""

    period: Period
    owner: str | None
    department: str | None
    items: ItemFigures
    deals: DealFigures
    breakdowns: BreakdownFigures
    calibration: Mapping[str, Calibration]
    declined: Declined
    successes: Successes

    @property
    def on_time_rate_promised(self) -> float | None:
        """Share of delivered deals that kept the promised date."""
        return self.deals.promised.rate

    @property
    def on_time_rate_requested(self) -> float | None:
        """Share of delivered deals that met the date the customer asked for."""
        return self.deals.requested.rate
