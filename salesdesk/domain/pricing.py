"""Prices with a bumper: quote lines, and the contingency shown as its own line.

Money is Decimal and rounded half-up to cents, the way a customer checks a sum by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from salesdesk.domain.errors import ValidationError
from salesdesk.domain.promise import Number, to_decimal

CENT = Decimal("0.01")
DEFAULT_CONTINGENCY_PERCENT = Decimal("10")
MAX_CONTINGENCY_PERCENT = Decimal("50")
CONTINGENCY_LABEL = "Allowance for the unexpected"


def to_cents(amount: Decimal) -> Decimal:
    """``amount`` rounded half-up to whole cents."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def validate_contingency_percent(percent: Number) -> Decimal:
    """The contingency percentage, refused outside 0–50."""
    value = to_decimal(percent, "contingency percentage")
    if not Decimal(0) <= value <= MAX_CONTINGENCY_PERCENT:
        raise ValidationError(
            f"A contingency of {value} % is outside what SalesDesk allows.",
            f"Use between 0 and {MAX_CONTINGENCY_PERCENT} % (the usual is {DEFAULT_CONTINGENCY_PERCENT} %).",
            field="contingency_percent",
        )
    return value


def contingency_amount(price: Number, percent: Number) -> Decimal:
    """The allowance for the unexpected: ``percent`` % of ``price``, in cents."""
    amount = to_decimal(price, "price")
    if amount < 0:
        raise ValidationError(f"A price of {amount} is negative.", "Enter a price of zero or more.")
    return to_cents(amount * validate_contingency_percent(percent) / 100)


@dataclass(frozen=True)
class PriceLine:
    """One line of a quote: what, how many, at what unit price."""

    description: str
    quantity: Decimal
    unit_price: Decimal

    def __post_init__(self) -> None:
        if not self.description.strip():
            raise ValidationError("A price line needs a description.", "Say what is being sold.")
        quantity = to_decimal(self.quantity, "quantity")
        unit_price = to_decimal(self.unit_price, "unit price")
        if quantity < 0:
            raise ValidationError(
                f"The quantity of '{self.description}' is negative ({quantity}).",
                "Enter a quantity of zero or more.",
                field="quantity",
            )
        if unit_price < 0:
            raise ValidationError(
                f"The unit price of '{self.description}' is negative ({unit_price}).",
                "Enter a price of zero or more; give discounts as their own agreed term.",
                field="unit_price",
            )
        object.__setattr__(self, "quantity", quantity)
        object.__setattr__(self, "unit_price", unit_price)

    @property
    def line_total(self) -> Decimal:
        """Quantity × unit price, in cents."""
        return to_cents(self.quantity * self.unit_price)


@dataclass(frozen=True)
class PriceBreakdown:
    """A quote's totals: the lines' subtotal, the contingency line and what the customer pays."""

    subtotal: Decimal
    contingency: Decimal
    total: Decimal
    contingency_label: str = CONTINGENCY_LABEL
    contingency_percent: Decimal = DEFAULT_CONTINGENCY_PERCENT


def price_breakdown(
    lines: Iterable[PriceLine], percent: Number = DEFAULT_CONTINGENCY_PERCENT
) -> PriceBreakdown:
    """Subtotal of ``lines``, the contingency on it, and the total."""
    subtotal = sum((line.line_total for line in lines), Decimal("0.00"))
    contingency = contingency_amount(subtotal, percent)
    return PriceBreakdown(
        subtotal=subtotal,
        contingency=contingency,
        total=subtotal + contingency,
        contingency_percent=validate_contingency_percent(percent),
    )
