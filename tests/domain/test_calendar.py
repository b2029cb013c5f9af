"""The working-day calendar, checked against real calendars worked out by hand.

Every date below was reasoned out day by day (comments show the count) and matches what the
``holidays`` package says for that country and year.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesdesk.domain import calendar as calendar_module
from salesdesk.domain.calendar import Closure, WorkCalendar, public_holidays
from salesdesk.domain.errors import ValidationError

GB = WorkCalendar(country="GB")
PLAIN = WorkCalendar()  # Saturday/Sunday weekend, no public holidays


# --- across Christmas and New Year (GB) -------------------------------------------------------


def test_gb_christmas_2026_skips_christmas_and_boxing_day_observed() -> None:
    # Fri 18 Dec 2026, 5 padded days:
    #   Mon 21 (1), Tue 22 (2), Wed 23 (3), Thu 24 (4),
    #   Fri 25 Christmas Day — skipped, Sat 26 Boxing Day falls on the weekend, Sun 27 weekend,
    #   Mon 28 Boxing Day (observed, the substitute day) — skipped, Tue 29 (5).
    start = date(2026, 12, 18)
    assert GB.add_working_days(start, 5) == date(2026, 12, 29)
    # The 26th is a weekend day anyway, so it cost nothing and is not listed.
    assert GB.skipped_days(start, date(2026, 12, 29)) == [
        (date(2026, 12, 25), "Christmas Day (public holiday)"),
        (date(2026, 12, 28), "Boxing Day (observed) (public holiday)"),
    ]


def test_gb_christmas_2027_on_a_weekend_moves_both_holidays_to_monday_and_tuesday() -> None:
    # Christmas 2027 is a Saturday, Boxing Day a Sunday: both are observed Mon 27 and Tue 28.
    # Fri 24 Dec 2027 + 1 working day: 25–28 are all off, Wed 29 (1).
    assert GB.add_working_days(date(2027, 12, 24), 1) == date(2027, 12, 29)
    assert [d for d, _ in GB.skipped_days(date(2027, 12, 24), date(2027, 12, 29))] == [
        date(2027, 12, 27),
        date(2027, 12, 28),
    ]


def test_counting_across_the_year_end_skips_new_years_day() -> None:
    # Wed 30 Dec 2026 + 3: Thu 31 (1), Fri 1 Jan New Year's Day — skipped, weekend, Mon 4 (2), Tue 5 (3).
    assert GB.add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 5)
    assert GB.non_working_reason(date(2027, 1, 1)) == "New Year's Day (public holiday)"


def test_without_a_country_christmas_is_a_working_day() -> None:
    # Same start as the GB case: Mon 21 … Fri 25 (5).
    assert PLAIN.add_working_days(date(2026, 12, 18), 5) == date(2026, 12, 25)


# --- the start day is only an anchor ----------------------------------------------------------


def test_a_start_on_a_public_holiday_is_just_the_anchor() -> None:
    # Start on Christmas Day 2026 (Fri): weekend, Mon 28 substitute holiday, Tue 29 (1).
    assert GB.add_working_days(date(2026, 12, 25), 1) == date(2026, 12, 29)


def test_a_start_on_a_weekend_is_just_the_anchor() -> None:
    # Sat 13 Jun 2026: Sun off, Mon 15 (1).
    assert PLAIN.add_working_days(date(2026, 6, 13), 1) == date(2026, 6, 15)


def test_the_start_day_itself_is_never_counted() -> None:
    # Mon 15 Jun 2026 + 1 is Tue 16, not Mon 15.
    assert PLAIN.add_working_days(date(2026, 6, 15), 1) == date(2026, 6, 16)


def test_counting_zero_days_is_refused() -> None:
    with pytest.raises(ValidationError):
        PLAIN.add_working_days(date(2026, 6, 15), 0)


def test_counting_past_the_end_of_the_calendar_is_a_clear_error() -> None:
    with pytest.raises(ValidationError, match="beyond the calendar"):
        PLAIN.add_working_days(date(9999, 12, 20), 30)


# --- other weekends ---------------------------------------------------------------------------


def test_friday_saturday_weekend_without_a_country() -> None:
    # Thu 11 Jun 2026 + 1 with a Fri/Sat weekend: Fri, Sat off, Sun 14 (1).
    fri_sat = WorkCalendar(weekend=frozenset({4, 5}))
    assert fri_sat.add_working_days(date(2026, 6, 11), 1) == date(2026, 6, 14)
    assert fri_sat.is_working_day(date(2026, 6, 14))  # a Sunday
    assert fri_sat.non_working_reason(date(2026, 6, 12)) == "Friday (weekend)"


def test_israel_friday_saturday_weekend_and_pesach() -> None:
    # Pesach 2026 begins Thu 2 Apr. Wed 1 Apr + 2: Thu 2 Pesach — skipped, Fri 3 and Sat 4 weekend,
    # Sun 5 (1), Mon 6 (2).
    israel = WorkCalendar(weekend=frozenset({4, 5}), country="IL")
    assert israel.add_working_days(date(2026, 4, 1), 2) == date(2026, 4, 6)
    assert israel.skipped_days(date(2026, 4, 1), date(2026, 4, 6)) == [
        (date(2026, 4, 2), "Pesach (public holiday)")
    ]


def test_uae_national_day_is_named_in_english() -> None:
    # The package's default language for AE is Arabic; a rep's letter wants English names.
    assert WorkCalendar(country="AE").non_working_reason(date(2026, 12, 2)) == "National Day (public holiday)"


# --- regions ----------------------------------------------------------------------------------


def test_epiphany_is_a_holiday_in_bavaria_but_not_in_berlin() -> None:
    # Tue 5 Jan 2027 + 1: in Bavaria Wed 6 is Epiphany, so Thu 7; in Berlin Wed 6 counts.
    bavaria = WorkCalendar(country="DE", subdivision="BY")
    berlin = WorkCalendar(country="DE", subdivision="BE")
    assert bavaria.add_working_days(date(2027, 1, 5), 1) == date(2027, 1, 7)
    assert berlin.add_working_days(date(2027, 1, 5), 1) == date(2027, 1, 6)
    assert bavaria.non_working_reason(date(2027, 1, 6)) == "Epiphany (public holiday)"


def test_womens_day_is_a_holiday_in_berlin_but_not_in_bavaria() -> None:
    # Mon 8 Mar 2027 is International Women's Day, a holiday in Berlin only. Fri 5 Mar + 1:
    bavaria = WorkCalendar(country="DE", subdivision="BY")
    berlin = WorkCalendar(country="DE", subdivision="BE")
    assert berlin.add_working_days(date(2027, 3, 5), 1) == date(2027, 3, 9)
    assert bavaria.add_working_days(date(2027, 3, 5), 1) == date(2027, 3, 8)


def test_cesar_chavez_day_is_a_holiday_in_california_only() -> None:
    # Wed 31 Mar 2027. Tue 30 Mar + 1: California Thu 1 Apr; the US as a whole Wed 31 Mar.
    assert WorkCalendar(country="US", subdivision="CA").add_working_days(date(2027, 3, 30), 1) == date(
        2027, 4, 1
    )
    assert WorkCalendar(country="US").add_working_days(date(2027, 3, 30), 1) == date(2027, 3, 31)


def test_codes_are_accepted_in_any_case() -> None:
    assert WorkCalendar(country="us", subdivision="ca") == WorkCalendar(country="US", subdivision="CA")


# --- company closures -------------------------------------------------------------------------


def test_a_closure_range_is_skipped_and_named() -> None:
    # Stocktake closes the company Mon 6 – Fri 10 Jul 2026. Fri 3 Jul + 2: the weekend, the whole
    # closure week, the next weekend, Mon 13 (1), Tue 14 (2).
    stocktake = WorkCalendar(closures=(Closure(date(2026, 7, 6), date(2026, 7, 10), "stocktake"),))
    assert stocktake.add_working_days(date(2026, 7, 3), 2) == date(2026, 7, 14)
    skipped = stocktake.skipped_days(date(2026, 7, 3), date(2026, 7, 14))
    assert [d.day for d, _ in skipped] == [6, 7, 8, 9, 10]
    assert {reason for _, reason in skipped} == {"Company closure: stocktake"}


def test_a_single_closure_day_on_top_of_public_holidays() -> None:
    # GB with the company also closed Thu 24 Dec 2026. Fri 18 + 5: Mon 21–Wed 23 (3), 24 closed,
    # 25 Christmas, weekend, 28 substitute Boxing Day, Tue 29 (4), Wed 30 (5).
    closed = WorkCalendar(country="GB", closures=(Closure.day(date(2026, 12, 24), "Christmas Eve"),))
    assert closed.add_working_days(date(2026, 12, 18), 5) == date(2026, 12, 30)
    assert closed.non_working_reason(date(2026, 12, 24)) == "Company closure: Christmas Eve"


def test_a_closure_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError, match="ends"):
        Closure(date(2026, 7, 10), date(2026, 7, 6), "stocktake")


def test_a_closure_needs_a_reason() -> None:
    with pytest.raises(ValidationError, match="reason"):
        Closure.day(date(2026, 7, 6), "  ")


# --- counting between dates -------------------------------------------------------------------


def test_working_days_between_counts_the_end_but_not_the_start() -> None:
    # (Fri 18 Dec 2026, Tue 29 Dec 2026]: 21, 22, 23, 24, 29 → 5 in GB.
    assert GB.working_days_between(date(2026, 12, 18), date(2026, 12, 29)) == 5
    assert GB.working_days_between(date(2026, 12, 29), date(2026, 12, 18)) == -5
    assert GB.working_days_between(date(2026, 12, 18), date(2026, 12, 18)) == 0


def test_reasons_for_ordinary_days() -> None:
    assert PLAIN.non_working_reason(date(2026, 6, 13)) == "Saturday (weekend)"
    assert PLAIN.non_working_reason(date(2026, 6, 15)) is None


# --- configuration errors ---------------------------------------------------------------------


def test_an_unknown_country_is_refused_with_a_hint() -> None:
    with pytest.raises(ValidationError) as caught:
        WorkCalendar(country="XX")
    assert str(caught.value) == (
        "'XX' is not a country code SalesDesk knows. Use a two-letter ISO code such as GB, US, DE."
    )


def test_an_unknown_region_is_refused_and_the_known_ones_listed() -> None:
    with pytest.raises(ValidationError, match="'ZZ' is not a region of DE") as caught:
        WorkCalendar(country="DE", subdivision="ZZ")
    assert "BY" in caught.value.hint


def test_a_region_without_a_country_is_refused() -> None:
    with pytest.raises(ValidationError, match="needs a country"):
        WorkCalendar(subdivision="BY")


def test_a_seven_day_weekend_is_refused() -> None:
    with pytest.raises(ValidationError, match="no working days"):
        WorkCalendar(weekend=frozenset(range(7)))


def test_weekend_numbers_outside_the_week_are_refused() -> None:
    with pytest.raises(ValidationError):
        WorkCalendar(weekend=frozenset({7}))


def test_a_calendar_is_hashable_and_compares_by_its_settings() -> None:
    closure = Closure.day(date(2026, 7, 6), "stocktake")
    a = WorkCalendar(weekend=frozenset({5, 6}), country="GB", closures=(closure,))
    b = WorkCalendar(weekend=frozenset({6, 5}), country="gb", closures=(closure,))
    assert a == b
    assert len({a, b}) == 1


# --- holidays are computed once per country, region and year ----------------------------------


def test_ten_years_of_holidays_are_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[object] = []
    real = holidays.country_holidays

    def counting(*args: object, **kwargs: object) -> holidays.HolidayBase:
        built.append(kwargs.get("years"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(holidays, "country_holidays", counting)
    public_holidays.cache_clear()
    calendar_module._holiday_language.cache_clear()
    calendar = WorkCalendar(country="FR")
    first, last = date(2030, 1, 1), date(2039, 12, 31)
    calendar.working_days_between(first, last)
    calendar.working_days_between(first, last)
    WorkCalendar(country="FR").working_days_between(first, last)  # another calendar, same country
    assert sorted(y for y in built if isinstance(y, int)) == list(range(2030, 2040))


# --- properties -------------------------------------------------------------------------------

CALENDARS = st.sampled_from(
    [
        GB,
        PLAIN,
        WorkCalendar(weekend=frozenset({4, 5}), country="IL"),
        WorkCalendar(country="DE", subdivision="BY"),
        WorkCalendar(
            country="US",
            subdivision="CA",
            closures=(Closure(date(2027, 12, 20), date(2028, 1, 7), "winter shutdown"),),
        ),
    ]
)
DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2032, 12, 31))


@given(calendar=CALENDARS, start=DAYS, n=st.integers(min_value=1, max_value=60))
def test_a_due_date_is_always_a_working_day(calendar: WorkCalendar, start: date, n: int) -> None:
    due = calendar.add_working_days(start, n)
    assert calendar.is_working_day(due)
    assert calendar.non_working_reason(due) is None
    assert calendar.working_days_between(start, due) == n


@given(calendar=CALENDARS, start=DAYS, n=st.integers(min_value=1, max_value=60))
def test_skipped_days_are_exactly_the_weekday_holidays_and_closures(
    calendar: WorkCalendar, start: date, n: int
) -> None:
    due = calendar.add_working_days(start, n)
    skipped = [d for d, _ in calendar.skipped_days(start, due)]
    between = [start + timedelta(days=i) for i in range(1, (due - start).days)]
    expected = [d for d in between if not calendar.is_working_day(d) and d.weekday() not in calendar.weekend]
    assert skipped == expected


@given(calendar=CALENDARS, start=DAYS, n=st.integers(min_value=1, max_value=800),
       back=st.integers(min_value=-400, max_value=400))
def test_counting_working_days_agrees_with_walking_day_by_day(
    calendar: WorkCalendar, start: date, n: int, back: int
) -> None:
    """Counting is done by bisecting each year's working days; it must match the plain walk,
    across year ends, closures and holidays."""
    d, left = start, n
    while left:
        d += timedelta(days=1)
        left -= calendar.is_working_day(d)
    assert calendar.add_working_days(start, n) == d
    other = start + timedelta(days=back)
    lo, hi = min(start, other), max(start, other)
    walked = sum(calendar.is_working_day(lo + timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
    assert calendar.working_days_between(start, other) == (walked if other >= start else -walked)
