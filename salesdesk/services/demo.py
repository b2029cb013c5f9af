"""Realistic demo data, deterministic for a seed: a small company with deals in every stage.

Large demos (``--deals 100000``) are built two thousand deals at a time by worker processes, each
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
from typing import Any

from sqlalchemy import event, func, insert, select, text
from sqlalchemy.exc import IntegrityError

from salesdesk.domain.model import DepartmentSettings, Settings, Stage
from salesdesk.services import demo_data as data
from salesdesk.services.app import Services
from salesdesk.services.context import Context
from salesdesk.services.demo_rows import COLUMNS, TABLES, Cast, DealRows, restart_uids, uid
from salesdesk.store import schema as t
from salesdesk.store.engine import open_store

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
# Deals per chunk, one transaction each. Bigger chunks rewrite the same index pages less often:
# with 2,000 a 100,000-deal demo writes a sixth fewer bytes to disk than with 1,000, and its
# system time is a third lower; beyond that the two workers finish too unevenly to gain more.
_CHUNK = 2000


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
    next_ids = _next_ids(services)
    existing = next_ids["deals"] - 1
    rng = random.Random(seed if existing == 0 else seed * 7_919 + existing)
    today = today or date.today()
    restart_uids(existing << 6)
    _demo_settings(services)
    st = services.settings.load()
    cast = _cast(services, rng, next_ids, max(8, deals // 8))
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
    if processes <= 1:
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
                    _fold_wal(services)
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
    tables: list[tuple[str, list[tuple[Any, ...]]]]  # (table, rows in the order of its demo_rows.COLUMNS)


_WORKER: dict[str, Any] = {}
_INHERITED: list[Any] = []  # the parent's engines, which a forked worker must leave alone


def _init_worker(cast: Cast, st: Settings, today: date, dialect_name: str, existing: int,
                 url: str | None = None, actor: str = "demo") -> None:
    _WORKER.update(existing=existing, rows=DealRows(cast, st, today, _dialect(dialect_name)))
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
    cursor.execute("PRAGMA wal_autocheckpoint = 0")  # the parent folds the WAL in meanwhile: see _fold_wal
    cursor.close()


def _fold_wal(services: Services) -> None:
    """Copy what the workers wrote from SQLite's write-ahead log into the database file.

    The workers leave this to the parent, which has nothing else to do while they work: done by
    the worker whose commit crosses the threshold, it holds up the other one, waiting to write (a
    100,000-deal demo takes a tenth longer). Passive: it never waits for a worker, and the log
    starts over once everything in it is copied.
    """
    if services.store.is_sqlite:
        with services.store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")


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

    return psycopg.dialect(paramstyle="format")  # type: ignore[no-untyped-call]  # positional, like SQLite's


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
    rng = random.Random(seed * 1_000_003 + start)
    existing = _WORKER["existing"]
    restart_uids((1 << 40) + ((existing + start) << 6))
    builder: DealRows = _WORKER["rows"]
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in TABLES}
    for deal_id, (stage, created, ref) in enumerate(plans, existing + 1 + start):
        builder.add(rows, rng, deal_id, stage, created, ref)
    tables = [(name, rows[name]) for name in TABLES if rows[name]]
    return _Chunk(existing + 1 + start, len(plans), tables)


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
                sql = _WORKER["rows"].sql
                for name, rows in chunk.tables:
                    if shift:
                        at = {i for i, c in enumerate(COLUMNS[name]) if c == "deal_id" or (name == "deals" and c == "id")}
                        rows = [tuple(v + shift if i in at and v is not None else v for i, v in enumerate(r))
                                for r in rows]
                    cursor.executemany(sql[name], rows)
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


def _cast(services: Services, rng: random.Random, next_ids: dict[str, int], customer_count: int) -> Cast:
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
            row_id, member_uid = ids.take("team_members"), uid(rng)
            first = name.split()[0].lower().replace("é", "e").replace("ê", "e")
            rows.append(dict(id=row_id, uid=member_uid, name=name, role=role, department=dept, can_sign_agreements=can_sign,
                             email=f"{first}@brightline.example", phone=f"+44 114 496 0{rng.randint(100, 999)}",
                             active=True, pin_hash=None, pin_failures=0, pin_locked_until=None, created_at=now))
            members[name] = (row_id, member_uid, dept)
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
            cid, cuid = ids.take("customers"), uid(rng)
            crow.append(dict(id=cid, uid=cuid, name=cname, address=f"{rng.randint(1, 250)} Industrial Way\n{rng.choice(['Leeds', 'Lyon', 'Rotterdam', 'Gdańsk', 'Porto', 'Malmö', 'Graz'])}",
                             industry=rng.choice(data.NAME_PARTS[1]), notes="", version=1, created_at=now, updated_at=now))
            contacts = []
            for pos, (role, dept) in enumerate(rng.sample(data.CONTACT_ROLES, rng.randint(2, 4))):
                person = f"{rng.choice(data.FIRST_NAMES)} {rng.choice(data.LAST_NAMES)}"
                ctid, ctuid = ids.take("contacts"), uid(rng)
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
    return Cast(members, customers, terms, templates)


def _plan(rng: random.Random, today: date) -> tuple[Stage, date]:
    stage = rng.choices(_STAGES, cum_weights=_CUMULATIVE_WEIGHTS)[0]
    if stage in (Stage.DELIVERED, Stage.LOST, Stage.DECLINED):
        age = rng.randint(60, 720)
    elif stage in (Stage.DELIVERING, Stage.KICKED_OFF, Stage.AGREED):
        age = rng.randint(25, 110)
    else:
        age = rng.randint(1, 45)
    return stage, today - timedelta(days=age)
