"""Customers, Team and Settings pages: saving through the widgets, refusals next to the field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt

from salesdesk.services.app import database_url
from salesdesk.ui.customers.contact_dialog import ContactDialog
from salesdesk.ui.customers.contacts import CustomerContacts
from salesdesk.ui.team.pin_dialog import PinDialog
from salesdesk.ui.widgets.fields import ErrorLabel


def error_next_to(widget: Any) -> str:
    parent = widget.parentWidget()
    while parent is not None and parent.findChild(ErrorLabel) is None:
        parent = parent.parentWidget()
    label = parent.findChild(ErrorLabel) if parent else None
    return label.text() if label is not None and not label.isHidden() else ""


def test_a_customer_is_created_on_the_customers_page(window: Any, qtbot: Any, services: Any) -> None:
    window.show_place("customers")
    page = window.pages["customers"]
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.name, "Zenith Foods")
    qtbot.keyClicks(page.industry, "Food")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert [c.name for c in services.customers.list_customers()] == ["Zenith Foods"]
    assert page.list.currentItem().text() == "Zenith Foods"
    assert page.contacts.add_button.isEnabled()


def test_a_customer_without_a_name_is_refused_next_to_the_name(window: Any, qtbot: Any, services: Any) -> None:
    window.show_place("customers")
    page = window.pages["customers"]
    page.start_new()
    qtbot.keyClicks(page.industry, "Food")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "Company name is empty" in error_next_to(page.name)
    assert services.customers.list_customers() == []


def test_a_contact_is_added_and_a_bad_e_mail_refused(qtbot: Any, services: Any) -> None:
    customer = services.customers.add("Acme")
    contacts = CustomerContacts(services, customer.uid)
    dialog = ContactDialog(None, contacts.put)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "Ingrid Chen")
    qtbot.keyClicks(dialog.role, "Maintenance lead")
    qtbot.keyClicks(dialog.email, "ingrid.example")
    dialog.accept()
    assert dialog.saved is None and "not an e-mail address" in dialog.errors.general.text()  # type: ignore[union-attr]
    dialog.email.clear()
    qtbot.keyClicks(dialog.email, "ingrid@acme.example")
    dialog.accept()
    assert [(c.name, c.role) for c in services.customers.get(customer.uid).contacts] == [
        ("Ingrid Chen", "Maintenance lead")]


def test_a_team_member_is_added_and_given_a_signing_pin(window: Any, qtbot: Any, services: Any) -> None:
    window.show_place("team")
    page = window.pages["team"]
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.name, "Elena Garcia")
    page.department.setCurrentText("Operations")
    qtbot.keyClicks(page.role, "Operations lead")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    elena = services.team.find_by_name("Elena Garcia")
    assert elena is not None and elena.department == "Operations"

    dialog = PinDialog(elena.name, lambda pin: services.team.set_pin(elena.uid, pin))
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.pin, "4821")
    qtbot.keyClicks(dialog.repeat, "4812")
    dialog.accept()
    assert "different" in error_next_to(dialog.repeat) and not services.team.get(elena.uid).has_pin
    dialog.repeat.clear()
    qtbot.keyClicks(dialog.repeat, "4821")
    dialog.accept()
    assert dialog.done_ok and services.team.get(elena.uid).has_pin


def test_settings_are_saved_and_a_bad_value_is_refused_next_to_its_field(window: Any, qtbot: Any,
                                                                          services: Any) -> None:
    window.show_place("settings")
    page = window.pages["settings"]
    company, promises, calendar, storage = _sections(page)
    company.name.selectAll()
    qtbot.keyClicks(company.name, "Brightline Industrial")
    promises.contingency.setText("12.5")
    calendar.workdays[5].setChecked(True)  # Saturday becomes a working day
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    saved = services.settings.load()
    assert saved.company_name == "Brightline Industrial" and saved.contingency_percent == Decimal("12.5")
    assert saved.weekend_days == (6,)

    promises.default_factor.setText("7")
    promises.contingency.setText("5")
    page.save()
    assert "between 1.0 and 5.0" in error_next_to(promises.default_factor)
    assert services.settings.load().contingency_percent == Decimal("12.5"), "nothing is saved"

    promises.default_factor.setText("2.5")
    promises.contingency.setText("60")
    page.save()
    assert "between 0 % and 50 %" in error_next_to(promises.contingency)
    assert services.settings.load().default_factor == Decimal("2.0")


def test_a_department_factor_and_closure_dates_are_checked(window: Any, qtbot: Any, services: Any) -> None:
    window.show_place("settings")
    page = window.pages["settings"]
    _company, promises, calendar, _storage = _sections(page)
    promises.departments.add_row(["Welding", "abc", ""])
    page.save()
    assert "'abc' is not a number" in error_next_to(promises.departments.table)
    promises.departments.remove_selected()
    promises.departments.table.removeRow(promises.departments.table.rowCount() - 1)
    calendar.closures.add_row(["2026-12-24", "Christmas", "Works holiday"])
    page.save()
    assert "is not a date" in error_next_to(calendar.closures.table)
    assert services.settings.load().closures == ()


def test_the_database_address_is_remembered_for_the_next_start(window: Any, services: Any) -> None:
    window.show_place("settings")
    page = window.pages["settings"]
    storage = _sections(page)[-1]
    storage.database_url.setText("postgresql://sales@db.example/salesdesk")
    assert page.save()
    assert database_url(None, {}) == "postgresql://sales@db.example/salesdesk"
    assert "restarts" in page.state.text()


def _sections(page: Any) -> tuple[Any, Any, Any, Any]:
    """The company, promises, calendar and storage sections, wherever the page lists them."""
    from salesdesk.ui.settings.calendar import CalendarSection
    from salesdesk.ui.settings.company import CompanySection
    from salesdesk.ui.settings.promises import PromisesSection
    from salesdesk.ui.settings.storage import StorageSection

    def of(kind: type) -> Any:
        return next(s for s in page.sections if isinstance(s, kind))

    return of(CompanySection), of(PromisesSection), of(CalendarSection), of(StorageSection)
