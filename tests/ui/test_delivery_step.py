"""Delivery & breakdowns: items marked done with their actual dates, the deal delivered, a late item's
automatic breakdown, breakdowns logged and checked by the service, and a deal marked lost."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt

from salesdesk.domain.model import ActionItem, BreakdownCategory, ItemStatus, Side, Stage, WorkItem
from salesdesk.ui.workspace.delivery.reason_dialog import to_qdate

# Monday 3 March 2025, every factor 2.0: "Detailed design" (raw 2) is due Fri 7 March; "Installation
# on site" waits for it (raw 1) and is due Tue 11 March, the promised date.
START = date(2025, 3, 3)


@pytest.fixture
def deal(services: Any, rep: Any) -> Any:
    customer = services.customers.add("Northwind Plastics Ltd")
    created = services.deals.create(customer.uid, "Packaging line upgrade", owner_uid=rep.uid, start_date=START)
    design = WorkItem("w-design", "Engineering", "Detailed design", Decimal("2"))
    install = WorkItem("w-install", "Operations", "Installation on site", Decimal("1"), ("w-design",))
    call = ActionItem("a-window", Side.OURS, "Confirm the delivery window", owner_member_uid=rep.uid,
                      due_fixed=date(2025, 3, 10))
    saved = services.deals.save(replace(created, work_items=(design, install), action_items=(call,)))
    return services.deals.set_stage(saved.ref, Stage.KICKED_OFF)


def delivery_page(window: Any, deal: Any) -> tuple[Any, Any]:
    workspace = window.open_deal(deal.uid)
    workspace.go_to("delivery")
    return workspace, workspace.page("delivery")


def finish(qtbot: Any, table: Any, uid: str, done_on: date, started: date | None = None) -> None:
    if started is not None:
        table.starts[uid].setDate(to_qdate(started))
    table.finishes[uid].setDate(to_qdate(done_on))
    qtbot.mouseClick(table.buttons[uid], Qt.MouseButton.LeftButton)


def test_marking_every_item_done_delivers_the_deal(window: Any, qtbot: Any, services: Any, deal: Any) -> None:
    workspace, page = delivery_page(window, deal)
    assert [r.what for r in page.work.rows] == ["Detailed design", "Installation on site"]
    assert page.work.starts["w-design"].date() == to_qdate(START), "an open item starts as planned"

    finish(qtbot, page.work, "w-design", date(2025, 3, 6))
    stored = services.deals.get(deal.uid)
    design = next(w for w in stored.work_items if w.uid == "w-design")
    assert (design.status, design.actual_start, design.actual_done) == (ItemStatus.DONE, START, date(2025, 3, 6))
    assert stored.stage is Stage.DELIVERING
    assert page.work.item(0, 5).text() == "3", "working days taken, counted with the team calendar"
    assert page.work.buttons["w-design"].text() == "Reopen"
    assert "is done in 3 working days" in page.banner.headline.text()

    finish(qtbot, page.work, "w-install", date(2025, 3, 11))
    finish(qtbot, page.action_items, "a-window", date(2025, 3, 10))
    stored = services.deals.get(deal.uid)
    assert stored.stage is Stage.DELIVERED
    assert workspace.deal.stage is Stage.DELIVERED, "the workspace shows the stored deal"
    assert page.stage.text() == "Delivered"
    assert "as promised" in page.banner.headline.text()
    assert not stored.breakdowns

    qtbot.mouseClick(page.action_items.buttons["a-window"], Qt.MouseButton.LeftButton)  # reopen
    stored = services.deals.get(deal.uid)
    assert stored.stage is Stage.DELIVERING
    assert next(a for a in stored.action_items).status is ItemStatus.OPEN


def test_a_late_item_shows_its_automatic_breakdown(window: Any, qtbot: Any, services: Any, deal: Any) -> None:
    _workspace, page = delivery_page(window, deal)
    finish(qtbot, page.work, "w-design", date(2025, 3, 12))  # due Fri 7 March: three working days late
    stored = services.deals.get(deal.uid)
    assert [(b.category, b.automatic) for b in stored.breakdowns] == [(BreakdownCategory.MISSED_DELIVERY_DATE, True)]
    assert page.breakdowns.list.topLevelItemCount() == 1
    row = page.breakdowns.list.topLevelItem(0)
    assert row.text(1) == "Missed delivery date" and row.text(2) == "Engineering"
    assert row.text(5) == "Automatic (missed date)"
    assert "3 working days late" in row.text(3)
    assert page.breakdowns.selected() == stored.breakdowns[0].uid
    assert "3 working days late" in page.banner.headline.text()
    assert page.work.item(0, 6).text() == "Done · 3 days late"


def test_a_breakdown_with_a_negative_cost_is_refused_next_to_the_cost(window: Any, qtbot: Any, services: Any,
                                                                      deal: Any, rep: Any) -> None:
    _workspace, page = delivery_page(window, deal)
    qtbot.mouseClick(page.breakdowns.add_button, Qt.MouseButton.LeftButton)
    dialog = page.breakdown_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.logged_by.currentData() == rep.uid
    dialog.category.setCurrentIndex(dialog.category.findData(BreakdownCategory.BAD_TECHNICAL_INFORMATION.value))
    dialog.department.setCurrentIndex(dialog.department.findData("Engineering"))
    qtbot.keyClicks(dialog.description, "The drawings showed the old conveyor height.")
    dialog.cost.clear()
    qtbot.keyClicks(dialog.cost, "-250")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    cost_error = dialog.errors._labels["cost"][0]
    assert dialog.isVisible(), "the dialog stays open until the service accepts"
    assert cost_error.isVisibleTo(dialog) and "cannot be below 0" in cost_error.text()
    assert not services.deals.get(deal.uid).breakdowns, "nothing was saved"

    dialog.cost.clear()
    qtbot.keyClicks(dialog.cost, "250.00")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    [logged] = services.deals.get(deal.uid).breakdowns
    assert (logged.category, logged.department, logged.cost, logged.logged_by, logged.automatic) == (
        BreakdownCategory.BAD_TECHNICAL_INFORMATION, "Engineering", Decimal("250.00"), rep.uid, False)
    row = page.breakdowns.list.topLevelItem(0)
    assert row.text(5) == "Ana Rossi" and row.text(4) == "EUR 250.00"


def test_a_breakdown_is_edited_and_removed(window: Any, qtbot: Any, services: Any, deal: Any, dialogs: Any) -> None:
    from salesdesk.services.delivery import DeliveryService

    logged = DeliveryService(services.ctx).log_breakdown(deal.ref, "poor_communication", "Operations",
                                                         date(2025, 3, 5), "Nobody told the site about the crane.")
    _workspace, page = delivery_page(window, deal)
    page.breakdowns.select(logged.uid)
    qtbot.mouseClick(page.breakdowns.edit_button, Qt.MouseButton.LeftButton)
    dialog = page.breakdown_dialog
    assert dialog.description.text() == "Nobody told the site about the crane."
    qtbot.keyClicks(dialog.resolution, "Crane booked for the next morning.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert services.deals.get(deal.uid).breakdowns[0].resolution == "Crane booked for the next morning."
    assert "Resolution: Crane booked for the next morning." in page.breakdowns.detail.text()

    page.breakdowns.select(logged.uid)
    qtbot.mouseClick(page.breakdowns.remove_button, Qt.MouseButton.LeftButton)
    assert dialogs.confirms and "Remove the breakdown" in dialogs.confirms[-1]
    assert not services.deals.get(deal.uid).breakdowns
    assert page.breakdowns.empty.isVisibleTo(page)


def test_a_deal_is_marked_lost_with_a_reason(window: Any, qtbot: Any, services: Any, deal: Any) -> None:
    _workspace, page = delivery_page(window, deal)
    qtbot.mouseClick(page.lost_button, Qt.MouseButton.LeftButton)
    dialog = page.lost_dialog
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.errors._labels["lost_reason"][0].isVisibleTo(dialog)
    qtbot.keyClicks(dialog.reason, "They bought a used line instead.")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    stored = services.deals.get(deal.uid)
    assert stored.stage is Stage.LOST and stored.lost_reason == "They bought a used line instead."
    assert page.banner.headline.text() == "This deal was lost"
    assert not page.lost_button.isEnabled()


def test_the_dates_and_buttons_of_each_row_are_reached_with_tab(window: Any, qtbot: Any, deal: Any) -> None:
    _workspace, page = delivery_page(window, deal)
    page.work.starts["w-design"].setFocus()
    seen = []
    for _ in range(12):  # a date field takes Tab through its day, month and year first
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        seen.append(window.focusWidget())
    assert page.work.finishes["w-design"] in seen
    assert page.work.buttons["w-design"] in seen
    assert page.work.starts["w-install"] in seen, "Tab goes on to the next row"
