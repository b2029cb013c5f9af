"""The yardstick from the database: promises kept, breakdowns, accuracy, calibrated factors.

Built for a long history (100,000 deals, a million work items): no deal is loaded whole. The
database counts and groups; Python only sees grouped rows. Working days between two dates come
from a small temporary table of cumulative working-day counts (the team calendar, counted once),
so the database can tell how many working days each finished item took. It walks that table day
by day and reads each day's finished items from one covering index (``ix_work_items_finished``),
never from the wide rows.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Date,
    Integer,
    MetaData,
    Numeric,
    Table,
    and_,
    case,
    cast,
    func,
    insert,
    literal_column,
    null,
    select,
    type_coerce,
    union,
    union_all,
)
from sqlalchemy.schema import DropTable

from salesdesk.domain.errors import ValidationError
from salesdesk.domain.model import (
    BreakdownCategory,
    DepartmentSettings,
    ItemStatus,
    Settings,
    Side,
    Stage,
    Verdict,
)
from salesdesk.domain.yardstick import (
    BreakdownGroup,
    Calibration,
    Contributor,
    DealGroup,
    Declined,
    EffortGroup,
    FinishedGroup,
    ItemGroup,
    OnTime,
    Period,
    Success,
    Successes,
    WorkingDayIndex,
    Yardstick,
    calibrate,
    month_number,
    month_of,
    split_item_groups,
    summarise_breakdowns,
    summarise_deals,
    summarise_finished_items,
)
from salesdesk.services import validation as v
from salesdesk.services.context import Context
from salesdesk.services.promise import calendar_from_settings
from salesdesk.services.settings import SettingsService
from salesdesk.store import schema as t

#: How far before the period a finished item may have started and still be counted in SQL;
#: the rare item that took longer is counted one by one.
LOOKBACK_DAYS = 400
#: How many deals delivered on time are listed by name.
RECENT_SUCCESSES = 10
#: From this many work items on, the finished items are read in two halves of the period side by side.
PARALLEL_FROM = 100_000
#: Calibration first looks for the last items of a department without a cutoff this far back.
CALIBRATION_GUESS_DAYS = 120
#: The longest period the yardstick covers (the packed keys below have room for 85 years).
MAX_YEARS = 50

# A finished item's group key packs (department, month, raw centi-days, working days taken, kept)
# into one integer: SQLite groups a single integer column much faster than several. Items the
# key cannot describe (a department not in the settings, no actual start, a start before the
# look-back or after the finish, no promised date) get a NULL key and are counted one by one.
_MONTH_SPAN = 1024  # months in a period (85 years)
_RAW_SPAN = 100_000  # raw estimates are at most 999 days = 99,900 centi-days
_TAKEN_SPAN = 16_384  # working days an item took
_DEPARTMENT_SPAN = 127
# The key is the sum department × _DEPARTMENT_UNIT + month × _MONTH_UNIT + raw × _RAW_UNIT
# + 2 × taken + kept, so the finish day's part (month and its working-day count) is worked out
# once per day in Python, and per item the database only adds.
_RAW_UNIT = 2 * _TAKEN_SPAN
_MONTH_UNIT = _RAW_SPAN * _RAW_UNIT
_DEPARTMENT_UNIT = _MONTH_SPAN * _MONTH_UNIT

_temp = MetaData()
WORKDAYS = Table(
    "sd_yardstick_days", _temp,
    Column("day", Date, primary_key=True),
    Column("n", Integer, nullable=False),  # working days from the first row up to this day
    Column("m", Integer, nullable=False),  # months since the period's first month; -1 before the period
    Column("key", BigInteger),  # month × _MONTH_UNIT + 2 × n: a finished item's key share; NULL before the period
    prefixes=["TEMPORARY"], sqlite_with_rowid=False,
)
DELIVERED = Table(
    "sd_yardstick_delivered", _temp,
    Column("deal_id", Integer, primary_key=True),
    Column("delivered_on", Date, nullable=False),
    Column("promised_date", Date),
    Column("requested_date", Date),
    Column("owner_id", Integer),
    Column("m", Integer, nullable=False),  # the month it was delivered in, as in WORKDAYS
    prefixes=["TEMPORARY"],
)

R = TypeVar("R")

_w = t.WorkItemRow.__table__
_d = t.DealRowORM.__table__
_b = t.BreakdownRow.__table__
# Written out, not bound: a partial index (ix_work_items_finished) serves only a query that
# names its condition literally.
_FINISHED = _w.c.status == literal_column(f"'{ItemStatus.DONE.value}'")


class YardstickService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.settings = SettingsService(ctx)

    # --- the whole yardstick -------------------------------------------------------------------

    def compute(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        owner: str | None = None,
        department: str | None = None,
        today: date | None = None,
    ) -> Yardstick:
        """The yardstick for ``start``–``end`` (default: the last 12 months up to today).

        ``owner`` (a team member's name or id) keeps the deals that person owns; ``department``
        keeps that department's work items and breakdowns, and the deals it worked on.
        Calibration always learns from the whole team's history of a department.
        """
        st = self.settings.load()
        period = resolve_period(start, end, today or date.today())
        with self.ctx.store.read() as s:
            conn = s.connection()
            owner_id, owner_name = self._owner(conn, owner)
            dept = self._department(conn, st, department)
            known = [d.name for d in st.departments]  # items of any other department are counted one by one
            last_id = int(conn.scalar(select(func.max(_w.c.id))) or 0)
        calendar = calendar_from_settings(st)
        days = WorkingDayIndex(calendar.is_working_day, period.start - timedelta(days=LOOKBACK_DAYS), period.end)
        workdays = _workday_rows(days, period, sqlite=self.ctx.store.is_sqlite)

        def read(work: Callable[[Connection, WorkingDayIndex], R], *, temp: bool = True) -> R:
            # Each piece of work has its own session (and temporary tables and day index), so
            # pieces can run side by side: SQLite and PostgreSQL work while Python waits.
            index = days.copy()
            with self.ctx.store.read() as s:
                conn = s.connection()
                if temp:
                    _create_temp_tables(conn, workdays)
                try:
                    return work(conn, index)
                finally:
                    if temp:
                        _drop_temp_tables(conn)

        def item_part(months: tuple[int, int]) -> Callable[[Connection, WorkingDayIndex], _ItemViews]:
            return lambda conn, index: _finished_items(conn, period, index, known, owner_id, dept, months)

        def other_figures(conn: Connection, _index: WorkingDayIndex) -> tuple[
                list[DealGroup], Successes, tuple[list[BreakdownGroup], Decimal | None], Declined]:
            return (_deal_groups(conn, period, owner_id, dept), _successes(conn),
                    _breakdown_groups(conn, period, known, owner_id, dept), _declined(conn, period, owner_id, dept))

        pieces = _month_ranges(len(period.months()), _item_pieces(last_id))
        with ThreadPoolExecutor(max_workers=len(pieces) + 1, thread_name_prefix="yardstick") as pool:
            # The deals, breakdowns and declines start at once instead of queueing behind the items.
            other_work = pool.submit(read, other_figures)
            parts = [pool.submit(read, item_part(months)) for months in pieces]
            finished = [g for part in parts for g in part.result()[0]]
            effort = [g for part in parts for g in part.result()[1]]
            departments = [dept] if dept else _all_departments(st, finished)
            cutoffs = month_cutoffs(finished, st.calibration_window)
            calibration = read(lambda conn, index: self._calibrate(conn, st, departments, period.end, index, cutoffs),
                               temp=False)
            deal_groups, successes, (breakdown_groups, cost), declined = other_work.result()
        months = period.months()
        return Yardstick(period, owner_name, dept, summarise_finished_items(finished, effort, months),
                         summarise_deals(deal_groups, months), summarise_breakdowns(breakdown_groups, months, cost=cost),
                         calibration, declined, successes)

    # --- calibration ---------------------------------------------------------------------------

    def calibration(self, department: str | None = None, *, today: date | None = None) -> dict[str, Calibration]:
        """Current and suggested buffer factor per department, from the last items finished."""
        st = self.settings.load()
        end = today or date.today()
        v.date_in_range(end, "The day to calibrate up to", field="today")
        with self.ctx.store.read() as s:
            conn = s.connection()
            dept = self._department(conn, st, department)
            index = WorkingDayIndex(calendar_from_settings(st).is_working_day, end - timedelta(days=LOOKBACK_DAYS), end)
            departments = [dept] if dept else _all_departments(st, ())
            return self._calibrate(conn, st, departments, end, index, {})

    def apply_suggested_factor(self, department: str, *, today: date | None = None) -> Calibration:
        """Set the department's buffer factor to the suggested one (audited like any settings change)."""
        found = self.calibration(department, today=today)
        calib = next(iter(found.values()))
        if calib.suggested is None:
            raise ValidationError(
                f"{calib.department} has not finished enough work items for a suggestion "
                f"({calib.sample}; at least 10 are needed).",
                "Keep marking work items done with their actual dates; the suggestion appears after ten.",
                field="department",
            )
        st = self.settings.load()
        if st.department(calib.department) is None:
            departments = (*st.departments, DepartmentSettings(calib.department, calib.suggested))
        else:
            departments = tuple(
                replace(d, buffer_factor=calib.suggested) if d.name == calib.department else d for d in st.departments
            )
        self.settings.save(replace(st, departments=departments))
        return calib

    def _calibrate(
        self, conn: Connection, st: Settings, departments: list[str], end: date, index: WorkingDayIndex,
        cutoffs: dict[str, date],
    ) -> dict[str, Calibration]:
        history = _recent_history(conn, departments, end, st.calibration_window, index, cutoffs)
        result: dict[str, Calibration] = {}
        for name in departments:
            dept = st.department(name)
            own = dept.buffer_factor if dept is not None else None
            result[name] = calibrate(
                name, history.get(name, []), current=own if own is not None else st.default_factor,
                current_source="department" if own is not None else "default", target=st.calibration_target,
            )
        return result

    # --- filters -------------------------------------------------------------------------------

    def _owner(self, conn: Connection, owner: str | None) -> tuple[int | None, str | None]:
        if owner is None or not owner.strip():
            return None, None
        wanted = owner.strip()
        m = t.TeamMemberRow.__table__
        rows = conn.execute(select(m.c.id, m.c.uid, m.c.name)).all()
        for row_id, uid, name in rows:
            if uid == wanted or name.casefold() == wanted.casefold():
                return row_id, name
        names = ", ".join(sorted(r[2] for r in rows)[:12]) or "nobody yet"
        raise ValidationError(f"There is no team member '{wanted}'.", f"Use one of: {names}.", field="owner")

    def _department(self, conn: Connection, st: Settings, department: str | None) -> str | None:
        if department is None or not department.strip():
            return None
        wanted = department.strip()
        known = [d.name for d in st.departments]
        for name in known:
            if name.casefold() == wanted.casefold():
                return name
        if conn.execute(select(_w.c.department).where(_w.c.department == wanted).limit(1)).first():
            return wanted
        raise ValidationError(f"There is no department '{wanted}'.", f"Use one of: {', '.join(known)}.",
                              field="department")


def resolve_period(start: date | None, end: date | None, today: date) -> Period:
    """The period asked for; a missing end is today, a missing start 12 months before the end."""
    end = end or today
    v.date_in_range(start, "The start of the period", field="period")
    v.date_in_range(end, "The end of the period", field="period")
    period = Period.last_months(end) if start is None else Period(start, end)
    if len(period.months()) > MAX_YEARS * 12:
        raise ValidationError(f"The period {period.start.isoformat()} – {period.end.isoformat()} is longer than "
                              f"{MAX_YEARS} years.", "Choose a shorter period.", field="period")
    return period


def _item_pieces(last_id: int) -> int:
    """In how many pieces the finished items are read side by side: one for a small history, else two."""
    if last_id < PARALLEL_FROM:
        return 1
    return max(1, min(2, os.cpu_count() or 1))


def _month_ranges(months: int, parts: int) -> list[tuple[int, int]]:
    """The period's months 0…``months`` − 1 cut into at most ``parts`` consecutive ranges (inclusive)."""
    size = max(1, -(-months // max(1, parts)))
    return [(lo, min(lo + size, months) - 1) for lo in range(0, months, size)]


def _all_departments(st: Settings, groups: Iterable[FinishedGroup]) -> list[str]:
    names = [d.name for d in st.departments]
    names += sorted({g.department for g in groups} - set(names))
    return names


def _is_sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


# --- temporary tables --------------------------------------------------------------------------

def _workday_rows(days: WorkingDayIndex, period: Period, *, sqlite: bool) -> str | list[dict[str, Any]]:
    """The rows of :data:`WORKDAYS`: every day of the index with its count, month and key share.

    For SQLite, one JSON array of them (days as ISO text, as SQLite stores them): inserted in one
    statement, the rows never pass through Python one by one, which would cost far more than the
    insert once several threads take turns for each row.
    """
    first_month = month_number(period.start)
    rows: list[dict[str, Any]] = []
    for day, n in days.days():
        month = month_number(day) - first_month if day >= period.start else -1
        rows.append({"day": day, "n": n, "m": month, "key": month * _MONTH_UNIT + 2 * n if month >= 0 else None})
    if sqlite:
        return json.dumps([(r["day"].isoformat(), r["n"], r["m"], r["key"]) for r in rows])
    return rows


def _create_temp_tables(conn: Connection, workdays: str | list[dict[str, Any]]) -> None:
    _drop_temp_tables(conn)
    WORKDAYS.create(conn)
    DELIVERED.create(conn)
    if isinstance(workdays, str):
        row = func.json_each(workdays).table_valued("value")
        conn.execute(insert(WORKDAYS).from_select(
            ["day", "n", "m", "key"], select(*(func.json_extract(row.c.value, f"$[{i}]") for i in range(4)))))
    else:
        conn.execute(insert(WORKDAYS), workdays)


def _drop_temp_tables(conn: Connection) -> None:
    for table in (DELIVERED, WORKDAYS):
        conn.execute(DropTable(table, if_exists=True))


def _raw_centidays(conn: Connection) -> Any:
    """The raw estimate in hundredths of a day, as an integer the database can group."""
    if _is_sqlite(conn):
        return type_coerce(_w.c.raw_days, BigInteger)  # already stored ×100 (see schema.ScaledDecimal)
    return cast(func.round(type_coerce(_w.c.raw_days, Numeric()) * 100), BigInteger)


def _owned_by(owner_id: int) -> Any:
    return select(_d.c.id).where(_d.c.owner_id == owner_id)


def _in_period(conn: Connection, days: Any, months: tuple[int, int] = (0, _MONTH_SPAN)) -> Any:
    """``days`` (an alias of :data:`WORKDAYS`) restricted to the period's ``months``.

    On SQLite the test is marked as very selective: the query planner then walks the days
    and looks up each day's rows by index, instead of walking the rows and looking up each day.
    """
    inside = days.c.m.between(*months)
    return func.likelihood(inside, literal_column("0.001")) if _is_sqlite(conn) else inside


def _count_keys(conn: Connection, key: Any, source: Any, where: list[Any], *totals: Any) -> tuple[
        dict[int, int], list[Any]]:
    """How many rows of ``source`` have each value of the integer ``key`` (a NULL key counts as -1),
    and the sums ``totals`` over all of them, in one pass."""
    if _is_sqlite(conn):
        # SQLite sorts every row to GROUP BY; handing the keys over as one string and counting them
        # in Python (a C loop) costs less.
        keys, *sums = conn.execute(
            select(func.group_concat(func.coalesce(key, -1)), *totals).select_from(source).where(*where)).one()
        return ({int(k): n for k, n in Counter(keys.split(",")).items()} if keys else {}), sums
    rows = conn.execute(select(func.coalesce(key, -1), func.count(), *totals).select_from(source).where(*where)
                        .group_by(key)).all()
    sums = []
    for i in range(2, 2 + len(totals)):  # each group's sums, added up (NULL when there is none, as in SQL)
        found = [r[i] for r in rows if r[i] is not None]
        sums.append(sum(found[1:], found[0]) if found else None)
    return {int(r[0]): int(r[1]) for r in rows}, sums


def _broad(conn: Connection, condition: Any) -> Any:
    """``condition``, marked for SQLite as true for most rows: a filter on the owner or department
    then keeps the walk over the days and their covering index (knowing no better, SQLite takes an
    equality for a rare value and would rather visit that owner's or department's rows one by one)."""
    return func.likelihood(condition, literal_column("0.9")) if _is_sqlite(conn) else condition


# --- work items ---------------------------------------------------------------------------------

#: What the finished items of a period come down to: per department and month, and per
#: department, raw estimate and working days taken (see :func:`split_item_groups`).
_ItemViews = tuple[list[FinishedGroup], list[EffortGroup]]


def _finished_items(
    conn: Connection, period: Period, index: WorkingDayIndex, departments: list[str], owner_id: int | None,
    dept: str | None, months: tuple[int, int],
) -> _ItemViews:
    """Finished items of the period's ``months``, counted by the database on one packed key (see above)."""
    known = departments[:_DEPARTMENT_SPAN]
    done, began = WORKDAYS.alias("done"), WORKDAYS.alias("began")
    code: Any = case({name: i * _DEPARTMENT_UNIT for i, name in enumerate(known)}, value=_w.c.department,
                     else_=None) if known else null()
    code = type_coerce(code, BigInteger) if _is_sqlite(conn) else cast(code, BigInteger)
    kept = cast(_w.c.actual_done <= _w.c.promised_due, Integer)
    key = code + done.c.key + _raw_centidays(conn) * _RAW_UNIT - began.c.n * 2 + kept
    joined = done.join(_w, _w.c.actual_done == done.c.day).outerjoin(
        began, and_(began.c.day == _w.c.actual_start, _w.c.actual_start <= _w.c.actual_done))
    where: list[Any] = [_in_period(conn, done, months), _FINISHED]
    if not _is_sqlite(conn):  # lets PostgreSQL read the period's range of the index
        where.append(_w.c.actual_done.between(period.start, period.end))
    if owner_id is not None:
        where.append(_broad(conn, _w.c.deal_id.in_(_owned_by(owner_id))))
    if dept is not None:
        where.append(_broad(conn, _w.c.department == dept))
    counted, _ = _count_keys(conn, key, joined, where)
    by_month: dict[int, list[int]] = {}  # department × _MONTH_SPAN + month -> [done, kept]
    by_effort: dict[int, int] = {}  # (department × _RAW_SPAN + raw) × _TAKEN_SPAN + taken -> count
    for k, count in counted.items():
        if k < 0:
            continue
        slot, rest = divmod(k, _MONTH_UNIT)
        row = by_month.get(slot)
        if row is None:
            row = by_month[slot] = [0, 0]
        row[0] += count
        row[1] += count * (rest & 1)
        effort = slot // _MONTH_SPAN * (_RAW_SPAN * _TAKEN_SPAN) + (rest >> 1)
        by_effort[effort] = by_effort.get(effort, 0) + count
    names = period.months()
    finished = [FinishedGroup(known[slot // _MONTH_SPAN], names[slot % _MONTH_SPAN], n, OnTime(n, kept), n)
                for slot, (n, kept) in by_month.items()]
    effort_groups = []
    for effort, count in by_effort.items():
        code_, rest = divmod(effort, _RAW_SPAN * _TAKEN_SPAN)
        raw, taken = divmod(rest, _TAKEN_SPAN)
        effort_groups.append(EffortGroup(known[code_], Decimal(raw).scaleb(-2), taken, count))
    if -1 in counted:
        more, more_effort = split_item_groups(_odd_items(conn, index, joined, key, where))
        finished += more
        effort_groups += more_effort
    return finished, effort_groups


def _odd_items(conn: Connection, index: WorkingDayIndex, joined: Any, key: Any, where: list[Any]) -> list[ItemGroup]:
    """The items whose packed key is NULL, counted one by one."""
    query = select(_w.c.department, _w.c.raw_days, _w.c.actual_start, _w.c.actual_done, _w.c.promised_due).select_from(
        joined).where(*where, key.is_(None))
    found = []
    for department, raw, began, finished, due in conn.execute(query):
        days = index.between(began, finished) if began is not None and began <= finished else None
        found.append(ItemGroup(department, month_of(finished), raw, days, None if due is None else finished <= due, 1))
    return found


def month_cutoffs(groups: Iterable[FinishedGroup], window: int) -> dict[str, date]:
    """Per department, the first day of the latest month from which on the period holds ``window``
    finished items with a known start — so their last ``window`` items all finished since then."""
    per_month: dict[str, dict[str, int]] = {}
    for g in groups:
        if g.timed:
            months = per_month.setdefault(g.department, {})
            months[g.month] = months.get(g.month, 0) + g.timed
    cutoffs: dict[str, date] = {}
    for name, months in per_month.items():
        seen = 0
        for month, count in sorted(months.items(), reverse=True):
            seen += count
            if seen >= window:
                cutoffs[name] = date(int(month[:4]), int(month[5:]), 1)
                break
    return cutoffs


def _recent_history(
    conn: Connection, departments: list[str], end: date, window: int, index: WorkingDayIndex,
    cutoffs: dict[str, date],
) -> dict[str, list[tuple[Decimal, int]]]:
    """(raw, working days taken) of the last ``window`` items each department finished by ``end``.

    Each department is read from a day on: its cutoff (see :func:`month_cutoffs`), else a guess
    a few months back. A department that comes up short is read again from twice as far back,
    until its history is all there is; each read sorts only the recent items it asks for.
    """
    oldest = conn.scalar(select(func.min(_w.c.actual_done)).where(_FINISHED))
    if oldest is None:
        return {}
    guess = end - timedelta(days=CALIBRATION_GUESS_DAYS)
    wanted = {name: min(cutoffs.get(name, guess), end) for name in departments}
    history: dict[str, list[tuple[Decimal, int]]] = {}
    while wanted:
        found = _last_items(conn, end, window, index, wanted)
        history.update(found)
        wanted = {name: _twice_as_far(since, end, oldest) for name, since in wanted.items()
                  if len(found.get(name, ())) < window and since > oldest}
    return history


def _twice_as_far(since: date, end: date, oldest: date) -> date:
    back = max(1, (end - since).days) * 2
    return oldest if (end - oldest).days <= back else end - timedelta(days=back)


def _last_items(
    conn: Connection, end: date, window: int, index: WorkingDayIndex, since: dict[str, date]
) -> dict[str, list[tuple[Decimal, int]]]:
    """The last ``window`` items each department of ``since`` finished from that day to ``end``."""
    # The department is only looked at inside expressions here, which keeps SQLite off the
    # department index: walking it visits the rows in random order, far slower than one scan.
    # The plain date test comes first: it turns most rows away at once.
    first = case(since, value=_w.c.department, else_=date.max)
    department = (_w.c.department + "").label("department")
    where = [_w.c.actual_done >= min(since.values()), _w.c.actual_done >= first, _w.c.actual_done <= end, _FINISHED,
             _w.c.actual_start.is_not(None), _w.c.actual_start <= _w.c.actual_done]
    rank = func.row_number().over(partition_by=department,
                                  order_by=(_w.c.actual_done.desc(), _w.c.id.desc())).label("rank")
    recent = select(department, _w.c.raw_days, _w.c.actual_start, _w.c.actual_done, rank).where(*where).subquery()
    query = select(recent.c.department, recent.c.raw_days, recent.c.actual_start, recent.c.actual_done).where(
        recent.c.rank <= window)
    history: dict[str, list[tuple[Decimal, int]]] = {}
    for name, raw, began, finished in conn.execute(query):
        history.setdefault(name, []).append((raw, index.between(began, finished)))
    return history


# --- deals --------------------------------------------------------------------------------------

def _deal_groups(conn: Connection, period: Period, owner_id: int | None, dept: str | None) -> list[DealGroup]:
    """Delivered deals whose last item was finished in the period, kept in a temporary table."""
    # A deal's last finish: the top of its stretch of the (deal, finish) index.
    delivered_on = (
        select(_w.c.actual_done)
        .where(_w.c.deal_id == _d.c.id, _w.c.actual_done.is_not(None))
        .order_by(_w.c.actual_done.desc())
        .limit(1)
        .scalar_subquery()
    )
    # On SQLite the stage is compared as an expression, which keeps it off the stage index: the
    # deals are then read in id order, and so are their items in the (deal, finish) index.
    stage = _d.c.stage.concat("") if _is_sqlite(conn) else _d.c.stage
    # Joined to the days of the period on that last finish, so it is looked up once per deal
    # (a condition on a subquery's column would look it up again); the day's month comes along.
    days = WORKDAYS.c
    deals = (select(_d.c.id, days.day, _d.c.promised_date, _d.c.requested_date, _d.c.owner_id, days.m)
             .select_from(_d.join(WORKDAYS, days.day == delivered_on))
             .where(stage == Stage.DELIVERED.value, days.m >= 0))
    if owner_id is not None:
        deals = deals.where(_d.c.owner_id == owner_id)
    if dept is not None:
        deals = deals.where(_d.c.id.in_(select(_w.c.deal_id).where(_w.c.department == dept)))
    conn.execute(insert(DELIVERED).from_select(
        ["deal_id", "delivered_on", "promised_date", "requested_date", "owner_id", "m"], deals))
    # Grouped by month on one small key: month × 16 + promised × 4 + requested, where each date
    # is 0 (none), 1 (missed) or 3 (kept).
    dl = DELIVERED.c
    promised = case((dl.promised_date.is_(None), 0), (dl.delivered_on <= dl.promised_date, 3), else_=1)
    requested = case((dl.requested_date.is_(None), 0), (dl.delivered_on <= dl.requested_date, 3), else_=1)
    counted, _ = _count_keys(conn, dl.m * 16 + promised * 4 + requested, DELIVERED, [])
    per_month: dict[int, list[int]] = {}
    for k, n in counted.items():
        month, rest = divmod(k, 16)
        p, r = divmod(rest, 4)
        row = per_month.setdefault(month, [0, 0, 0, 0, 0])
        row[0] += n
        row[1] += n * (p & 1)
        row[2] += n * (p >> 1)
        row[3] += n * (r & 1)
        row[4] += n * (r >> 1)
    months = period.months()
    return [DealGroup(months[m], n, OnTime(p, pk), OnTime(r, rk)) for m, (n, p, pk, r, rk) in sorted(per_month.items())]


def _involved(deals: Any) -> Any:
    """(deal, team member) for everyone on our side of ``deals``: parties, sign-offs, the owner."""
    pa, so = t.PartyRow.__table__, t.SignOffRow.__table__
    return union(
        select(pa.c.deal_id, pa.c.member_id).where(pa.c.deal_id.in_(deals), pa.c.side == Side.OURS.value,
                                                    pa.c.member_id.is_not(None)),
        select(so.c.deal_id, so.c.member_id).where(so.c.deal_id.in_(deals)),
        select(_d.c.id, _d.c.owner_id).where(_d.c.id.in_(deals), _d.c.owner_id.is_not(None)),
    ).subquery()


def _deals_per_person(on_time: Any) -> Any:
    """(team member, deals) for everyone on our side of the delivered deals that are ``on_time``.

    The same as counting the distinct deals of :func:`_involved` per person, without collecting
    every (deal, owner) pair first: each deal counts for its owner, and for everyone else among
    its parties and sign-offs once.
    """
    pa, so, dl = t.PartyRow.__table__, t.SignOffRow.__table__, DELIVERED.c
    owned = (select(dl.owner_id.label("member_id"), func.count().label("deals"))
             .where(on_time, dl.owner_id.is_not(None)).group_by(dl.owner_id))
    others = union(
        select(pa.c.deal_id, pa.c.member_id).join(DELIVERED, dl.deal_id == pa.c.deal_id).where(
            on_time, pa.c.side == Side.OURS.value, pa.c.member_id.is_not(None),
            pa.c.member_id.is_distinct_from(dl.owner_id)),
        select(so.c.deal_id, so.c.member_id).join(DELIVERED, dl.deal_id == so.c.deal_id).where(
            on_time, so.c.member_id.is_distinct_from(dl.owner_id)),
    ).subquery()
    helped = select(others.c.member_id, func.count().label("deals")).group_by(others.c.member_id)
    return union_all(owned, helped).subquery()


def _successes(conn: Connection) -> Successes:
    """Deals delivered on time (against the promised date) and everyone on our side in them."""
    dl = DELIVERED.c
    on_time = dl.delivered_on <= dl.promised_date
    count = int(conn.scalar(select(func.count()).select_from(DELIVERED).where(on_time)) or 0)
    if not count:
        return Successes(0, (), ())
    m, c = t.TeamMemberRow.__table__, t.CustomerRow.__table__
    per_person = _deals_per_person(on_time)
    deals = func.sum(per_person.c.deals)
    people = conn.execute(
        select(m.c.name, m.c.department, deals)
        .select_from(per_person.join(m, m.c.id == per_person.c.member_id))
        .group_by(m.c.id, m.c.name, m.c.department)
        .order_by(deals.desc(), m.c.name)
    ).all()
    # Only the deals delivered on or after the day of the tenth latest are looked up by reference.
    latest = (select(dl.delivered_on).where(on_time).order_by(dl.delivered_on.desc())
              .limit(1).offset(RECENT_SUCCESSES - 1).scalar_subquery())
    recent = conn.execute(
        select(_d.c.id, _d.c.ref, _d.c.title, c.c.name, dl.delivered_on, dl.promised_date)
        .select_from(DELIVERED.join(_d, _d.c.id == dl.deal_id).join(c, c.c.id == _d.c.customer_id))
        .where(on_time, dl.delivered_on >= func.coalesce(latest, date.min))
        .order_by(dl.delivered_on.desc(), _d.c.ref.desc())
        .limit(RECENT_SUCCESSES)
    ).all()
    names: dict[int, list[str]] = {}
    if recent:
        named = _involved([r[0] for r in recent])
        for deal_id, name in conn.execute(select(named.c.deal_id, m.c.name).join(m, m.c.id == named.c.member_id)
                                          .order_by(m.c.name)):
            names.setdefault(deal_id, []).append(name)
    return Successes(
        count,
        tuple(Contributor(name, department, int(n)) for name, department, n in people),
        tuple(Success(ref, title, customer, delivered, promised, tuple(names.get(deal_id, ())))
              for deal_id, ref, title, customer, delivered, promised in recent),
    )


def _declined(conn: Connection, period: Period, owner_id: int | None, dept: str | None) -> Declined:
    """Deals declined in the period (their last change fell in it), with the reasons given."""
    so = t.SignOffRow.__table__
    said_no = select(so.c.deal_id).where(so.c.verdict == Verdict.NOT_FEASIBLE.value, so.c.current.is_(True))
    first = datetime.combine(period.start, time(), tzinfo=UTC)
    after = datetime.combine(period.end + timedelta(days=1), time(), tzinfo=UTC)
    where: list[Any] = [_d.c.stage == Stage.DECLINED.value, _d.c.updated_at >= first, _d.c.updated_at < after]
    if owner_id is not None:
        where.append(_d.c.owner_id == owner_id)
    if dept is not None:
        where.append(_d.c.id.in_(said_no.where(so.c.department == dept)))
    reasons = conn.execute(select(_d.c.decline_reason, func.count()).where(*where).group_by(_d.c.decline_reason))
    departments = func.count(func.distinct(so.c.deal_id))
    by_department = conn.execute(
        select(so.c.department, departments).join(_d, _d.c.id == so.c.deal_id)
        .where(*where, so.c.verdict == Verdict.NOT_FEASIBLE.value, so.c.current.is_(True))
        .group_by(so.c.department).order_by(departments.desc(), so.c.department)
    ).all()
    why: dict[str, int] = {}
    for reason, n in reasons:
        text = (reason or "").strip() or "(no reason given)"
        why[text] = why.get(text, 0) + int(n)
    return Declined(
        sum(why.values()),
        tuple(sorted(why.items(), key=lambda r: (-r[1], r[0]))),
        tuple((name, int(n)) for name, n in by_department),
    )


# --- breakdowns ---------------------------------------------------------------------------------

def _breakdown_groups(
    conn: Connection, period: Period, departments: list[str], owner_id: int | None, dept: str | None
) -> tuple[list[BreakdownGroup], Decimal | None]:
    """Breakdowns of the period per category, department and month, and their total cost."""
    # The period comes from the days table: SQLite then reads the breakdowns straight through
    # (cheaper than its date index, which visits the rows in random order).
    where: list[Any] = [WORKDAYS.c.m >= 0]
    if not _is_sqlite(conn):
        where += [_b.c.occurred_on >= period.start, _b.c.occurred_on <= period.end]
    if owner_id is not None:
        where.append(_b.c.deal_id.in_(_owned_by(owner_id)))
    if dept is not None:
        where.append(_b.c.department == dept)
    source = _b.join(WORKDAYS, WORKDAYS.c.day == _b.c.occurred_on)
    # Counted on one key, category × departments × months: a category this version does not know
    # counts as "other" (as the summary would count it), a department the settings do not know
    # makes the key NULL and is grouped by name below.
    categories = list(BreakdownCategory)
    category = case({c.value: i for i, c in enumerate(categories)}, value=_b.c.category,
                    else_=categories.index(BreakdownCategory.OTHER))
    department: Any = case({name: i for i, name in enumerate(departments)}, value=_b.c.department,
                           else_=None) if departments else null()
    span = max(1, len(departments))
    counted, (cost,) = _count_keys(conn, (category * span + department) * _MONTH_SPAN + WORKDAYS.c.m, source, where,
                                   func.sum(_b.c.cost))
    months = period.months()
    groups = []
    for k, n in counted.items():
        if k >= 0:
            rest, month = divmod(k, _MONTH_SPAN)
            c, d = divmod(rest, span)
            groups.append(BreakdownGroup(categories[c].value, departments[d], months[month], n))
    if -1 in counted:
        others = (select(_b.c.category, _b.c.department, WORKDAYS.c.m, func.count()).select_from(source)
                  .where(*where, department.is_(None)).group_by(_b.c.category, _b.c.department, WORKDAYS.c.m))
        groups += [BreakdownGroup(c, d, months[m], int(n)) for c, d, m, n in conn.execute(others)]
    return groups, cost
