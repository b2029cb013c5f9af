"""Realistic demo data, deterministic for a seed: a small company with deals in every stage.

Large demos (``--deals 100000``) are built a thousand deals at a time by worker processes, each
writing its chunks with bulk inserts in one transaction per chunk; every deal still gets its lines,
checklist, work items, sign-offs, parties, terms, action items, kickoff, delivery history and
breakdowns as its stage implies.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import multiprocessing.util
import os
import random
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, partial
from operator import itemgetter
from typing import Any

from sqlalchemy import Date, event, func, insert, select, text
from sqlalchemy.exc import IntegrityError

from salesdesk.domain.calendar import WorkCalendar
from salesdesk.domain.fingerprint import fingerprint_of, reviewed_form
from salesdesk.domain.model import (
    ActionItem,
    Answer,
    Breakdown,
    BreakdownCategory,
    ChecklistItem,
    Deal,
    DealLine,
    DealTerm,
    DepartmentSettings,
    DiscoveryQuestion,
    HelpContact,
    ItemStatus,
    Kickoff,
    Objection,
    Party,
    Settings,
    Side,
    SignOff,
    Stage,
    Stakeholder,
    Verdict,
    WorkItem,
)
from salesdesk.domain.schedule import WorkItemSpec, schedule
from salesdesk.domain.search import search_key
from salesdesk.services import demo_data as data
from salesdesk.services.app import Services
from salesdesk.services.context import Context
from salesdesk.services.delivery import missed_date_breakdown_uid
from salesdesk.services.feasibility import condition_term_uid
from salesdesk.services.promise import calendar_from_settings, department_factor
from salesdesk.store import schema as t
from salesdesk.store.engine import open_store
from salesdesk.store.schema import UTCDateTime

# How often each stage occurs in the demo (a living pipeline with a long history behind it).
STAGE_WEIGHTS: tuple[tuple[Stage, int], ...] = (
    (Stage.DISCOVERY, 9),
    (Stage.FEASIBILITY, 9),
    (Stage.CLEARED, 5),
    (Stage.DECLINED, 5),
    (Stage.QUOTED, 8),
    (Stage.AGREED, 6),
    (Stage.KICKED_OFF, 4),
    (Stage.DELIVERING, 9),
    (Stage.DELIVERED, 38),
    (Stage.LOST, 7),
)
_STAGES = tuple(s for s, _ in STAGE_WEIGHTS)
_CUMULATIVE_WEIGHTS = tuple(itertools.accumulate(w for _, w in STAGE_WEIGHTS))
_SIGNED = frozenset({Stage.AGREED, Stage.KICKED_OFF, Stage.DELIVERING, Stage.DELIVERED})
_REVIEWED = frozenset({Stage.CLEARED, Stage.QUOTED}) | _SIGNED
_CHUNK = 1000


@dataclass
class _Cast:
    members: dict[str, tuple[int, str, str]]  # name -> (row id, uid, department)
    customers: list[tuple[int, str, str, list[tuple[int, str, str]]]]  # (id, uid, name, contacts (id, uid, name))
    terms: list[tuple[int, str, str, str]]  # (id, uid, title, body)
    templates: dict[str, list[tuple[str, str, str, bool]]]  # product line -> (department, question, help, mandatory)

    def __post_init__(self) -> None:
        self.member_ids = {uid: row_id for row_id, uid, _d in self.members.values()}
        self.contact_ids = {c[1]: c[0] for cust in self.customers for c in cust[3]}
        self.term_ids = {uid: row_id for row_id, uid, _t, _b in self.terms}


_SEQUENCE = itertools.count()


def _uid(rng: random.Random) -> str:
    """A time-ordered (version 7 layout) UUID from the seeded generator.

    Its leading 48 bits count up through the demo, so the unique uid indexes grow at their end
    instead of at random pages: a 100,000-deal demo writes gigabytes less. The low 74 bits are
    random, so the same seed gives the same ids.
    """
    r = rng.getrandbits(74)
    h = ((next(_SEQUENCE) & _MASK48) << 80 | _VERSION_7 | (r >> 62) << 64 | _VARIANT | r & _MASK62).to_bytes(16).hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_MASK48, _MASK62 = (1 << 48) - 1, (1 << 62) - 1
_VERSION_7, _VARIANT = 7 << 76, 2 << 62


def _at(d: date, rng: random.Random) -> datetime:
    """A moment in office hours (08:00–17:59 UTC) on ``d``."""
    minute = int(rng.random() * 600)
    return datetime(d.year, d.month, d.day, 8 + minute // 60, minute % 60, tzinfo=UTC)


def generate_demo(
    services: Services,
    *,
    deals: int = 60,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
    today: date | None = None,
    workers: int | None = None,
    agreements: int = 0,
) -> str:
    """Fill the database with a demo company and ``deals`` deals; return a one-line summary.

    ``agreements``: how many of the most recent signed deals also get a real signed letter of
    agreement (a PDF each, about half a second apiece; older demo deals carry none).

    Deals are built in chunks, each from its own generator seeded by ``seed`` and the chunk's
    number, so the result is the same however many worker processes build them.
    """
    existing = _next_ids(services)["deals"] - 1
    rng = random.Random(seed if existing == 0 else seed * 7_919 + existing)
    today = today or date.today()
    global _SEQUENCE
    _SEQUENCE = itertools.count(existing << 6)
    _demo_settings(services)
    st = services.settings.load()
    cast = _cast(services, rng, _next_ids(services), max(8, deals // 8))
    plans = sorted((_plan(rng, today) for _ in range(deals)), key=lambda p: p[1])
    counters: dict[str, int] = {}
    numbered: list[tuple[Stage, date, str]] = []
    for stage, created in plans:
        year = str(created.year)
        if year not in counters:
            counters[year] = _last_ref_number(services, year)
        counters[year] += 1
        numbered.append((stage, created, f"D-{year}-{counters[year]:04d}"))
    chunks = [(start, seed, numbered[start:start + _CHUNK]) for start in range(0, deals, _CHUNK)]
    context = (cast, st, today, services.store.engine.dialect.name, existing)
    written = signed = 0
    processes = min(workers if workers is not None else (os.cpu_count() or 1), len(chunks))
    in_memory = services.store.is_sqlite and services.store.sqlite_path is None
    if processes <= 1 or in_memory:
        _init_worker(*context)
        for chunk in chunks:
            written += _write_chunk(services, _build_chunk(chunk))
            if progress:
                progress(written, deals)
        _advance_sequences(services)
        if agreements > 0:
            from salesdesk.services.agreements_demo import add_demo_agreements

            signed = add_demo_agreements(services, limit=agreements, seed=seed, today=today)
    else:
        # Each worker builds a chunk and writes it through its own connection, taking turns at the
        # database while the other builds: nothing big crosses between processes.
        from salesdesk.services.agreements_demo import demo_agreement_refs

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        _INHERITED[:] = [services.store.engine, services.store.write_engine]
        try:
            with ProcessPoolExecutor(processes, multiprocessing.get_context(method), _init_worker,
                                     (*context, services.store.url, services.ctx.actor)) as pool:
                for count in pool.map(_build_and_write, chunks):
                    written += count
                    if progress:
                        progress(written, deals)
                _advance_sequences(services)
                refs = demo_agreement_refs(services, agreements)
                signed = sum(pool.map(_sign_agreement, [(ref, i, seed, today) for i, ref in enumerate(refs)]))
        finally:
            _INHERITED.clear()
    return (f"Demo data: {written:,} deals for {len(cast.customers):,} customers and {len(cast.members)} team members"
            + (f", {signed} signed agreements." if signed else "."))


def _next_ids(services: Services) -> dict[str, int]:
    """The next free row id of every table."""
    out: dict[str, int] = {}
    with services.store.read() as s:
        for table in t.Base.metadata.sorted_tables:
            if "id" in table.c:
                out[table.name] = int(s.scalar(select(func.max(table.c.id))) or 0) + 1
    return out


@dataclass
class _Chunk:
    """One chunk of deals as rows ready for the driver: per table its INSERT and its parameter rows.

    Deal ids are final (the chunk's place after the deals that existed when the demo began); the
    other tables' ids are left to the database.
    """

    first_deal_id: int
    deals: int
    tables: list[tuple[str, str, list[str], list[tuple[Any, ...]]]]  # (table, INSERT, columns, rows)


_WORKER: dict[str, Any] = {}
_INHERITED: list[Any] = []  # the parent's engines, which a forked worker must leave alone


def _init_worker(cast: _Cast, st: Settings, today: date, dialect_name: str, existing: int,
                 url: str | None = None, actor: str = "demo") -> None:
    _WORKER.update(cast=cast, st=st, today=today, cal=calendar_from_settings(st), dialect=_dialect(dialect_name),
                   existing=existing, factor=cache(partial(department_factor, st)))
    if url is not None:  # a worker process that writes its own chunks
        for engine in _INHERITED:
            engine.dispose(close=False)  # forked connections belong to the parent
        store = open_store(url, migrate=False)
        if store.is_sqlite:
            event.listen(store.engine, "connect", _bulk_pragmas)
        services = Services(Context(store=store, actor=actor))
        _WORKER["services"] = services
        multiprocessing.util.Finalize(services, services.close, exitpriority=10)


def _bulk_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """A demo worker's own SQLite connection trades memory and durability for speed: a page cache
    of up to 256 MB, so the indexes of a big demo stay in memory (a 100,000-deal demo writes a
    tenth faster than with 64 MB), and commits that do not wait for the disk (WAL with
    ``synchronous=NORMAL`` cannot corrupt the file; a power cut may lose the last chunks written,
    which running the demo again restores)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA cache_size = -262144")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _build_and_write(job: tuple[int, int, list[tuple[Stage, date, str]]]) -> int:
    return _write_chunk(_WORKER["services"], _build_chunk(job))


def _sign_agreement(job: tuple[str, int, int, date]) -> bool:
    from salesdesk.services.agreements_demo import sign_demo_agreement

    ref, index, seed, today = job
    return sign_demo_agreement(_WORKER["services"], ref, index, seed=seed, today=today)


def _dialect(name: str) -> Any:
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import pysqlite

        return pysqlite.dialect()
    from sqlalchemy.dialects.postgresql import psycopg

    return psycopg.dialect(paramstyle="format")  # positional, like SQLite's: rows go as tuples


def _build_chunk(job: tuple[int, int, list[tuple[Stage, date, str]]]) -> _Chunk:
    """Build one chunk's rows, already converted to the database's representation."""
    # Hundreds of thousands of short-lived objects and no reference cycles: the cycle collector
    # would only walk them again and again (a quarter of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _chunk_rows(*job)
    finally:
        if collecting:
            gc.enable()


def _chunk_rows(start: int, seed: int, plans: list[tuple[Stage, date, str]]) -> _Chunk:
    global _SEQUENCE
    rng = random.Random(seed * 1_000_003 + start)
    _SEQUENCE = itertools.count((1 << 40) + ((_WORKER["existing"] + start) << 6))
    dialect = _WORKER["dialect"]
    first_deal_id = _WORKER["existing"] + 1 + start
    deal_ids = itertools.count(first_deal_id)
    buffer: dict[str, list[dict[str, Any]]] = {}
    for stage, created, ref in plans:
        _deal_rows(buffer, rng, next(deal_ids), stage, created, ref)
    tables = []
    for table in t.Base.metadata.sorted_tables:
        rows = buffer.get(table.name)
        if not rows:
            continue
        compiled = insert(table).compile(dialect=dialect, column_keys=list(rows[0]))
        columns = list(compiled.positiontup or [])
        values = [list(v) for v in zip(*map(itemgetter(*columns), rows), strict=True)]
        for i, c in enumerate(columns):
            column_type = table.c[c].type
            # SQLite stores dates and times as text: SQLAlchemy's own formats, written faster.
            if dialect.name == "sqlite" and type(column_type) is Date:
                values[i] = [None if v is None else v.isoformat() for v in values[i]]
            elif dialect.name == "sqlite" and type(column_type) is UTCDateTime:
                values[i] = [None if v is None else (v if v.tzinfo is UTC else v.astimezone(UTC))
                             .replace(tzinfo=None).isoformat(" ", "microseconds") for v in values[i]]
            elif (process := column_type._cached_bind_processor(dialect)) is not None:
                values[i] = list(map(process, values[i]))
        tables.append((table.name, str(compiled), columns, list(zip(*values, strict=True))))
    return _Chunk(first_deal_id, len(plans), tables)


def _write_chunk(services: Services, chunk: _Chunk) -> int:
    """Insert a chunk in one transaction.

    Its deal ids were chosen when the demo began; should any of them have been taken meanwhile
    (the app adding a deal to the same database), the chunk's deals move after the last one.
    """
    first, last = chunk.first_deal_id, chunk.first_deal_id + chunk.deals - 1
    attempts = 3
    while True:
        try:
            with services.store.write() as s:
                taken = s.scalar(select(func.count()).where(t.DealRowORM.id.between(first, last)))
                shift = int(s.scalar(select(func.max(t.DealRowORM.id))) or 0) + 1 - first if taken else 0
                cursor = s.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
                for name, sql, columns, rows in chunk.tables:
                    if shift:
                        at = {i for i, c in enumerate(columns) if c == "deal_id" or (name == "deals" and c == "id")}
                        rows = [tuple(v + shift if i in at and v is not None else v for i, v in enumerate(r))
                                for r in rows]
                    cursor.executemany(sql, rows)
                cursor.close()
            return chunk.deals
        except IntegrityError:
            attempts -= 1
            if not attempts:  # not a race with another writer (PostgreSQL): a real conflict
                raise


def _advance_sequences(services: Services) -> None:
    """PostgreSQL: explicit ids do not move a serial column's sequence, so move it past them."""
    if services.store.engine.dialect.name != "postgresql":
        return
    with services.store.write() as s:
        for table in t.Base.metadata.sorted_tables:
            if "id" in table.c:
                s.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                ))


