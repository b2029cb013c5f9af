"""Starting the app: the window first, saying it opens the database; the database behind it, off the UI
thread; then the questions (who are you, restore a backup?) over the open window."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from salesdesk.__main__ import app_options
from salesdesk.ui.main_window import MainWindow
from salesdesk.ui.prefs import open_prefs, remember_user
from salesdesk.ui.startup import FAILED, QUIT, Startup
from salesdesk.ui.workers import wait_for_workers
from tests.ui.test_packages_ui import _damaged_database


@pytest.fixture
def shell(qtbot: Any) -> Iterator[MainWindow]:
    """The window as it first appears: no database yet."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


def _start(window: MainWindow, db: str) -> Startup:
    return Startup(window, argparse.Namespace(db=db, demo=False, smoke=False))


@pytest.fixture
def started(shell: MainWindow) -> Iterator[list[Startup]]:
    """Start-ups to close (and their services) when the test ends."""
    made: list[Startup] = []
    yield made
    wait_for_workers()
    for startup in made:
        startup.close()


def test_the_window_shows_without_loading_the_database_layers() -> None:
    code = (
        "import sys\n"
        "from salesdesk.ui.app import make_application\n"
        "from salesdesk.ui.main_window import MainWindow\n"
        "app = make_application()\n"
        "window = MainWindow()\n"
        "window.show()\n"
        "app.processEvents()\n"
        "core = ('sqlalchemy', 'alembic', 'reportlab', 'salesdesk.services', 'salesdesk.store', 'salesdesk.documents',\n"
        "        'salesdesk.domain.model')\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(core))))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "", f"the window's frame loaded {out.stdout.strip()}"


def test_while_the_database_opens_the_window_says_so_and_its_commands_wait(shell: MainWindow) -> None:
    assert not shell.is_open
    assert shell.stack.currentWidget() is shell.opening_page
    assert shell.opening_page.title.text() == "Opening the database…"
    assert shell.database_label.text() == "Opening the database…" and shell.user_label.text() == ""
    for action in (shell.new_deal_action, shell.find_action, shell.print_action, shell.packages.backup_action):
        assert not action.isEnabled()
    assert shell.quit_action.isEnabled()
    assert [shell.sidebar.list.item(i).text() for i in range(shell.sidebar.list.count())][:2] == ["Today", "Deals"]


def test_a_place_chosen_while_the_database_opens_is_where_the_window_opens(shell: MainWindow, ui: Any) -> None:
    shell.sidebar.list.setCurrentRow(3)  # Team
    assert shell.current_place() == "team" and not shell.pages
    shell.open_with(ui)
    assert shell.is_open and shell.current_place() == "team"
    assert shell.new_deal_action.isEnabled()
    assert shell.user_label.text() == "Signed in as Ana Rossi (Sales)"


def test_the_database_opens_in_the_background_and_the_remembered_rep_is_signed_in(
        qtbot: Any, shell: MainWindow, started: list[Startup], services: Any, rep: Any) -> None:
    remember_user(open_prefs(), services.store.url, rep.uid)
    startup = _start(shell, services.store.url)
    started.append(startup)
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        startup.start()
    assert shell.is_open and shell.ui.user.uid == rep.uid and shell.current_place() == "today"
    assert services.store.display_name in shell.database_label.text()
    assert startup.services is not None and startup.services.ctx.actor == "Ana Rossi"


def test_a_newcomer_is_asked_who_they_are_over_the_open_window(
        qtbot: Any, shell: MainWindow, started: list[Startup], services: Any, rep: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from salesdesk.ui.first_run_dialog import FirstRunDialog

    asked: list[Any] = []

    def ask(_cls: object, opened: Any, _prefs: object, parent: Any = None) -> Any:
        asked.append((parent, parent.isVisible(), parent.is_open))
        return opened.team.get(rep.uid)

    monkeypatch.setattr(FirstRunDialog, "ask", classmethod(ask))
    startup = _start(shell, services.store.url)
    started.append(startup)
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        startup.start()
    assert asked == [(shell, True, False)], "asked over the window, before it had its services"
    assert shell.ui.user.name == "Ana Rossi"


def test_quitting_the_welcome_ends_the_start(qtbot: Any, shell: MainWindow, started: list[Startup],
                                            services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from salesdesk.ui.first_run_dialog import FirstRunDialog

    monkeypatch.setattr(FirstRunDialog, "ask", classmethod(lambda _cls, *_a: None))
    startup = _start(shell, services.store.url)
    started.append(startup)
    with qtbot.waitSignal(startup.ended, timeout=30_000) as ended:
        startup.start()
    assert ended.args == [QUIT] and not shell.is_open


def test_a_damaged_database_is_offered_its_backup_once_the_window_shows(
        qtbot: Any, shell: MainWindow, started: list[Startup], services: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from salesdesk.ui import packages_dialogs
    from salesdesk.ui.first_run_dialog import FirstRunDialog

    url, _database = _damaged_database(tmp_path)
    offered: list[Any] = []
    monkeypatch.setattr(packages_dialogs, "offer_backup_at_start",
                        lambda error, info: offered.append((shell.isVisible(), info.customers)) or True)
    monkeypatch.setattr(FirstRunDialog, "ask", classmethod(lambda _cls, opened, *_a: opened.team.add(
        "Ana Rossi", "Sales", "Sales rep")))
    startup = _start(shell, url)
    started.append(startup)
    with qtbot.waitSignal(startup.ready, timeout=30_000):
        startup.start()
    assert offered == [(True, 1)]
    assert [c.name for c in shell.ui.services.customers.list_customers()] == ["Kept in the backup"]


def test_a_database_that_cannot_be_opened_is_explained_and_ends_the_start(
        qtbot: Any, shell: MainWindow, started: list[Startup], tmp_path: Path, dialogs: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from salesdesk.ui import packages_dialogs

    url, _database = _damaged_database(tmp_path)
    monkeypatch.setattr(packages_dialogs, "offer_backup_at_start", lambda error, info: False)
    startup = _start(shell, url)
    started.append(startup)
    with qtbot.waitSignal(startup.ended, timeout=30_000) as ended:
        startup.start()
    assert ended.args == [FAILED] and not shell.is_open
    assert len(dialogs.problems) == 1 and "damaged" in str(dialogs.problems[0]).lower()


def test_the_app_options_are_read_without_the_command_line_parser() -> None:
    args = app_options(["--db", "x.db", "--data-dir", "d", "--smoke"])
    assert args is not None and (args.db, args.data_dir, args.smoke, args.demo, args.command) == ("x.db", "d", True,
                                                                                                   False, None)
    for other in (["deals"], ["--help"], ["--version"], ["--self-test"], ["--db"], ["--sm"], ["--db", "x", "check"]):
        assert app_options(other) is None, other


_RUN_AND_CLOSE = """
import argparse, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from salesdesk import paths
from salesdesk.ui.app import run_app
from salesdesk.ui.main_window import MainWindow

paths.set_data_dir(sys.argv[1])
when = sys.argv[3]

def close_the_window():
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    if when == "opening" or window.is_open:
        print("closed while", "open" if window.is_open else "opening")
        window.close()
    else:
        QTimer.singleShot(10, close_the_window)

status = run_app(argparse.Namespace(db=sys.argv[2], demo=False, smoke=False),
                 when_shown=lambda: QTimer.singleShot(0, close_the_window))
print("status", status)
"""


@pytest.mark.parametrize("when", ["opening", "open"])
def test_closing_the_window_ends_the_app_whether_the_database_is_open_or_still_opening(
        tmp_path: Path, migrated_db: Path, when: str) -> None:
    import shutil

    from salesdesk.services.app import Services

    db = tmp_path / "closing.db"
    shutil.copy(migrated_db, db)
    seeded = Services.open(f"sqlite:///{db}")
    member = seeded.team.add("Ana Rossi", "Sales", "Sales rep")
    remember_user(open_prefs(), seeded.store.url, member.uid)  # the data folder is this test's
    seeded.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", _RUN_AND_CLOSE, str(tmp_path / "salesdesk-data"), str(db), when],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-2:] == ["status", "0"] and f"closed while {when}" in out.stdout
    assert "Traceback" not in out.stderr
