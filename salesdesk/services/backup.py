"""Backups of the SQLite database: made now or on a schedule, rotated, previewed, checked, restored.

A backup is taken with SQLite's online backup API (consistent while the app is in use), checked,
written under a hidden temporary name and only then renamed to ``<db>-auto-<UTC time>.db``; a
backup interrupted at any point (even by kill -9) never leaves a file named like a backup. A team
on PostgreSQL backs up its server with ``pg_dump`` instead.

A database that cannot be opened at start is never overwritten: ``open_or_offer_backup`` returns
the error together with the latest backup that passes an integrity check, for the app to offer.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from salesdesk import paths
from salesdesk.domain.errors import RefusedError, SalesDeskError, StoreError, ValidationError
from salesdesk.domain.model import Stage
from salesdesk.services.context import Context
from salesdesk.services.package_files import fsync_folder
from salesdesk.services.settings import SettingsService
from salesdesk.store.engine import MIGRATIONS_DIR, Store, backup_sqlite_file, normalise_url, open_store

log = logging.getLogger(__name__)

AUTOMATIC, MANUAL, BEFORE_RESTORE = "auto", "backup", "before-restore"
#: Temporary files older than this in a backup folder are leftovers of an interrupted backup.
STALE_TEMP_AGE = timedelta(minutes=10)
_STAMP = "%Y%m%d-%H%M%S-%f"
_NAME = re.compile(r"(?P<stem>.+)-(?P<kind>auto|backup|before-[A-Za-z0-9_-]+?)-(?P<at>\d{8}-\d{6}-\d{6})"
                   r"(?P<damaged>-damaged)?\.db")


class BackupError(SalesDeskError):
    """A backup could not be made or restored."""


def database_file(url: str | None) -> Path | None:
    """The SQLite file behind ``url`` (None: the default database), or None for a server database."""
    from sqlalchemy.engine import make_url

    target = normalise_url(url or paths.default_database_url())
    u = make_url(target)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def postgres_refusal() -> RefusedError:
    return RefusedError(
        "This team keeps its deals on a PostgreSQL server; SalesDesk backs up only its own database file.",
        "Back the server up with pg_dump, e.g.: pg_dump --format=custom --file=salesdesk.dump <database name>.",
    )


def _stamp(at: datetime | None = None) -> str:
    return (at or datetime.now(UTC)).astimezone(UTC).strftime(_STAMP)


def backup_due(last: datetime | None, now: datetime, every: timedelta = timedelta(hours=24)) -> bool:
    """True when an automatic backup should be made (none yet, the last is ``every`` old, or the
    clock went back past it)."""
    if last is None or last > now:
        return True
    return now - last >= every


def _taken_at(path: Path) -> datetime | None:
    m = _NAME.fullmatch(path.name)
    if m:
        return datetime.strptime(m["at"], _STAMP).replace(tzinfo=UTC)
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError:
        return None


def list_backups(folder: Path | None = None, *, database: Path | None = None, kind: str | None = None) -> list[Path]:
    """Backups in ``folder`` (default: the backups folder), newest first; only ``database``'s when given."""
    folder = folder or paths.backup_dir()
    try:
        names = [p for p in folder.iterdir() if p.is_file()]
    except OSError:
        return []
    found = []
    for p in names:
        m = _NAME.fullmatch(p.name)
        if not m or p.name.startswith("."):
            continue
        if database is not None and m["stem"] != database.stem:
            continue
        if kind is not None and m["kind"] != kind:
            continue
        found.append(p)
    return sorted(found, key=lambda p: (_taken_at(p) or datetime.min.replace(tzinfo=UTC), p.name), reverse=True)


def last_automatic_backup(database: Path, folder: Path | None = None) -> datetime | None:
    """When the newest automatic backup of ``database`` was made (for ``backup_due``)."""
    found = list_backups(folder, database=database, kind=AUTOMATIC)
    return _taken_at(found[0]) if found else None


# --- checking and describing ---------------------------------------------------------------------


def _connect_read_only(path: Path, *, live: bool) -> sqlite3.Connection:
    # A backup file is never written while we read it: "immutable" reads it without creating
    # -wal/-shm files beside it. A live database needs the normal read-only mode.
    uri = path.resolve().as_uri() + ("?mode=ro" if live else "?mode=ro&immutable=1")
    return sqlite3.connect(uri, uri=True)


@dataclass(frozen=True)
class DatabaseCheck:
    path: Path
    ok: bool
    problems: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        return "ok" if self.ok else "corrupt"