def _last_ref_number(services: Services, year: str) -> int:
    from salesdesk.services.deals import next_ref

    with services.store.read() as s:
        return int(next_ref(s, int(year)).rsplit("-", 1)[1]) - 1


def _demo_settings(services: Services) -> None:
    st = services.settings.load()
    if st.company_name != "Your Company Ltd":
        return  # the team's own settings are never overwritten
    from salesdesk import paths

    logo = paths.resource_path("icons", "logo.png")
    departments = tuple(DepartmentSettings(name, f, c) for name, (f, c, _ratio) in data.DEPARTMENTS.items())
    known = {d.name for d in departments}
    departments += tuple(d for d in st.departments if d.name not in known)
    services.settings.save(
        replace(
            st,
            **data.COMPANY,
            logo_png=logo.read_bytes() if logo.exists() else None,
            currency="GBP",
            holiday_country="GB",
            holiday_subdivision="ENG",
            departments=departments,
        )
    )


def _cast(services: Services, rng: random.Random, next_ids: dict[str, int], customer_count: int) -> _Cast:
    class ids:  # noqa: N801 - a tiny counter over ``next_ids``
        @staticmethod
        def take(table: str) -> int:
            next_ids[table] += 1
            return next_ids[table] - 1

    now = datetime.now(UTC)
    members: dict[str, tuple[int, str, str]] = {}
    with services.store.write() as s:
        existing = {r.name: (r.id, r.uid, r.department) for r in s.scalars(select(t.TeamMemberRow))}
        rows = []
        for name, dept, role, can_sign in data.TEAM:
            if name in existing:
                members[name] = existing[name]
                continue
            row_id, uid = ids.take("team_members"), _uid(rng)
            first = name.split()[0].lower().replace("é", "e").replace("ê", "e")
            rows.append(dict(id=row_id, uid=uid, name=name, role=role, department=dept, can_sign_agreements=can_sign,
                             email=f"{first}@brightline.example", phone=f"+44 114 496 0{rng.randint(100, 999)}",
                             active=True, pin_hash=None, pin_failures=0, pin_locked_until=None, created_at=now))
            members[name] = (row_id, uid, dept)
        if rows:
            s.execute(insert(t.TeamMemberRow), rows)
        customers: list[tuple[int, str, str, list[tuple[int, str, str]]]] = []
        crow, ccontacts = [], []
        for i in range(customer_count):
            if i < len(data.INTERNATIONAL_CUSTOMERS) and customer_count >= 20:
                cname = data.INTERNATIONAL_CUSTOMERS[i]
            else:
                a, b, c = data.NAME_PARTS
                cname = f"{rng.choice(a)} {rng.choice(b)} {rng.choice(c)}"
                if customer_count > 200:
                    cname += f" ({i + 1})"
            cid, cuid = ids.take("customers"), _uid(rng)
            crow.append(dict(id=cid, uid=cuid, name=cname, address=f"{rng.randint(1, 250)} Industrial Way\n{rng.choice(['Leeds', 'Lyon', 'Rotterdam', 'Gdańsk', 'Porto', 'Malmö', 'Graz'])}",
                             industry=rng.choice(data.NAME_PARTS[1]), notes="", version=1, created_at=now, updated_at=now))
            contacts = []
            for pos, (role, dept) in enumerate(rng.sample(data.CONTACT_ROLES, rng.randint(2, 4))):
                person = f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}"
                ctid, ctuid = ids.take("contacts"), _uid(rng)
                ccontacts.append(dict(id=ctid, uid=ctuid, customer_id=cid, position=pos, name=person, role=role,
                                      department=dept, email=f"{person.split()[0].lower()}@customer{i + 1}.example",
                                      phone=f"+{rng.randint(30, 49)} {rng.randint(100, 999)} {rng.randint(100000, 999999)}"))
                contacts.append((ctid, ctuid, person))
            customers.append((cid, cuid, cname, contacts))
        conn = s.connection()  # Core inserts: the ORM's bulk path would cost half the cast's time
        for chunk in range(0, len(crow), 5000):
            conn.execute(insert(t.Base.metadata.tables["customers"]), crow[chunk:chunk + 5000])
        for chunk in range(0, len(ccontacts), 5000):
            conn.execute(insert(t.Base.metadata.tables["contacts"]), ccontacts[chunk:chunk + 5000])
        terms = [(r.id, r.uid, r.title, r.body) for r in s.scalars(select(t.StandardTermRow).order_by(t.StandardTermRow.id))]
        templates: dict[str, list[tuple[str, str, str, bool]]] = {}
        for tpl in s.scalars(select(t.ChecklistTemplateRow)):
            templates[tpl.product_line] = [(i.department, i.question, i.help_text, i.mandatory) for i in tpl.items]
    return _Cast(members, customers, terms, templates)


