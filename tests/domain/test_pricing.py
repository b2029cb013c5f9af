"""Quote lines and the contingency shown as its own line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from salesdesk.domain.errors import ValidationError
from salesdesk.domain.pricing import PriceBreakdown, PriceLine, contingency_amount, price_breakdown


def test_ten_percent_of_a_round_price() -> None:
    assert contingency_amount(Decimal("1000"), Decimal("10")) == Decimal("100.00")


def test_contingency_rounds_half_a_cent_up() -> None:
    # 10 % of 123.45 is 12.345: a customer checking by hand expects 12.35 (banker's rounding gives 12.34).
    assert contingency_amount(Decimal("123.45"), Decimal("10")) == Decimal("12.35")


def test_contingency_limits() -> None:
    assert contingency_amount(Decimal("80"), Decimal("0")) == Decimal("0.00")
    assert contingency_amount(Decimal("80"), Decimal("50")) == Decimal("40.00")


@pytest.mark.parametrize("percent", ["51", "50.01", "-1"])
def test_contingency_outside_zero_to_fifty_percent_is_refused(percent: str) -> None:
    with pytest.raises(ValidationError, match="contingency"):
        contingency_amount(Decimal("1000"), Decimal(percent))


def test_a_line_total_is_quantity_times_unit_price_in_cents() -> None:
    assert PriceLine("Panels", Decimal("3"), Decimal("19.99")).line_total == Decimal("59.97")
    # 2.5 × 3.333 = 8.3325 → 8.33; 0.5 × 0.01 = 0.005 → 0.01 (half up).
    assert PriceLine("Cable (m)", Decimal("2.5"), Decimal("3.333")).line_total == Decimal("8.33")
    assert PriceLine("Washer", Decimal("0.5"), Decimal("0.01")).line_total == Decimal("0.01")


def test_a_breakdown_shows_the_contingency_as_its_own_line() -> None:
    lines = [
        PriceLine("Panels", Decimal("3"), Decimal("19.99")),  # 59.97
        PriceLine("Installation", Decimal("1"), Decimal("250")),  # 250.00
    ]
    # Subtotal 309.97; 10 % = 30.997 → 31.00; total 340.97.
    assert price_breakdown(lines, Decimal("10")) == PriceBreakdown(
        subtotal=Decimal("309.97"),
        contingency=Decimal("31.00"),
        total=Decimal("340.97"),
        contingency_label="Allowance for the unexpected",
        contingency_percent=Decimal("10"),
    )


def test_the_default_contingency_is_ten_percent() -> None:
    breakdown = price_breakdown([PriceLine("Service", Decimal("1"), Decimal("500"))])
    assert (breakdown.contingency, breakdown.total) == (Decimal("50.00"), Decimal("550.00"))


def test_a_quote_without_lines_costs_nothing() -> None:
    breakdown = price_breakdown([], Decimal("10"))
    assert (breakdown.subtotal, breakdown.contingency, breakdown.total) == (
        Decimal(0),
        Decimal(0),
        Decimal(0),
    )


def test_a_breakdown_refuses_a_contingency_over_fifty_percent() -> None:
    with pytest.raises(ValidationError):
        price_breakdown([PriceLine("Service", Decimal("1"), Decimal("500"))], Decimal("51"))


def test_negative_quantities_and_prices_are_refused() -> None:
    with pytest.raises(ValidationError, match="quantity of 'Panels' is negative"):
        PriceLine("Panels", Decimal("-1"), Decimal("10"))
    with pytest.raises(ValidationError, match="unit price of 'Panels' is negative"):
        PriceLine("Panels", Decimal("1"), Decimal("-10"))
    with pytest.raises(ValidationError):
        contingency_amount(Decimal("-5"), Decimal("10"))


def test_a_price_line_needs_a_description() -> None:
    with pytest.raises(ValidationError, match="description"):
        PriceLine("  ", Decimal("1"), Decimal("10"))