def check_database(path: Path, *, live: bool = False) -> DatabaseCheck:
    """Is the SQLite file at ``path`` sound? (``live``: it may be in use right now.)"""
    path = Path(path)
    if not path.is_file():
        return DatabaseCheck(path, False, ("the file does not exist",))
    try:
        conn = _connect_read_only(path, live=live)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return DatabaseCheck(path, False, (f"it cannot be read as a database: {exc}",))
    problems = tuple(str(r[0]) for r in rows if r[0] != "ok")
    return DatabaseCheck(path, not problems, problems)


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds, to show before restoring it."""

    path: Path
    taken_at: datetime | None
    size_bytes: int
    schema_version: str | None
    customers: int
    deals_by_stage: dict[str, int] = field(default_factory=dict)
    newest_deal: tuple[str, str, datetime | None] | None = None  # (ref, title, last changed)

    @property
    def deals(self) -> int:
        return sum(self.deals_by_stage.values())

    def summary(self) -> list[str]:
        """The preview as lines a person reads."""
        when = self.taken_at.strftime("%Y-%m-%d %H:%M UTC") if self.taken_at else "unknown"
        lines = [f"backup: {self.path}", f"taken: {when}", f"schema version: {self.schema_version or 'none'}",
                 f"customers: {self.customers:,}", f"deals: {self.deals:,}"]
        for stage in Stage:
            if self.deals_by_stage.get(stage.value):
                lines.append(f"  {stage.label}: {self.deals_by_stage[stage.value]:,}")
        if self.newest_deal:
            ref, title, at = self.newest_deal
            lines.append(f"newest deal: {ref} {title}" + (f" (changed {at:%Y-%m-%d %H:%M} UTC)" if at else ""))
        return lines


def _instant(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def describe_backup(path: Path) -> BackupInfo:
    """A preview of a backup, read without changing or migrating it."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError(f"There is no backup at {path}.", "Choose a backup file (…-auto-….db).")
    try:
        conn = _connect_read_only(path, live=False)
        try:
            version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            customers = conn.execute("SELECT count(*) FROM customers").fetchone()[0]
            stages = dict(conn.execute("SELECT stage, count(*) FROM deals GROUP BY stage").fetchall())
            newest = conn.execute("SELECT ref, title, updated_at FROM deals ORDER BY updated_at DESC, id DESC LIMIT 1"
                                  ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise ValidationError(f"{path.name} is not a SalesDesk backup that can be read ({exc}).",
                              "Choose another backup.") from None
    return BackupInfo(
        path=path, taken_at=_taken_at(path), size_bytes=path.stat().st_size,
        schema_version=version[0] if version else None, customers=int(customers),
        deals_by_stage={str(k): int(n) for k, n in stages.items()},
        newest_deal=(newest[0], newest[1], _instant(newest[2])) if newest else None,
    )


def latest_good_backup(folder: Path | None = None, *, database: Path | None = None) -> Path | None:
    """The newest backup (of ``database``, when given) that passes an integrity check."""
    for candidate in list_backups(folder, database=database):
        if candidate.name.endswith("-damaged.db"):
            continue
        if check_database(candidate).ok:
            return candidate
    return None


# --- making backups ------------------------------------------------------------------------------


def _clean_leftovers(folder: Path) -> None:
    """Remove temporary files of backups that were interrupted a while ago."""
    limit = time.time() - STALE_TEMP_AGE.total_seconds()
    for p in folder.glob(".*.tmp*"):
        with contextlib.suppress(OSError):
            if p.stat().st_mtime < limit:
                p.unlink()


def _seal(tmp: Path) -> None:
    """Make a fresh backup self-contained (no WAL), check it, and flush it to disk."""
    conn = sqlite3.connect(tmp)
    try:
        conn.execute("PRAGMA journal_mode=DELETE").fetchall()
        result = conn.execute("PRAGMA quick_check").fetchall()
    finally:
        conn.close()
    if [r[0] for r in result] != ["ok"]:
        raise BackupError("The backup that was just made does not pass its check.",
                          "The database itself may be damaged: run 'salesdesk check'.")
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup_file(database: Path, folder: Path, *, kind: str = AUTOMATIC, keep: int | None = None) -> Path:
    """Back ``database`` up into ``folder`` as ``<stem>-<kind>-<UTC time>.db``; keep only the newest
    ``keep`` backups of that kind (None: keep all)."""
    if not database.is_file():
        raise BackupError(f"There is no database file at {database} to back up.")
    final = folder / f"{database.stem}-{kind}-{_stamp()}.db"
    tmp = folder / f".{final.name}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _clean_leftovers(folder)
        backup_sqlite_file(database, tmp)
        _seal(tmp)
        os.replace(tmp, final)
        fsync_folder(folder)
    except sqlite3.Error as exc:
        raise BackupError(f"The database {database} could not be backed up: {exc}.",
                          "It may be damaged: run 'salesdesk check', or restore an earlier backup.") from exc
    except OSError as exc:
        raise BackupError(f"The backup could not be written to {folder}: {exc.strerror or exc}.",
                          "Check that the folder exists, is writable and has space.") from exc
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".part")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
    if keep is not None:
        for old in list_backups(folder, database=database, kind=kind)[keep:]:
            with contextlib.suppress(OSError):
                old.unlink()
                log.info("Removed old backup %s", old)
    return final


# --- restoring -----------------------------------------------------------------------------------


def _known_schema(version: str | None) -> bool:
    if not version:
        return False
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
    target = folder / f"{database.stem}-{BEFORE_RESTORE}-{_stamp()}-damaged.db"
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
        if store.is_sqlite:
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
