"""The database the fuzz sweeps work in: one per test module, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import PG_URL, _pg_database
from tests.reliability.fuzz_support import World, make_world


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("fuzz")
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{folder / 'fuzz.db'}"])
    elif not PG_URL:
        pytest.skip("PostgreSQL tests need SALESDESK_TEST_PG_URL (.ci/run starts a server and sets it)")
    else:
        urls = _pg_database()
    built = make_world(next(urls), folder)
    try:
        yield built
    finally:
        built.services.close()
        for _ in urls:  # finishes the generator: drops the PostgreSQL database
            pass
