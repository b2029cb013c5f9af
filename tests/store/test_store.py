"""The store: migrations, the backup before migrating, refusing a newer schema, round trips."""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from salesdesk.domain.errors import StoreError
from salesdesk.domain.model import (
    ActionItem,
    Breakdown,
    BreakdownCategory,
    DealLine,
    DealTerm,
    DiscoveryQuestion,
    HelpContact,
    Kickoff,
    Objection,
    Party,
    Side,
    Stakeholder,
    WorkItem,
)
from salesdesk.services.customers import new_contact
from salesdesk.store.engine import _alembic_config, head_revision, open_store


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_empty_file_is_migrated_to_the_latest_schema(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "new.db"))
    try:
        assert store.schema_version() == head_revision()
        assert store.integrity_check() == []
    finally:
        store.dispose()


def test_sqlite_runs_with_wal_foreign_keys_and_full_sync(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "p.db"))
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    finally:
        store.dispose()


def test_a_database_from_a_newer_salesdesk_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    open_store(str(path)).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = _sha(path)
    with pytest.raises(StoreError) as err:
        open_store(str(path))
    assert "newer version of SalesDesk" in str(err.value)
    assert _sha(path) == before
    assert not (tmp_path / "backups").exists()


def test_a_backup_is_written_before_a_migration(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text(
            "INSERT INTO customers (uid, name, address, industry, notes, version, created_at, updated_at) "
            "VALUES ('c1', 'Old Customer', '', '', '', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        ))
    engine.dispose()
    store = open_store(str(path))
    store.dispose()
    backups = list((tmp_path / "backups").glob("old-before-*.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        assert conn.execute("SELECT name FROM customers").fetchone()[0] == "Old Customer"
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()


def test_a_file_that_is_not_a_database_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is a shopping list, not a database" * 100)
    before = _sha(path)
    with pytest.raises(StoreError):
        open_store(str(path))
    assert _sha(path) == before


def test_a_missing_folder_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as err:
        open_store(str(tmp_path / "no" / "such" / "folder" / "x.db"))
    assert "folder" in str(err.value)


def test_a_full_deal_round_trips_exactly(services) -> None:  # type: ignore[no-untyped-def]
    sv = services
    member = sv.team.add("Ζωή Παπαδοπούλου", "Engineering", "Lead engineer")
    customer = sv.customers.add(
        "شركة الخليج للصناعات 🚀", contacts=(new_contact("李明", "Plant manager"), new_contact("דוד כהן", "Buyer"))
    )
    deal = sv.deals.create(customer.uid, "Линия упаковки 李明 🚀", owner_uid=member.uid, start_date=date(2026, 12, 1),
                           requested_date=date(2027, 2, 1))
    w1 = WorkItem(str(uuid.uuid4()), "Engineering", "Design", Decimal("2.5"))
    w2 = WorkItem(str(uuid.uuid4()), "Manufacturing", "Build", Decimal("10"), (w1.uid,))
    full = replace(
        deal,
        needs_identified="Ζητούμενο: more output",
        questions=(DiscoveryQuestion(str(uuid.uuid4()), "Who signs?", "مدير المصنع"),),
        objections=(Objection(str(uuid.uuid4()), "Too slow", "We keep our dates"),),
        lines=(DealLine(str(uuid.uuid4()), "Filler 🚀", Decimal("2.125"), Decimal("38000.1234"), "ea"),),
        work_items=(w1, w2),
        parties=(Party(str(uuid.uuid4()), Side.OURS, "Design", member_uid=member.uid),
                 Party(str(uuid.uuid4()), Side.THEIRS, "Accepts", contact_uid=customer.contacts[0].uid)),
        help_contacts=(HelpContact(str(uuid.uuid4()), "Billing", "Kofi", "+44 1", "k@x.example"),),
        terms=(DealTerm(str(uuid.uuid4()), "Payment 60 days", "60 days net", True, member.uid),),
        action_items=(ActionItem(str(uuid.uuid4()), Side.OURS, "Design review", owner_member_uid=member.uid,
                                 due_work_item_uid=w1.uid),),
        stakeholders=(Stakeholder(str(uuid.uuid4()), member.uid, "Complete information"),),
        kickoff=Kickoff(str(uuid.uuid4()), date(2026, 12, 20), ("Ζωή",), ("李明", "דוד כהן"), "ok"),
        breakdowns=(Breakdown(str(uuid.uuid4()), BreakdownCategory.QUALITY_ERROR, "Manufacturing", date(2027, 1, 5),
                              "Wrong rails", cost=Decimal("1234.56")),),
    )
    saved = sv.deals.save(full)
    again = sv.deals.get(deal.ref)
    assert again == saved
    for name in ("title", "needs_identified", "questions", "objections", "lines", "work_items", "parties",
                 "help_contacts", "terms", "action_items", "stakeholders", "kickoff", "breakdowns"):
        if name == "work_items":
            assert [(w.uid, w.task, w.raw_days, w.predecessors) for w in again.work_items] == \
                   [(w.uid, w.task, w.raw_days, w.predecessors) for w in full.work_items]
        else:
            assert getattr(again, name) == getattr(full, name), name
    assert again.customer_name == "شركة الخليج للصناعات 🚀"
    assert again.lines[0].quantity == Decimal("2.125") and again.lines[0].unit_price == Decimal("38000.1234")
    assert again.value == Decimal("80750.26")
    assert again.promised_date is not None and again.promised_date > date(2026, 12, 1)
    assert again.created_at is not None and again.created_at.tzinfo is not None


def test_names_in_every_script_round_trip(services) -> None:  # type: ignore[no-untyped-def]
    names = ["Ζωή Παπαδοπούλου", "محمد العلي", "李明", "Дмитрий Иванов", "Zoë Ångström-Łukasiewicz", "🚀🎉 Rocket Ltd",
             "דוד כהן", "e\u0301 combining"]
    for n in names:
        services.customers.add(n, contacts=(new_contact(n, n),))
    stored = {c.name: c for c in services.customers.list_customers()}
    for n in names:
        assert n in stored
        assert stored[n].contacts[0].name == n and stored[n].contacts[0].role == n


def test_timestamps_come_back_aware_utc(services) -> None:  # type: ignore[no-untyped-def]
    c = services.customers.add("Clock Co")
    d = services.deals.create(c.uid, "Time")
    assert d.created_at is not None and d.created_at.utcoffset() is not None
    assert abs((datetime.now(UTC) - d.created_at).total_seconds()) < 120


def test_reviewed_forms_move_to_their_own_table_once_per_fingerprint(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    engine = create_engine(f"sqlite:///{path}")
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
        conn.execute(text("INSERT INTO team_members (id, uid, name, role, department, email, phone, "
                          "can_sign_agreements, active, pin_failures, created_at) VALUES "
                          "(1, 'm1', 'Elena', '', 'Operations', '', '', 0, 1, 0, '2026-01-01 00:00:00')"))
        conn.execute(text("INSERT INTO customers (id, uid, name, address, industry, notes, version, created_at, "
                          "updated_at) VALUES (1, 'c1', 'Acme', '', '', '', 1, '2026-01-01', '2026-01-01')"))
        conn.execute(text(
            "INSERT INTO deals (id, uid, ref, title, customer_id, stage, product_line, currency, value, "
            "needs_identified, needs_clarified, existing_technology, customer_abilities, training_recommendation, "
            "break_in_period, inclusions, exclusions, cost_overrun_handling, disagreement_handling, "
            "factor_override_reason, gap_reason, decline_reason, lost_reason, kickoff_override_reason, version, "
            "created_at, updated_at) VALUES (1, 'd1', 'D-2026-0001', 'T', 1, 'cleared', '', 'EUR', 0, '', '', '', "
            "'', '', '', '', '', '', '', '', '', '', '', '', 1, '2026-01-01', '2026-01-01')"))
        for i, dept in enumerate(["Operations", "Engineering"]):
            conn.exec_driver_sql(
                "INSERT INTO signoffs (uid, deal_id, department, member_id, verdict, conditions, fingerprint, "
                "reviewed, signed_at, current, stale) VALUES (?, 1, ?, 1, 'feasible', '', 'fp1', ?, "
                "'2026-01-02 00:00:00', 1, 0)", (f"s{i}", dept, '{"form":1}'))
    engine.dispose()
    store = open_store(str(path))
    store.dispose()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT fingerprint, form FROM reviewed_forms").fetchall() == [("fp1", '{"form":1}')]
        columns = [r[1] for r in conn.execute("PRAGMA table_info(signoffs)")]
    assert "reviewed" not in columns


def test_the_schema_head_constant_matches_the_migrations() -> None:
    from salesdesk.store.engine import SCHEMA_HEAD

    assert head_revision() == SCHEMA_HEAD


def test_downgrade_and_upgrade_keep_every_row_even_when_tables_are_rebuilt(sqlite_services) -> None:  # type: ignore[no-untyped-def]
    from salesdesk.services.demo import generate_demo
    from salesdesk.store.engine import run_migration

    sv = sqlite_services
    generate_demo(sv, deals=30, seed=5, workers=1)
    tables = ("deals", "signoffs", "work_items", "deal_lines", "action_items", "checklist_answers")

    def counts() -> dict[str, int]:
        with sv.store.engine.connect() as conn:
            return {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() for t in tables}

    before = counts()
    assert before["signoffs"] > 0
    run_migration(sv.store.write_engine, "downgrade", "0002")
    run_migration(sv.store.write_engine, "upgrade", "head")
    assert counts() == before
    assert sv.store.integrity_check() == []


def test_the_migrations_build_exactly_the_schema_the_code_declares(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from salesdesk.store.schema import Base

    store = open_store(db_url)
    try:
        with store.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": False})
            diff = compare_metadata(ctx, Base.metadata)
    finally:
        store.dispose()
    assert diff == []