def _plan(rng: random.Random, today: date) -> tuple[Stage, date]:
    stage = rng.choices(_STAGES, cum_weights=_CUMULATIVE_WEIGHTS)[0]
    if stage in (Stage.DELIVERED, Stage.LOST, Stage.DECLINED):
        age = rng.randint(60, 720)
    elif stage in (Stage.DELIVERING, Stage.KICKED_OFF, Stage.AGREED):
        age = rng.randint(25, 110)
    else:
        age = rng.randint(1, 45)
    return stage, today - timedelta(days=age)


def _work_items(rng: random.Random, product_line: str) -> tuple[WorkItem, ...]:
    if product_line == "Consumables and spare parts":
        plan = [("Inventory control", 1), ("Shipping/Receiving", 1)]
    elif product_line == "Software and integration":
        plan = [("Engineering", 2), ("Operations", 1), ("Technical support", 1)]
    else:
        plan = [("Engineering", 1), ("Inventory control", 1), ("Manufacturing", 1), ("Shipping/Receiving", 1),
                ("Operations", 1), ("Technical support", 1)]
        plan = plan[: rng.randint(3, 6)]
    items: list[WorkItem] = []
    for dept, count in plan:
        for task in rng.sample(data.TASKS[dept], count):
            raw = Decimal(rng.choice([0.5, 1, 1, 2, 2, 3, 4, 5, 6, 8, 10])).quantize(Decimal("0.1"))
            preds = (items[-1].uid,) if items and rng.random() < 0.75 else ()
            items.append(WorkItem(uid=_uid(rng), department=dept, task=task, raw_days=raw, predecessors=preds))
    return tuple(items)


