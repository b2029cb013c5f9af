"""Action plan & parties through the window: parties on both sides, action items due with a work item
(showing its padded date, moving with the schedule), who to call for what, and the stakeholder map."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit

from salesdesk.domain.model import ActionItem, Side
from salesdesk.services.customers import new_contact
from salesdesk.ui.text import format_date
from salesdesk.ui.widgets.inputs import OptionalDateEdit
from salesdesk.ui.workspace.editor import SaveState
from tests.services.test_feasibility import Review, _quick_pins, start_review  # noqa: F401 (autouse fixture)

PARTY_PERSON, PARTY_ROLE, PARTY_RESPONSIBILITY = 1, 2, 3
WHO, WHAT, DUE, DATE, STATUS = range(5)


@pytest.fixture
def review(services: Any, rep: Any) -> Review:
    """A deal starting Monday 2 Nov 2026: Design (3 raw days) → Build (4) → Install (2); factor 2.0."""
    review = start_review(services)
    deal = review.deal()
    customer = services.customers.get(deal.customer_uid)
    services.customers.save(replace(customer, contacts=(
        new_contact("Hans Kunde", "Plant manager", "Operations", "hans@acme.example", "+49 40 123"),)))
    return review


def open_step(window: Any, review: Review) -> tuple[Any, Any]:
    workspace = window.open_deal(review.ref)
    workspace.go_to("action_plan")
    return workspace, workspace.page("action_plan")


def saved(qtbot: Any, workspace: Any) -> None:
    workspace.editor.flush()
    qtbot.waitUntil(lambda: workspace.editor.state == SaveState.SAVED and not workspace.editor.dirty, timeout=5000)


def edit_cell(qtbot: Any, table: Any, row: int, column: int, value: Any) -> None:
    """Open the cell's editor the way F2 does, put ``value`` in, and commit it with Enter (or a choice)."""
    view = table.view
    index = table.model.index(row, column)
    view.setCurrentIndex(index)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    open_editors = [w for kind in (QComboBox, OptionalDateEdit, QLineEdit) for w in view.viewport().findChildren(kind)
                    if w.isVisible() and w.parentWidget() is view.viewport()]
    assert len(open_editors) == 1, "the cell opened no editor"
    editor = open_editors[0]
    if isinstance(editor, QComboBox) and not editor.isEditable():
        found = editor.findData(value)
        assert found >= 0, f"{value!r} is not offered: {[editor.itemText(i) for i in range(editor.count())]}"
        editor.setCurrentIndex(found)
        editor.activated.emit(found)
        return
    if isinstance(editor, QComboBox):
        found = editor.findData(value)
        if found >= 0:
            editor.setCurrentIndex(found)
        else:
            editor.setCurrentText(str(value))
    elif isinstance(editor, OptionalDateEdit):
        editor.set_value(value)
    else:
        editor.clear()
        qtbot.keyClicks(editor, str(value))
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(1)  # the view commits an edit finished with Enter from its event queue


def cell(table: Any, row: int, column: int, role: Any = Qt.ItemDataRole.DisplayRole) -> Any:
    return table.model.index(row, column).data(role)


def test_parties_on_both_sides_with_their_responsibilities(window: Any, qtbot: Any, review: Review,
                                                           services: Any, rep: Any) -> None:
    workspace, page = open_step(window, review)
    contact = services.customers.get(review.deal().customer_uid).contacts[0]
    assert not page.parties.remove_button.isEnabled(), "nothing selected: nothing to remove"
    buttons = {b.text().replace("&", ""): b for b in page.parties.findChildren(type(page.parties.remove_button))}
    qtbot.mouseClick(buttons["Add from our team"], Qt.MouseButton.LeftButton)
    edit_cell(qtbot, page.parties, 0, PARTY_PERSON, f"m:{rep.uid}")
    edit_cell(qtbot, page.parties, 0, PARTY_RESPONSIBILITY, "Owns this agreement")
    qtbot.mouseClick(buttons["Add from the customer"], Qt.MouseButton.LeftButton)
    edit_cell(qtbot, page.parties, 1, PARTY_PERSON, f"c:{contact.uid}")
    edit_cell(qtbot, page.parties, 1, PARTY_RESPONSIBILITY, "Accepts the installation")
    qtbot.mouseClick(buttons["Add from our team"], Qt.MouseButton.LeftButton)  # left blank: not saved

    assert [cell(page.parties, 1, c) for c in range(4)] == [
        "Customer", "Hans Kunde", "Plant manager, Operations", "Accepts the installation"]
    assert cell(page.parties, 2, PARTY_PERSON) == "Choose…"
    saved(qtbot, workspace)
    parties = services.deals.get(review.ref).parties
    assert [(p.side, p.member_uid, p.contact_uid, p.responsibility) for p in parties] == [
        (Side.OURS, rep.uid, None, "Owns this agreement"),
        (Side.THEIRS, None, contact.uid, "Accepts the installation"),
    ]
    assert "1 on our side, 1 on the customer's" in page.summary.text()
    assert page.parties.view.accessibleName() == "Parties"


