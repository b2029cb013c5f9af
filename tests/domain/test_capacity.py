"""Capacity check: would new work push a department over its week and bump another customer?"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from salesdesk.domain.calendar import WorkCalendar
from salesdesk.domain.capacity import BumpedDeal, Commitment, OverloadedWeek, check_capacity
from salesdesk.domain.errors import ValidationError

PLAIN = WorkCalendar()
GB = WorkCalendar(country="GB")
OPS_10 = {"Operations": Decimal("10")}


def ops(deal: str, customer: str, start: date, due: date, days: int) -> Commitment:
    return Commitment(deal, customer, "Operations", start, due, days)


# June 2026: Fri 5, Mon 8 – Fri 12, Mon 15 – Fri 19.
ACME = ops("D-101", "Acme", date(2026, 6, 5), date(2026, 6, 12), 6)  # 6 days over Mon 8–Fri 12
BETA = ops("D-102", "Beta", date(2026, 6, 12), date(2026, 6, 19), 4)  # 4 days over Mon 15–Fri 19
GAMMA = ops("D-103", "Gamma", date(2026, 6, 5), date(2026, 6, 19), 10)  # 1 a day for two weeks


def test_a_third_deal_that_overloads_a_week_names_the_deal_it_bumps() -> None:
    # Week of 8 Jun: Acme 6 + Gamma 5 = 11 > 10 → over, Acme bumped.
    # Week of 15 Jun: Beta 4 + Gamma 5 = 9 ≤ 10 → fine, Beta is not named.
    report = check_capacity([GAMMA], [ACME, BETA], OPS_10, PLAIN)
    assert report.overloaded_weeks == (
        OverloadedWeek(
            department="Operations",
            week_start=date(2026, 6, 8),
            capacity=Decimal("10.00"),
            committed_load=Decimal("6.00"),
            new_load=Decimal("5.00"),
            bumped=(BumpedDeal("Acme", "D-101"),),
        ),
    )
    assert report.is_over
    assert report.bumped == (BumpedDeal(customer="Acme", deal_ref="D-101"),)
    assert report.overloaded_weeks[0].excess == Decimal("1.00")


def test_without_the_new_deal_nothing_is_over() -> None:
    report = check_capacity([], [ACME, BETA], OPS_10, PLAIN)
    assert not report.is_over
    assert report.bumped == ()


def test_a_week_already_over_is_not_blamed_on_new_work_elsewhere() -> None:
    crowded = ops("D-104", "Delta", date(2026, 6, 12), date(2026, 6, 19), 12)  # 12 in week of 15 Jun
    early = ops("D-105", "Echo", date(2026, 6, 5), date(2026, 6, 12), 1)  # new work in week of 8 Jun only
    assert check_capacity([early], [crowded], OPS_10, PLAIN).overloaded_weeks == ()


def test_departments_without_a_capacity_setting_are_never_over() -> None:
    huge = Commitment("D-106", "Foxtrot", "Shipping", date(2026, 6, 5), date(2026, 6, 12), 500)
    assert not check_capacity([huge], [huge], OPS_10, PLAIN).is_over


def test_thirds_add_up_exactly_to_a_full_week() -> None:
    # Fri 5 Jun → Fri 26 Jun is 15 working days over three weeks. Committed 10 days → 10/3 a week;
    # new 20 days → 20/3 a week; together exactly 10 — full, not over (no rounding creep).
    committed = ops("D-107", "Golf", date(2026, 6, 5), date(2026, 6, 26), 10)
    new = ops("D-108", "Hotel", date(2026, 6, 5), date(2026, 6, 26), 20)
    assert not check_capacity([new], [committed], OPS_10, PLAIN).is_over
    assert check_capacity([new], [committed], {"Operations": Decimal("9.99")}, PLAIN).is_over


def test_holidays_carry_no_load() -> None:
    # GB, Fri 18 → Tue 29 Dec 2026, 5 days: working days Mon 21–Thu 24 and Tue 29 (25 and 28 are
    # holidays), so week of 21 Dec carries 4 and week of 28 Dec carries 1.
    new = ops("D-109", "India", date(2026, 12, 18), date(2026, 12, 29), 5)
    assert not check_capacity([new], [], {"Operations": Decimal("4")}, GB).is_over
    report = check_capacity([new], [], {"Operations": Decimal("3.5")}, GB)
    assert [(w.week_start, w.new_load) for w in report.overloaded_weeks] == [
        (date(2026, 12, 21), Decimal("4.00"))
    ]


def test_a_deal_with_several_commitments_in_a_week_is_named_once() -> None:
    first = ops("D-110", "Juliet", date(2026, 6, 5), date(2026, 6, 12), 4)
    second = ops("D-110", "Juliet", date(2026, 6, 7), date(2026, 6, 12), 4)
    report = check_capacity([GAMMA], [first, second], OPS_10, PLAIN)
    assert report.bumped == (BumpedDeal("Juliet", "D-110"),)
    assert report.overloaded_weeks[0].committed_load == Decimal("8.00")


def test_a_negative_capacity_is_refused() -> None:
    with pytest.raises(ValidationError, match="capacity"):
        check_capacity([GAMMA], [], {"Operations": Decimal("-1")}, PLAIN)


def test_a_commitment_due_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError, match="due before it starts"):
        ops("D-111", "Kilo", date(2026, 6, 12), date(2026, 6, 5), 3)
