"""Opening the database: engine settings, migrations, the backup before migrating, and refusal
of a database written by a newer SalesDesk.

SQLite is the default (one file, nothing to install); any SQLAlchemy URL works, PostgreSQL
(psycopg 3) is supported and tested.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DataError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from salesdesk.domain.errors import StoreError, ValidationError
from salesdesk.store.guards import install_guards
from salesdesk.store.search import install_search_text

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 30_000

#: The newest migration. A database already at this revision opens without loading Alembic
#: (a quarter of a second at every start); a test keeps this equal to the migrations' head.
SCHEMA_HEAD = "0008"


def _alembic_config() -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return str(head)


def _current_revision(conn: Any) -> tuple[str | None, bool]:
    """(the schema revision recorded in the database, whether it holds any tables)."""
    tables = inspect(conn).get_table_names()
    if "alembic_version" not in tables:
        return None, bool(tables)
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar(), True


def run_migration(engine: Engine, direction: str, target: str) -> None:
    """Upgrade or downgrade the schema in one transaction.

    On SQLite, foreign keys are switched off meanwhile: Alembic's batch mode rebuilds a table by
    copying and dropping it, and dropping a parent table with foreign keys on would cascade-delete
    its children. The references are checked before the transaction commits.
    """
    from alembic import command

    cfg = _alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        raw: Any = conn.connection.driver_connection
        if sqlite:
            raw.execute("PRAGMA foreign_keys = OFF")  # only outside a transaction does this take effect
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                getattr(command, direction)(cfg, target)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise StoreError(
                            f"Migrating the database would break {len(broken)} references; nothing was changed.",
                            "Restore the backup made before the migration and report this.",
                        )
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys = ON")


def _known_revision(revision: str) -> bool:
    from alembic.script import ScriptDirectory

    try:
        ScriptDirectory.from_config(_alembic_config()).get_revision(revision)
    except Exception:
        return False
    return True


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` as psycopg 3 and a bare file path as SQLite."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _install_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event issue BEGIN itself, so writers can take the lock up front.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # BEGIN IMMEDIATE for writers: a deferred transaction that later upgrades to a write lock
        # can fail with "database is locked" at once, without waiting for the busy timeout.
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


@contextmanager
def _refusing_unstorable_values() -> Iterator[None]:
    """A value the database itself rejects (PostgreSQL refuses NUL characters in text, even in a
    search) is the user's input, not a crash: say so, after the session has rolled back."""
    try:
        yield
    except DataError as exc:
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else "invalid value"
        raise ValidationError(
            f"A value you entered cannot be stored in the database ({detail}).",
            "Remove unusual characters (such as invisible control characters) or shorten the value, then try again.",
        ) from None


@dataclass
class Store:
    """An open database. Sessions are short: one per unit of work."""

    url: str
    engine: Engine
    write_engine: Engine

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def display_name(self) -> str:
        u = make_url(self.url)
        if self.is_sqlite:
            return u.database or ":memory:"
        return str(u.set(password="***")) if u.password else str(u)

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        db = make_url(self.url).database
        return Path(db) if db and db != ":memory:" else None

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing is written."""
        with _refusing_unstorable_values(), Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work is committed when the block ends, or rolled back on error."""
        factory = sessionmaker(self.write_engine, expire_on_commit=False)
        with _refusing_unstorable_values(), factory.begin() as session:
            yield session

    def schema_version(self) -> str | None:
        with self.engine.connect() as conn:
            return _current_revision(conn)[0]

    def integrity_check(self) -> list[str]:
        """Problems found in the database (an empty list when it is sound)."""
        problems: list[str] = []
        with self.engine.connect() as conn:
            if self.is_sqlite:
                rows = conn.exec_driver_sql("PRAGMA integrity_check").fetchall()
                problems += [r[0] for r in rows if r[0] != "ok"]
                fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                problems += [f"broken reference in {r[0]} row {r[1]}" for r in fk]
            else:
                conn.execute(text("SELECT 1"))
        return problems

    def dispose(self) -> None:
        self.engine.dispose()
        self.write_engine.dispose()


