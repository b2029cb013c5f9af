"""The deal list as the rep uses it: find as you type, stage and owner filters, sorting, paging."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt

from salesdesk.domain.model import Stage
from salesdesk.ui.deals import table_model as cols
from tests.ui.conftest import settle


@pytest.fixture
def deals(services: Any, rep: Any) -> list[Any]:
    acme = services.customers.add("Acme Bottling")
    zenith = services.customers.add("Zenith Foods")
    other = services.team.add("Ben Okafor", "Sales")
    made = [
        services.deals.create(acme.uid, "Filling line upgrade", owner_uid=rep.uid, requested_date=date(2026, 6, 1)),
        services.deals.create(acme.uid, "Spare parts contract", owner_uid=other.uid, requested_date=date(2026, 3, 1)),
        services.deals.create(zenith.uid, "Cold-room automation", owner_uid=rep.uid, requested_date=date(2026, 9, 1)),
    ]
    services.deals.set_stage(made[2].uid, Stage.FEASIBILITY)
    return made


def open_list(window: Any, qtbot: Any) -> Any:
    window.show_place("deals")
    settle(qtbot)
    return window.deals_page


def shown_refs(page: Any) -> list[str]:
    model = page.model
    return [model.row_at(i).ref for i in range(model.rowCount())]


def test_the_list_shows_every_deal_newest_first_with_the_count(window: Any, qtbot: Any, deals: list[Any]) -> None:
    page = open_list(window, qtbot)
    assert shown_refs(page) == [d.ref for d in reversed(deals)]
    assert page.count.text() == "3 deals"


def test_typing_in_the_find_box_filters_by_customer_title_or_ref(window: Any, qtbot: Any, deals: list[Any]) -> None:
    page = open_list(window, qtbot)
    qtbot.keyClicks(page.find, "acme")
    # The count and the rows arrive from two background queries, in either order.
    qtbot.waitUntil(lambda: page.count.text() == "2 deals"
                    and set(shown_refs(page)) == {deals[0].ref, deals[1].ref}, timeout=3000)
    page.find.clear()
    qtbot.keyClicks(page.find, "cold-room")
    qtbot.waitUntil(lambda: shown_refs(page) == [deals[2].ref], timeout=3000)
    page.find.clear()
    qtbot.keyClicks(page.find, "no such deal")
    qtbot.waitUntil(lambda: page.count.text() == "0 deals", timeout=3000)
    assert page.views.currentWidget() is page.empty and "No deal matches" in page.empty.text()


def test_stage_and_owner_filters_narrow_the_list(window: Any, qtbot: Any, deals: list[Any]) -> None:
    page = open_list(window, qtbot)
    page.stage.setCurrentIndex(page.stage.findData(Stage.FEASIBILITY.value))
    qtbot.waitUntil(lambda: shown_refs(page) == [deals[2].ref], timeout=3000)
    page.stage.setCurrentIndex(0)
    page.owner.setCurrentIndex(page.owner.findText("My deals"))
    qtbot.waitUntil(lambda: page.count.text() == "2 deals"
                    and set(shown_refs(page)) == {deals[0].ref, deals[2].ref}, timeout=3000)


def test_clicking_a_header_sorts_in_the_database(window: Any, qtbot: Any, deals: list[Any]) -> None:
    page = open_list(window, qtbot)
    page.table.horizontalHeader().setSortIndicator(cols.COL_REQUESTED, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: shown_refs(page) == [deals[1].ref, deals[0].ref, deals[2].ref], timeout=3000)
    assert window.deal_list.query.sort == "requested_date" and not window.deal_list.query.descending


def test_long_lists_arrive_page_by_page(window: Any, qtbot: Any, services: Any, rep: Any) -> None:
    customer = services.customers.add("Acme")
    for i in range(7):
        services.deals.create(customer.uid, f"Deal {i}")
    window.show_place("deals")
    presenter = window.deal_list
    presenter.query = replace(presenter.query, limit=3)
    presenter.refresh()
    settle(qtbot)
    page = window.deals_page
    assert page.model.rowCount() == 3 and page.count.text() == "7 deals"
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == 7, timeout=3000)
    assert len(set(shown_refs(page))) == 7


def test_enter_on_a_deal_opens_it_in_a_tab(window: Any, qtbot: Any, deals: list[Any]) -> None:
    page = open_list(window, qtbot)
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    workspace = window.deal_tabs.current_workspace()
    assert workspace is not None and workspace.deal.ref == deals[2].ref
    assert window.deal_tabs.tabText(1).startswith(deals[2].ref)