def test_an_action_item_due_with_a_work_item_shows_its_padded_date_and_moves_with_the_schedule(
        window: Any, qtbot: Any, review: Review, services: Any) -> None:
    workspace, page = open_step(window, review)
    design, build, _install = review.deal().work_items
    contact = services.customers.get(review.deal().customer_uid).contacts[0]

    page.action_items.add_row(ActionItem("a-1", Side.OURS, ""), edit_column=None)
    edit_cell(qtbot, page.action_items, 0, WHO, f"c:{contact.uid}")
    edit_cell(qtbot, page.action_items, 0, WHAT, "Send the site drawings")
    assert cell(page.action_items, 0, DATE) == "No date"
    edit_cell(qtbot, page.action_items, 0, DUE, f"w:{design.uid}")

    padded = date(2026, 11, 10)  # 3 raw days × 2.0 = 6 working days after Mon 2 Nov (raw would be 5 Nov)
    assert cell(page.action_items, 0, DATE) == format_date(padded)
    assert cell(page.action_items, 0, DUE) == "With “Design”"
    assert "padded due date of “Design”" in cell(page.action_items, 0, DATE, Qt.ItemDataRole.ToolTipRole)
    assert not page.action_items.model.can_edit(0, DATE), "a linked date is the work item's, not typed"
    saved(qtbot, workspace)
    item = services.deals.get(review.ref).action_items[0]
    assert (item.owner_side, item.owner_contact_uid, item.what, item.due_work_item_uid, item.due_fixed) == (
        Side.THEIRS, contact.uid, "Send the site drawings", design.uid, None)

    # Operations re-estimates Design: the schedule moves, and the action item with it.
    deal = workspace.editor.deal
    workspace.editor.edit(lambda d: replace(d, work_items=(replace(design, raw_days=Decimal(5)),
                                                           *deal.work_items[1:])))
    saved(qtbot, workspace)
    page.entered()
    assert cell(page.action_items, 0, DATE) == format_date(date(2026, 11, 16))  # 10 working days after 2 Nov

    edit_cell(qtbot, page.action_items, 0, DUE, "fixed")
    assert page.action_items.model.can_edit(0, DATE)
    assert cell(page.action_items, 0, DATE) == format_date(date(2026, 11, 16)), "a fixed date starts from the last one"
    edit_cell(qtbot, page.action_items, 0, DATE, date(2026, 11, 20))
    edit_cell(qtbot, page.action_items, 0, STATUS, "done")
    saved(qtbot, workspace)
    item = services.deals.get(review.ref).action_items[0]
    assert (item.due_fixed, item.due_work_item_uid, item.status.value) == (date(2026, 11, 20), None, "done")
    assert item.done_on == date.today()
    assert "1 action items, all dated" in page.summary.text()


def test_who_to_call_fills_phone_and_e_mail_from_the_person_picked(window: Any, qtbot: Any, review: Review,
                                                                    services: Any) -> None:
    workspace, page = open_step(window, review)
    contact = services.customers.get(review.deal().customer_uid).contacts[0]
    buttons = {b.text().replace("&", ""): b for b in page.help.findChildren(type(page.help.remove_button))}
    qtbot.mouseClick(buttons["Add help contact"], Qt.MouseButton.LeftButton)
    edit_cell(qtbot, page.help, 0, 0, "Billing")
    edit_cell(qtbot, page.help, 0, 1, f"c:{contact.uid}")
    assert [cell(page.help, 0, c) for c in range(4)] == ["Billing", "Hans Kunde", "+49 40 123", "hans@acme.example"]
    qtbot.mouseClick(buttons["Add help contact"], Qt.MouseButton.LeftButton)
    edit_cell(qtbot, page.help, 1, 0, "Night shift")
    edit_cell(qtbot, page.help, 1, 1, "Security desk")
    saved(qtbot, workspace)
    stored = services.deals.get(review.ref).help_contacts
    assert [(h.topic, h.name, h.phone) for h in stored] == [("Billing", "Hans Kunde", "+49 40 123"),
                                                             ("Night shift", "Security desk", "")]

    page.help.view.selectRow(0)
    qtbot.mouseClick(page.help.remove_button, Qt.MouseButton.LeftButton)
    saved(qtbot, workspace)
    assert [h.topic for h in services.deals.get(review.ref).help_contacts] == ["Night shift"]


def test_the_stakeholder_map_lists_our_people_and_how_they_win(window: Any, qtbot: Any, review: Review,
                                                                services: Any, rep: Any) -> None:
    workspace, page = open_step(window, review)
    buttons = {b.text().replace("&", ""): b for b in page.parties.findChildren(type(page.parties.remove_button))}
    qtbot.mouseClick(buttons["Add from our team"], Qt.MouseButton.LeftButton)
    edit_cell(qtbot, page.parties, 0, PARTY_PERSON, f"m:{review.ops.uid}")
    qtbot.mouseClick(page.add_our_parties, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.add_our_parties, Qt.MouseButton.LeftButton)  # nobody twice
    assert len(page.stakeholders.rows()) == 1
    assert cell(page.stakeholders, 0, 1) == "Operations"
    edit_cell(qtbot, page.stakeholders, 0, 2, "A schedule that holds.")
    saved(qtbot, workspace)
    stakeholders = services.deals.get(review.ref).stakeholders
    assert [(s.member_uid, s.how_they_win) for s in stakeholders] == [(review.ops.uid, "A schedule that holds.")]
