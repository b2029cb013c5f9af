"""Scheduling a deal's work items along their dependencies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesdesk.domain.calendar import WorkCalendar
from salesdesk.domain.errors import ScheduleCycleError, ValidationError
from salesdesk.domain.schedule import WorkItemSpec, requested_gap, schedule

GB = WorkCalendar(country="GB")
FACTORS = {"Engineering": Decimal("2.0"), "Manufacturing": Decimal("1.5"), "Operations": Decimal("2.0")}


def item(key: str, task: str, raw: str, *preds: str, department: str = "Operations") -> WorkItemSpec:
    return WorkItemSpec(key, department, task, Decimal(raw), tuple(preds))


CHRISTMAS_DEAL = [
    item("install", "Install", "1.5", "build", "cabling"),
    item("survey", "Site survey", "1", department="Engineering"),
    item("build", "Build panels", "2.1", "survey", department="Manufacturing"),
    item("cabling", "Order cabling", "0.5"),
]


def test_a_deal_over_christmas_worked_by_hand() -> None:
    # GB, deal starts Mon 14 Dec 2026.
    result = schedule(CHRISTMAS_DEAL, date(2026, 12, 14), GB, FACTORS.__getitem__)
    survey, build, cabling, install = (result.item(k) for k in ("survey", "build", "cabling", "install"))

    # Site survey: 1 × 2.0 = 2 days from Mon 14: Tue 15 (1), Wed 16 (2). Raw 1 day: Tue 15.
    assert (survey.padded_days, survey.start, survey.due, survey.raw_due) == (
        2,
        date(2026, 12, 14),
        date(2026, 12, 16),
        date(2026, 12, 15),
    )
    # Build panels after the survey: 2.1 × 1.5 = 3.15 → 4 days from Wed 16: Thu 17, Fri 18,
    # Mon 21, Tue 22. Raw ceil(2.1) = 3 days from the raw survey date Tue 15: Wed 16, Thu 17, Fri 18.
    assert (build.factor, build.padded_days, build.start, build.due, build.raw_due) == (
        Decimal("1.5"),
        4,
        date(2026, 12, 16),
        date(2026, 12, 22),
        date(2026, 12, 18),
    )
    # Order cabling, no predecessor: 0.5 × 2.0 = 1 day → Tue 15 (raw: also 1 whole day).
    assert (cabling.padded_days, cabling.due, cabling.raw_due) == (1, date(2026, 12, 15), date(2026, 12, 15))
    # Install waits for the later of Build (Tue 22) and Cabling (Tue 15): 1.5 × 2 = 3 days from
    # Tue 22: Wed 23 (1), Thu 24 (2), Fri 25 Christmas, weekend, Mon 28 Boxing Day observed, Tue 29 (3).
    # Raw: 2 days from Fri 18: Mon 21, Tue 22.
    assert (install.start, install.due, install.raw_due) == (
        date(2026, 12, 22),
        date(2026, 12, 29),
        date(2026, 12, 22),
    )
    assert result.promised_date == date(2026, 12, 29)
    assert result.raw_date == date(2026, 12, 22)


def test_items_come_back_in_the_order_given() -> None:
    result = schedule(CHRISTMAS_DEAL, date(2026, 12, 14), GB, FACTORS.__getitem__)
    assert [i.key for i in result.items] == ["install", "survey", "build", "cabling"]


def test_the_factor_is_asked_once_per_department() -> None:
    asked: list[str] = []

    def factor_for(department: str) -> Decimal:
        asked.append(department)
        return FACTORS[department]

    schedule(CHRISTMAS_DEAL, date(2026, 12, 14), GB, factor_for)
    assert sorted(asked) == ["Engineering", "Manufacturing", "Operations"]


def test_a_deal_without_work_items_has_no_promised_date() -> None:
    result = schedule([], date(2026, 12, 14), GB, FACTORS.__getitem__)
    assert result.items == ()
    assert result.promised_date is None
    assert result.raw_date is None


def test_an_unknown_predecessor_is_refused_naming_the_item() -> None:
    with pytest.raises(ValidationError, match="'Install' waits for 'wiring'"):
        schedule([item("install", "Install", "1", "wiring")], date(2026, 12, 14), GB, FACTORS.__getitem__)


def test_two_items_with_the_same_key_are_refused() -> None:
    with pytest.raises(ValidationError, match="share the key"):
        schedule([item("a", "One", "1"), item("a", "Two", "1")], date(2026, 12, 14), GB, FACTORS.__getitem__)


def test_a_circle_of_dependencies_names_the_tasks_in_it() -> None:
    items = [
        item("design", "Design", "1", "test"),
        item("build", "Build", "1", "design"),
        item("test", "Test", "1", "build"),
        item("ship", "Ship", "1", "test"),  # waits on the circle but is not part of it
        item("kickoff", "Kickoff", "1"),
    ]
    with pytest.raises(ScheduleCycleError) as caught:
        schedule(items, date(2026, 12, 14), GB, FACTORS.__getitem__)
    message = str(caught.value)
    assert "Design → Build → Test → Design" in message
    assert "Ship" not in message
    assert "Kickoff" not in message


def test_an_item_waiting_for_itself_is_a_circle() -> None:
    with pytest.raises(ScheduleCycleError, match="Install → Install"):
        schedule([item("a", "Install", "1", "a")], date(2026, 12, 14), GB, FACTORS.__getitem__)


def test_a_bad_raw_estimate_or_factor_is_refused() -> None:
    with pytest.raises(ValidationError):
        schedule([item("a", "Install", "0")], date(2026, 12, 14), GB, FACTORS.__getitem__)
    with pytest.raises(ValidationError):
        schedule([item("a", "Install", "1")], date(2026, 12, 14), GB, lambda _: Decimal("0.9"))


def test_requested_gap_counts_the_working_days_the_promise_is_late() -> None:
    promised = date(2026, 12, 29)
    # Requested Thu 24 Dec: (24, 29] holds only Tue 29 as a working day in GB.
    assert requested_gap(date(2026, 12, 24), promised, GB) == 1
    # Requested Wed 23 Dec: Thu 24 and Tue 29.
    assert requested_gap(date(2026, 12, 23), promised, GB) == 2
    # Promise on or before the request: no gap.
    assert requested_gap(promised, promised, GB) == 0
    assert requested_gap(date(2027, 1, 15), promised, GB) == 0
    assert requested_gap(None, promised, GB) is None
    assert requested_gap(date(2026, 12, 24), None, GB) is None


# --- properties -------------------------------------------------------------------------------

DEPARTMENTS = ("Operations", "Engineering", "Shipping")


@st.composite
def deals(draw: st.DrawFn) -> list[WorkItemSpec]:
    """A random deal whose dependencies only point backwards, so it has no circle."""
    count = draw(st.integers(min_value=1, max_value=25))
    items = []
    for i in range(count):
        preds = draw(st.lists(st.integers(0, i - 1), max_size=3, unique=True)) if i else []
        raw = draw(st.decimals(min_value=Decimal("0.5"), max_value=Decimal("15"), places=1))
        items.append(
            WorkItemSpec(
                f"k{i}", draw(st.sampled_from(DEPARTMENTS)), f"Task {i}", raw, tuple(f"k{p}" for p in preds)
            )
        )
    return draw(st.permutations(items))


STARTS = st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31))
FACTOR = st.decimals(min_value=Decimal("1.0"), max_value=Decimal("5.0"), places=1)


@given(items=deals(), start=STARTS, factor=FACTOR)
def test_every_item_starts_when_its_last_predecessor_is_due(
    items: list[WorkItemSpec], start: date, factor: Decimal
) -> None:
    result = schedule(items, start, GB, lambda _: factor)
    by_key = {i.key: i for i in result.items}
    for scheduled, spec in zip(result.items, items, strict=True):
        pred_dues = [by_key[p].due for p in spec.predecessors]
        assert all(scheduled.start >= due for due in pred_dues)
        assert scheduled.start == max(pred_dues, default=start)
        assert GB.is_working_day(scheduled.due)
        assert scheduled.due >= scheduled.raw_due  # padding never makes work earlier
    assert result.promised_date == max(i.due for i in result.items)
    assert result.raw_date is not None and result.promised_date >= result.raw_date


@given(items=deals(), start=STARTS, low=FACTOR, high=FACTOR)
def test_a_larger_factor_never_gives_an_earlier_promise(
    items: list[WorkItemSpec], start: date, low: Decimal, high: Decimal
) -> None:
    low, high = min(low, high), max(low, high)
    early = schedule(items, start, GB, lambda _: low)
    late = schedule(items, start, GB, lambda _: high)
    assert early.promised_date is not None and late.promised_date is not None
    assert late.promised_date >= early.promised_date
    for a, b in zip(early.items, late.items, strict=True):
        assert b.due >= a.due


@given(items=deals(), data=st.data())
def test_closing_a_loop_is_always_detected(items: list[WorkItemSpec], data: st.DataObject) -> None:
    # Pick an item with a predecessor chain and make the chain's first item wait for the last.
    chained = [i for i in items if i.predecessors]
    if not chained:
        items = [*items, WorkItemSpec("extra", "Operations", "Extra", Decimal(1), (items[0].key,))]
        chained = [items[-1]]
    last = data.draw(st.sampled_from(chained))
    by_key = {i.key: i for i in items}
    first = by_key[last.predecessors[0]]
    looped = [
        WorkItemSpec(i.key, i.department, i.task, i.raw_days, (*i.predecessors, last.key))
        if i is first
        else i
        for i in items
    ]
    with pytest.raises(ScheduleCycleError) as caught:
        schedule(looped, date(2026, 1, 5), GB, lambda _: Decimal(2))
    circle = caught.value.message.split(": ", 1)[1].rstrip(".").split(" → ")
    assert first.task in circle and last.task in circle
    assert circle[0] == circle[-1]
