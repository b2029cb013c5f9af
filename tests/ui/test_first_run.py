"""The first run: who are you (an existing member or someone new), remembered per database."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from salesdesk.ui.first_run import known_user
from salesdesk.ui.first_run_dialog import FirstRunDialog
from salesdesk.ui.prefs import open_prefs
from salesdesk.ui.widgets.fields import ErrorLabel


def test_a_newcomer_joins_the_team_becomes_the_audit_author_and_is_remembered(qtbot: Any, services: Any) -> None:
    prefs = open_prefs()
    assert known_user(services, prefs) is None
    dialog = FirstRunDialog(services, prefs)
    qtbot.addWidget(dialog)
    assert dialog.newcomer.isChecked(), "with nobody on the team yet, the rep introduces themselves"
    qtbot.keyClicks(dialog.name, "Maria Fernandes")
    qtbot.keyClicks(dialog.role, "Sales rep")
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.member is not None and dialog.member.name == "Maria Fernandes"
    assert [m.name for m in services.team.list_members()] == ["Maria Fernandes"]
    assert services.ctx.actor == "Maria Fernandes"
    assert known_user(services, open_prefs()).uid == dialog.member.uid  # type: ignore[union-attr]


def test_someone_already_on_the_team_just_picks_their_name(qtbot: Any, services: Any, rep: Any) -> None:
    dialog = FirstRunDialog(services, open_prefs())
    qtbot.addWidget(dialog)
    assert dialog.existing.isChecked() and dialog.member_combo.currentData() == rep.uid
    assert dialog.offer_demo == (services.deals.count() == 0)
    dialog.accept()
    assert dialog.member == rep and len(services.team.list_members()) == 1


def test_a_newcomer_without_a_name_is_asked_for_it_next_to_the_field(qtbot: Any, services: Any) -> None:
    dialog = FirstRunDialog(services, open_prefs())
    qtbot.addWidget(dialog)
    dialog.accept()
    label = dialog.name.parentWidget().findChild(ErrorLabel)
    assert dialog.member is None and "Name is empty" in label.text()
    assert services.team.list_members() == []
