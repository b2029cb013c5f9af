"""Backups: made safely (even when killed halfway), rotated, previewed, checked, restored, offered."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from salesdesk import paths
from salesdesk.domain.errors import RefusedError, StoreError
from salesdesk.services.app import Services
from salesdesk.services.backup import (
    BackupError,
    BackupService,
    backup_due,
    backup_file,
    check_database,
    describe_backup,
    latest_good_backup,
    list_backups,
    open_or_offer_backup,
    restore_file,
)
from salesdesk.services.demo import generate_demo


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _damage(path: Path) -> None:
    """Overwrite the middle of the file with garbage, as a failing disk might."""
    data = bytearray(path.read_bytes())
    start = len(data) // 3
    data[start:start + 8192] = os.urandom(8192)
    path.write_bytes(bytes(data))


@pytest.fixture
def filled(sqlite_services: Services) -> Services:
    generate_demo(sqlite_services, deals=12, seed=5, workers=1)
    return sqlite_services


def test_a_backup_is_a_sound_copy_named_for_when_it_was_made(filled) -> None:  # type: ignore[no-untyped-def]
    path = BackupService(filled.ctx).backup_now()
    assert path.parent == paths.backup_dir()
    assert path.name.startswith("only-auto-") and path.suffix == ".db"
    assert check_database(path).ok and check_database(path).status == "ok"
    info = describe_backup(path)
    assert info.deals == 12 and info.customers == len(filled.customers.list_customers())
    assert info.schema_version == filled.store.schema_version()
    newest = max(filled.deals.list_rows(), key=lambda r: filled.deals.get(r.ref).updated_at)
    assert info.newest_deal is not None and info.newest_deal[0] == newest.ref
    assert sum(info.deals_by_stage.values()) == 12
    assert any("deals: 12" in line for line in info.summary())
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []


def test_reading_a_backup_changes_nothing_beside_it(filled) -> None:  # type: ignore[no-untyped-def]
    path = BackupService(filled.ctx).backup_now()
    before, siblings = _digest(path), sorted(p.name for p in path.parent.iterdir())
    describe_backup(path)
    check_database(path)
    assert _digest(path) == before and sorted(p.name for p in path.parent.iterdir()) == siblings


def test_automatic_backups_are_rotated_manual_ones_kept(filled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    filled.settings.save(replace(filled.settings.load(), backup_keep=2))
    backups = BackupService(filled.ctx)
    made = [backups.backup_now() for _ in range(4)]
    kept = tmp_path / "usb"
    kept.mkdir()
    manual = backups.backup_now(kept)
    assert list_backups(database=filled.store.sqlite_path) == made[:1:-1]
    assert manual.exists() and "-backup-" in manual.name
    with pytest.raises(BackupError):
        backups.backup_now(tmp_path / "missing")


def test_a_backup_is_due_once_a_day_and_after_the_clock_went_back() -> None:
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert backup_due(None, now)
    assert not backup_due(now - timedelta(hours=23), now)
    assert backup_due(now - timedelta(hours=24), now)
    assert backup_due(now - timedelta(minutes=30), now, every=timedelta(minutes=30))
    assert backup_due(now + timedelta(days=2), now)


def test_backup_if_due_makes_one_only_when_due(filled) -> None:  # type: ignore[no-untyped-def]
    backups = BackupService(filled.ctx)
    first = backups.backup_if_due()
    assert first is not None and backups.backup_if_due() is None
    assert backups.backup_if_due(datetime.now(UTC) + timedelta(days=1)) is not None


def test_postgresql_is_backed_up_with_pg_dump(services) -> None:  # type: ignore[no-untyped-def]
    if services.store.is_sqlite:
        assert BackupService(services.ctx).backup_now().exists()
        return
    with pytest.raises(RefusedError) as err:
        BackupService(services.ctx).backup_now()
    assert "pg_dump" in str(err.value)
    assert BackupService(services.ctx).backup_if_due() is None


def test_a_damaged_backup_is_never_the_one_offered(filled) -> None:  # type: ignore[no-untyped-def]
    backups = BackupService(filled.ctx)
    good = backups.backup_now()
    time.sleep(0.01)
    bad = backups.backup_now()
    _damage(bad)
    assert check_database(bad).status == "corrupt" and check_database(bad).problems
    assert backups.latest_good_backup() == good
    bad.write_bytes(b"not a database at all" * 100)
    assert not check_database(bad).ok
    assert latest_good_backup(database=filled.store.sqlite_path) == good


def test_restoring_keeps_the_current_database_first(filled) -> None:  # type: ignore[no-untyped-def]
    database = filled.store.sqlite_path
    backups = BackupService(filled.ctx)
    backup = backups.backup_now()
    filled.customers.add("Added after the backup")
    kept = backups.restore(backup)
    assert kept is not None and "-before-restore-" in kept.name
    assert {c.name for c in Services.open(f"sqlite:///{kept}").customers.list_customers()} >= {"Added after the backup"}
    reopened = Services.open(f"sqlite:///{database}")
    try:
        assert "Added after the backup" not in {c.name for c in reopened.customers.list_customers()}
        assert len(reopened.deals.list_rows()) == 12 and reopened.store.integrity_check() == []
    finally:
        reopened.close()


def test_a_damaged_or_newer_backup_is_not_restored(filled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    database = filled.store.sqlite_path
    backup = BackupService(filled.ctx).backup_now()
    newer = tmp_path / "newer.db"
    newer.write_bytes(backup.read_bytes())
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    filled.store.dispose()
    before = _digest(database)
    with pytest.raises(BackupError) as err:
        restore_file(database, newer)
    assert "newer SalesDesk" in str(err.value)
    _damage(backup)
    with pytest.raises(BackupError) as err:
        restore_file(database, backup)
    assert "damaged" in str(err.value)
    assert _digest(database) == before


def test_a_damaged_database_at_start_is_left_alone_and_a_good_backup_offered(filled) -> None:  # type: ignore[no-untyped-def]
    database = filled.store.sqlite_path
    url = f"sqlite:///{database}"
    good = BackupService(filled.ctx).backup_now()
    filled.close()
    for suffix in ("-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    database.write_bytes(b"\x00garbage, not SQLite\x00" * 4096)
    damaged = _digest(database)
    outcome = open_or_offer_backup(url)
    assert outcome.store is None and isinstance(outcome.error, StoreError)
    assert outcome.backup == good
    assert _digest(database) == damaged  # never overwritten, not even migrated
    kept = restore_file(database, outcome.backup)
    assert kept is not None and kept.read_bytes().startswith(b"\x00garbage")
    reopened = open_or_offer_backup(url)
    assert reopened.error is None and reopened.store is not None
    reopened.store.dispose()


def test_a_database_damaged_inside_is_found_at_start(filled) -> None:  # type: ignore[no-untyped-def]
    database = filled.store.sqlite_path
    BackupService(filled.ctx).backup_now()
    filled.close()
    with sqlite3.connect(database) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _damage(database)
    damaged = _digest(database)
    outcome = open_or_offer_backup(f"sqlite:///{database}")
    assert outcome.store is None and outcome.error is not None and outcome.backup is not None
    assert _digest(database) == damaged


def test_a_sound_database_opens_normally(sqlite_services) -> None:  # type: ignore[no-untyped-def]
    url = sqlite_services.store.url
    sqlite_services.close()
    outcome = open_or_offer_backup(url)
    assert outcome.store is not None and outcome.error is None and outcome.backup is None
    outcome.store.dispose()


_LOOP = """
import sys
from pathlib import Path
from salesdesk.services.app import Services
from salesdesk.services.backup import backup_file
sv = Services.open(sys.argv[1])
folder = Path(sys.argv[2])
print("ready", flush=True)
i = 0
while True:
    backup_file(sv.store.sqlite_path, folder, keep=3)
    sv.customers.add(f"Customer {i}")
    i += 1
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")
def test_killing_a_backup_halfway_leaves_the_database_sound_and_no_half_backup(filled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    database = filled.store.sqlite_path
    folder = tmp_path / "backups"
    filled.close()
    for delay in (0.4, 0.7, 1.1):
        proc = subprocess.Popen([sys.executable, "-c", _LOOP, f"sqlite:///{database}", str(folder)],
                                stdout=subprocess.PIPE, text=True)
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
            time.sleep(delay)
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        assert check_database(database, live=True).ok
        named = list_backups(folder)
        assert named and all(check_database(p).ok for p in named)
        assert all(p.name.startswith(".") for p in folder.iterdir() if p not in named)
    sv = Services.open(f"sqlite:///{database}")
    try:
        assert sv.store.integrity_check() == []
        long_ago = time.time() - 3600
        for leftover in folder.glob(".*"):
            os.utime(leftover, (long_ago, long_ago))
        backup_file(database, folder, keep=3)
        assert [p for p in folder.iterdir() if p.name.startswith(".")] == []
    finally:
        sv.close()
