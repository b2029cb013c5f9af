"""``salesdesk yardstick``: promises kept, breakdowns, estimate accuracy and calibrated factors.

Text for people, ``--json`` for programs, ``--csv DIR`` for spreadsheets (one file per table).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from salesdesk import cli
from salesdesk.domain.errors import ValidationError
from salesdesk.domain.model import BREAKDOWN_LABELS, BreakdownCategory
from salesdesk.domain.yardstick import QUANTILES, Distribution, OnTime, Yardstick
from salesdesk.services import validation as v

Table = tuple[list[str], list[list[Any]]]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="start", metavar="YYYY-MM-DD",
                   help="first day of the period (default: the 12 months up to --to)")
    p.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last day of the period (default: today)")
    p.add_argument("--owner", metavar="NAME", help="only the deals this team member owns")
    p.add_argument("--department", metavar="NAME", help="only this department's work, breakdowns and factor")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--csv", metavar="DIR", help="also write every table as a CSV file into DIR")


def cmd_yardstick(args: argparse.Namespace, out: TextIO) -> int:
    from salesdesk.services.yardstick import YardstickService

    start = v.parse_date(args.start, "--from")
    end = v.parse_date(args.end, "--to")
    folder = Path(args.csv).expanduser() if args.csv else None
    if folder is not None and folder.exists() and not folder.is_dir():
        raise ValidationError(f"{folder} is a file, not a folder.", "Give a folder for the CSV files, e.g. --csv yardstick.")
    services = cli.open_services(args)
    try:
        y = YardstickService(services.ctx).compute(start=start, end=end, owner=args.owner, department=args.department)
    finally:
        services.close()
    written = write_csv_tables(y, folder) if folder is not None else []
    if args.json:
        print(json.dumps(yardstick_json(y), ensure_ascii=False, indent=2), file=out)
    else:
        print(format_yardstick(y), file=out)
        if written:
            print(f"\nWrote {len(written)} CSV tables to {folder}.", file=out)
    return cli.EXIT_OK


# --- JSON -----------------------------------------------------------------------------------------

def _rate(on_time: OnTime) -> float | None:
    rate = on_time.rate
    return None if rate is None else round(rate, 4)


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _distribution(d: Distribution) -> dict[str, Any]:
    return {
        "items": d.count,
        "mean": _number(d.mean),
        "quantiles": {name: round(value, 4) for name, value in d.quantiles.items()},
        "bins": [{"from": b.low, "to": b.high, "count": b.count} for b in d.bins],
    }


def yardstick_json(y: Yardstick) -> dict[str, Any]:
    """The yardstick as JSON-able data (rates are 0–1, null when nothing was due)."""
    return {
        "period": {"from": y.period.start.isoformat(), "to": y.period.end.isoformat()},
        "filters": {"owner": y.owner, "department": y.department},
        "on_time_rate_promised": _rate(y.deals.promised),
        "on_time_rate_requested": _rate(y.deals.requested),
        "items": {"done": y.items.done, "with_promised_date": y.items.on_time.measured,
                  "on_time": y.items.on_time.kept, "on_time_rate": _rate(y.items.on_time)},
        "deals": {"delivered": y.deals.delivered,
                  "with_promised_date": y.deals.promised.measured, "on_time_promised": y.deals.promised.kept,
                  "on_time_rate_promised": _rate(y.deals.promised),
                  "with_requested_date": y.deals.requested.measured, "on_time_requested": y.deals.requested.kept,
                  "on_time_rate_requested": _rate(y.deals.requested)},
        "by_month": [dict(zip(_MONTH_HEADER, row, strict=True)) for row in _month_rows(y)],
        "by_department": [dict(zip(_DEPARTMENT_HEADER, row, strict=True)) for row in _department_rows(y)],
        "breakdowns_by_category": {c.value: n for c, n in y.breakdowns.by_category.items()},
        "breakdowns": {
            "total": y.breakdowns.total,
            "cost": str(y.breakdowns.cost),
            "by_department": {d: {c.value: n for c, n in row.items()} for d, row in y.breakdowns.by_department.items()},
            "by_month": {m: {c.value: n for c, n in row.items()} for m, row in y.breakdowns.by_month.items()},
        },
        "estimate_accuracy": {d: _distribution(dist) for d, dist in y.items.accuracy.items()},
        "calibrated_factors": {
            name: {"current": float(c.current), "current_source": c.current_source,
                   "suggested": float(c.suggested) if c.suggested is not None else None, "sample": c.sample,
                   "target": float(c.target), "kept_at_current": _number(c.kept_at_current),
                   "kept_at_suggested": _number(c.kept_at_suggested), "reaches_target": c.reaches_target}
            for name, c in y.calibration.items()
        },
        "declined": {"count": y.declined.count,
                     "reasons": [{"reason": r, "count": n} for r, n in y.declined.reasons],
                     "by_department": [{"department": d, "count": n} for d, n in y.declined.by_department]},
        "successes": {
            "count": y.successes.count,
            "people": [{"name": p.name, "department": p.department, "deals": p.deals} for p in y.successes.people],
            "recent": [{"ref": s.ref, "title": s.title, "customer": s.customer,
                        "delivered_on": s.delivered_on.isoformat(), "promised_date": s.promised_date.isoformat(),
                        "people": list(s.people)} for s in y.successes.recent],
        },
    }


# --- tables (shared by JSON and CSV) ---------------------------------------------------------------

_MONTH_HEADER = ["month", "items_with_promised_date", "items_on_time", "items_on_time_rate", "deals_delivered",
                 "deals_with_promised_date", "deals_on_time_promised", "deals_on_time_rate_promised", "deals_with_requested_date",
                 "deals_on_time_requested", "deals_on_time_rate_requested", "breakdowns"]
_DEPARTMENT_HEADER = ["department", "items_done", "items_with_promised_date", "items_on_time", "items_on_time_rate",
                      "breakdowns", "accuracy_median", "accuracy_p90", "factor_current", "factor_suggested",
                      "calibration_sample"]


def _month_rows(y: Yardstick) -> list[list[Any]]:
    rows = []
    for month in y.period.months():
        items = y.items.by_month.get(month, OnTime())
        deals = y.deals.by_month.get(month)
        promised = deals.promised if deals else OnTime()
        requested = deals.requested if deals else OnTime()
        rows.append([month, items.measured, items.kept, _rate(items), deals.delivered if deals else 0,
                     promised.measured, promised.kept, _rate(promised), requested.measured, requested.kept, _rate(requested),
                     sum(y.breakdowns.by_month.get(month, {}).values())])
    return rows


def _department_rows(y: Yardstick) -> list[list[Any]]:
    names = list(y.items.done_by_department)
    names += [d for d in y.breakdowns.by_department if d not in names]
    if y.department and y.department not in names:
        names.append(y.department)
    rows = []
    for name in names:
        on_time = y.items.by_department.get(name, OnTime())
        accuracy = y.items.accuracy.get(name)
        calib = y.calibration.get(name)
        rows.append([
            name, y.items.done_by_department.get(name, 0), on_time.measured, on_time.kept, _rate(on_time),
            sum(y.breakdowns.by_department.get(name, {}).values()),
            _number(accuracy.quantiles.get("p50")) if accuracy else None,
            _number(accuracy.quantiles.get("p90")) if accuracy else None,
            float(calib.current) if calib else None,
            float(calib.suggested) if calib and calib.suggested is not None else None,
            calib.sample if calib else 0,
        ])
    return rows


def yardstick_tables(y: Yardstick) -> dict[str, Table]:
    """Every table of the yardstick: file name (without .csv) → (header, rows)."""
    categories = list(BreakdownCategory)

    def per_category(rows: Mapping[str, Mapping[BreakdownCategory, int]], label: str) -> Table:
        return [label, *(c.value for c in categories)], [[k, *(row.get(c, 0) for c in categories)]
                                                         for k, row in rows.items()]

    accuracy_rows = []
    for name, dist in y.items.accuracy.items():
        quantiles = [_number(dist.quantiles.get(q)) for q, _share in QUANTILES]
        accuracy_rows.append([name, dist.count, _number(dist.mean), *quantiles])
    bins_rows = [[name, b.low, b.high, b.count] for name, dist in y.items.accuracy.items() for b in dist.bins]
    return {
        "summary": (["measure", "value"], [
            ["period_from", y.period.start.isoformat()], ["period_to", y.period.end.isoformat()],
            ["owner", y.owner or ""], ["department", y.department or ""],
            ["deals_delivered", y.deals.delivered], ["on_time_rate_promised", _rate(y.deals.promised)],
            ["on_time_rate_requested", _rate(y.deals.requested)], ["items_done", y.items.done],
            ["items_on_time_rate", _rate(y.items.on_time)], ["breakdowns", y.breakdowns.total],
            ["breakdown_cost", str(y.breakdowns.cost)], ["deals_declined", y.declined.count],
            ["successes", y.successes.count]]),
        "by_month": (_MONTH_HEADER, _month_rows(y)),
        "by_department": (_DEPARTMENT_HEADER, _department_rows(y)),
        "breakdowns_by_category": (["category", "label", "breakdowns"],
                                   [[c.value, BREAKDOWN_LABELS[c], n] for c, n in y.breakdowns.by_category.items()]),
        "breakdowns_by_department": per_category(y.breakdowns.by_department, "department"),
        "breakdowns_by_month": per_category(y.breakdowns.by_month, "month"),
        "estimate_accuracy": (["department", "items", "mean", *(q for q, _share in QUANTILES)], accuracy_rows),
        "estimate_accuracy_bins": (["department", "ratio_from", "ratio_to", "items"], bins_rows),
        "calibrated_factors": (
            ["department", "current", "current_source", "suggested", "sample", "target", "kept_at_current",
             "kept_at_suggested", "reaches_target"],
            [[c.department, str(c.current), c.current_source, str(c.suggested) if c.suggested is not None else "",
              c.sample, str(c.target), _number(c.kept_at_current), _number(c.kept_at_suggested), c.reaches_target]
             for c in y.calibration.values()]),
        "declined": (["reason", "deals"], [list(r) for r in y.declined.reasons]),
        "declined_by_department": (["department", "deals"], [list(r) for r in y.declined.by_department]),
        "successes_people": (["name", "department", "deals"],
                             [[p.name, p.department, p.deals] for p in y.successes.people]),
        "successes_recent": (["ref", "title", "customer", "delivered_on", "promised_date", "people"],
                             [[s.ref, s.title, s.customer, s.delivered_on.isoformat(), s.promised_date.isoformat(),
                               "; ".join(s.people)] for s in y.successes.recent]),
    }


def write_csv_tables(y: Yardstick, folder: Path) -> list[Path]:
    """One CSV file per table in ``folder`` (made if missing); each file appears complete or not at all."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValidationError(f"The folder {folder} cannot be made: {exc.strerror}.", "Choose another --csv folder.") from exc
    written = []
    for name, (header, rows) in yardstick_tables(y).items():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
        target = folder / f"{name}.csv"
        _write_atomically(target, buffer.getvalue().encode("utf-8-sig"))
        written.append(target)
    return written


