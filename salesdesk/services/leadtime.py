"""A quick lead-time answer for one raw estimate: the padded days, the due date and why.

Needs neither the store nor Qt, so the command line (``salesdesk leadtime``) can answer at once.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from salesdesk.domain.calendar import DAY_NAMES, WorkCalendar
from salesdesk.domain.errors import ValidationError
from salesdesk.domain.promise import DEFAULT_FACTOR, Number, pad_lead_time, validate_factor, validate_raw_days

_DAY_NUMBERS = {name.lower(): number for number, name in enumerate(DAY_NAMES)} | {
    name[:3].lower(): number for number, name in enumerate(DAY_NAMES)
}


def parse_weekend(text: str) -> frozenset[int]:
    """Weekend days from names such as ``"sat,sun"`` or ``"Friday Saturday"``; ``""`` or ``"none"`` for none."""
    names = [name for name in re.split(r"[\s,;]+", text.strip().lower()) if name]
    if names == ["none"]:
        return frozenset()
    days: set[int] = set()
    for name in names:
        if name not in _DAY_NUMBERS:
            raise ValidationError(
                f"'{name}' is not a day of the week.",
                "Name the weekend days like this: sat,sun or fri,sat.",
                field="weekend",
            )
        days.add(_DAY_NUMBERS[name])
    if len(days) == 7:
        raise ValidationError(
            "A weekend of all seven days leaves no working days.",
            "Leave at least one weekday out of the weekend.",
            field="weekend",
        )
    return frozenset(days)


def quick_leadtime(
    raw_days: Number,
    *,
    factor: Number | None = None,
    department_factor: Number | None = None,
    global_factor: Number = DEFAULT_FACTOR,
    start: date,
    calendar: WorkCalendar,
) -> dict[str, Any]:
    """Pad ``raw_days`` and count the due date from ``start``; a JSON-able answer.

    The factor is the one ``given`` here, else the ``department``'s, else the ``default``.
    """
    if factor is not None:
        used, source = validate_factor(factor), "given"
    elif department_factor is not None:
        used, source = validate_factor(department_factor), "department"
    else:
        used, source = validate_factor(global_factor), "default"
    raw = validate_raw_days(raw_days)
    padded = pad_lead_time(raw, used)
    due = calendar.add_working_days(start, padded)
    return {
        "factor": float(used),
        "factor_source": source,
        "raw_days": float(raw),
        "padded_days": padded,
        "start": start.isoformat(),
        "due": due.isoformat(),
        "skipped": [{"date": d.isoformat(), "reason": why} for d, why in calendar.skipped_days(start, due)],
    }


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(iso: str) -> str:
    # Spelled out by hand: strftime's %a/%b follow the process locale, which the app may change.
    d = date.fromisoformat(iso)
    return f"{DAY_NAMES[d.weekday()][:3]} {d.day} {_MONTHS[d.month - 1]} {d.year}"


def _plural(count: float, word: str) -> str:
    return f"{count:g} {word}" if count == 1 else f"{count:g} {word}s"


def format_leadtime(result: dict[str, Any]) -> str:
    """The answer of :func:`quick_leadtime` as a few lines a rep can read out."""
    source = {"given": "given", "department": "the department's", "default": "the team's default"}
    lines = [
        f"Buffer factor: {result['factor']} ({source.get(result['factor_source'], result['factor_source'])})",
        f"Raw estimate:  {_plural(result['raw_days'], 'working day')}",
        f"Padded:        {_plural(result['padded_days'], 'working day')}",
        f"Start:         {_day(result['start'])}",
        f"Due:           {_day(result['due'])}",
    ]
    if result["skipped"]:
        lines.append("Skipped on the way:")
        lines.extend(f"  {_day(day['date'])}: {day['reason']}" for day in result["skipped"])
    return "\n".join(lines)
