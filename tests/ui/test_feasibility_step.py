"""The Feasibility step driven like a user: operations answer and sign off with their PIN, a changed
estimate makes the sign-off stale, "not feasible" declines the deal, and the requested-date gap."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from salesdesk.domain.model import Answer, ChecklistItem, Deal, DealLine, Stage, TeamMember, Verdict, WorkItem
from salesdesk.services.app import Services
from salesdesk.ui.workspace.editor import SaveState

START = date(2026, 11, 2)  # a Monday
PINS = {"Operations": "1234", "Engineering": "4321"}


@pytest.fixture(autouse=True)
def _quick_pins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap PIN hashes: the cost travels inside each hash, so checking still works."""
    monkeypatch.setattr("salesdesk.services.team._SCRYPT", {"n": 2**4, "r": 8, "p": 1})


@dataclass
class Review:
    services: Services
    ref: str
    ops: TeamMember
    eng: TeamMember

    def deal(self) -> Deal:
        return self.services.deals.get(self.ref)

    def answer_all(self) -> None:
        for item in self.deal().checklist:
            member = self.ops if item.department == "Operations" else self.eng
            self.services.feasibility.answer(self.ref, item.uid, Answer.YES, "", member.uid)

    def sign(self, department: str, verdict: Verdict = Verdict.FEASIBLE, conditions: str = "") -> Deal:
        member = self.ops if department == "Operations" else self.eng
        return self.services.feasibility.sign_off(self.ref, department, member.uid, verdict, conditions,
                                                  PINS[department])


def make_review(services: Services, rep: TeamMember, *, requested: date | None = date(2026, 12, 18),
                send: bool = True) -> Review:
    ops = services.team.add("Olga Operations", "Operations", "Operations lead", pin=PINS["Operations"])
    eng = services.team.add("Eddie Engineer", "Engineering", "Engineer", pin=PINS["Engineering"])
    customer = services.customers.add("Acme Pumps GmbH", address="Hafenstraße 1\n20457 Hamburg")
    deal = services.deals.create(customer.uid, "Pump station", owner_uid=rep.uid, requested_date=requested,
                                 start_date=START)
    design, build = str(uuid.uuid4()), str(uuid.uuid4())
    deal = services.deals.save(replace(
        deal,
        lines=(DealLine(str(uuid.uuid4()), "Pump", Decimal(2), Decimal(1500)),),
        work_items=(WorkItem(design, "Engineering", "Design", Decimal(3)),
                    WorkItem(build, "Operations", "Build", Decimal(4), (design,)),
                    WorkItem(str(uuid.uuid4()), "Operations", "Install", Decimal(2), (build,))),
        checklist=(ChecklistItem(str(uuid.uuid4()), "Engineering", "Is the technical information complete?",
                                 "Drawings and specifications, confirmed in writing.", mandatory=True),
                   ChecklistItem(str(uuid.uuid4()), "Operations", "Can we deliver without bumping another customer?",
                                 "Look at the capacity warnings.", mandatory=True),
                   ChecklistItem(str(uuid.uuid4()), "Operations", "Are there legacy systems at the customer?")),
    ))
    if send:
        services.feasibility.request_review(deal.ref)
    return Review(services, deal.ref, ops, eng)


@pytest.fixture
def review(services: Services, rep: TeamMember) -> Review:
    return make_review(services, rep)


def window_as(qtbot: Any, services: Services, member: TeamMember) -> Any:
    """The main window as ``member`` sees it (operations on their own laptop)."""
    from salesdesk.ui.context import UiContext
    from salesdesk.ui.main_window import MainWindow
    from salesdesk.ui.prefs import open_prefs

    services.set_actor(member.name)
    win = MainWindow(UiContext(services, member, open_prefs()))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def open_feasibility(win: Any, ref: str) -> tuple[Any, Any]:
    workspace = win.open_deal(ref)
    workspace.go_to("feasibility")
    return workspace, workspace.page("feasibility")


def by_name(root: QWidget, name: str) -> Any:
    found = [w for w in root.findChildren(QWidget) if w.accessibleName() == name and w.isVisible()]
    assert found, f"no visible widget called {name!r}"
    return found[0]


def choose(qtbot: Any, combo: Any, text: str) -> None:
    """Pick ``text`` in a combo box with the keyboard, as a user would."""
    combo.setFocus()
    target = combo.findText(text)
    assert target >= 0, f"{text!r} is not offered"
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(target):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == text


