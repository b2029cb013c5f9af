"""The window around everything: places, shortcuts, print hook, status bar, what it remembers, errors."""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from salesdesk.domain.errors import ValidationError
from salesdesk.ui import errors, printing
from salesdesk.ui.main_window import MainWindow


def test_the_sidebar_reaches_every_place_and_ctrl_numbers_jump_there(window: Any, qtbot: Any) -> None:
    titles = [window.sidebar.list.item(i).text() for i in range(window.sidebar.list.count())]
    assert titles == ["Today", "Deals", "Customers", "Team", "Yardstick", "Settings"]
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_place() == "customers"
    window.sidebar.list.setCurrentRow(4)
    assert window.current_place() == "yardstick"
    assert "On-time rate" in " ".join(w.text() for w in window.stack.currentWidget().findChildren(type(window.user_label)))


def test_ctrl_f_goes_to_the_deal_list_and_puts_the_cursor_in_the_find_box(window: Any, qtbot: Any) -> None:
    window.show_place("settings")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_place() == "deals"
    assert QApplication.focusWidget() is window.deals_page.find


def test_print_waits_for_documents_and_a_provider_can_switch_it_on(window: Any, services: Any,
                                                                   monkeypatch: Any) -> None:
    customer = services.customers.add("Acme")
    deal = services.deals.create(customer.uid, "Pumps")
    assert not window.print_action.isEnabled() and "Open a deal" in window.print_action.toolTip()
    window.open_deal(deal.uid)
    assert not window.print_action.isEnabled() and "no documents" in window.print_action.toolTip()

    printed: list[str] = []

    class Documents:
        def can_print(self, d: Any) -> bool:
            return True

        def print_deal(self, parent: Any, d: Any) -> None:
            printed.append(d.ref)

    monkeypatch.setattr(printing, "_provider", Documents())
    window.deal_tabs.setCurrentIndex(0)
    window.deal_tabs.setCurrentIndex(1)
    assert window.print_action.isEnabled()
    window.print_action.trigger()
    assert printed == [deal.ref]


def test_the_status_bar_names_the_database_and_the_rep(window: Any, services: Any) -> None:
    assert services.store.display_name in window.database_label.text()
    assert window.user_label.text() == "Signed in as Ana Rossi (Sales)"


def test_the_window_comes_back_where_it_was_left(qtbot: Any, ui: Any) -> None:
    first = MainWindow(ui)
    qtbot.addWidget(first)
    first.show()
    first.resize(960, 640)  # the offscreen screen is 800 px wide: restoring clamps wider windows
    first.show_place("team")
    first.close()
    second = MainWindow(ui)
    qtbot.addWidget(second)
    assert (second.size().width(), second.size().height()) == (960, 640)
    assert second.current_place() == "team"


def test_an_unexpected_error_is_explained_logged_and_the_app_goes_on(window: Any, dialogs: Any) -> None:
    try:
        raise RuntimeError("the printer caught fire")
    except RuntimeError:
        errors.handle_exception(*sys.exc_info())  # type: ignore[arg-type]
    assert [str(e) for e in dialogs.unexpected] == ["the printer caught fire"]
    assert window.isVisible()


def test_a_salesdesk_error_shows_its_message_and_hint(window: Any, dialogs: Any) -> None:
    problem = ValidationError("The quote has no lines.", "Add a line first.")
    errors.handle_exception(ValidationError, problem, None)
    assert dialogs.problems == [problem] and not dialogs.unexpected


def test_the_error_dialog_says_where_it_happened_and_where_the_log_is(tmp_path: Any, services: Any) -> None:
    try:
        raise KeyError("x")
    except KeyError:
        tb = sys.exc_info()[2]
    assert "test_main_window.py" in errors.where(tb)
    assert errors.log_file() == tmp_path / "logs" / "salesdesk.log"
