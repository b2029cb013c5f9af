"""The Yardstick's figures as plain tables: one per chart or list, for the CSV export.

Plain Python (no Qt): headers and rows of text and numbers, written with the csv module — one file
per table, in a folder the user chooses, named for the period so two exports do not overwrite each
other.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from salesdesk.domain.model import BREAKDOWN_LABELS, BreakdownCategory
from salesdesk.domain.yardstick import DealGroup, OnTime, Yardstick


@dataclass(frozen=True)
class Table:
    name: str  # the file's name, without the period and .csv
    headers: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


def _rate(figure: OnTime) -> str:
    return "" if figure.rate is None else f"{figure.rate * 100:.1f}"


def _month_row(y: Yardstick, month: str) -> tuple[object, ...]:
    items = y.items.by_month.get(month, OnTime())
    deals = y.deals.by_month.get(month, DealGroup(month, 0, OnTime(), OnTime()))
    return (month, items.measured, items.kept, _rate(items), deals.delivered, deals.promised.kept,
            _rate(deals.promised), deals.requested.measured, deals.requested.kept, _rate(deals.requested))


def figure_tables(y: Yardstick) -> list[Table]:
    """Every figure of the yardstick, as tables a spreadsheet opens."""
    categories = list(BreakdownCategory)
    category_names = tuple(BREAKDOWN_LABELS[c] for c in categories)
    tables = [
        Table("on-time-by-month",
              ("month", "items measured", "items on time", "items on time %", "deals delivered",
               "deals on time (promised)", "deals on time (promised) %", "deals with a requested date",
               "deals on time (requested)", "deals on time (requested) %"),
              tuple(_month_row(y, m) for m in y.period.months())),
        Table("on-time-by-department", ("department", "items done", "items measured", "items on time", "on time %"),
              tuple((d, y.items.done_by_department.get(d, 0), f.measured, f.kept, _rate(f))
                    for d, f in y.items.by_department.items())),
        Table("breakdowns-by-month", ("month", *category_names, "total"),
              tuple((m, *(row.get(c, 0) for c in categories), sum(row.values()))
                    for m, row in y.breakdowns.by_month.items())),
        Table("breakdowns-by-department", ("department", *category_names, "total"),
              tuple((d, *(row.get(c, 0) for c in categories), sum(row.values()))
                    for d, row in y.breakdowns.by_department.items())),
        Table("estimate-accuracy",
              ("department", "items", "mean actual/raw", "p10", "p25", "median", "p75", "p90"),
              tuple((d, dist.count, "" if dist.mean is None else f"{dist.mean:.2f}",
                     *(f"{dist.quantiles[q]:.2f}" if q in dist.quantiles else "" for q in
                       ("p10", "p25", "p50", "p75", "p90")))
                    for d, dist in y.items.accuracy.items())),
        Table("estimate-accuracy-histogram", ("department", "from (actual/raw)", "below", "items"),
              tuple((d, "" if b.low is None else b.low, "" if b.high is None else b.high, b.count)
                    for d, dist in y.items.accuracy.items() for b in dist.bins)),
        Table("calibration",
              ("department", "factor in use", "from", "suggested factor", "items in the sample", "target %",
               "kept at factor in use %", "kept at suggested %", "reaches target"),
              tuple((c.department, str(c.current), c.current_source, "" if c.suggested is None else str(c.suggested),
                     c.sample, f"{c.target * 100:.0f}",
                     "" if c.kept_at_current is None else f"{c.kept_at_current * 100:.1f}",
                     "" if c.kept_at_suggested is None else f"{c.kept_at_suggested * 100:.1f}",
                     "yes" if c.reaches_target else "no")
                    for c in y.calibration.values())),
        Table("declined-reasons", ("reason", "deals"), tuple(y.declined.reasons)),
        Table("declined-by-department", ("department that said not feasible", "deals"),
              tuple(y.declined.by_department)),
        Table("successes-people", ("name", "department", "deals delivered on time"),
              tuple((p.name, p.department, p.deals) for p in y.successes.people)),
        Table("successes-recent", ("deal", "customer", "title", "delivered", "promised", "people"),
              tuple((s.ref, s.customer, s.title, s.delivered_on.isoformat(), s.promised_date.isoformat(),
                     "; ".join(s.people)) for s in y.successes.recent)),
    ]
    return tables


def file_prefix(y: Yardstick) -> str:
    return f"yardstick-{y.period.start.isoformat()}-to-{y.period.end.isoformat()}"


def write_csv(folder: Path, prefix: str, tables: Sequence[Table]) -> list[Path]:
    """Write one CSV file per table into ``folder`` (UTF-8 with BOM, so Excel reads accents)."""
    written = []
    for table in tables:
        target = folder / f"{prefix}-{table.name}.csv"
        tmp = target.with_name(f".{target.name}.tmp")
        with tmp.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(table.headers)
            writer.writerows(table.rows)
        os.replace(tmp, target)  # a file appears complete or not at all
        written.append(target)
    return written