def _deal_rows(
    buf: dict[str, list[dict[str, Any]]], rng: random.Random, deal_id: int, stage: Stage, created: date, ref: str,
) -> None:
    """One deal and everything its stage implies, appended to ``buf`` as rows per table.

    The deal is put together once at the end from plain values (only the reviewed form needs a
    partial one earlier): building the frozen model step by step costs more than the rows do.
    """
    cast: _Cast = _WORKER["cast"]
    st: Settings = _WORKER["st"]
    cal: WorkCalendar = _WORKER["cal"]
    today: date = _WORKER["today"]
    product_line = rng.choice(list(data.CATALOGUE))
    titles, catalogue = data.CATALOGUE[product_line]
    cid, cuid, cname, contacts = rng.choice(cast.customers)
    owner = rng.choice(data.SALES_REPS)
    members = cast.members
    start = created + timedelta(days=rng.randint(5, 20))
    need, clarified = rng.choice(data.NEEDS)
    abilities, training = rng.choice(data.ABILITIES)
    lines = tuple(
        DealLine(_uid(rng), desc, Decimal(rng.choice([1, 1, 2, 3, 4, 6, 10])),
                 Decimal(rng.randint(lo, hi)).quantize(Decimal("1")), unit)
        for desc, unit, lo, hi in rng.sample(catalogue, min(len(catalogue), rng.randint(1, 4)))
    )
    work = _work_items(rng, product_line) if stage != Stage.DISCOVERY or rng.random() < 0.5 else ()
    sched = schedule([WorkItemSpec(w.uid, w.department, w.task, w.raw_days, w.predecessors) for w in work],
                     start, cal, _WORKER["factor"]) if work else None
    promised = sched.promised_date if sched else None
    requested = None
    if promised:
        requested = promised - timedelta(days=rng.choice([-20, -10, 0, 7, 14, 30]))
        requested = max(requested, start + timedelta(days=1))
    # The checklist, answered as far as the stage implies.
    template = cast.templates.get(product_line, [])
    answered = stage in _REVIEWED or stage in (Stage.DECLINED, Stage.LOST)
    checklist = tuple(
        ChecklistItem(
            uid=_uid(rng), department=dept, question=q, help_text=h, mandatory=m,
            answer=(Answer.YES if rng.random() < 0.85 else Answer.WITH_CONDITIONS)
            if answered or (stage == Stage.FEASIBILITY and rng.random() < 0.5) else None,
            notes="", answered_by=_member_of(members, dept, rng)[1] if answered else None,
            answered_at=_at(created + timedelta(days=3), rng) if answered else None,
        )
        for dept, q, h, m in template
    ) if stage != Stage.DISCOVERY else ()
    # Sign-offs: every involved department, as the stage implies.
    signoffs: list[SignOff] = []
    terms: list[DealTerm] = []
    decline_reason = lost_reason = ""
    departments = sorted({c.department for c in checklist} | {w.department for w in work})
    if stage in _REVIEWED or stage in (Stage.DECLINED, Stage.LOST):
        form = reviewed_form(Deal(uid="", ref=ref, title="", customer_uid=cuid, customer_name=cname, stage=stage,
                                  owner_uid=None, version=1,
                                  start_date=start, requested_date=requested, lines=lines, work_items=work,
                                  checklist=checklist))
        fp = fingerprint_of(form)
        declining = rng.choice(departments) if stage == Stage.DECLINED and departments else None
        for dept in departments:
            signer = _member_of(members, dept, rng)
            verdict = Verdict.FEASIBLE
            conditions = ""
            if dept == declining:
                verdict = Verdict.NOT_FEASIBLE
                conditions = decline_reason = rng.choice(data.DECLINE_REASONS)
            elif rng.random() < 0.2:
                verdict = Verdict.FEASIBLE_WITH_CONDITIONS
                conditions = rng.choice(data.CONDITIONS)
            signoff = SignOff(_uid(rng), dept, signer[1], verdict, conditions, fp, form,
                              _at(created + timedelta(days=4), rng))
            signoffs.append(signoff)
            if verdict is Verdict.FEASIBLE_WITH_CONDITIONS:
                terms.append(DealTerm(condition_term_uid(signoff.uid), f"Condition from {dept}", conditions, True,
                                      signer[1], source="signoff"))
    if stage == Stage.LOST:
        lost_reason = rng.choice(data.LOST_REASONS)
    quoted_or_later = stage in _SIGNED or stage == Stage.QUOTED
    if quoted_or_later:
        for _term_id, term_uid, title, body in rng.sample(cast.terms, min(len(cast.terms), rng.randint(4, 7))):
            terms.append(DealTerm(_uid(rng), title, body, False, None, term_uid, "library"))
        manager = members[rng.choice(("Ana Rossi", "Olivia Brown"))][1]
        for title, body in rng.sample(data.NON_STANDARD_TERMS, rng.choice([0, 1, 1, 2])):
            terms.append(DealTerm(_uid(rng), title, body, True, manager, source="custom"))
    # Delivery history: actual dates from how each department really performs.
    delivered = stage == Stage.DELIVERED
    items_out: list[WorkItem] = []
    breakdowns: list[Breakdown] = []
    if sched:
        finished_so_far = True  # work is finished in order: nothing after an unfinished item is done
        for w in work:
            planned = sched.item(w.uid)
            done = delivered or (finished_so_far and stage == Stage.DELIVERING and planned.due < today
                                 and rng.random() < 0.8)
            finished_so_far = done
            if done:
                ratio = max(0.5, rng.lognormvariate(0, 0.35) * data.DEPARTMENTS[w.department][2])
                took = max(1, int((w.raw_days * Decimal(str(ratio))).to_integral_value(ROUND_HALF_UP)))
                finished = cal.add_working_days(planned.start, took)
                items_out.append(WorkItem(w.uid, w.department, w.task, w.raw_days, w.predecessors, ItemStatus.DONE,
                                          planned.start, finished, planned.due))
                if finished > planned.due:
                    breakdowns.append(Breakdown(
                        missed_date_breakdown_uid(w.uid), BreakdownCategory.MISSED_DELIVERY_DATE, w.department,
                        finished, f"'{w.task}' finished {finished.isoformat()}, promised {planned.due.isoformat()}.",
                        "Later than promised.", Decimal("0"), "", None, True))
            else:
                items_out.append(WorkItem(w.uid, w.department, w.task, w.raw_days, w.predecessors,
                                          promised_due=planned.due if quoted_or_later else None))
    work = tuple(items_out) if items_out else work
    if stage in (Stage.DELIVERING, Stage.DELIVERED) and rng.random() < 0.35:
        cat, dept, desc, impact, resolution = rng.choice(data.BREAKDOWNS)
        breakdowns.append(Breakdown(_uid(rng), BreakdownCategory(cat), dept, start + timedelta(days=rng.randint(10, 40)),
                                    desc, impact, Decimal(rng.randint(0, 40) * 100), resolution,
                                    members[rng.choice(data.ACCOUNT_MANAGERS)][1]))
    # Parties, help contacts, action items, stakeholders, kickoff.
    parties, helps, actions, stakeholders = [], [], [], []
    kickoff = None
    first_shipment = sent = None
    if quoted_or_later:
        am = rng.choice(data.ACCOUNT_MANAGERS)
        for name, resp in ((owner, "Sales: the promise and this agreement"), (am, "Account manager after signature"),
                           ("Elena García", "Operations: schedule and installation")):
            parties.append(Party(_uid(rng), Side.OURS, resp, member_uid=members[name][1]))
        for _ctid, ctuid, _cn in contacts[:2]:
            parties.append(Party(_uid(rng), Side.THEIRS, "Decides and accepts on the customer's side", contact_uid=ctuid))
        helps = [HelpContact(_uid(rng), "Billing", "Kofi Mensah", "+44 114 496 0150", "kofi@brightline.example"),
                 HelpContact(_uid(rng), "Delivery", "Inês Costa", "+44 114 496 0160", "ines@brightline.example"),
                 HelpContact(_uid(rng), "Technical", "Lena Schmidt", "+44 114 496 0170", "lena@brightline.example"),
                 HelpContact(_uid(rng), "Escalation", "Olivia Brown", "+44 114 496 0100", "olivia@brightline.example")]
        for w in work[:3]:
            actions.append(ActionItem(_uid(rng), Side.OURS, w.task, owner_member_uid=_member_of(members, w.department, rng)[1],
                                      due_work_item_uid=w.uid,
                                      status=ItemStatus.DONE if w.status == ItemStatus.DONE else ItemStatus.OPEN,
                                      done_on=w.actual_done))
        if contacts:
            due = start + timedelta(days=7)
            actions.append(ActionItem(_uid(rng), Side.THEIRS, "Confirm site access and drawings in writing",
                                      owner_contact_uid=contacts[0][1], due_fixed=due,
                                      status=ItemStatus.DONE if due < today and stage in _SIGNED else ItemStatus.OPEN,
                                      done_on=due if due < today and stage in _SIGNED else None))
        for name in dict.fromkeys((owner, am, "Elena García")):  # a set's order changes from run to run
            stakeholders.append(Stakeholder(_uid(rng), members[name][1],
                                            data.STAKEHOLDER_WINS.get(members[name][2], "Promises kept.")))
        if stage in _SIGNED and sched:
            first_shipment = sched.items[0].due
            if stage != Stage.AGREED:
                their = tuple(c[2] for c in contacts[:2])
                kickoff = Kickoff(_uid(rng), first_shipment - timedelta(days=rng.randint(3, 10)),
                                  (owner, am, "Elena García"), their, "Terms reviewed; non-standard terms acknowledged.")
                if stage in (Stage.DELIVERING, Stage.DELIVERED):
                    sent = first_shipment
                terms = [replace(x, acknowledged_by=members[am][1], acknowledged_at=_at(kickoff.held_on, rng))
                         if x.non_standard else x for x in terms]
    deal = Deal(
        uid=_uid(rng), ref=ref, title=rng.choice(titles), customer_uid=cuid, customer_name=cname, stage=stage,
        owner_uid=members[owner][1], version=1, product_line=product_line, currency=st.currency,
        requested_date=requested, start_date=start, promised_date=promised,
        needs_identified=need, needs_clarified=clarified,
        existing_technology=rng.choice(data.TECHNOLOGY), customer_abilities=abilities,
        training_recommendation=training, break_in_period=rng.choice(["4 weeks", "6 weeks", "3 months"]),
        inclusions="Delivery, installation, commissioning and training as listed.",
        exclusions="Civil works, power supply to the machine, removal of the old equipment.",
        cost_overrun_handling="Costs beyond the allowance for the unexpected are agreed in writing before they are incurred.",
        disagreement_handling="Raised with the named contacts first, then management on both sides within 10 working days.",
        decline_reason=decline_reason, lost_reason=lost_reason,
        first_shipment_date=first_shipment, first_shipment_sent_on=sent,
        questions=tuple(DiscoveryQuestion(_uid(rng), q, a) for q, a in rng.sample(data.QUESTIONS, 3)),
        objections=tuple(Objection(_uid(rng), o, r) for o, r in rng.sample(data.OBJECTIONS, rng.randint(0, 2))),
        lines=lines, checklist=checklist, work_items=work, signoffs=tuple(signoffs), terms=tuple(terms),
        parties=tuple(parties), help_contacts=tuple(helps), action_items=tuple(actions),
        stakeholders=tuple(stakeholders), kickoff=kickoff, breakdowns=tuple(breakdowns),
    )
    _emit(buf, deal_id, deal, cid, cast, created, sched, rng)


