"""An open deal: filling Discovery, autosave, errors next to the field, and someone else's save."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import Qt

from salesdesk.services.app import Services
from salesdesk.ui.widgets.fields import ErrorLabel
from salesdesk.ui.workspace.editor import SaveState


@pytest.fixture
def deal(services: Any, rep: Any) -> Any:
    customer = services.customers.add("Acme Bottling")
    return services.deals.create(customer.uid, "Filling line upgrade", owner_uid=rep.uid)


def discovery(window: Any, deal: Any) -> tuple[Any, Any]:
    workspace = window.open_deal(deal.uid)
    workspace.go_to("discovery")
    return workspace, workspace.page("discovery")


def _by_name(page: Any, name: str) -> Any:
    from PySide6.QtWidgets import QWidget

    found = [w for w in page.findChildren(QWidget) if w.accessibleName() == name]
    assert found, f"no field called {name!r}"
    return found[0]


def wait_saved(qtbot: Any, workspace: Any) -> None:
    qtbot.waitUntil(lambda: workspace.editor.state == SaveState.SAVED and not workspace.editor.dirty, timeout=5000)


def test_discovery_typed_in_is_autosaved_and_found_again_after_reopening(window: Any, qtbot: Any, deal: Any,
                                                                         services: Any) -> None:
    workspace, page = discovery(window, deal)
    qtbot.keyClicks(_by_name(page, "Need identified"), "A faster filling line")
    assert workspace.editor.state == SaveState.UNSAVED
    assert "Unsaved" in workspace.header.save_state.text()
    qtbot.mouseClick(page.questions.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(_by_name(page, "Question 1"), "Who signs?")
    qtbot.keyClicks(_by_name(page, "Their answer 1"), "The plant manager")
    page.objections.add_pair("Too expensive", "The allowance for the unexpected is shown")
    wait_saved(qtbot, workspace)
    assert "All changes saved" in workspace.header.save_state.text()

    stored = services.deals.get(deal.uid)
    assert stored.needs_identified == "A faster filling line"
    assert [(q.question, q.answer) for q in stored.questions] == [("Who signs?", "The plant manager")]
    assert stored.objections[0].objection == "Too expensive"

    window.deal_tabs.close_current()
    assert window.deal_tabs.current_workspace() is None
    _, again = discovery(window, deal)
    assert _by_name(again, "Need identified").text() == "A faster filling line"
    assert [p.first for p in again.questions.pairs()] == ["Who signs?"]


def test_questions_come_from_the_template_and_can_be_reordered_and_removed(window: Any, qtbot: Any,
                                                                          deal: Any, services: Any) -> None:
    from salesdesk.ui.workspace.question_template import template_questions

    workspace, page = discovery(window, deal)
    page._add_template_questions([q.question for q in template_questions()[:3]])
    rows = page.questions._rows
    qtbot.mouseClick(rows[2].up, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.questions._rows[0].remove, Qt.MouseButton.LeftButton)
    workspace.editor.flush()
    stored = [q.question for q in services.deals.get(deal.uid).questions]
    first, second, third = (q.question for q in template_questions()[:3])
    assert stored == [third, second]


def test_a_refused_value_is_shown_next_to_its_field_and_nothing_is_saved(window: Any, qtbot: Any, deal: Any,
                                                                        services: Any) -> None:
    workspace, page = discovery(window, deal)
    title = _by_name(page, "Deal title")
    title.selectAll()
    qtbot.keyClick(title, Qt.Key.Key_Backspace)
    workspace.editor.flush()
    assert workspace.editor.state == SaveState.INVALID
    label = title.parentWidget().findChild(ErrorLabel)
    assert label.isVisible() and "Deal title is empty" in label.text()
    assert "Not saved" in workspace.header.save_state.text()
    assert services.deals.get(deal.uid).title == "Filling line upgrade"
    qtbot.keyClicks(title, "Filling line, phase 2")
    workspace.editor.flush()
    assert not label.isVisible()
    assert services.deals.get(deal.uid).title == "Filling line, phase 2"


def _someone_else_saves(services: Any, deal_uid: str, **changes: Any) -> None:
    other = Services.open(services.store.url, actor="Ben")
    try:
        other.deals.save(replace(other.deals.get(deal_uid), **changes))
    finally:
        other.close()


def test_a_conflict_keeps_what_the_rep_typed_until_they_save_over_the_other_version(
        window: Any, qtbot: Any, deal: Any, services: Any, dialogs: Any) -> None:
    workspace, page = discovery(window, deal)
    _someone_else_saves(services, deal.uid, exclusions="Civil works")
    qtbot.keyClicks(_by_name(page, "Need identified"), "Faster line")
    qtbot.waitUntil(lambda: len(dialogs.conflicts) == 1, timeout=5000)
    assert workspace.editor.state == SaveState.CONFLICT
    assert _by_name(page, "Need identified").text() == "Faster line"
    assert workspace.header.overwrite.isVisible()
    qtbot.keyClicks(_by_name(page, "Need clarified"), "Twice the bottles per hour")
    qtbot.wait(1000)
    assert services.deals.get(deal.uid).needs_identified == "", "nothing is saved behind the rep's back"

    qtbot.mouseClick(workspace.header.overwrite, Qt.MouseButton.LeftButton)
    stored = services.deals.get(deal.uid)
    assert (stored.needs_identified, stored.needs_clarified) == ("Faster line", "Twice the bottles per hour")
    assert stored.exclusions == "Civil works", "their change to another field is kept"
    assert workspace.editor.state == SaveState.SAVED
    assert _by_name(page, "Not included").text() == "Civil works"


def test_choosing_reload_after_a_conflict_shows_their_version(window: Any, qtbot: Any, deal: Any,
                                                              services: Any, dialogs: Any) -> None:
    dialogs.conflict_answer = "reload"
    workspace, page = discovery(window, deal)
    _someone_else_saves(services, deal.uid, needs_identified="Their words")
    qtbot.keyClicks(_by_name(page, "Need identified"), "Mine")
    workspace.editor.flush()
    assert len(dialogs.conflicts) == 1
    assert workspace.editor.state == SaveState.SAVED
    assert _by_name(page, "Need identified").text() == "Their words"


def test_the_step_bar_says_why_each_step_stands_where_it_does(window: Any, qtbot: Any, deal: Any) -> None:
    workspace, page = discovery(window, deal)
    quote = workspace.steps.item(3)
    assert "Quote" in quote.toolTip() and "Blocked" in quote.toolTip() and "cleared" in quote.toolTip()
    qtbot.keyClicks(_by_name(page, "Need identified"), "Faster line")
    assert "need clarified" in workspace.steps.item(0).toolTip()


def test_every_step_has_its_own_page_and_none_is_a_placeholder(window: Any, deal: Any) -> None:
    from salesdesk.domain.steps import STEPS
    from salesdesk.ui.workspace.steps.upcoming import UpcomingStep

    workspace = window.open_deal(deal.uid)
    for key, _title in STEPS:
        workspace.go_to(key)
        assert not isinstance(workspace.page(key), UpcomingStep), f"step {key} is still a placeholder"


def test_the_history_step_lists_who_changed_what(window: Any, qtbot: Any, deal: Any) -> None:
    workspace, page = discovery(window, deal)
    qtbot.keyClicks(_by_name(page, "Need identified"), "Faster line")
    workspace.go_to("history")  # leaving the step saves it
    log = workspace.page("history").log
    lines = [log.topLevelItem(i).text(2) for i in range(log.topLevelItemCount())]
    whos = {log.topLevelItem(i).text(1) for i in range(log.topLevelItemCount())}
    assert any("needs identified" in line and "Faster line" in line for line in lines)
    assert any(line.startswith("created the deal") for line in lines)
    assert whos == {"Ana Rossi"}


def test_a_step_module_registers_its_own_page(window: Any, deal: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from salesdesk.ui.workspace import steps
    from salesdesk.ui.workspace.steps import StepPage

    class KickoffPage(StepPage):
        fields = frozenset({"kickoff_override_reason"})

    monkeypatch.setitem(steps._FACTORIES, "kickoff", KickoffPage)
    workspace = window.open_deal(deal.uid)
    workspace.go_to("kickoff")
    assert isinstance(workspace.page("kickoff"), KickoffPage)
    assert steps.step_fields("kickoff") == {"kickoff_override_reason"}
