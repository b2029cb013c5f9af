"""Checks every service applies before anything is saved. Messages say what and what to do."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from salesdesk.domain.errors import ValidationError

#: Longest free text SalesDesk accepts in one field (a long page of notes).
MAX_TEXT = 20_000
MAX_NAME = 200
MAX_TITLE = 300
MAX_MONEY = Decimal("1000000000000")  # one trillion


def text(value: str | None, label: str, *, required: bool = False, limit: int = MAX_TEXT, field: str = "") -> str:
    """Clean a free-text field (any Unicode), refusing it when empty (if required) or too long."""
    value = (value or "").replace("\x00", "")
    if required and not value.strip():
        raise ValidationError(f"{label} is empty.", f"Enter {label.lower()}.", field=field or None)
    if len(value) > limit:
        raise ValidationError(
            f"{label} is too long ({len(value):,} characters).",
            f"Keep it under {limit:,} characters; attach longer documents to the deal instead.",
            field=field or None,
        )
    return value.strip() if limit <= MAX_TITLE else value


def name(value: str | None, label: str, *, required: bool = True, field: str = "") -> str:
    return text(value, label, required=required, limit=MAX_NAME, field=field)


def decimal(
    value: object,
    label: str,
    *,
    minimum: Decimal | None = Decimal("0"),
    maximum: Decimal | None = MAX_MONEY,
    field: str = "",
) -> Decimal:
    """A number as an exact Decimal, within bounds."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{label} '{value}' is not a number.", "Enter digits, e.g. 12.50.", field=field or None) from None
    if not number.is_finite():
        raise ValidationError(f"{label} must be a finite number.", "Enter digits, e.g. 12.50.", field=field or None)
    if minimum is not None and number < minimum:
        raise ValidationError(
            f"{label} cannot be below {minimum} (it is {number}).", f"Enter {minimum} or more.", field=field or None
        )
    if maximum is not None and number > maximum:
        raise ValidationError(
            f"{label} is too large ({number}).", f"Enter at most {maximum:,}.", field=field or None
        )
    return number


#: Dates SalesDesk plans with; anything outside is a typing slip (and too far for the holiday tables).
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2199, 12, 31)


def date_in_range(value: date | None, label: str, field: str = "") -> None:
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            f"{label} ({value.isoformat()}) is outside the dates SalesDesk plans with.",
            f"Check the year: use a date between {EARLIEST_DATE.year} and {LATEST_DATE.year}.",
            field=field or None,
        )


def date_order(earlier: date | None, later: date | None, earlier_label: str, later_label: str, field: str = "") -> None:
    if earlier and later and later < earlier:
        raise ValidationError(
            f"{later_label} ({later.isoformat()}) is before {earlier_label} ({earlier.isoformat()}).",
            f"Choose a {later_label.lower()} on or after the {earlier_label.lower()}.",
            field=field or None,
        )


def parse_date(value: str | date | None, label: str, field: str = "") -> date | None:
    if value is None or isinstance(value, date):
        return value
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            f"{label} '{value}' is not a date.", "Write it as YYYY-MM-DD, e.g. 2026-12-01.", field=field or None
        ) from None
