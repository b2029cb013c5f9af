"""Creating a deal from the "New deal" form, with an existing or a brand-new customer."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from salesdesk.ui.deals.new_deal_dialog import NewDealDialog
from salesdesk.ui.widgets.fields import ErrorLabel


@pytest.fixture
def dialog(qtbot: Any, services: Any, rep: Any) -> NewDealDialog:
    services.customers.add("Acme Bottling")
    form = NewDealDialog(services, rep)
    qtbot.addWidget(form)
    form.show()
    return form


def error_next_to(widget: Any) -> str:
    label = widget.parentWidget().findChild(ErrorLabel)
    return label.text() if label is not None and not label.isHidden() else ""


def test_a_new_customer_typed_in_the_form_is_created_with_the_deal(dialog: NewDealDialog, qtbot: Any,
                                                                   services: Any, rep: Any) -> None:
    qtbot.keyClicks(dialog.customer.lineEdit(), "Zenith Foods")
    assert dialog.new_customer_note.isVisible()
    qtbot.keyClicks(dialog.title_edit, "Cold-room automation")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    deal = dialog.created
    assert deal is not None and deal.title == "Cold-room automation" and deal.owner_uid == rep.uid
    assert [c.name for c in services.customers.list_customers()] == ["Acme Bottling", "Zenith Foods"]
    assert deal.checklist, "the product line's feasibility checklist is copied into the deal"


def test_an_existing_customer_is_found_by_typing_part_of_its_name(dialog: NewDealDialog, qtbot: Any,
                                                                  services: Any) -> None:
    qtbot.keyClicks(dialog.customer.lineEdit(), "acme bottling")
    assert not dialog.new_customer_note.isVisible()
    qtbot.keyClicks(dialog.title_edit, "Filling line")
    dialog.accept()
    assert dialog.created is not None and dialog.created.customer_name == "Acme Bottling"
    assert len(services.customers.list_customers()) == 1


def test_a_deal_without_a_title_is_refused_next_to_the_title_and_nothing_is_saved(
        dialog: NewDealDialog, qtbot: Any, services: Any) -> None:
    qtbot.keyClicks(dialog.customer.lineEdit(), "Brand New Ltd")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.created is None and dialog.isVisible()
    assert "Deal title is empty" in error_next_to(dialog.title_edit)
    assert [c.name for c in services.customers.list_customers()] == ["Acme Bottling"]
    assert services.deals.count() == 0


def test_ctrl_n_in_the_window_opens_the_form_and_then_the_new_deal(window: Any, qtbot: Any, services: Any,
                                                                   rep: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    customer = services.customers.add("Acme")
    made = services.deals.create(customer.uid, "Pumps")
    monkeypatch.setattr(NewDealDialog, "ask", classmethod(lambda _cls, *_a: made))
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    workspace = window.deal_tabs.current_workspace()
    assert workspace is not None and workspace.deal.uid == made.uid
