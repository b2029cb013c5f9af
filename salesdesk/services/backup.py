"""Backups of the SQLite database: made now or on a schedule, rotated, previewed, checked, restored.

The files themselves are ``backup_files``' business; here are restoring (always after keeping the
current database aside), opening at start, and the service the app and the CLI use. A team on
PostgreSQL backs up its server with ``pg_dump`` instead.

A database that cannot be opened at start is never overwritten: ``open_or_offer_backup`` returns
the error together with the latest backup that passes an integrity check, for the app to offer.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from salesdesk import paths
from salesdesk.domain.errors import StoreError
from salesdesk.services.backup_files import (
    AUTOMATIC,
    BEFORE_RESTORE,
    MANUAL,
    BackupError,
    BackupInfo,
    DatabaseCheck,
    backup_due,
    backup_file,
    check_database,
    database_file,
    describe_backup,
    last_automatic_backup,
    latest_good_backup,
    list_backups,
    postgres_refusal,
    stamp,
)
from salesdesk.services.context import Context
from salesdesk.services.package_files import fsync_folder
from salesdesk.services.settings import SettingsService
from salesdesk.store.engine import MIGRATIONS_DIR, Store, open_store

__all__ = [
    "BackupError", "BackupInfo", "BackupService", "DatabaseCheck", "OpenOutcome", "backup_due", "backup_file",
    "check_database", "database_file", "describe_backup", "last_automatic_backup", "latest_good_backup",
    "list_backups", "open_or_offer_backup", "postgres_refusal", "restore_file",
]

log = logging.getLogger(__name__)


# --- restoring -----------------------------------------------------------------------------------


def _known_schema(version: str | None) -> bool:
    if not version:
        return False
    from alembic.config import Config  # loaded only when a backup is checked (slow to import)
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    try:
        ScriptDirectory.from_config(cfg).get_revision(version)
    except CommandError:
        return False
    return True


def _safety_copy(database: Path, folder: Path) -> Path:
    """Keep the current database before it is replaced; a damaged one is copied as it is."""
    try:
        return backup_file(database, folder, kind=BEFORE_RESTORE)
    except BackupError as exc:
        log.warning("Backing up the current database failed (%s); copying the file as it is", exc)
    target = folder / f"{database.stem}-{BEFORE_RESTORE}-{stamp()}-damaged.db"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(database, target)
        for suffix in ("-wal", "-shm"):
            side = database.with_name(database.name + suffix)
            if side.exists():
                shutil.copy2(side, target.with_name(target.name + suffix))
    except OSError as exc:
        raise BackupError(f"The current database could not be kept aside ({exc.strerror or exc}), so nothing was "
                          "restored.", f"Free some space in {folder}, then try again.") from exc
    return target


def _release(database: Path) -> None:
    """Fold the WAL into the file and make sure no one else has it open."""
    try:
        conn = sqlite3.connect(database, timeout=2)
        try:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return  # a damaged file: it has been copied aside as it is
    if busy and busy[0]:
        raise BackupError("The database is still in use by another SalesDesk window or computer.",
                          "Close SalesDesk everywhere else, then restore again.")


def restore_file(database: Path, backup: Path, *, safety_folder: Path | None = None) -> Path | None:
    """Replace the database file with ``backup``, after keeping the current one aside.

    Returns where the current database was kept (None: there was none). Works even when the current file is damaged.
    Whoever has the database open must reopen it afterwards (it may need migrating).
    """
    backup, database = Path(backup), Path(database)
    check = check_database(backup)
    if not check.ok:
        raise BackupError(f"The backup {backup.name} is damaged ({'; '.join(check.problems)[:300]}).",
                          "Choose another backup.")
    info = describe_backup(backup)
    if not _known_schema(info.schema_version):
        raise BackupError(f"The backup {backup.name} was made by a newer SalesDesk (schema {info.schema_version}).",
                          "Install the latest SalesDesk to restore it.")
    folder = safety_folder or paths.backup_dir()
    safety = _safety_copy(database, folder) if database.exists() else None
    tmp = database.with_name(f".{database.name}.restoring")
    try:
        if database.exists():
            _release(database)
        shutil.copyfile(backup, tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        # The old WAL must go before the file is replaced: replayed onto the backup it would damage it.
        for suffix in ("-wal", "-shm"):
            database.with_name(database.name + suffix).unlink(missing_ok=True)
        os.replace(tmp, database)
        fsync_folder(database.parent)
    except OSError as exc:
        raise BackupError(f"The backup could not be restored: {exc.strerror or exc}.",
                          f"Your database was kept at {safety}." if safety else "Nothing was changed.") from exc
    finally:
        tmp.unlink(missing_ok=True)
    log.info("Restored %s from %s (previous copy kept at %s)", database, backup, safety)
    return safety


# --- opening at start ----------------------------------------------------------------------------


@dataclass
class OpenOutcome:
    """The database opened (``store``), or why not (``error``) and a good backup to offer."""

    store: Store | None
    error: StoreError | None = None
    backup: Path | None = None


def _offer(database: Path | None) -> Path | None:
    if database is None:
        return None
    for folder in (paths.backup_dir(), database.parent / "backups"):
        found = latest_good_backup(folder, database=database)
        if found:
            return found
    return None


#: Databases up to this size get a full quick_check when the app starts.
QUICK_CHECK_LIMIT = 256 * 1024 * 1024


def open_or_offer_backup(url: str | None = None, *, backup_folder: Path | None = None) -> OpenOutcome:
    """Open (and migrate) the database, or — when it is damaged or unreadable — leave it untouched and
    return the error with the latest good backup the app can offer to restore (``restore_file``)."""
    database = database_file(url)
    target = url or paths.default_database_url()
    damaged: StoreError | None = None
    try:
        store = open_store(target, migrate=False)
    except StoreError as exc:
        damaged = exc
    else:
        problems: list[str] = []
        path = store.sqlite_path
        # A full quick_check reads the whole file: worth it at start for an ordinary database, too slow
        # for a very large one, which is still checked by opening it and by `salesdesk check`.
        if store.is_sqlite and path is not None and path.exists() and path.stat().st_size <= QUICK_CHECK_LIMIT:
            try:
                with store.engine.connect() as conn:
                    problems = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall() if r[0] != "ok"]
            except SQLAlchemyError as exc:  # any failure to read it means it is not usable
                problems = [str(exc.orig if isinstance(exc, DBAPIError) else exc)]
        store.dispose()
        if problems:
            damaged = StoreError(f"The database {database} is damaged ({'; '.join(problems)[:300]}).",
                                 "It has not been changed. Restore a backup, or ask for help.")
    if damaged is not None:
        sound = database is not None and database.exists() and check_database(database, live=True).ok
        return OpenOutcome(None, damaged, None if sound else _offer(database))
    try:
        return OpenOutcome(open_store(target, backup_folder=backup_folder))
    except StoreError as exc:
        return OpenOutcome(None, exc, None)


class BackupService:
    """Backups of the open database."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.settings = SettingsService(ctx)

    @property
    def database(self) -> Path:
        path = self.ctx.store.sqlite_path
        if path is None:
            raise postgres_refusal()
        return path

    def backup_now(self, to_dir: Path | str | None = None, *, automatic: bool | None = None) -> Path:
        """Back the database up now: into the backups folder (automatic, rotated to the settings'
        ``backup_keep``), or into ``to_dir`` (kept until someone deletes it)."""
        database = self.database
        automatic = to_dir is None if automatic is None else automatic
        folder = Path(to_dir).expanduser() if to_dir is not None else paths.backup_dir()
        if to_dir is not None and not folder.is_dir():
            raise BackupError(f"The folder {folder} does not exist.", "Create it or choose another folder.")
        keep = self.settings.load().backup_keep if automatic else None
        return backup_file(database, folder, kind=AUTOMATIC if automatic else MANUAL, keep=keep)

    def backup_if_due(self, now: datetime | None = None, every: timedelta = timedelta(hours=24)) -> Path | None:
        """Make the automatic backup when one is due (the app calls this at start and now and then)."""
        if self.ctx.store.sqlite_path is None:
            return None
        last = last_automatic_backup(self.database)
        if not backup_due(last, now or datetime.now(UTC), every):
            return None
        return self.backup_now()

    def list_backups(self) -> list[Path]:
        return list_backups(database=self.database)

    def latest_good_backup(self) -> Path | None:
        return latest_good_backup(database=self.database)

    def restore(self, backup: Path | str) -> Path | None:
        """Replace the database with ``backup`` after backing up the current one; returns where the
        current one was kept. The store is closed: open the database again afterwards."""
        database = self.database
        self.ctx.store.dispose()
        return restore_file(database, Path(backup))
