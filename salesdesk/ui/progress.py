"""Long work (a demo database, later exports and backups) on a worker, with a progress dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from salesdesk.ui.workers import pool

T = TypeVar("T")
Progress = Callable[[int, int], None]


class _Relay(QObject):
    progressed = Signal(int, int)
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], relay: _Relay) -> None:
        super().__init__()
        self.work, self.relay = work, relay

    def run(self) -> None:
        try:
            result = self.work(self.relay.progressed.emit)
        except Exception as exc:  # re-raised in the UI thread by run_with_progress
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


def run_with_progress(parent: QWidget | None, label: str, work: Callable[[Progress], T]) -> T:
    """Run ``work(progress)`` off the UI thread while a progress dialog shows how far it got.

    The window stays responsive (it repaints; input is held by the modal dialog). Errors raised
    by ``work`` are raised here, in the UI thread.
    """
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setCancelButton(None)  # type: ignore[arg-type]
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    relay = _Relay()
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def progressed(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, total))

    def finished(key: str, value: object) -> None:
        outcome[key] = value
        loop.quit()

    relay.progressed.connect(progressed)
    relay.done.connect(lambda result: finished("result", result))
    relay.failed.connect(lambda exc: finished("error", exc))
    pool().start(_Job(work, relay))
    loop.exec()
    dialog.close()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]  # type: ignore[no-any-return]
