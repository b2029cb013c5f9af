"""Kickoff: the account manager acknowledges each non-standard term, the meeting is recorded, and the
first shipment is marked sent — without a kickoff only with a reason."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt

from salesdesk.domain.model import DealTerm, Stage
from salesdesk.domain.steps import StepStatus, step_states
from salesdesk.services.customers import new_contact
from salesdesk.services.promise import calendar_from_settings
from tests.ui.conftest import settle


def _uid() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def account_manager(services: Any) -> Any:
    return services.team.add("Maya Cohen", "Customer service", "Account manager")


@pytest.fixture
def deal(services: Any, rep: Any) -> Any:
    """An agreed deal shipping in two working days, with one standard and two non-standard terms."""
    customer = services.customers.add("Northwind Plastics Ltd", contacts=(new_contact("Jo Park", "Plant manager"),
                                                                          new_contact("Lee Chan", "Buyer")))
    created = services.deals.create(customer.uid, "Packaging line upgrade", owner_uid=rep.uid)
    terms = (
        DealTerm(_uid(), "Payment", "Invoices are payable within 30 days."),
        DealTerm(_uid(), "Extended warranty", "36 months on all parts.", True, approved_by=rep.uid),
        DealTerm(_uid(), "Price hold", "Prices hold until 30 June.", True, approved_by=rep.uid),
    )
    calendar = calendar_from_settings(services.settings.load())
    first = calendar.add_working_days(date.today(), 2)
    return services.deals.save(replace(created, stage=Stage.AGREED, terms=terms, first_shipment_date=first))


def kickoff_page(window: Any, deal: Any) -> tuple[Any, Any]:
    workspace = window.open_deal(deal.uid)
    workspace.go_to("kickoff")
    return workspace, workspace.page("kickoff")


def click(qtbot: Any, button: Any) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_acknowledging_the_terms_and_recording_the_meeting_kicks_the_deal_off(
        window: Any, qtbot: Any, services: Any, deal: Any, rep: Any, account_manager: Any) -> None:
    workspace, page = kickoff_page(window, deal)
    assert page.banner.isVisibleTo(page), "the first shipment is two working days away and nobody kicked off"
    assert "no kickoff" in page.banner.headline.text()
    assert "2 non-standard terms" in page.banner.detail.text()
    assert [c.term.title for c in page.cards] == ["Extended warranty", "Price hold"]

    click(qtbot, page.record_button)  # nobody from the customer ticked
    attendees_error = page.errors._labels["attendees"][0]
    assert attendees_error.isVisibleTo(page) and "both sides" in attendees_error.text()
    page.theirs.tick("Jo Park")
    click(qtbot, page.record_button)  # too early: the terms are not acknowledged yet
    assert not attendees_error.isVisibleTo(page)
    assert page.record_error.isVisibleTo(page)
    assert "not acknowledged" in page.record_error.text()
    assert services.deals.get(deal.uid).stage is Stage.AGREED

    page.acknowledger.setCurrentIndex(page.acknowledger.findData(account_manager.uid))
    click(qtbot, page.cards[0].button)
    click(qtbot, page.cards[1].button)
    stored = services.deals.get(deal.uid)
    assert [t.acknowledged_by for t in stored.terms] == [None, account_manager.uid, account_manager.uid]
    assert all(t.acknowledged_at is not None for t in stored.terms[1:])
    assert all(c.acknowledged and not c.button.isVisibleTo(c) for c in page.cards)
    assert "Acknowledged by Maya Cohen" in page.cards[0].who.text()

    assert page.ours.names() == ["Ana Rossi"], "whoever records it attended by default"
    assert page.theirs.names() == ["Jo Park"], "ticks survive the reload after each acknowledgement"
    qtbot.keyClicks(page.ours.typed, "Sam Driver")
    qtbot.keyClick(page.ours.typed, Qt.Key.Key_Return)
    qtbot.keyClicks(page.notes, "Walked through every term and the delivery window.")
    click(qtbot, page.record_button)

    stored = services.deals.get(deal.uid)
    assert stored.stage is Stage.KICKED_OFF
    assert stored.kickoff is not None and stored.kickoff.held_on == date.today()
    assert stored.kickoff.attendees_ours == ("Ana Rossi", "Sam Driver")
    assert stored.kickoff.attendees_theirs == ("Jo Park",)
    assert workspace.deal.stage is Stage.KICKED_OFF, "the workspace shows the stored deal"
    assert not page.banner.isVisibleTo(page)
    assert "Held on" in page.held.text() and "Jo Park" in page.held.text()
    state = next(s for s in step_states(workspace.deal) if s.key == "kickoff")
    assert state.state is StepStatus.DONE
    settle(qtbot)


def test_shipping_without_a_kickoff_asks_for_the_reason(window: Any, qtbot: Any, services: Any, deal: Any) -> None:
    _workspace, page = kickoff_page(window, deal)
    click(qtbot, page.ship_button)
    dialog = page.ship_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.reason is not None, "without a kickoff the dialog asks why the team ships anyway"

    click(qtbot, dialog.ok_button)  # no reason given
    assert dialog.isVisible()
    reason_error = dialog.errors._labels["kickoff_override_reason"][0]
    assert reason_error.isVisibleTo(dialog) and "no kickoff" in reason_error.text()
    assert services.deals.get(deal.uid).first_shipment_sent_on is None

    qtbot.keyClicks(dialog.reason, "The customer's line stops on Monday without the spare parts.")
    click(qtbot, dialog.ok_button)
    assert not dialog.isVisible()
    stored = services.deals.get(deal.uid)
    assert stored.stage is Stage.DELIVERING
    assert stored.first_shipment_sent_on == date.today()
    assert stored.kickoff_override_reason == "The customer's line stops on Monday without the spare parts."
    assert "Shipped without a kickoff" in page.shipped.text()
    assert not page.ship_button.isEnabled()


def test_after_the_kickoff_the_shipment_needs_no_reason(window: Any, qtbot: Any, services: Any, deal: Any,
                                                        account_manager: Any) -> None:
    from salesdesk.services.kickoff import KickoffService

    kickoff = KickoffService(services.ctx)
    for term in deal.terms[1:]:
        kickoff.acknowledge_term(deal.ref, term.uid, account_manager.uid)
    kickoff.record_kickoff(deal.ref, date.today(), ["Maya Cohen"], ["Jo Park"])
    _workspace, page = kickoff_page(window, deal)
    assert not page.banner.isVisibleTo(page)
    click(qtbot, page.ship_button)
    dialog = page.ship_dialog
    assert dialog is not None and dialog.reason is None
    click(qtbot, dialog.ok_button)
    stored = services.deals.get(deal.uid)
    assert stored.stage is Stage.DELIVERING and stored.kickoff_override_reason == ""


def test_the_first_shipment_date_is_edited_in_place_and_the_warning_follows_it(
        window: Any, qtbot: Any, services: Any, deal: Any) -> None:
    workspace, page = kickoff_page(window, deal)
    assert page.banner.isVisibleTo(page)
    later = date.today().replace(year=date.today().year + 1)
    page.first_shipment.set_value(later)
    assert not page.banner.isVisibleTo(page), "a shipment a year away needs no warning yet"
    workspace.editor.flush()
    assert services.deals.get(deal.uid).first_shipment_date == later
