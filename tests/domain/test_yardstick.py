"""The yardstick's calculations on histories whose figures are worked out by hand."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from salesdesk.domain.calendar import Closure, WorkCalendar
from salesdesk.domain.errors import ValidationError
from salesdesk.domain.model import BreakdownCategory
from salesdesk.domain.yardstick import (
    MIN_HISTORY,
    BreakdownGroup,
    DeliveredDeal,
    ItemGroup,
    OnTime,
    Period,
    WorkingDayIndex,
    calibrate,
    deal_kept,
    distribution,
    group_deals,
    summarise_breakdowns,
    summarise_deals,
    summarise_items,
    would_keep,
)

D = Decimal


def test_the_default_period_is_the_twelve_months_up_to_today() -> None:
    period = Period.last_months(date(2026, 11, 24))
    assert (period.start, period.end) == (date(2025, 12, 1), date(2026, 11, 24))
    assert period.months() == tuple([f"2025-{12:02d}"] + [f"2026-{m:02d}" for m in range(1, 12)])
    assert date(2025, 12, 1) in period and date(2025, 11, 30) not in period


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        Period(date(2026, 3, 1), date(2026, 2, 1))
    assert "ends (2026-02-01) before it starts" in str(err.value) and err.value.hint


def test_the_working_day_index_counts_like_the_calendar_even_outside_its_first_range() -> None:
    calendar = WorkCalendar(country="GB", subdivision="ENG",
                            closures=(Closure(date(2026, 8, 3), date(2026, 8, 14), "summer shutdown"),))
    index = WorkingDayIndex(calendar.is_working_day, date(2026, 6, 1), date(2026, 9, 30))
    rng = random.Random(5)
    for _ in range(300):
        a = date(2025, 1, 1) + timedelta(days=rng.randint(0, 900))
        b = a + timedelta(days=rng.randint(0, 120))
        assert index.between(a, b) == calendar.working_days_between(a, b)
    assert index.first <= date(2025, 1, 1) and index.last >= date(2027, 6, 1)
    # Christmas to New Year 2026: 28, 29, 30, 31 Dec and 1 Jan are off or weekend except the 29th–31st.
    assert index.between(date(2026, 12, 24), date(2027, 1, 4)) == calendar.working_days_between(
        date(2026, 12, 24), date(2027, 1, 4))


def test_an_on_time_rate_is_none_when_nothing_was_due() -> None:
    assert OnTime().rate is None
    assert OnTime(4, 3).rate == 0.75
    assert OnTime(4, 3) + OnTime(1, 1) == OnTime(5, 4)


def _groups() -> list[ItemGroup]:
    # Engineering: March 3 on time + 1 late, April 2 late; Operations: March 4 on time; one item without a promise.
    return [
        ItemGroup("Engineering", "2026-03", D("2"), 3, True, 3),  # took 1.5 × the estimate
        ItemGroup("Engineering", "2026-03", D("2"), 6, False, 1),  # 3.0 ×
        ItemGroup("Engineering", "2026-04", D("1"), 4, False, 2),  # 4.0 ×
        ItemGroup("Operations", "2026-03", D("4"), 4, True, 4),  # 1.0 ×
        ItemGroup("Operations", "2026-04", D("1"), None, None, 1),  # no start, no promise
    ]


def test_items_on_time_overall_per_month_and_per_department() -> None:
    figures = summarise_items(_groups(), ("2026-02", "2026-03", "2026-04"))
    assert figures.done == 11
    assert figures.on_time == OnTime(10, 7)
    assert figures.by_month == {"2026-02": OnTime(0, 0), "2026-03": OnTime(8, 7), "2026-04": OnTime(2, 0)}
    assert figures.by_department == {"Engineering": OnTime(6, 3), "Operations": OnTime(4, 4)}
    assert figures.done_by_department == {"Engineering": 6, "Operations": 5}


def test_estimate_accuracy_is_actual_working_days_over_raw_as_a_distribution() -> None:
    accuracy = summarise_items(_groups(), ("2026-03", "2026-04")).accuracy
    eng = accuracy["Engineering"]
    # Six items: 1.5, 1.5, 1.5, 3.0, 4.0, 4.0.
    assert eng.count == 6
    assert eng.mean == pytest.approx((3 * 1.5 + 3.0 + 2 * 4.0) / 6)
    assert eng.quantiles == {"p10": 1.5, "p25": 1.5, "p50": 1.5, "p75": 4.0, "p90": 4.0}
    by_bin = {(b.low, b.high): b.count for b in eng.bins}
    assert by_bin[(1.5, 2.0)] == 3 and by_bin[(3.0, 4.0)] == 1 and by_bin[(4.0, None)] == 2
    assert sum(by_bin.values()) == 6
    assert accuracy["Operations"].count == 4  # the item without a start is not measured
    assert accuracy["Operations"].quantiles["p50"] == 1.0


def test_quantiles_are_nearest_rank_values_of_real_items() -> None:
    d = distribution([(1.0, 2), (1.5, 1), (2.0, 1), (3.0, 1)])
    assert d.count == 5 and d.mean == pytest.approx(1.7)
    assert d.quantiles == {"p10": 1.0, "p25": 1.0, "p50": 1.5, "p75": 2.0, "p90": 3.0}
    assert [b.count for b in d.bins] == [0, 0, 0, 2, 0, 1, 1, 0, 1, 0]
    empty = distribution([])
    assert empty.count == 0 and empty.mean is None and empty.quantiles == {} and sum(b.count for b in empty.bins) == 0


def test_a_deal_kept_its_promise_when_its_last_item_was_done_by_the_promised_date() -> None:
    assert deal_kept(DeliveredDeal(date(2026, 3, 6), date(2026, 3, 6), date(2026, 3, 5))) == (True, False)
    assert deal_kept(DeliveredDeal(date(2026, 3, 9), date(2026, 3, 6), None)) == (False, None)


def test_deals_on_time_against_promised_and_requested_dates_per_month() -> None:
    deals = [
        DeliveredDeal(date(2026, 3, 6), date(2026, 3, 6), date(2026, 3, 5)),  # kept, customer's wish missed
        DeliveredDeal(date(2026, 3, 20), date(2026, 3, 31), date(2026, 3, 31)),  # both kept
        DeliveredDeal(date(2026, 4, 10), date(2026, 4, 8), date(2026, 4, 9)),  # both missed
        DeliveredDeal(date(2026, 4, 2), date(2026, 4, 8), None),  # kept; no requested date
    ]
    figures = summarise_deals(group_deals(deals), ("2026-03", "2026-04", "2026-05"))
    assert figures.delivered == 4
    assert figures.promised == OnTime(4, 3) and figures.promised.rate == 0.75
    assert figures.requested == OnTime(3, 1)
    assert figures.by_month["2026-03"].promised == OnTime(2, 2)
    assert figures.by_month["2026-04"].requested == OnTime(1, 0)
    assert figures.by_month["2026-05"].delivered == 0


def test_breakdowns_by_category_department_and_month_with_every_category_present() -> None:
    groups = [
        BreakdownGroup("missed_delivery_date", "Engineering", "2026-03", 2, D("0")),
        BreakdownGroup("missed_delivery_date", "Operations", "2026-04", 1, D("0")),
        BreakdownGroup("poor_communication", "Operations", "2026-03", 1, D("250.50")),
        BreakdownGroup("something_new", "Sales", "2026-04", 1, D("10")),  # unknown to this version: "other"
    ]
    figures = summarise_breakdowns(groups, ("2026-03", "2026-04"))
    assert figures.total == 5 and figures.cost == D("260.50")
    assert list(figures.by_category) == list(BreakdownCategory)
    assert figures.by_category[BreakdownCategory.MISSED_DELIVERY_DATE] == 3
    assert figures.by_category[BreakdownCategory.POOR_COMMUNICATION] == 1
    assert figures.by_category[BreakdownCategory.OTHER] == 1
    assert figures.by_category[BreakdownCategory.QUALITY_ERROR] == 0
    assert figures.by_department["Operations"][BreakdownCategory.MISSED_DELIVERY_DATE] == 1
    assert sum(figures.by_month["2026-03"].values()) == 3 and sum(figures.by_month["2026-04"].values()) == 2


def test_a_factor_keeps_a_promise_when_the_padded_days_cover_what_the_item_took() -> None:
    assert would_keep(D("10"), 30, D("3.0")) and not would_keep(D("10"), 30, D("2.9"))
    assert would_keep(D("3"), 4, D("1.1"))  # ceil(3.3) = 4, computed exactly
    assert would_keep(D("0.5"), 1, D("1.0"))


def test_the_suggested_factor_is_the_smallest_that_keeps_95_percent_of_past_promises() -> None:
    # 20 items estimated at 10 days took 12, 13, …, 31. Keeping 95 % means 19 of 20: every item up to
    # 30 days. ceil(10 × 2.9) = 29 misses the 30-day item; ceil(10 × 3.0) = 30 keeps it. So 3.0.
    history = [(D("10"), days) for days in range(12, 32)]
    calib = calibrate("Engineering", history, current=D("2.5"), target=D("0.95"))
    assert calib.suggested == D("3.0")
    assert calib.sample == 20 and calib.enough_history and calib.reaches_target
    assert calib.kept_at_suggested == 19 / 20
    # With 2.5 every item up to 25 days was kept: 12…25 is 14 of 20.
    assert calib.kept_at_current == 14 / 20
    # Half the promises: 10 of 20, the items up to 21 days → ceil(10 f) ≥ 21 → 2.1.
    assert calibrate("Engineering", history, current=D("2.5"), target=D("0.5")).suggested == D("2.1")


def test_a_team_that_is_faster_than_its_estimates_is_suggested_the_minimum_factor() -> None:
    calib = calibrate("Shipping", [(D("4"), 3)] * 12, current=D("1.5"), current_source="default")
    assert calib.suggested == D("1.0") and calib.current_source == "default" and calib.kept_at_current == 1.0


def test_fewer_than_ten_finished_items_are_not_enough_history() -> None:
    history = [(D("10"), 15)] * (MIN_HISTORY - 1)
    calib = calibrate("Operations", history, current=D("2.0"))
    assert calib.suggested is None and not calib.enough_history and calib.sample == 9
    assert calib.kept_at_current == 1.0
    assert calibrate("Operations", [], current=D("2.0")).sample == 0
    assert calibrate("Operations", [(D("10"), 15)] * MIN_HISTORY, current=D("2.0")).suggested == D("1.5")


def test_when_even_five_falls_short_five_is_suggested_and_it_says_so() -> None:
    calib = calibrate("Engineering", [(D("1"), 9)] * 12, current=D("2.0"))
    assert calib.suggested == D("5.0") and not calib.reaches_target and calib.kept_at_suggested == 0.0


def _brute_force(history: list[tuple[Decimal, int]], target: Decimal) -> Decimal:
    factor = D("1.0")
    while factor < D("5.0") and sum(would_keep(r, t, factor) for r, t in history) < target * len(history):
        factor += D("0.1")
    return factor


def test_the_suggestion_equals_trying_every_factor_from_one_to_five() -> None:
    rng = random.Random(11)
    for _ in range(300):
        history = [(D(rng.choice(["0.5", "1", "1.5", "2", "3", "7.5", "10"])), rng.randint(0, 40))
                   for _ in range(rng.randint(10, 60))]
        target = D(rng.choice(["0.5", "0.8", "0.9", "0.95", "1"]))
        calib = calibrate("Operations", history, current=D("2.0"), target=target)
        assert calib.suggested == _brute_force(history, target), (history, target)
        kept = sum(would_keep(r, t, calib.suggested) for r, t in history)
        assert calib.reaches_target == (kept >= target * len(history))