_BY_DEPARTMENT: dict[int, dict[str, list[tuple[int, str, str]]]] = {}


def _member_of(members: dict[str, tuple[int, str, str]], dept: str, rng: random.Random) -> tuple[int, str, str]:
    by_dept = _BY_DEPARTMENT.get(id(members))
    if by_dept is None:
        _BY_DEPARTMENT.clear()
        by_dept = _BY_DEPARTMENT[id(members)] = {}
        for m in members.values():
            by_dept.setdefault(m[2], []).append(m)
    found = by_dept.get(dept)
    return rng.choice(found) if found else members["Elena García"]


def _emit(buf: dict[str, list[dict[str, Any]]], deal_id: int, deal: Deal, cid: int, cast: _Cast, created: date,
          sched: Any, rng: random.Random) -> None:
    member_id, term_id = cast.member_ids, cast.term_ids

    def cid_of(uid: str | None) -> int | None:
        return cast.contact_ids[uid] if uid else None

    at = _at(created, rng)
    due_by_item = {i.key: i.due for i in sched.items} if sched else {}
    action_due = {a.uid: a.due_fixed or due_by_item.get(a.due_work_item_uid or "") for a in deal.action_items}
    open_dues = [d for a in deal.action_items if a.status != ItemStatus.DONE and (d := action_due[a.uid])]
    buf.setdefault("deals", []).append(dict(
        id=deal_id, uid=deal.uid, ref=deal.ref, title=deal.title, customer_id=cid, stage=deal.stage.value,
        owner_id=member_id[deal.owner_uid or ""], product_line=deal.product_line, currency=deal.currency,
        requested_date=deal.requested_date, start_date=deal.start_date, promised_date=deal.promised_date,
        value=deal.value, next_action_due=min(open_dues) if open_dues else None,
        needs_identified=deal.needs_identified, needs_clarified=deal.needs_clarified,
        existing_technology=deal.existing_technology, customer_abilities=deal.customer_abilities,
        training_recommendation=deal.training_recommendation, break_in_period=deal.break_in_period,
        inclusions=deal.inclusions, exclusions=deal.exclusions, cost_overrun_handling=deal.cost_overrun_handling,
        disagreement_handling=deal.disagreement_handling, factor_override=None, factor_override_reason="",
        gap_handling="later_date_accepted" if deal.requested_date and deal.promised_date
        and deal.requested_date < deal.promised_date and deal.stage != Stage.DISCOVERY else None,
        gap_reason="", decline_reason=deal.decline_reason, lost_reason=deal.lost_reason,
        first_shipment_date=deal.first_shipment_date, first_shipment_sent_on=deal.first_shipment_sent_on,
        kickoff_override_reason="", version=1, created_at=at, updated_at=at, exported_at=None,
        exported_version=None, imported_base_version=None,
        search_text=search_key(deal.ref, deal.title, deal.customer_name),
    ))
    for pos, q in enumerate(deal.questions):
        buf.setdefault("discovery_questions", []).append(dict(uid=q.uid, position=pos,
                                                              deal_id=deal_id, question=q.question, answer=q.answer))
    for pos, o in enumerate(deal.objections):
        buf.setdefault("objections", []).append(dict(uid=o.uid, position=pos, deal_id=deal_id,
                                                     objection=o.objection, response=o.response))
    for pos, li in enumerate(deal.lines):
        buf.setdefault("deal_lines", []).append(dict(uid=li.uid, position=pos, deal_id=deal_id,
                                                     description=li.description, quantity=li.quantity,
                                                     unit=li.unit, unit_price=li.unit_price))
    for pos, c in enumerate(deal.checklist):
        buf.setdefault("checklist_answers", []).append(dict(
            uid=c.uid, position=pos, deal_id=deal_id, department=c.department,
            question=c.question, help_text=c.help_text, mandatory=c.mandatory,
            answer=c.answer.value if c.answer else None, notes=c.notes,
            answered_by_id=member_id.get(c.answered_by or ""), answered_at=c.answered_at))
    for pos, w in enumerate(deal.work_items):
        planned = sched.item(w.uid) if sched else None
        buf.setdefault("work_items", []).append(dict(
            uid=w.uid, position=pos, deal_id=deal_id, department=w.department, task=w.task,
            raw_days=w.raw_days, predecessors=",".join(w.predecessors), status=w.status.value,
            actual_start=w.actual_start, actual_done=w.actual_done,
            promised_due=w.promised_due or (planned.due if planned else None),
            padded_days=planned.padded_days if planned else None, planned_start=planned.start if planned else None))
    for s in deal.signoffs:
        buf.setdefault("signoffs", []).append(dict(
            uid=s.uid, deal_id=deal_id, department=s.department,
            member_id=member_id[s.member_uid], verdict=s.verdict.value, conditions=s.conditions,
            fingerprint=s.fingerprint, signed_at=s.signed_at, current=True, stale=False))
    if deal.signoffs:
        buf.setdefault("reviewed_forms", []).append(dict(fingerprint=deal.signoffs[0].fingerprint,
                                                         form=deal.signoffs[0].reviewed))
    for pos, p in enumerate(deal.parties):
        buf.setdefault("parties", []).append(dict(
            uid=p.uid, position=pos, deal_id=deal_id, side=p.side.value,
            member_id=member_id.get(p.member_uid or ""), contact_id=cid_of(p.contact_uid),
            responsibility=p.responsibility))
    for pos, h in enumerate(deal.help_contacts):
        buf.setdefault("help_contacts", []).append(dict(uid=h.uid, position=pos,
                                                        deal_id=deal_id, topic=h.topic, name=h.name, phone=h.phone,
                                                        email=h.email))
    for pos, term in enumerate(deal.terms):
        buf.setdefault("deal_terms", []).append(dict(
            uid=term.uid, position=pos, deal_id=deal_id,
            standard_term_id=term_id.get(term.standard_term_uid or ""), title=term.title, body=term.body,
            non_standard=term.non_standard, approved_by_id=member_id.get(term.approved_by or ""), source=term.source,
            acknowledged_by_id=member_id.get(term.acknowledged_by or ""), acknowledged_at=term.acknowledged_at))
    for pos, a in enumerate(deal.action_items):
        buf.setdefault("action_items", []).append(dict(
            uid=a.uid, position=pos, deal_id=deal_id, owner_side=a.owner_side.value,
            owner_member_id=member_id.get(a.owner_member_uid or ""), owner_contact_id=cid_of(a.owner_contact_uid),
            what=a.what, due_fixed=a.due_fixed, due_work_item_uid=a.due_work_item_uid, due=action_due[a.uid],
            status=a.status.value, done_on=a.done_on))
    for pos, sh in enumerate(deal.stakeholders):
        buf.setdefault("stakeholders", []).append(dict(uid=sh.uid, position=pos,
                                                       deal_id=deal_id, member_id=member_id[sh.member_uid],
                                                       how_they_win=sh.how_they_win))
    if deal.kickoff:
        k = deal.kickoff
        buf.setdefault("kickoffs", []).append(dict(uid=k.uid, deal_id=deal_id, held_on=k.held_on,
                                                   attendees_ours="\n".join(k.attendees_ours),
                                                   attendees_theirs="\n".join(k.attendees_theirs), notes=k.notes))
    for pos, b in enumerate(deal.breakdowns):
        buf.setdefault("breakdowns", []).append(dict(
            uid=b.uid, position=pos, deal_id=deal_id, category=b.category.value,
            department=b.department, occurred_on=b.occurred_on, description=b.description,
            customer_impact=b.customer_impact, cost=b.cost, resolution=b.resolution,
            logged_by_id=member_id.get(b.logged_by or ""), automatic=b.automatic))
    buf.setdefault("audit_log", []).append(dict(
        at=at, actor="demo", entity="deal", entity_uid=deal.uid, deal_uid=deal.uid, action="create", field="",
        old=None, new=f"{deal.ref} {deal.title} (demo data, stage {deal.stage.label})"))
