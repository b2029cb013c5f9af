"""Starting the app without keeping the rep waiting: the window first, the database behind it.

The main window appears at once and says it is opening the database. The core (SQLAlchemy,
the services) is imported and the database opened — checked, migrated if needed — on a worker,
while the window stays responsive. Back on the UI thread come the questions only the rep can
answer (restore a backup of a damaged database? who are you?); then the window gets its
services and builds its first page.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from salesdesk import APP_NAME
from salesdesk.domain.errors import SalesDeskError
from salesdesk.ui import dialogs, errors
from salesdesk.ui.prefs import open_prefs
from salesdesk.ui.text import tr
from salesdesk.ui.workers import LatestOnly

if TYPE_CHECKING:
    from salesdesk.domain.model import TeamMember
    from salesdesk.services.app import Services
    from salesdesk.ui.main_window import MainWindow
    from salesdesk.ui.packages import DamagedDatabase

log = logging.getLogger(__name__)

#: Exit statuses of a start-up that did not end with the window ready.
QUIT, FAILED = 0, 1


def open_database(db: str | None, *, offer_backup: bool) -> Services | DamagedDatabase:
    """On the worker: the database the app uses (``--db``, the environment, the saved choice or the
    default file), opened; or, when it is damaged, what the rep can be offered instead."""
    from salesdesk.services.app import database_url
    from salesdesk.ui.packages import open_or_find_backup

    return open_or_find_backup(database_url(db, dict(os.environ)), actor=APP_NAME, offer_backup=offer_backup)


def choose_user(services: Services, args: argparse.Namespace, parent: MainWindow | None = None) -> TeamMember | None:
    """Who is using the app: remembered for this database, else asked (None: they chose Quit)."""
    from salesdesk.domain.model import TeamMember
    from salesdesk.ui.first_run import Introduction, demo_user, fill_demo, introduce, known_user

    prefs = open_prefs()
    if args.demo:
        from salesdesk.ui.progress import run_with_progress

        run_with_progress(parent, tr("Preparing the demo database…"), lambda progress: fill_demo(services, progress))
        member = demo_user(services)
        return introduce(services, prefs, Introduction(member.uid)) if member else None
    if args.smoke:
        # Nobody answers dialogs in a smoke run: someone from the team, or a stand-in not written anywhere.
        return (known_user(services, prefs) or demo_user(services)
                or TeamMember(uid="", name=APP_NAME, role="", department="Sales"))
    member = known_user(services, prefs)
    if member is not None:
        return member
    from salesdesk.ui.first_run_dialog import FirstRunDialog

    return FirstRunDialog.ask(services, prefs, parent)


class Startup(QObject):
    """Opens the database for a window that is already on screen, then hands it the services."""

    #: The window has its services and is building its first page.
    ready = Signal()
    #: Start-up ended without a ready window: ``QUIT`` (the rep chose Quit) or ``FAILED``.
    ended = Signal(int)

    def __init__(self, window: MainWindow, args: argparse.Namespace) -> None:
        super().__init__()  # not the window's child: it closes the services after the window is gone
        self.window, self.args = window, args
        self.services: Services | None = None
        self._stopped = False
        self._worker = LatestOnly(self)
        self._then: Callable[[Any], None] = self._opened
        self._worker.finished.connect(lambda result: self._then(result))
        self._worker.failed.connect(self._failed)

    def start(self) -> None:
        db, ask = self.args.db, not self.args.smoke
        self._run(lambda: open_database(db, offer_backup=ask), self._opened)

    def stop(self) -> None:
        """The app is closing: whatever the worker still opens is closed again, nothing is asked."""
        self._stopped = True

    def _run(self, work: Callable[[], object], then: Callable[[Any], None]) -> None:
        self._then = then
        self._worker.submit(work)

    def _opened(self, result: Services | DamagedDatabase) -> None:
        from salesdesk.ui.packages import DamagedDatabase

        if isinstance(result, DamagedDatabase):
            self._offer_backup(result)
            return
        self.services = result
        if self._stopped:
            return
        try:
            user = choose_user(result, self.args, self.window)
        except SalesDeskError as exc:
            self._failed(exc)
            return
        if user is None:
            self.ended.emit(QUIT)
            return
        from salesdesk.ui.context import UiContext

        result.set_actor(user.name)
        self.window.open_with(UiContext(result, user, open_prefs()))
        self.ready.emit()

    def _offer_backup(self, damaged: DamagedDatabase) -> None:
        from salesdesk.ui import packages

        if self._stopped or not packages.offer_backup(damaged):
            self._failed(damaged.error)
            return
        db = self.args.db

        def restore() -> tuple[Services, object]:
            from salesdesk.services.app import database_url

            return packages.restore_and_open(damaged, database_url(db, dict(os.environ)), actor=APP_NAME)

        def restored(result: tuple[Services, Any]) -> None:
            services, kept = result
            if not self._stopped:
                packages.tell_backup_restored(self.window, damaged, kept)
            self._opened(services)

        self._run(restore, restored)

    def _failed(self, exc: object) -> None:
        if self._stopped:
            return
        if isinstance(exc, SalesDeskError):
            log.error("Cannot open the database: %s", exc)
            if self.args.smoke:
                print(exc, file=sys.stderr)
            else:
                dialogs.show_problem(self.window, exc, tr("SalesDesk cannot start"))
        elif isinstance(exc, BaseException):
            log.error("Unexpected error while starting", exc_info=exc)
            if self.args.smoke:
                print(f"SalesDesk could not start: {exc!r}", file=sys.stderr)
            else:
                errors.show_unexpected(exc, exc.__traceback__)
        self.ended.emit(FAILED)

    def close(self) -> None:
        """After the event loop: close the services that were opened (the window keeps none)."""
        self._stopped = True
        if self.services is not None:
            self.services.close()
            self.services = None