def answer(qtbot: Any, row: Any, text: str) -> None:
    """Choose an answer and wait the moment the row takes before saving it."""
    choose(qtbot, row.answer_box, text)
    qtbot.waitUntil(lambda: not row._settle.isActive(), timeout=3000)


def row_for(page: Any, question_start: str) -> Any:
    return next(r for r in page.checklist.rows.values() if r.item.question.startswith(question_start))


def sign_in_dialog(qtbot: Any, page: Any, department: str, pin: str, verdict: Verdict = Verdict.FEASIBLE,
                   conditions: str = "") -> Any:
    qtbot.mouseClick(by_name(page, f"Sign off for {department}"), Qt.MouseButton.LeftButton)
    dialog = page.sign_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitExposed(dialog)
    button = dialog.verdict_buttons[verdict]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))  # on the round mark
    assert dialog.verdict() is verdict
    if conditions:
        qtbot.keyClicks(dialog.conditions, conditions)
    qtbot.keyClicks(dialog.pin, pin)
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    return dialog


def test_operations_answer_their_questions_and_sign_off_with_their_pin(qtbot: Any, review: Review) -> None:
    win = window_as(qtbot, review.services, review.ops)
    _, page = open_feasibility(win, review.ref)
    assert "In review" in page.notice.title.text()
    assert "Engineering and Operations have not signed off" in page.notice.body.text()

    deliver = row_for(page, "Can we deliver")
    assert deliver.mandatory.isVisible() and deliver.help_button.toolTip() == "Look at the capacity warnings."
    answer(qtbot, deliver, "Yes")
    legacy = row_for(page, "Are there legacy")
    answer(qtbot, legacy, "With conditions")
    assert "Write the conditions in the notes" in legacy.error.text()  # waits for them, saves nothing yet
    qtbot.keyClicks(legacy.notes, "Only with the PLC export by 1 Dec")
    qtbot.keyClick(legacy.notes, Qt.Key.Key_Return)

    stored = {i.question: i for i in review.deal().checklist}
    mine = stored["Can we deliver without bumping another customer?"]
    assert (mine.answer, mine.answered_by) == (Answer.YES, review.ops.uid)
    legacy_item = stored["Are there legacy systems at the customer?"]
    assert (legacy_item.answer, legacy_item.notes) == (Answer.WITH_CONDITIONS, "Only with the PLC export by 1 Dec")
    assert "Answered by Olga Operations" in row_for(page, "Can we deliver").answered.text()

    dialog = sign_in_dialog(qtbot, page, "Operations", "9999")  # a wrong PIN first
    assert dialog.isVisible()
    assert "Wrong PIN for Olga Operations" in dialog.pin_error.text()
    assert review.deal().signoffs == ()
    qtbot.keyClicks(dialog.pin, PINS["Operations"])
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    signed = [s for s in review.deal().signoffs if s.current]
    assert [(s.department, s.member_uid, s.verdict) for s in signed] == [
        ("Operations", review.ops.uid, Verdict.FEASIBLE)]
    assert page.signoffs.pills["Operations"].text() == "Feasible"
    assert page.signoffs.pills["Engineering"].text() == "Not signed"
    assert "Engineering has not signed off" in page.notice.body.text()


def test_a_locked_signer_is_told_so_in_the_dialog(qtbot: Any, review: Review) -> None:
    win = window_as(qtbot, review.services, review.ops)
    _, page = open_feasibility(win, review.ref)
    answer(qtbot, row_for(page, "Can we deliver"), "Yes")
    dialog = sign_in_dialog(qtbot, page, "Operations", "0000")
    for _ in range(4):
        qtbot.keyClicks(dialog.pin, "0000")
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert "Signing is now locked for 5 minutes" in dialog.pin_error.text()
    qtbot.keyClicks(dialog.pin, PINS["Operations"])
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert "Signing is locked for Olga Operations" in dialog.errors.general.text()
    assert dialog.isVisible() and review.deal().signoffs == ()


