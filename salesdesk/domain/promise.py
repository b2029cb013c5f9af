"""Padding raw estimates: what a department thinks it needs, times the buffer factor.

All arithmetic is Decimal so that 1.1 × 3 is 3.3 and pads to 4 — never 3.3000000000000003.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from typing import Literal

from salesdesk.domain.errors import ValidationError

DEFAULT_FACTOR = Decimal("2.0")
MIN_FACTOR = Decimal("1.0")
MAX_FACTOR = Decimal("5.0")
MIN_RAW = Decimal("0.5")
MAX_RAW = Decimal("999")

Number = Decimal | int | float | str
FactorSource = Literal["deal", "department", "default"]


def to_decimal(value: Number, what: str) -> Decimal:
    """``value`` as a finite Decimal, or ValidationError naming ``what`` it was meant to be."""
    try:
        # str() first: Decimal(1.1) would carry the float's binary error into the promise.
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(f"'{value}' is not a number.", f"Enter the {what} as a number.") from None
    if not number.is_finite():
        raise ValidationError(f"'{value}' is not a usable {what}.", f"Enter the {what} as a plain number.")
    return number


def validate_factor(factor: Number) -> Decimal:
    """The buffer factor as a Decimal, refused outside 1.0–5.0."""
    value = to_decimal(factor, "buffer factor")
    if value < MIN_FACTOR:
        raise ValidationError(
            f"A buffer factor of {value} would promise less time than operations estimated.",
            f"Use a factor between {MIN_FACTOR} and {MAX_FACTOR} (the default is {DEFAULT_FACTOR}).",
            field="factor",
        )
    if value > MAX_FACTOR:
        raise ValidationError(
            f"A buffer factor of {value} is more than SalesDesk allows ({MAX_FACTOR}).",
            f"Use a factor between {MIN_FACTOR} and {MAX_FACTOR}; if the work is that uncertain, "
            "ask the department for a better estimate instead.",
            field="factor",
        )
    return value


def validate_raw_days(raw_days: Number) -> Decimal:
    """A department's raw estimate in working days, refused outside 0.5–999."""
    value = to_decimal(raw_days, "estimate in working days")
    if not MIN_RAW <= value <= MAX_RAW:
        raise ValidationError(
            f"An estimate of {value} working days is outside what SalesDesk accepts.",
            f"Enter between {MIN_RAW} and {MAX_RAW} working days (half days are fine).",
            field="raw_days",
        )
    return value


def pad_lead_time(raw_days: Number, factor: Number) -> int:
    """Padded working days: ceil(raw × factor), computed exactly."""
    padded = validate_raw_days(raw_days) * validate_factor(factor)
    return int(padded.to_integral_value(rounding=ROUND_CEILING))


@dataclass(frozen=True)
class FactorChoice:
    """The buffer factor used for an estimate, where it came from and why."""

    factor: Decimal
    source: FactorSource
    reason: str


def resolve_factor(
    deal_override: Number | None,
    override_reason: str | None,
    department_factor: Number | None,
    global_default: Number = DEFAULT_FACTOR,
) -> FactorChoice:
    """Pick the factor: the deal's override (with its reason), else the department's, else the default."""
    if deal_override is not None:
        reason = (override_reason or "").strip()
        if not reason:
            raise ValidationError(
                "A buffer factor set for this deal needs a reason.",
                "Say why this deal is padded differently, e.g. 'legacy equipment at the client'.",
                field="override_reason",
            )
        return FactorChoice(validate_factor(deal_override), "deal", reason)
    if department_factor is not None:
        return FactorChoice(validate_factor(department_factor), "department", "the department's factor")
    return FactorChoice(validate_factor(global_default), "default", "the team's default factor")
