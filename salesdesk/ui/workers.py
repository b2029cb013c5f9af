"""Run plain functions on a thread pool and hand their results back to the UI thread.

A worker gets a function and its arguments, never a widget. ``LatestOnly`` keeps only the newest
request: older ones that have not started are skipped, and results of older ones are dropped,
so a list filtered while typing shows the last keystroke's result and nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


def pool() -> QThreadPool:
    return QThreadPool.globalInstance()


class _Relay(QObject):
    """Lives in the UI thread; workers emit through it, so slots run in the UI thread."""

    done = Signal(int, object)
    failed = Signal(int, object)


class _Job(QRunnable):
    def __init__(self, ticket: int, fn: Callable[[], Any], relay: _Relay, wanted: Callable[[int], bool]) -> None:
        super().__init__()
        self.ticket, self.fn, self.relay, self.wanted = ticket, fn, relay, wanted

    def run(self) -> None:
        if not self.wanted(self.ticket):
            return
        try:
            result = self.fn()
        except Exception as exc:  # handed to the UI thread, which shows it
            log.debug("background job failed", exc_info=True)
            self.relay.failed.emit(self.ticket, exc)
        else:
            self.relay.done.emit(self.ticket, result)


class LatestOnly(QObject):
    """Runs one kind of query in the background; only the newest request's result arrives."""

    finished = Signal(object)
    failed = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ticket = 0
        self._running = 0
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)

    @property
    def busy(self) -> bool:
        return self._running > 0

    def submit(self, fn: Callable[[], Any]) -> int:
        """Queue ``fn``; any earlier request still waiting is skipped and its result ignored."""
        self._ticket += 1
        self._running += 1
        if self._running == 1:
            self.busy_changed.emit(True)
        pool().start(_Job(self._ticket, fn, self._relay, self._is_current))
        return self._ticket

    def cancel(self) -> None:
        """Forget every request made so far (their results will be dropped)."""
        self._ticket += 1

    def _is_current(self, ticket: int) -> bool:
        if ticket == self._ticket:
            return True
        self._relay.done.emit(ticket, _SKIPPED)  # still count it as finished
        return False

    def _settle(self) -> None:
        self._running -= 1
        if self._running == 0:
            self.busy_changed.emit(False)

    def _on_done(self, ticket: int, result: object) -> None:
        self._settle()
        if ticket == self._ticket and result is not _SKIPPED:
            self.finished.emit(result)

    def _on_failed(self, ticket: int, exc: object) -> None:
        self._settle()
        if ticket == self._ticket:
            self.failed.emit(exc)


_SKIPPED = object()


def wait_for_workers(timeout_ms: int = 10_000) -> bool:
    """Block until background jobs are finished (at shutdown and in test teardown)."""
    return pool().waitForDone(timeout_ms)
