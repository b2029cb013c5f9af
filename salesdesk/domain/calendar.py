"""The working-day calendar: which days the team works, and why the others are off.

A promise counts working days, so this module decides what a working day is: not a weekend
day, not a public holiday of the configured country/region, not a company closure day.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import MAXYEAR, date, timedelta
from functools import cache, lru_cache
from types import MappingProxyType

import holidays

from salesdesk.domain.errors import ValidationError

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_WEEKEND = frozenset({5, 6})

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Closure:
    """Days the company itself is closed, ``start`` to ``end`` inclusive, with the reason."""

    start: date
    end: date
    reason: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(
                f"The closure '{self.reason}' ends ({self.end.isoformat()}) before it starts "
                f"({self.start.isoformat()}).",
                "Swap the two dates.",
            )
        if not self.reason.strip():
            raise ValidationError(
                "A company closure needs a reason.", "Say why the company is closed, e.g. 'stocktake'."
            )

    @classmethod
    def day(cls, day: date, reason: str) -> Closure:
        """A closure of one single day."""
        return cls(day, day, reason)

    def days(self) -> Iterable[date]:
        """Every day of the closure, in order."""
        d = self.start
        while d <= self.end:
            yield d
            d += _ONE_DAY


@cache
def _holiday_language(country: str) -> str | None:
    # Some countries name their holidays in the local language by default; a rep reading an
    # English letter wants "Epiphany", not "Heilige Drei Könige".
    probe = holidays.country_holidays(country, years=[])
    default = probe.default_language
    if default is None or default.startswith("en"):
        return default
    if "en_US" in probe.supported_languages:
        return "en_US"
    return default


# Bounded, so a long-running app that browses many years cannot grow it without end; 512
# country-region-years is far more than one team's calendar ever needs.
@lru_cache(maxsize=512)
def public_holidays(country: str, subdivision: str | None, year: int) -> Mapping[date, str]:
    """The public holidays of one country/region in one year, date → name.

    Cached for the life of the process: the ``holidays`` package builds a year's list by
    running rules, and a schedule asks about the same few years thousands of times.
    """
    found = holidays.country_holidays(
        country, subdiv=subdivision, years=year, language=_holiday_language(country)
    )
    # A frozen copy: the package's own object grows new years on lookup, and the cache is shared.
    return MappingProxyType({d: name for d, name in found.items() if d.year == year})


@cache
def _canonical_region(country: str, subdivision: str | None) -> tuple[str, str | None]:
    """The country and region codes as the ``holidays`` package spells them, or ValidationError."""
    known = holidays.list_supported_countries()
    code = country.strip().upper()
    if code not in known:
        raise ValidationError(
            f"'{country}' is not a country code SalesDesk knows.",
            "Use a two-letter ISO code such as GB, US, DE.",
            field="country",
        )
    if subdivision is None or not subdivision.strip():
        return code, None
    # Regions are mostly upper-case ISO codes, but a few are names ("Augsburg"): match ignoring case.
    wanted = subdivision.strip().casefold()
    for region in known[code]:
        if region.casefold() == wanted:
            return code, region
    regions = ", ".join(known[code]) or "none — leave the region empty"
    raise ValidationError(
        f"'{subdivision}' is not a region of {code} that SalesDesk knows.",
        f"Use one of: {regions}.",
        field="subdivision",
    )


@dataclass(frozen=True)
class WorkCalendar:
    """Which days count as working days: weekend, public holidays and company closures.

    ``weekend`` holds weekday numbers (Monday = 0). ``country`` None means no public holidays.
    Immutable and hashable, so it can be shared and used as a cache key.
    """

    weekend: frozenset[int] = DEFAULT_WEEKEND
    country: str | None = None
    subdivision: str | None = None
    closures: tuple[Closure, ...] = ()
    _closed: Mapping[date, str] = field(init=False, repr=False, compare=False, hash=False)
    # year -> its days off (weekends, holidays, closures), filled on first use: counting working
    # days is then one set lookup a day.
    _days_off: dict[int, frozenset[date]] = field(init=False, repr=False, compare=False, hash=False)
    _working: dict[int, list[int]] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        # Accept any iterable from callers but store hashable, normalised values.
        weekend = frozenset(self.weekend)
        if any(not isinstance(d, int) or not 0 <= d <= 6 for d in weekend):
            raise ValidationError(
                "Weekend days must be weekday numbers from 0 (Monday) to 6 (Sunday).", field="weekend"
            )
        if len(weekend) == 7:
            raise ValidationError(
                "A week with no working days cannot hold a promise.",
                "Leave at least one weekday out of the weekend.",
                field="weekend",
            )
        country: str | None = None
        subdivision: str | None = None
        if self.country is not None and self.country.strip():
            country, subdivision = _canonical_region(self.country, self.subdivision)
        elif self.subdivision is not None and self.subdivision.strip():
            raise ValidationError(
                f"The region '{self.subdivision}' needs a country.",
                "Choose the country first.",
                field="country",
            )
        closures = tuple(self.closures)
        closed: dict[date, str] = {}
        for closure in closures:
            for d in closure.days():
                closed.setdefault(d, closure.reason)
        object.__setattr__(self, "weekend", weekend)
        object.__setattr__(self, "country", country)
        object.__setattr__(self, "subdivision", subdivision)
        object.__setattr__(self, "closures", closures)
        object.__setattr__(self, "_closed", MappingProxyType(closed))
        object.__setattr__(self, "_days_off", {})
        object.__setattr__(self, "_working", {})

    def _holiday(self, d: date) -> str | None:
        if self.country is None:
            return None
        return public_holidays(self.country, self.subdivision, d.year).get(d)

    def is_working_day(self, d: date) -> bool:
        """True when the team works on ``d``."""
        off = self._days_off.get(d.year)
        if off is None:
            off = self._year_off(d.year)
        return d not in off

    def _year_off(self, year: int) -> frozenset[date]:
        first = date(year, 1, 1)
        days = (first + timedelta(days=i) for i in range((date(year, 12, 31) - first).days + 1))
        off = frozenset(
            d for d in days if d.weekday() in self.weekend or d in self._closed or self._holiday(d) is not None
        )
        self._days_off[year] = off
        return off

    def _year_working(self, year: int) -> list[int]:
        """The working days of ``year`` as ordinals, in order (counting becomes a bisection)."""
        found = self._working.get(year)
        if found is None:
            off = self._days_off.get(year)
            if off is None:
                off = self._year_off(year)
            first = date(year, 1, 1).toordinal()
            last = date(year, 12, 31).toordinal()
            found = [o for o in range(first, last + 1) if date.fromordinal(o) not in off]
            self._working[year] = found
        return found

    def non_working_reason(self, d: date) -> str | None:
        """Why ``d`` is not a working day, in words; None when it is one.

        A holiday or closure is named even when it falls on a weekend: it is the more telling reason.
        """
        holiday = self._holiday(d)
        if holiday is not None:
            return f"{holiday} (public holiday)"
        closure = self._closed.get(d)
        if closure is not None:
            return f"Company closure: {closure}"
        if d.weekday() in self.weekend:
            return f"{DAY_NAMES[d.weekday()]} (weekend)"
        return None

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start``; ``start`` itself is never counted."""
        if n < 1:
            raise ValidationError(f"Cannot count {n} working days forward.", "Use at least one day.")
        year = start.year
        days = self._year_working(year)
        left = n
        i = bisect_right(days, start.toordinal())  # the first working day after start in its year
        while left > len(days) - i:
            left -= len(days) - i
            year += 1
            if year > MAXYEAR:
                raise ValidationError(
                    f"{n} working days after {start.isoformat()} is beyond the calendar.",
                    "Check the start date and the estimate.",
                )
            days, i = self._year_working(year), 0
        return date.fromordinal(days[i + left - 1])

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; negative when ``b`` is before ``a``."""
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        for year in range(a.year, b.year + 1):
            days = self._year_working(year)
            low = bisect_right(days, a.toordinal()) if year == a.year else 0
            high = bisect_right(days, b.toordinal()) if year == b.year else len(days)
            count += high - low
        return count

    def skipped_days(self, start: date, due: date) -> list[tuple[date, str]]:
        """Holidays and closures strictly between ``start`` and ``due`` that pushed the date out.

        Plain weekend days are left out, and so is a holiday that falls on a weekend: it cost no
        extra day. What remains is what a rep should mention when explaining the date.
        """
        skipped: list[tuple[date, str]] = []
        d = start + _ONE_DAY
        while d < due:
            if d.weekday() not in self.weekend:
                reason = self.non_working_reason(d)
                if reason is not None:
                    skipped.append((d, reason))
            d += _ONE_DAY
        return skipped
