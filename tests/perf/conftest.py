"""Benchmarks share one 100,000-deal demo database per run (it takes about a minute to build)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

BIG_DEALS = int(os.environ.get("SALESDESK_BENCH_DEALS", "100000"))


@pytest.fixture(scope="session")
def big_demo_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """A SQLite file filled by ``salesdesk demo --deals 100000``, and how long that took (s)."""
    cached = os.environ.get("SALESDESK_BENCH_DB")
    if cached and Path(cached).exists():
        return Path(cached), float("nan")
    folder = tmp_path_factory.mktemp("bench")
    db = folder / "big.db"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "salesdesk", "--data-dir", str(folder), "--db", str(db), "demo",
         "--deals", str(BIG_DEALS), "--seed", "1"],
        check=True, capture_output=True, text=True,
    )
    return db, time.perf_counter() - started
