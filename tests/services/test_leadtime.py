"""The quick lead-time answer behind ``salesdesk leadtime``."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from salesdesk.domain.calendar import WorkCalendar
from salesdesk.domain.errors import ValidationError
from salesdesk.services.leadtime import format_leadtime, parse_weekend, quick_leadtime

GB = WorkCalendar(country="GB")


def test_a_lead_time_over_christmas_lists_the_holidays_it_skipped() -> None:
    # 2.5 raw × 2.0 = 5 padded days from Fri 18 Dec 2026 → Tue 29 Dec (see test_calendar).
    result = quick_leadtime(
        Decimal("2.5"), global_factor=Decimal("2.0"), start=date(2026, 12, 18), calendar=GB
    )
    assert result == {
        "factor": 2.0,
        "factor_source": "default",
        "raw_days": 2.5,
        "padded_days": 5,
        "start": "2026-12-18",
        "due": "2026-12-29",
        "skipped": [
            {"date": "2026-12-25", "reason": "Christmas Day (public holiday)"},
            {"date": "2026-12-28", "reason": "Boxing Day (observed) (public holiday)"},
        ],
    }
    assert json.loads(json.dumps(result)) == result


def test_the_text_answer_names_factor_days_due_date_and_skipped_days() -> None:
    result = quick_leadtime("2.5", global_factor="2.0", start=date(2026, 12, 18), calendar=GB)
    assert format_leadtime(result) == "\n".join(
        [
            "Buffer factor: 2.0 (the team's default)",
            "Raw estimate:  2.5 working days",
            "Padded:        5 working days",
            "Start:         Fri 18 Dec 2026",
            "Due:           Tue 29 Dec 2026",
            "Skipped on the way:",
            "  Fri 25 Dec 2026: Christmas Day (public holiday)",
            "  Mon 28 Dec 2026: Boxing Day (observed) (public holiday)",
        ]
    )


def test_a_given_factor_beats_the_department_factor_which_beats_the_default() -> None:
    start, plain = date(2026, 6, 15), WorkCalendar()
    given = quick_leadtime(
        1, factor="3", department_factor="1.5", global_factor="2", start=start, calendar=plain
    )
    department = quick_leadtime(1, department_factor="1.5", global_factor="2", start=start, calendar=plain)
    default = quick_leadtime(1, global_factor="2", start=start, calendar=plain)
    assert [(r["factor"], r["factor_source"], r["padded_days"]) for r in (given, department, default)] == [
        (3.0, "given", 3),
        (1.5, "department", 2),
        (2.0, "default", 2),
    ]


def test_a_single_day_without_holidays_reads_in_the_singular() -> None:
    result = quick_leadtime("1", global_factor="1.0", start=date(2026, 6, 15), calendar=WorkCalendar())
    text = format_leadtime(result)
    assert "Raw estimate:  1 working day\n" in text
    assert "Padded:        1 working day\n" in text
    assert "Skipped" not in text


def test_a_friday_saturday_weekend_from_the_command_line() -> None:
    # Thu 11 Jun 2026, 1 × 1.0 with a Fri/Sat weekend → Sun 14 Jun.
    calendar = WorkCalendar(weekend=parse_weekend("fri,sat"))
    result = quick_leadtime(1, global_factor=1, start=date(2026, 6, 11), calendar=calendar)
    assert result["due"] == "2026-06-14"
    assert result["skipped"] == []  # weekends are not listed


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("fri,sat", {4, 5}),
        ("Sat, Sun", {5, 6}),
        ("friday saturday", {4, 5}),
        ("sun", {6}),
        ("none", set()),
        ("", set()),
    ],
)
def test_weekend_names_are_read(text: str, days: set[int]) -> None:
    assert parse_weekend(text) == frozenset(days)


def test_a_misspelled_weekend_day_is_refused_with_an_example() -> None:
    with pytest.raises(ValidationError, match="'fry' is not a day of the week") as caught:
        parse_weekend("fry,sat")
    assert "fri,sat" in caught.value.hint


def test_a_weekend_of_every_day_is_refused() -> None:
    with pytest.raises(ValidationError, match="no working days"):
        parse_weekend("mon,tue,wed,thu,fri,sat,sun")


@pytest.mark.parametrize(
    ("raw", "factor", "match"),
    [
        ("0", None, "working days"),
        ("1000", None, "working days"),
        ("2", "0.9", "less time than operations estimated"),
        ("2", "5.1", "more than SalesDesk allows"),
        ("two", None, "not a number"),
    ],
)
def test_bad_estimates_and_factors_are_refused(raw: str, factor: str | None, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        quick_leadtime(raw, factor=factor, global_factor="2", start=date(2026, 6, 15), calendar=GB)
