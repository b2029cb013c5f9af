"""UI fixtures: a fresh SQLite database per test, a rep, the main window, and no modal dialogs.

Every dialog the app can open is behind a replaceable function; ``dialogs`` records the calls
and answers them, so a test never hangs on a message box.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from salesdesk import paths
from salesdesk.domain.model import TeamMember
from salesdesk.services.app import Services


@dataclass
class DialogLog:
    """What the app asked or told the user; ``confirm_answer`` is what the user answers."""

    confirms: list[str] = field(default_factory=list)
    problems: list[Any] = field(default_factory=list)
    unexpected: list[BaseException] = field(default_factory=list)
    conflicts: list[Any] = field(default_factory=list)
    confirm_answer: bool = True
    conflict_answer: str = "keep"


@pytest.fixture(autouse=True)
def dialogs(monkeypatch: pytest.MonkeyPatch) -> DialogLog:
    from salesdesk.ui import dialogs as ui_dialogs
    from salesdesk.ui import errors
    from salesdesk.ui.dialogs import ConflictChoice, ConflictDialog

    log = DialogLog()

    def confirm(_parent: object, _title: str, text: str, **_kw: object) -> bool:
        log.confirms.append(text)
        return log.confirm_answer

    def ask_conflict(_parent: object, exc: object) -> ConflictChoice:
        log.conflicts.append(exc)
        return ConflictChoice(log.conflict_answer)

    monkeypatch.setattr(ui_dialogs, "confirm", confirm)
    monkeypatch.setattr(ui_dialogs, "show_problem", lambda _p, exc, _t="": log.problems.append(exc))
    monkeypatch.setattr(ui_dialogs, "inform", lambda *_a: None)
    monkeypatch.setattr(errors, "show_unexpected", lambda exc, _tb: log.unexpected.append(exc))
    monkeypatch.setattr(ConflictDialog, "ask", classmethod(lambda _cls, parent, exc: ask_conflict(parent, exc)))
    return log


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, migrated and seeded database, made once; each test gets its own copy."""
    target = tmp_path_factory.mktemp("template") / "template.db"
    Services.open(f"sqlite:///{target}", actor="test").close()
    return target


@pytest.fixture
def services(tmp_path: Path, migrated_db: Path) -> Iterator[Services]:
    from salesdesk.ui.workers import wait_for_workers

    paths.set_data_dir(tmp_path)
    shutil.copy(migrated_db, tmp_path / "ui.db")
    opened = Services.open(f"sqlite:///{tmp_path / 'ui.db'}", actor="test")
    yield opened
    wait_for_workers()
    opened.close()
    paths.set_data_dir(None)


@pytest.fixture
def rep(services: Services) -> TeamMember:
    member = services.team.add("Ana Rossi", "Sales", "Sales rep", can_sign_agreements=True)
    services.set_actor(member.name)
    return member


@pytest.fixture
def ui(services: Services, rep: TeamMember) -> Any:
    from salesdesk.ui.context import UiContext
    from salesdesk.ui.prefs import open_prefs

    return UiContext(services, rep, open_prefs())


@pytest.fixture
def window(qtbot: Any, ui: Any) -> Iterator[Any]:
    from salesdesk.ui.main_window import MainWindow
    from salesdesk.ui.workers import wait_for_workers

    win = MainWindow(ui)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    wait_for_workers()


def settle(qtbot: Any) -> None:
    """Let background queries finish and their results arrive."""
    from salesdesk.ui.workers import wait_for_workers

    wait_for_workers()
    qtbot.wait(10)
