"""The yardstick from the database: promises kept, breakdowns, accuracy, calibrated factors.

Built for a long history (100,000 deals, a million work items): no deal is loaded whole. The
database counts and groups; Python only sees grouped rows. Working days between two dates come
from a small temporary table of cumulative working-day counts (the team calendar, counted once),
joined to the work items, so the database can group finished items by the days they took.
"""

from __future__ import annotations

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
    null,
    or_,
    select,
    type_coerce,
    union,
)

from salesdesk.domain.errors import ValidationError
from salesdesk.domain.model import DepartmentSettings, ItemStatus, Settings, Side, Stage, Verdict
from salesdesk.domain.yardstick import (
    BreakdownGroup,
    Calibration,
    Contributor,
    DealGroup,
    Declined,
    ItemGroup,
    OnTime,
    Period,
    Success,
    Successes,
    WorkingDayIndex,
    Yardstick,
    calibrate,
    month_number,
    summarise_breakdowns,
    summarise_deals,
    summarise_items,
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
#: From this many work items on, the pieces of the yardstick are read side by side.
PARALLEL_FROM = 100_000
#: Calibration on its own first looks for each department's last items this far back.
CALIBRATION_GUESS_DAYS = 120
#: The longest period the yardstick covers (the packed keys below have room for 85 years).
MAX_YEARS = 50

# A finished item's group key packs (department, month, raw centi-days, working days taken, kept)
# into one integer: SQLite groups a single integer column much faster than several. Items the
# key cannot describe (a department not in the settings, no actual start, a start before the
# look-back, no promised date) get a NULL key and are counted one by one instead.
_MONTH_SPAN = 1024  # months in a period (85 years)
_RAW_SPAN = 100_000  # raw estimates are at most 999 days = 99,900 centi-days
_TAKEN_SPAN = 16_384  # working days an item took
_DEPARTMENT_SPAN = 127

_temp = MetaData()
WORKDAYS = Table(
    "sd_yardstick_days", _temp,
    Column("day", Date, primary_key=True),
    Column("n", Integer, nullable=False),  # working days from the first row up to this day
    Column("m", Integer, nullable=False),  # months since the period's first month
    prefixes=["TEMPORARY"], sqlite_with_rowid=False,
)
DELIVERED = Table(
    "sd_yardstick_delivered", _temp,
    Column("deal_id", Integer, primary_key=True),
    Column("delivered_on", Date, nullable=False),
    Column("promised_date", Date),
    Column("requested_date", Date),
    prefixes=["TEMPORARY"],
)

R = TypeVar("R")

_w = t.WorkItemRow.__table__
_d = t.DealRowORM.__table__
_b = t.BreakdownRow.__table__


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
        first_month = month_number(period.start)
        workdays = [{"day": d, "n": n, "m": month_number(d) - first_month} for d, n in days.days()]

        def read(work: Callable[[Connection, WorkingDayIndex], R], *, temp: bool = True) -> R:
            # Each piece of work has its own session (and temporary tables and day index), so
            # pieces can run side by side: SQLite and PostgreSQL work while Python waits.
            index = WorkingDayIndex(calendar.is_working_day, days.first, days.last)
            with self.ctx.store.read() as s:
                conn = s.connection()
                if temp:
                    _create_temp_tables(conn, workdays)
                try:
                    return work(conn, index)
                finally:
                    if temp:
                        _drop_temp_tables(conn)

        def item_part(first_id: int, last_id: int) -> Callable[[Connection, WorkingDayIndex], list[ItemGroup]]:
            return lambda conn, index: _item_groups(conn, period, index, known, owner_id, dept, (first_id, last_id))

        def deal_figures(conn: Connection, _index: WorkingDayIndex) -> tuple[list[DealGroup], Successes]:
            return _deal_groups(conn, period, owner_id, dept), _successes(conn)

        def other_figures(conn: Connection, _index: WorkingDayIndex) -> tuple[list[BreakdownGroup], Declined]:
            return _breakdown_groups(conn, period, owner_id, dept), _declined(conn, period, owner_id, dept)

        pieces = _item_pieces(last_id)
        # One more worker than item pieces: the deals start at once instead of queueing behind them.
        with ThreadPoolExecutor(max_workers=pieces + 1, thread_name_prefix="yardstick") as pool:
            deal_work = pool.submit(read, deal_figures)
            parts = [pool.submit(read, item_part(lo, hi)) for lo, hi in _id_ranges(last_id, pieces)]
            other_work = pool.submit(read, other_figures)
            groups = [g for part in parts for g in part.result()]
            departments = [dept] if dept else _all_departments(st, groups)
            cutoffs = month_cutoffs(groups, st.calibration_window)
            calibration = read(lambda conn, index: self._calibrate(conn, st, departments, period.end, index, cutoffs),
                               temp=False)
            deal_groups, successes = deal_work.result()
            breakdown_groups, declined = other_work.result()
        months = period.months()
        return Yardstick(period, owner_name, dept, summarise_items(groups, months), summarise_deals(deal_groups, months),
                         summarise_breakdowns(breakdown_groups, months), calibration, declined, successes)

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
            # A guess first: a busy department finished its last items within the last months.
            guess = dict.fromkeys(departments, end - timedelta(days=CALIBRATION_GUESS_DAYS))
            return self._calibrate(conn, st, departments, end, index, guess)

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
    """In how many pieces the work items are read side by side: one for a small history, up to four."""
    if last_id < PARALLEL_FROM:
        return 1
    return max(2, min(4, os.cpu_count() or 1))


def _id_ranges(last_id: int, parts: int) -> list[tuple[int, int]]:
    """Work item ids 1…``last_id`` cut into ``parts`` ranges the database can each scan on its own."""
    size = max(1, -(-last_id // parts))
    return [(lo, min(lo + size - 1, last_id)) for lo in range(1, last_id + 1, size)] or [(1, 0)]


def _all_departments(st: Settings, groups: Iterable[ItemGroup]) -> list[str]:
    names = [d.name for d in st.departments]
    names += sorted({g.department for g in groups} - set(names))
    return names


# --- temporary tables --------------------------------------------------------------------------

def _create_temp_tables(conn: Connection, workdays: list[dict[str, Any]]) -> None:
    _drop_temp_tables(conn)
    WORKDAYS.create(conn)
    DELIVERED.create(conn)
    conn.execute(insert(WORKDAYS), workdays)


def _drop_temp_tables(conn: Connection) -> None:
    for table in (DELIVERED, WORKDAYS):
        table.drop(conn, checkfirst=True)


def _raw_centidays(conn: Connection) -> Any:
    """The raw estimate in hundredths of a day, as an integer the database can group."""
    if conn.dialect.name == "sqlite":
        return type_coerce(_w.c.raw_days, BigInteger)  # already stored ×100 (see schema.ScaledDecimal)
    return cast(func.round(type_coerce(_w.c.raw_days, Numeric()) * 100), BigInteger)


def _owned_by(owner_id: int) -> Any:
    return select(_d.c.id).where(_d.c.owner_id == owner_id)


# --- work items ---------------------------------------------------------------------------------

def _item_filters(period: Period, owner_id: int | None, dept: str | None, ids: tuple[int, int]) -> list[Any]:
    # The cheapest test that rejects the most rows first: SQLite checks the terms in this order.
    found: list[Any] = [_w.c.id >= ids[0], _w.c.id <= ids[1], _w.c.actual_done >= period.start,
                        _w.c.actual_done <= period.end, _w.c.status == ItemStatus.DONE.value]
    if owner_id is not None:
        found.append(_w.c.deal_id.in_(_owned_by(owner_id)))
    if dept is not None:
        found.append(_w.c.department == dept)
    return found


def _item_groups(
    conn: Connection, period: Period, index: WorkingDayIndex, departments: list[str], owner_id: int | None,
    dept: str | None, ids: tuple[int, int],
) -> list[ItemGroup]:
    """Finished items of the period, grouped by the database on one packed integer (see above)."""
    known = departments[:_DEPARTMENT_SPAN]
    began, done = WORKDAYS.alias("began"), WORKDAYS.alias("done")
    code = case({name: i for i, name in enumerate(known)}, value=_w.c.department, else_=None) if known else null()
    taken = case((_w.c.actual_start <= _w.c.actual_done, done.c.n - began.c.n), else_=None)
    kept = cast(_w.c.actual_done <= _w.c.promised_due, Integer)
    key = ((((cast(code, BigInteger) * _MONTH_SPAN + done.c.m) * _RAW_SPAN + _raw_centidays(conn)) * _TAKEN_SPAN
            + taken) * 2 + kept)
    joined = _w.join(done, done.c.day == _w.c.actual_done).outerjoin(began, began.c.day == _w.c.actual_start)
    where = _item_filters(period, owner_id, dept, ids)
    counted: Iterable[tuple[Any, int]]
    if conn.dialect.name == "sqlite":
        # SQLite sorts every row to GROUP BY; handing the keys over as one string and counting them
        # in Python (a C loop) costs less. A NULL key (see above) arrives as -1.
        keys = conn.scalar(select(func.group_concat(func.coalesce(key, -1))).select_from(joined).where(*where))
        counted = Counter(keys.split(",")).items() if keys else ()
    else:
        grouped = select(func.coalesce(key, -1), func.count()).select_from(joined).where(*where).group_by(key)
        counted = [(packed, count) for packed, count in conn.execute(grouped)]
    months = period.months()
    groups: list[ItemGroup] = []
    odd = False
    for packed, count in counted:
        if int(packed) < 0:
            odd = True
            continue
        rest, on_time = divmod(int(packed), 2)
        rest, days = divmod(rest, _TAKEN_SPAN)
        rest, raw = divmod(rest, _RAW_SPAN)
        code_, month = divmod(rest, _MONTH_SPAN)
        groups.append(ItemGroup(known[code_], months[month], Decimal(raw).scaleb(-2), days, bool(on_time), int(count)))
    if odd:
        groups += _odd_items(conn, period, index, known, owner_id, dept, ids)
    return groups


def _odd_items(
    conn: Connection, period: Period, index: WorkingDayIndex, known: list[str], owner_id: int | None,
    dept: str | None, ids: tuple[int, int],
) -> list[ItemGroup]:
    """The items whose packed key is NULL, counted one by one (exactly the same conditions)."""
    query = select(_w.c.department, _w.c.raw_days, _w.c.actual_start, _w.c.actual_done, _w.c.promised_due).where(
        *_item_filters(period, owner_id, dept, ids),
        or_(_w.c.department.not_in(known), _w.c.actual_start.is_(None), _w.c.actual_start > _w.c.actual_done,
            _w.c.actual_start < index.first, _w.c.promised_due.is_(None)),
    )
    found = []
    for department, raw, began, finished, due in conn.execute(query):
        days = index.between(began, finished) if began is not None and began <= finished else None
        found.append(ItemGroup(department, f"{finished.year:04d}-{finished.month:02d}", raw, days,
                               None if due is None else finished <= due, 1))
    return found


def month_cutoffs(groups: Iterable[ItemGroup], window: int) -> dict[str, date]:
    """Per department, the first day of the latest month from which on the period holds ``window``
    finished items with a known start — so their last ``window`` items all finished since then."""
    per_month: dict[str, dict[str, int]] = {}
    for g in groups:
        if g.working_days is not None:
            months = per_month.setdefault(g.department, {})
            months[g.month] = months.get(g.month, 0) + g.count
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

    Departments with a cutoff (see :func:`month_cutoffs`) are read in one scan that sorts only
    their recent items; the others, and any that came up short, are looked up by department.
    """
    wanted = {name: since for name, since in cutoffs.items() if name in departments}
    history = _last_items(conn, end, window, index, cutoffs=wanted) if wanted else {}
    rest = [name for name in departments if len(history.get(name, ())) < window]
    if rest:
        history.update(_last_items(conn, end, window, index, departments=rest))
    return history


def _last_items(
    conn: Connection, end: date, window: int, index: WorkingDayIndex, *, cutoffs: dict[str, date] | None = None,
    departments: list[str] | None = None,
) -> dict[str, list[tuple[Decimal, int]]]:
    where: list[Any] = []
    if cutoffs:
        # The department is only looked at inside expressions here, which keeps SQLite off the
        # department index: walking it visits the rows in random order, far slower than one scan.
        # The plain date test comes first: it turns most rows away at once.
        since = case(cutoffs, value=_w.c.department, else_=date.max)
        where += [_w.c.actual_done >= min(cutoffs.values()), _w.c.actual_done >= since]
        department: Any = (_w.c.department + "").label("department")
    else:
        where.append(_w.c.department.in_(departments or []))
        department = _w.c.department
    where += [_w.c.actual_done <= end, _w.c.status == ItemStatus.DONE.value, _w.c.actual_start.is_not(None),
              _w.c.actual_start <= _w.c.actual_done]
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
    delivered = select(_d.c.id).where(_d.c.stage == Stage.DELIVERED.value)
    if owner_id is not None:
        delivered = delivered.where(_d.c.owner_id == owner_id)
    if dept is not None:
        delivered = delivered.where(_d.c.id.in_(select(_w.c.deal_id).where(_w.c.department == dept)))
    # Grouped from the work items' side: their deal index returns a deal's items together.
    delivered_on = func.max(_w.c.actual_done)
    last_done = (
        select(_w.c.deal_id, delivered_on.label("delivered_on"))
        .where(_w.c.deal_id.in_(delivered))
        .group_by(_w.c.deal_id)
        .having(and_(delivered_on >= period.start, delivered_on <= period.end))
        .subquery()
    )
    deals = select(last_done.c.deal_id, last_done.c.delivered_on, _d.c.promised_date, _d.c.requested_date).join(
        _d, _d.c.id == last_done.c.deal_id)
    conn.execute(insert(DELIVERED).from_select(["deal_id", "delivered_on", "promised_date", "requested_date"], deals))
    dl = DELIVERED.c

    def flag(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    query = (
        select(WORKDAYS.c.m, func.count(),
               flag(dl.promised_date.is_not(None)), flag(dl.delivered_on <= dl.promised_date),
               flag(dl.requested_date.is_not(None)), flag(dl.delivered_on <= dl.requested_date))
        .select_from(DELIVERED.join(WORKDAYS, WORKDAYS.c.day == dl.delivered_on))
        .group_by(WORKDAYS.c.m)
    )
    months = period.months()
    return [
        DealGroup(months[m], int(n), OnTime(int(p or 0), int(pk or 0)), OnTime(int(r or 0), int(rk or 0)))
        for m, n, p, pk, r, rk in conn.execute(query)
    ]


def _on_time_deals() -> Any:
    return select(DELIVERED.c.deal_id).where(DELIVERED.c.delivered_on <= DELIVERED.c.promised_date)


def _involved(deals: Any) -> Any:
    """(deal, team member) for everyone on our side of ``deals``: parties, sign-offs, the owner."""
    pa, so = t.PartyRow.__table__, t.SignOffRow.__table__
    return union(
        select(pa.c.deal_id, pa.c.member_id).where(pa.c.deal_id.in_(deals), pa.c.side == Side.OURS.value,
                                                    pa.c.member_id.is_not(None)),
        select(so.c.deal_id, so.c.member_id).where(so.c.deal_id.in_(deals)),
        select(_d.c.id, _d.c.owner_id).where(_d.c.id.in_(deals), _d.c.owner_id.is_not(None)),
    ).subquery()


def _successes(conn: Connection) -> Successes:
    """Deals delivered on time (against the promised date) and everyone on our side in them."""
    count = int(conn.scalar(select(func.count()).select_from(_on_time_deals().subquery())) or 0)
    if not count:
        return Successes(0, (), ())
    m, c, dl = t.TeamMemberRow.__table__, t.CustomerRow.__table__, DELIVERED.c
    involved = _involved(_on_time_deals())
    deals = func.count(func.distinct(involved.c.deal_id))
    people = conn.execute(
        select(m.c.name, m.c.department, deals)
        .select_from(involved.join(m, m.c.id == involved.c.member_id))
        .group_by(m.c.id, m.c.name, m.c.department)
        .order_by(deals.desc(), m.c.name)
    ).all()
    recent = conn.execute(
        select(_d.c.id, _d.c.ref, _d.c.title, c.c.name, dl.delivered_on, dl.promised_date)
        .select_from(DELIVERED.join(_d, _d.c.id == dl.deal_id).join(c, c.c.id == _d.c.customer_id))
        .where(dl.delivered_on <= dl.promised_date)
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

def _breakdown_groups(conn: Connection, period: Period, owner_id: int | None, dept: str | None) -> list[BreakdownGroup]:
    where: list[Any] = [_b.c.occurred_on >= period.start, _b.c.occurred_on <= period.end]
    if owner_id is not None:
        where.append(_b.c.deal_id.in_(_owned_by(owner_id)))
    if dept is not None:
        where.append(_b.c.department == dept)
    cost = func.sum(_b.c.cost)
    query = (
        select(_b.c.category, _b.c.department, WORKDAYS.c.m, func.count(), cost)
        .select_from(_b.join(WORKDAYS, WORKDAYS.c.day == _b.c.occurred_on))
        .where(*where)
        .group_by(_b.c.category, _b.c.department, WORKDAYS.c.m)
    )
    months = period.months()
    return [BreakdownGroup(category, department, months[m], int(n), total if total is not None else Decimal("0"))
            for category, department, m, n, total in conn.execute(query)]