def create_store_engine(url: str) -> tuple[Engine, Engine]:
    try:
        sa_url = make_url(url)
    except ArgumentError as exc:
        raise StoreError(
            f"'{url}' is not a database address SalesDesk understands.",
            "Use a file path, sqlite:///path/to/file.db or postgresql://user@host/dbname.",
        ) from exc
    if sa_url.get_backend_name() == "sqlite":
        db = sa_url.database
        if not db or db == ":memory:":
            # Each connection would see its own empty database, and everything is gone at exit.
            raise StoreError(
                "An in-memory database keeps nothing once SalesDesk closes.",
                "Give a database file instead, e.g. sqlite:///path/to/salesdesk.db.",
            )
        parent = Path(db).expanduser().resolve().parent
        if not parent.exists():
            raise StoreError(
                f"The folder for the database file does not exist: {parent}.",
                "Create the folder or choose another location for the database.",
            )
        engine = create_engine(sa_url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _install_sqlite_pragmas(engine)
        return engine, engine.execution_options(sqlite_begin="IMMEDIATE")
    try:
        engine = create_engine(sa_url, pool_pre_ping=True)
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"SalesDesk cannot use the database at {sa_url.render_as_string()}: {exc}.") from exc
    return engine, engine


def backup_sqlite_file(source: Path, target: Path) -> Path:
    """Copy a live SQLite database with the online backup API (consistent even while in use)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    tmp.replace(target)
    return target


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")


def open_store(url: str, *, migrate: bool = True, backup_folder: Path | None = None) -> Store:
    """Open (and create or migrate) the database at ``url``.

    A SQLite file that holds data is copied aside before any migration. A database whose schema
    is newer than this SalesDesk knows is refused and left untouched.
    """
    install_guards()  # signed agreement revisions are frozen, whoever writes (see guards.py)
    install_search_text()  # the deal list's filter text follows every change of a deal row
    url = normalise_url(url)
    engine, write_engine = create_store_engine(url)
    store = Store(url=url, engine=engine, write_engine=write_engine)
    try:
        with engine.connect() as conn:
            current, has_tables = _current_revision(conn)
    except OperationalError as exc:
        store.dispose()
        raise StoreError(
            f"SalesDesk cannot open the database {store.display_name}: {exc.orig}.",
            "Check the address, that the server is running and that you may use it.",
        ) from exc
    except sqlite3.DatabaseError as exc:  # pragma: no cover - wrapped by SQLAlchemy in practice
        store.dispose()
        raise StoreError(f"The file {store.display_name} is not a SalesDesk database ({exc}).") from exc
    except SQLAlchemyError as exc:
        store.dispose()
        raise StoreError(
            f"The database {store.display_name} cannot be read: {exc}.",
            "It may be damaged; restore a backup or choose another database.",
        ) from exc

    if current == SCHEMA_HEAD:
        return store
    head = head_revision()
    if current is not None:
        if not _known_revision(current):
            store.dispose()
            raise StoreError(
                f"This database was written by a newer version of SalesDesk (schema {current}).",
                "Install the latest SalesDesk to open it; this version has left the file untouched.",
            )
    elif has_tables:
        store.dispose()
        raise StoreError(
            f"{store.display_name} holds tables but is not a SalesDesk database.",
            "Choose another file, or an empty one, for SalesDesk.",
        )

    if migrate and current != head:
        path = store.sqlite_path
        if path is not None and current is not None and path.exists():
            folder = backup_folder or path.parent / "backups"
            target = folder / f"{path.stem}-before-{head}-{_timestamp()}.db"
            backup_sqlite_file(path, target)
            log.info("Backed up %s to %s before migrating", path, target)
        run_migration(write_engine, "upgrade", "head")
        log.info("Database %s migrated from %s to %s", store.display_name, current, head)
    return store