def _write_atomically(target: Path, data: bytes) -> None:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise ValidationError(f"{target.parent} cannot be written to: {exc.strerror}.",
                              "Choose another --csv folder.") from exc
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- text -----------------------------------------------------------------------------------------

def _percent(on_time: OnTime) -> str:
    rate = on_time.rate
    return "—" if rate is None else f"{rate:.0%} ({on_time.kept} of {on_time.measured})"


def _columns(rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]


def format_yardstick(y: Yardstick) -> str:
    """The yardstick as a page a sales manager can read."""
    scope = [f"owner {y.owner}" if y.owner else "all owners", y.department or "all departments"]
    lines = [f"Yardstick {y.period.start.isoformat()} – {y.period.end.isoformat()} ({', '.join(scope)})", "",
             "Promises kept"]
    lines.append(f"  Deals delivered: {y.deals.delivered}")
    lines.append(f"    on time against the promised date:  {_percent(y.deals.promised)}")
    lines.append(f"    on time against the requested date: {_percent(y.deals.requested)}")
    lines.append(f"  Work items done: {y.items.done}; on time: {_percent(y.items.on_time)}")
    month_rows = [["Month", "Items on time", "Deals on time", "Breakdowns"]]
    for row in _month_rows(y):
        items, deals = OnTime(row[1], row[2]), OnTime(row[5], row[6])
        if items.measured or deals.measured or row[11]:
            month_rows.append([row[0], _percent(items), _percent(deals), str(row[11])])
    if len(month_rows) > 1:
        lines += ["", *_columns(month_rows)]
    dept_rows = [["Department", "Items on time", "Actual ÷ raw (median, 90 %)", "Breakdowns"]]
    for row in _department_rows(y):
        accuracy = "—" if row[6] is None else f"{row[6]:.2f}, {row[7]:.2f}"
        dept_rows.append([row[0], _percent(OnTime(row[2], row[3])), accuracy, str(row[5])])
    if len(dept_rows) > 1:
        lines += ["", *_columns(dept_rows)]
    lines += ["", f"Breakdowns: {y.breakdowns.total} (cost {y.breakdowns.cost:,.2f})"]
    lines += [f"  {BREAKDOWN_LABELS[c]:<36} {n}" for c, n in y.breakdowns.by_category.items() if n]
    if y.calibration:
        target = next(iter(y.calibration.values())).target
        lines += ["", f"Buffer factors (smallest that keeps {target:.0%} of the last promises)"]
        factor_rows = []
        for c in y.calibration.values():
            current = f"in use {c.current}" + (" (default)" if c.current_source == "default" else "")
            if c.suggested is None:
                suggestion = f"not enough history ({c.sample} item{'s' if c.sample != 1 else ''})"
            else:
                suggestion = f"suggested {c.suggested} (from {c.sample} items" + (
                    "; even 5.0 falls short)" if not c.reaches_target else ")")
            factor_rows.append([c.department, current, suggestion])
        lines += _columns(factor_rows)
    lines += ["", f"Declined (we said no): {y.declined.count}"]
    lines += [f"  {n} × {reason}" for reason, n in y.declined.reasons]
    lines += ["", f"Successes: {y.successes.count} deal{'s' if y.successes.count != 1 else ''} delivered on time"]
    lines += [f"  {p.name} ({p.department}): {p.deals}" for p in y.successes.people[:10]]
    return "\n".join(lines)


cli.register("yardstick", "promises kept, breakdowns, estimate accuracy and suggested buffer factors",
             add_arguments, cmd_yardstick)
