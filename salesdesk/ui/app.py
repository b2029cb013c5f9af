"""Starting the desktop app: the Qt application and the main window at once, the database behind it.

Nothing heavy is imported here: the window is on screen, saying it is opening the database, within
a few hundredths of a second more than a bare Qt window; ``startup`` opens the database on a worker
and asks what needs asking. ``--smoke`` runs the same way, waits until the first page has its
data, prints when the window was shown and when it was ready, and exits.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from salesdesk import APP_NAME, __version__
from salesdesk.ui.icons import app_icon

if TYPE_CHECKING:
    from salesdesk.ui.main_window import MainWindow
    from salesdesk.ui.startup import Startup

SMOKE_TIMEOUT_MS = 120_000


def make_application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    return app


def run_app(args: argparse.Namespace, when_shown: Callable[[], None] | None = None) -> int:
    """Run the app until its window closes; the exit status. ``when_shown`` runs once the window is
    on screen (e.g. opening the log file), before the database is opened."""
    from salesdesk.ui.main_window import MainWindow

    app = make_application()
    window = MainWindow()
    window.show()
    run_once()  # the window is painted before anything else happens
    shown = (time.time(), time.process_time())
    if when_shown is not None:
        when_shown()
    # Everything else waits until the window is on screen, even the modules that do it.
    from salesdesk.ui import errors
    from salesdesk.ui.startup import Startup
    from salesdesk.ui.workers import wait_for_workers

    previous_hook = sys.excepthook
    if not args.smoke:  # a smoke run has nobody to close an error dialog: the error ends it
        errors.install()
    startup = Startup(window, args)
    try:
        if args.smoke:
            return _smoke(window, startup, shown)
        startup.ended.connect(app.exit)
        startup.ready.connect(lambda: _keep_backups(window))
        startup.start()
        return app.exec()
    finally:
        startup.stop()
        wait_for_workers()
        QCoreApplication.sendPostedEvents()  # a database the worker opened meanwhile arrives, to be closed
        window.deleteLater()
        QCoreApplication.sendPostedEvents()
        startup.close()
        sys.excepthook = previous_hook


def run_once() -> None:
    """Let the event loop run once: what was shown is painted."""
    loop = QEventLoop()
    QTimer.singleShot(0, loop.quit)
    loop.exec()


def _keep_backups(window: MainWindow) -> None:
    from salesdesk.ui.auto_backup import AutoBackup

    window.auto_backup = AutoBackup(window.ui.services, window)  # type: ignore[attr-defined]


def _smoke(window: MainWindow, startup: Startup, shown: tuple[float, float]) -> int:
    """--smoke: open the database as a real start does, wait until the first page has its data, then stop.

    Prints when the window was shown and when the app was ready, counted from the process start
    (with the wall-clock time of each, for benchmarks that started the process). Any error ends
    the run with status 1, its traceback on stderr; so does a start that takes more than two minutes.
    """
    from salesdesk.ui.startup import FAILED
    from salesdesk.ui.workers import pool

    loop = QEventLoop()  # this loop only: the application itself is not told to quit
    outcome: list[int] = []

    def end(status: int) -> None:
        if not outcome:
            outcome.append(status)
        loop.quit()

    def until_idle() -> None:
        # Idle: no background query runs and none of their results waits to be shown.
        QCoreApplication.processEvents()
        if not pool().activeThreadCount():
            QCoreApplication.processEvents()  # a result just handled may have asked for more
            if not pool().activeThreadCount():
                end(0)
                return
        QTimer.singleShot(5, until_idle)

    def failed(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        sys.__excepthook__(kind, exc, tb)
        end(FAILED)

    def too_slow() -> None:
        print(f"--smoke: not ready after {SMOKE_TIMEOUT_MS // 1000} s", file=sys.stderr)
        end(FAILED)

    sys.excepthook = failed
    startup.ended.connect(end)
    startup.ready.connect(lambda: QTimer.singleShot(0, until_idle))
    deadline = QTimer(loop)
    deadline.setSingleShot(True)
    deadline.timeout.connect(too_slow)
    deadline.start(SMOKE_TIMEOUT_MS)
    QTimer.singleShot(0, startup.start)
    loop.exec()
    deadline.stop()
    status = outcome[0] if outcome else FAILED
    if status == 0 and not window.is_open:
        status = FAILED
    if status == 0:
        ready = (time.time(), time.process_time())
        started = process_started()
        for what, (wall, cpu) in (("window shown", shown), ("ready", ready)):
            print(f"{what}: {wall - started:.3f} s after the process started, {cpu:.3f} s CPU "
                  f"(wall clock {wall:.6f})")
    return status


def process_started() -> float:
    """When this process started (wall clock): from /proc on Linux, else when this module was loaded."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = int(fields[19])  # starttime, in clock ticks since boot
        age = time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
        return time.time() - age
    except (OSError, ValueError, IndexError, AttributeError):
        return _IMPORTED


_IMPORTED = time.time()
