"""The command-line face of SalesDesk. It imports no Qt.

Exit status: 0 success, 1 a refused operation (the message says why), 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any, TextIO

from salesdesk import __version__, paths
from salesdesk.domain.errors import SalesDeskError, ValidationError

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad command-line usage (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse prints usage and exits 2; we keep that, with our words
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _date_arg(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date; write it as YYYY-MM-DD") from None


def build_parser() -> argparse.ArgumentParser:
    _load_extra_commands()
    p = _Parser(prog="salesdesk", description="SalesDesk: promise only what the team can deliver, and put it in writing.")
    p.add_argument("--version", action="version", version=f"SalesDesk {__version__}")
    p.add_argument("--db", metavar="URL", help="database: a file path, sqlite:///file.db or postgresql://user@host/db")
    p.add_argument("--data-dir", metavar="DIR", help="keep all SalesDesk files (database, logs, backups) under DIR")
    p.add_argument("--demo", action="store_true", help="start the app on a throwaway demo database")
    p.add_argument("--smoke", action="store_true", help="start the app, wait until it is idle, and exit 0")
    p.add_argument("--self-test", action="store_true", help="check the installation end to end and exit")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    d = sub.add_parser("demo", help="fill the database with realistic demo data")
    d.add_argument("--deals", type=int, default=60, metavar="N", help="how many deals (default 60)")
    d.add_argument("--seed", type=int, default=1, metavar="S", help="random seed; the same seed gives the same data")
    d.add_argument("--agreements", type=int, default=20, metavar="N",
                   help="how many recent signed deals get a real signed agreement PDF (default 20)")

    ls = sub.add_parser("deals", help="list the deals")
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.add_argument("--stage", action="append", default=[], help="only deals in this stage (repeatable)")
    ls.add_argument("--search", default="", help="only deals whose ref, customer or title contains this")

    sub.add_parser("check", help="check the database's integrity and print its schema version")

    lt = sub.add_parser("leadtime", help="what date can I promise if I say yes today?")
    lt.add_argument("--raw-days", required=True, metavar="D", help="operations' raw estimate in working days")
    group = lt.add_mutually_exclusive_group()
    group.add_argument("--factor", metavar="F", help="buffer factor to use (1.0–5.0)")
    group.add_argument("--department", metavar="NAME", help="use this department's buffer factor")
    lt.add_argument("--start", type=_date_arg, metavar="YYYY-MM-DD", help="start date (default today)")
    lt.add_argument("--country", metavar="CC", help="public holidays of this country (ISO code)")
    lt.add_argument("--subdivision", metavar="S", help="and of this region (e.g. BY for Bavaria)")
    lt.add_argument("--weekend", metavar="DAYS", help="weekend days, e.g. sat,sun or fri,sat")
    lt.add_argument("--json", action="store_true", help="print JSON")

    for name, helptext in _EXTRA_COMMANDS.items():
        extra = sub.add_parser(name, help=helptext[0])
        helptext[1](extra)
    return p


# Commands added by later modules register here: name -> (help, add_arguments).
_EXTRA_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {}
_EXTRA_HANDLERS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {}


def open_services(args: argparse.Namespace, *, actor: str = "salesdesk-cli") -> Any:
    from salesdesk.services.app import Services, database_url

    return Services.open(database_url(args.db, dict(os.environ)), actor=actor)


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from salesdesk.services.demo import generate_demo

    if args.deals < 0 or args.deals > 1_000_000:
        raise ValidationError("--deals must be between 0 and 1,000,000.", "Try --deals 60.")
    services = open_services(args, actor="demo")
    try:
        last = 0

        def progress(done: int, total: int) -> None:
            nonlocal last
            if total >= 5000 and done - last >= total // 10:
                last = done
                print(f"  {done:,} of {total:,} deals", file=sys.stderr)

        summary = generate_demo(services, deals=args.deals, seed=args.seed, progress=progress,
                                agreements=max(0, args.agreements))
    finally:
        services.close()
    print(summary, file=out)
    return EXIT_OK


def cmd_deals(args: argparse.Namespace, out: TextIO) -> int:
    from salesdesk.domain.model import Stage
    from salesdesk.services.deals import DealQuery

    try:
        stages = tuple(Stage(s) for s in args.stage)
    except ValueError:
        raise ValidationError(
            f"Unknown stage in {args.stage}.", f"Use one of: {', '.join(s.value for s in Stage)}."
        ) from None
    services = open_services(args)
    try:
        query = DealQuery(text=args.search, stages=stages, sort="ref", descending=False, limit=None)
        rows = services.deals.list_rows(query)
    finally:
        services.close()
    if args.json:
        out.write(_deals_json(rows))
        return EXIT_OK
    if not rows:
        print("No deals yet. Create one in the app, or fill a demo: salesdesk demo", file=out)
        return EXIT_OK
    for r in rows:
        promised = _iso(r.promised_date) or "—"
        print(f"{r.ref:<14} {r.stage.label:<20} {promised:<11} {r.value:>14}  {r.customer} — {r.title}", file=out)
    print(f"{len(rows):,} deal{'s' if len(rows) != 1 else ''}", file=out)
    return EXIT_OK


class _JsonDates(dict[date | None, str]):
    """Dates as JSON values, each written once: a long list has only so many different dates."""

    def __init__(self) -> None:
        super().__init__({None: "null"})

    def __missing__(self, day: date) -> str:
        text = self[day] = f'"{day.isoformat()}"'
        return text


def _deals_json(rows: list[Any]) -> str:
    """The deal list as a JSON array, one deal a line.

    Written row by row with the json module's string encoder: the same text as encoding a dict per
    deal, in a third of the time (a hundred thousand deals are listed in well under a second).
    """
    text = encode_basestring
    day = _JsonDates()
    lines = [
        f'{{"ref": {text(r.ref)}, "customer": {text(r.customer)}, "title": {text(r.title)}, '
        f'"stage": "{r.stage.value}", "owner": {text(r.owner)}, "requested_date": {day[r.requested_date]}, '
        f'"promised_date": {day[r.promised_date]}, "value": "{r.value}", '
        f'"next_action_due": {day[r.next_action_due]}, "problems": [{", ".join(map(text, r.problems))}]}}'
        for r in rows
    ]
    return "[\n" + ",\n".join(lines) + ("\n]\n" if lines else "]\n")


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    services = open_services(args)
    try:
        problems = services.store.integrity_check()
        version = services.store.schema_version()
        print(f"database: {services.store.display_name}", file=out)
        print(f"schema version: {version}", file=out)
        if problems:
            for problem in problems:
                print(f"problem: {problem}", file=out)
            print("integrity: FAILED — restore a backup (salesdesk backup) or ask for help.", file=out)
            return EXIT_REFUSED
        print("integrity: ok", file=out)
    finally:
        services.close()
    return EXIT_OK


def cmd_leadtime(args: argparse.Namespace, out: TextIO) -> int:
    from salesdesk.domain.calendar import WorkCalendar
    from salesdesk.services.leadtime import format_leadtime, parse_weekend, quick_leadtime

    services = open_services(args)
    try:
        st = services.settings.load()
    finally:
        services.close()
    department_factor: Decimal | None = None
    if args.department:
        dept = st.department(args.department)
        if dept is None:
            raise ValidationError(
                f"There is no department '{args.department}'.",
                f"Use one of: {', '.join(d.name for d in st.departments)}.",
            )
        department_factor = dept.buffer_factor if dept.buffer_factor is not None else st.default_factor
    factor: Decimal | None = None
    if args.factor is not None:
        factor = Decimal(args.factor) if _is_number(args.factor) else _bad_number(args.factor, "--factor")
    if not _is_number(args.raw_days):
        _bad_number(args.raw_days, "--raw-days")
    weekend = parse_weekend(args.weekend) if args.weekend is not None else frozenset(st.weekend_days)
    country = args.country if args.country is not None else st.holiday_country
    subdivision = args.subdivision if args.subdivision is not None else (
        st.holiday_subdivision if args.country is None else None)
    from salesdesk.services.promise import calendar_from_settings

    closures = calendar_from_settings(st).closures
    calendar = WorkCalendar(weekend=weekend, country=country, subdivision=subdivision, closures=closures)
    result = quick_leadtime(
        Decimal(args.raw_days), factor=factor, department_factor=department_factor, global_factor=st.default_factor,
        start=args.start or date.today(), calendar=calendar,
    )
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2), file=out)
    else:
        print(format_leadtime(result), file=out)
    return EXIT_OK


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except ArithmeticError:
        return False


def _bad_number(text: str, option: str) -> Any:
    raise ValidationError(f"{option} '{text}' is not a number.", "Write it with digits, e.g. 2.5.")


_HANDLERS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "demo": cmd_demo,
    "deals": cmd_deals,
    "check": cmd_check,
    "leadtime": cmd_leadtime,
}


def run(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run a command; return its exit status. Starting the app is handled by ``__main__``."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.data_dir:
        paths.set_data_dir(args.data_dir)
    handler = _HANDLERS.get(args.command) or _EXTRA_HANDLERS.get(args.command)
    if handler is None:
        parser.print_usage(err)
        return EXIT_USAGE
    try:
        return handler(args, out)
    except SalesDeskError as exc:
        print(f"salesdesk {args.command}: {exc}", file=err)
        return EXIT_REFUSED
    except UsageError as exc:
        print(f"salesdesk {args.command}: {exc}", file=err)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=err)
        return 130


def register(name: str, help_text: str, add_arguments: Callable[[argparse.ArgumentParser], None],
             handler: Callable[[argparse.Namespace, TextIO], int]) -> None:
    """Add a command (used by the modules that own documents, packages, backups, the yardstick)."""
    _EXTRA_COMMANDS[name] = (help_text, add_arguments)
    _EXTRA_HANDLERS[name] = handler


def _load_extra_commands() -> None:
    import importlib

    for module in ("salesdesk.cli_documents", "salesdesk.cli_packages", "salesdesk.cli_yardstick"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
