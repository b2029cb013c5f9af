"""Shared fixtures. The suite is headless: the offscreen platform is chosen before Qt loads.

Store and service tests take the ``services`` or ``db_url`` fixture, which runs each test on a
fresh SQLite file and, when ``SALESDESK_TEST_PG_URL`` points at a PostgreSQL server (``.ci/run``
starts one), again on a fresh PostgreSQL database.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

import uuid  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from salesdesk import paths  # noqa: E402

PG_URL = os.environ.get("SALESDESK_TEST_PG_URL", "")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path) -> Iterator[Path]:
    """Every test writes under its own folder, never the user's real data."""
    folder = tmp_path / "salesdesk-data"
    paths.set_data_dir(folder)
    yield folder
    paths.set_data_dir(None)


def _pg_database() -> Iterator[str]:
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"sd_test_{uuid.uuid4().hex[:12]}"
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of a fresh, empty database: SQLite, and PostgreSQL when one is configured."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    if not PG_URL:
        pytest.skip("PostgreSQL tests need SALESDESK_TEST_PG_URL (.ci/run starts a server and sets it)")
    yield from _pg_database()


@pytest.fixture
def services(db_url: str) -> Iterator[object]:
    from salesdesk.services.app import Services

    sv = Services.open(db_url, actor="Test User")
    try:
        yield sv
    finally:
        sv.close()


@pytest.fixture
def sqlite_services(tmp_path: Path) -> Iterator[object]:
    """Services on a fresh SQLite file only (for tests about the file itself)."""
    from salesdesk.services.app import Services

    sv = Services.open(f"sqlite:///{tmp_path / 'only.db'}", actor="Test User")
    try:
        yield sv
    finally:
        sv.close()
