"""Padding raw estimates with the buffer factor, and choosing that factor."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesdesk.domain.errors import ValidationError
from salesdesk.domain.promise import (
    DEFAULT_FACTOR,
    FactorChoice,
    pad_lead_time,
    resolve_factor,
    validate_factor,
    validate_raw_days,
)


@pytest.mark.parametrize(
    ("raw", "factor", "padded"),
    [
        ("0.5", "2.0", 1),  # 1.0 exactly
        ("1.3", "1.5", 2),  # 1.95 → 2
        ("2.1", "2", 5),  # 4.2 → 5
        ("1.1", "3", 4),  # 3.3 → 4 (computed exactly, not as 3.3000000000000003)
        ("2.5", "2.0", 5),  # 5.0 exactly: no rounding up to 6
        ("3", "1.0", 3),  # factor 1 promises the raw estimate itself
        ("999", "5.0", 4995),  # the largest padding allowed
        ("0.5", "1.0", 1),  # half a day still takes a whole working day
    ],
)
def test_padding_is_raw_times_factor_rounded_up(raw: str, factor: str, padded: int) -> None:
    assert pad_lead_time(Decimal(raw), Decimal(factor)) == padded


def test_padding_is_exact_where_float_arithmetic_would_add_a_day() -> None:
    # 50 × 1.1 in floats is 55.00000000000001, whose ceiling would promise 56 days.
    assert pad_lead_time(Decimal("50"), Decimal("1.1")) == 55
    # Floats handed in (say from a spin box) are read by their shortest text, "1.1", not 1.100000000000000088….
    assert pad_lead_time(50.0, 1.1) == 55
    # 0.7 × 3 in floats is 2.0999999999999996; exact it is 2.1 → 3.
    assert pad_lead_time(0.7, 3) == 3


@pytest.mark.parametrize("factor", ["0.9", "5.1", "0", "-2"])
def test_factors_outside_one_to_five_are_refused(factor: str) -> None:
    with pytest.raises(ValidationError):
        validate_factor(Decimal(factor))


def test_a_factor_below_one_explains_it_would_promise_less_than_estimated() -> None:
    with pytest.raises(ValidationError, match="less time than operations estimated"):
        validate_factor(Decimal("0.9"))


def test_factors_at_the_limits_are_accepted() -> None:
    assert validate_factor("1.0") == Decimal("1.0")
    assert validate_factor(5) == Decimal("5")


@pytest.mark.parametrize("raw", ["0", "0.4", "1000", "-1"])
def test_raw_estimates_outside_half_a_day_to_999_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError, match="working days"):
        validate_raw_days(Decimal(raw))


@pytest.mark.parametrize("bad", ["soon", "", "NaN", "Infinity"])
def test_text_that_is_not_a_number_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        validate_raw_days(bad)
    with pytest.raises(ValidationError):
        validate_factor(bad)


def test_a_deal_override_wins_and_keeps_its_reason() -> None:
    choice = resolve_factor(Decimal("3"), "  legacy equipment at the client ", Decimal("1.5"), DEFAULT_FACTOR)
    assert choice == FactorChoice(Decimal("3"), "deal", "legacy equipment at the client")


def test_a_deal_override_without_a_reason_is_refused() -> None:
    with pytest.raises(ValidationError, match="needs a reason"):
        resolve_factor(Decimal("3"), "   ", Decimal("1.5"), DEFAULT_FACTOR)
    with pytest.raises(ValidationError, match="needs a reason"):
        resolve_factor(Decimal("3"), None, None, DEFAULT_FACTOR)


def test_the_department_factor_is_used_without_an_override() -> None:
    choice = resolve_factor(None, None, Decimal("1.5"), DEFAULT_FACTOR)
    assert (choice.factor, choice.source) == (Decimal("1.5"), "department")


def test_the_global_default_is_used_last() -> None:
    choice = resolve_factor(None, "ignored without an override", None, DEFAULT_FACTOR)
    assert (choice.factor, choice.source) == (Decimal("2.0"), "default")


def test_an_out_of_range_override_is_refused_even_with_a_reason() -> None:
    with pytest.raises(ValidationError):
        resolve_factor(Decimal("0.9"), "customer insists", None, DEFAULT_FACTOR)


RAW = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("999"), places=2)
FACTOR = st.decimals(min_value=Decimal("1.0"), max_value=Decimal("5.0"), places=2)


@given(raw=RAW, factor=FACTOR)
def test_padded_is_never_less_than_raw(raw: Decimal, factor: Decimal) -> None:
    padded = pad_lead_time(raw, factor)
    assert padded >= raw
    assert padded - 1 < raw * factor <= padded  # the smallest whole day covering raw × factor


@given(raw=RAW, low=FACTOR, high=FACTOR)
def test_a_larger_factor_never_pads_less(raw: Decimal, low: Decimal, high: Decimal) -> None:
    low, high = min(low, high), max(low, high)
    assert pad_lead_time(raw, low) <= pad_lead_time(raw, high)