def test_changing_a_work_items_raw_days_shows_the_sign_off_as_stale(qtbot: Any, window: Any,
                                                                    review: Review) -> None:
    review.answer_all()
    review.sign("Engineering")
    assert review.sign("Operations").stage is Stage.CLEARED
    workspace, page = open_feasibility(window, review.ref)
    assert page.signoffs.pills["Operations"].text() == "Feasible"
    assert page.notice.title.text() == "Cleared"

    raw = by_name(page, "Work item 3 raw days")
    raw.selectAll()
    qtbot.keyClicks(raw, "5")
    qtbot.waitUntil(lambda: page.signoffs.pills["Operations"].text() == "STALE", timeout=3000)
    detail = page.signoffs.details["Operations"].text()
    assert "Changed since: work item 'Install' raw days 2 → 5" in detail and "Must sign again" in detail
    assert page.signoffs.pills["Engineering"].text() == "STALE"
    assert by_name(page, "Sign off for Operations").text() == "Sign again…"

    workspace.editor.flush()
    assert workspace.editor.state == SaveState.SAVED
    stored = review.deal()
    assert stored.stage is Stage.FEASIBILITY  # no longer cleared
    assert [w.raw_days for w in stored.work_items] == [Decimal(3), Decimal(4), Decimal(5)]
    assert "sign-off is stale" in page.notice.body.text()


def test_the_work_items_table_edits_the_deal_and_shows_the_padded_schedule(qtbot: Any, window: Any,
                                                                          review: Review) -> None:
    workspace, page = open_feasibility(window, review.ref)
    table = page.work.table
    assert table.item(0, 7).text() == "10 Nov 2026"  # Design: 3 raw × 2.0 = 6 padded working days from 2 Nov
    qtbot.mouseClick(page.work.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(by_name(page, "Work item 4 task"), "Train the operators")
    page.work.set_predecessors(4, [3])
    qtbot.waitUntil(lambda: table.item(3, 7) is not None and table.item(3, 7).text() != "", timeout=3000)
    workspace.editor.flush()
    stored = review.deal().work_items
    assert stored[3].task == "Train the operators" and stored[3].predecessors == (stored[2].uid,)
    assert by_name(page, "Work item 4 waits for").text() == "after 3"


def test_not_feasible_declines_the_deal_and_the_rep_changes_the_scope_and_asks_again(
        qtbot: Any, review: Review, rep: TeamMember) -> None:
    win = window_as(qtbot, review.services, review.ops)
    workspace, page = open_feasibility(win, review.ref)
    sign_in_dialog(qtbot, page, "Operations", PINS["Operations"], Verdict.NOT_FEASIBLE,
                   "No crane access on site")
    assert review.deal().stage is Stage.DECLINED
    assert page.notice.title.text() == "Declined — we said no"
    assert "No crane access on site" in page.notice.body.text()
    assert page.notice.action.text().replace("&", "") == "Change scope and ask again"
    assert not by_name(page, "Sign off for Engineering").isEnabled()

    qtbot.mouseClick(page.notice.action, Qt.MouseButton.LeftButton)  # nothing changed yet: refused, said why
    assert "has changed since they said it is not feasible" in page.notice.error.text()
    assert review.deal().stage is Stage.DECLINED

    raw = by_name(page, "Work item 3 raw days")
    raw.selectAll()
    qtbot.keyClicks(raw, "4")
    qtbot.mouseClick(page.notice.action, Qt.MouseButton.LeftButton)
    assert review.deal().stage is Stage.FEASIBILITY
    assert workspace.editor.deal.stage is Stage.FEASIBILITY
    assert page.notice.title.text().startswith("In review")


def test_the_rep_asks_operations_for_review_from_discovery(qtbot: Any, window: Any, services: Services,
                                                          rep: TeamMember) -> None:
    review = make_review(services, rep, send=False)
    workspace, page = open_feasibility(window, review.ref)
    assert page.notice.title.text() == "Not sent for review yet"
    assert not by_name(page, "Sign off for Operations").isEnabled()
    qtbot.mouseClick(page.notice.action, Qt.MouseButton.LeftButton)
    assert review.deal().stage is Stage.FEASIBILITY
    assert workspace.header.stage.text() == "Feasibility review"


def test_a_requested_date_before_the_padded_one_is_handled_with_a_reason(qtbot: Any, window: Any,
                                                                         services: Services, rep: TeamMember) -> None:
    review = make_review(services, rep, requested=date(2026, 11, 20))
    _, page = open_feasibility(window, review.ref)
    assert "working days later" in page.gap.summary.text()
    assert "cannot be quoted until you do" in page.gap.summary.text()
    choose(qtbot, page.gap.handling, "Override: promise the requested date")
    qtbot.mouseClick(page.gap.record_button, Qt.MouseButton.LeftButton)
    assert page.gap.reason_error.text().startswith("Give a reason.")
    assert review.deal().gap_handling is None

    choose(qtbot, page.gap.handling, "The customer accepts the later date")
    qtbot.mouseClick(page.gap.record_button, Qt.MouseButton.LeftButton)
    assert review.deal().gap_handling is not None
    assert "Handled: the customer accepts the later date." in page.gap.summary.text()
