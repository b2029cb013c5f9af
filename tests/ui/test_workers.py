"""Background queries: only the newest request's result reaches the screen."""

from __future__ import annotations

import threading
from typing import Any

from salesdesk.ui.workers import LatestOnly, wait_for_workers


def test_a_newer_request_makes_older_results_irrelevant(qapp: Any, qtbot: Any) -> None:
    runner = LatestOnly()
    release = threading.Event()
    results: list[str] = []
    runner.finished.connect(results.append)

    def slow() -> str:
        release.wait(5)
        return "old"

    runner.submit(slow)
    runner.submit(lambda: "new")
    release.set()
    wait_for_workers()
    qtbot.waitUntil(lambda: not runner.busy, timeout=2000)
    assert results == ["new"]


def test_a_failure_arrives_as_a_signal_not_a_crash(qapp: Any, qtbot: Any) -> None:
    runner = LatestOnly()

    def broken() -> None:
        raise ValueError("disk on fire")

    with qtbot.waitSignal(runner.failed, timeout=2000) as signal:
        runner.submit(broken)
    assert isinstance(signal.args[0], ValueError)
