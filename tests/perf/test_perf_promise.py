"""Benchmarks for the promise engine: run with ``pytest tests/perf -m perf -s``."""

from __future__ import annotations

import random
import statistics
import time
from datetime import date
from decimal import Decimal

import pytest

from salesdesk.domain.calendar import WorkCalendar, public_holidays
from salesdesk.domain.schedule import WorkItemSpec, schedule

pytestmark = pytest.mark.perf

DEPARTMENTS = ("Operations", "Engineering", "Manufacturing", "Shipping", "Accounting")
FACTORS = dict(
    zip(
        DEPARTMENTS,
        (Decimal("2.0"), Decimal("2.5"), Decimal("1.5"), Decimal("1.2"), Decimal("1.0")),
        strict=True,
    )
)


def big_deal(count: int = 500, seed: int = 7) -> list[WorkItemSpec]:
    """``count`` work items, each waiting for up to three earlier ones, listed in shuffled order."""
    rng = random.Random(seed)
    items = []
    for i in range(count):
        # Mostly recent predecessors, so the chain is long (a deep schedule) but also branches.
        preds = {f"w{rng.randint(max(0, i - 20), i - 1)}" for _ in range(rng.randint(0, 3))} if i else set()
        raw = Decimal(rng.randint(1, 20)) / 2  # 0.5 … 10 days
        items.append(WorkItemSpec(f"w{i}", rng.choice(DEPARTMENTS), f"Task {i}", raw, tuple(sorted(preds))))
    rng.shuffle(items)
    return items


def test_scheduling_500_work_items_takes_well_under_50_ms() -> None:
    items = big_deal()
    calendar = WorkCalendar(country="GB")
    start = date(2026, 1, 5)
    result = schedule(items, start, calendar, FACTORS.__getitem__)  # warm-up: fills the holiday cache
    timings = []
    for _ in range(9):
        began = time.perf_counter()
        schedule(items, start, calendar, FACTORS.__getitem__)
        timings.append((time.perf_counter() - began) * 1000)
    median = statistics.median(timings)
    links = sum(len(i.predecessors) for i in items)
    print(
        f"\nschedule: 500 items, {links} dependencies, promised {result.promised_date} "
        f"(raw {result.raw_date}); median {median:.1f} ms, best {min(timings):.1f} ms, worst {max(timings):.1f} ms"
    )
    assert len(result.items) == 500
    assert median < 50


def test_ten_years_of_holidays_are_computed_once_and_cached() -> None:
    calendar = WorkCalendar(country="DE", subdivision="BY")
    first_day, last_day = date(2026, 1, 1), date(2035, 12, 31)
    public_holidays.cache_clear()

    began = time.perf_counter()
    first_count = calendar.working_days_between(first_day, last_day)
    first_ms = (time.perf_counter() - began) * 1000
    after_first = public_holidays.cache_info()

    began = time.perf_counter()
    second_count = calendar.working_days_between(first_day, last_day)
    second_ms = (time.perf_counter() - began) * 1000
    after_second = public_holidays.cache_info()

    print(
        f"\nholidays DE-BY 2026–2035: first pass {first_ms:.1f} ms ({after_first.misses} years computed), "
        f"second pass {second_ms:.1f} ms ({after_second.misses - after_first.misses} years computed); "
        f"{first_count} working days"
    )
    assert first_count == second_count
    assert after_first.misses == 10  # one computation per year…
    assert after_second.misses == 10  # …and none the second time
    assert second_ms < first_ms
