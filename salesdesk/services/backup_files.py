"""Backup files of the SQLite database: made safely, named for their time, listed, checked, described.

A backup is taken with SQLite's online backup API (consistent while the app is in use), checked,
written under a hidden temporary name and only then renamed to ``<db>-auto-<UTC time>.db``; a
backup interrupted at any point (even by kill -9) never leaves a file named like a backup.
Files are read without being changed: no migration, no -wal or -shm beside them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

from salesdesk import paths
from salesdesk.domain.errors import RefusedError, SalesDeskError, ValidationError
from salesdesk.domain.model import Stage
from salesdesk.services.package_files import fsync_folder
from salesdesk.store.engine import backup_sqlite_file, normalise_url

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


def stamp(at: datetime | None = None) -> str:
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


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name the file system cannot even look up (too long, …) names no backup
        return False


def check_database(path: Path, *, live: bool = False) -> DatabaseCheck:
    """Is the SQLite file at ``path`` sound? (``live``: it may be in use right now.)"""
    path = Path(path)
    if not _is_file(path):
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
    if not _is_file(path):
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
    final = folder / f"{database.stem}-{kind}-{stamp()}.db"
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
