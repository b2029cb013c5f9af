"""Starting the desktop app: Qt application, database, who is using it, the main window."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from salesdesk import APP_NAME, __version__
from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import TeamMember
from salesdesk.services.app import Services, database_url
from salesdesk.ui import dialogs, errors
from salesdesk.ui.context import UiContext
from salesdesk.ui.first_run import Introduction, demo_user, fill_demo, introduce, known_user
from salesdesk.ui.icons import app_icon
from salesdesk.ui.packages import open_services
from salesdesk.ui.prefs import open_prefs
from salesdesk.ui.progress import run_with_progress
from salesdesk.ui.text import tr
from salesdesk.ui.workers import wait_for_workers

log = logging.getLogger(__name__)


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


def _smoke_user(services: Services) -> TeamMember:
    """In --smoke runs nobody answers dialogs: someone from the team, or a stand-in not written anywhere."""
    return demo_user(services) or TeamMember(uid="", name="SalesDesk", role="", department="Sales")


def choose_user(services: Services, args: argparse.Namespace) -> TeamMember | None:
    from salesdesk.ui.first_run_dialog import FirstRunDialog

    prefs = open_prefs()
    if args.demo:
        run_with_progress(None, tr("Preparing the demo database…"), lambda progress: fill_demo(services, progress))
        member = demo_user(services)
        return introduce(services, prefs, Introduction(member.uid)) if member else None
    if args.smoke:
        return known_user(services, prefs) or _smoke_user(services)
    return known_user(services, prefs) or FirstRunDialog.ask(services, prefs)


def run_app(args: argparse.Namespace) -> int:
    """Run the app until its window closes; the exit status."""
    app = make_application()
    errors.install()
    try:
        services = open_services(database_url(args.db, dict(os.environ)), actor=APP_NAME, ask=not args.smoke)
    except SalesDeskError as exc:
        log.error("Cannot open the database: %s", exc)
        if args.smoke:
            print(exc, file=sys.stderr)
        else:
            dialogs.show_problem(None, exc, tr("SalesDesk cannot start"))
        return 1
    window = None
    try:
        user = choose_user(services, args)
        if user is None:
            return 0
        services.set_actor(user.name)
        from salesdesk.ui.main_window import MainWindow

        window = MainWindow(UiContext(services, user, open_prefs()))
        window.show()
        if args.smoke:
            return _run_until_idle()
        from salesdesk.ui.auto_backup import AutoBackup

        window.auto_backup = AutoBackup(services, window)  # type: ignore[attr-defined]
        return app.exec()
    finally:
        wait_for_workers()
        if window is not None:
            window.deleteLater()
            QCoreApplication.sendPostedEvents()
        services.close()


def _run_until_idle() -> int:
    """--smoke: let the event loop start, run what the window queued at start-up, then stop."""
    loop = QEventLoop()

    def stop() -> None:
        QCoreApplication.processEvents()
        wait_for_workers()
        QCoreApplication.processEvents()
        loop.quit()  # this loop only: the application itself is not told to quit

    QTimer.singleShot(0, stop)
    loop.exec()
    return 0
