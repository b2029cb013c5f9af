"""Terms: picked from the library or written; non-standard terms flagged and attributed to their approver;
sign-off conditions read-only — and Settings → Standard terms, which edits the library."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import Qt

from salesdesk.domain.model import DealTerm
from salesdesk.domain.steps import StepStatus, step_states
from salesdesk.services.terms_library import TermsLibraryService
from salesdesk.ui.workspace.editor import SaveState


@pytest.fixture
def deal(services: Any, rep: Any) -> Any:
    customer = services.customers.add("Acme Bottling")
    return services.deals.create(customer.uid, "Filling line upgrade", owner_uid=rep.uid)


@pytest.fixture
def manager(services: Any) -> Any:
    return services.team.add("Mara Manager", "Management", "Managing director")


def terms_page(window: Any, deal: Any) -> tuple[Any, Any]:
    workspace = window.open_deal(deal.uid)
    workspace.go_to("terms")
    return workspace, workspace.page("terms")


def saved(qtbot: Any, workspace: Any) -> None:
    workspace.editor.flush()
    qtbot.waitUntil(lambda: workspace.editor.state == SaveState.SAVED and not workspace.editor.dirty, timeout=5000)


def menu_action(page: Any, text: str) -> Any:
    page._fill_pick_menu()
    found = [a for a in page.pick_menu.actions() if a.text().startswith(text)]
    assert found, [a.text() for a in page.pick_menu.actions()]
    return found[0]


def terms_state(deal: Any) -> Any:
    return next(s for s in step_states(deal) if s.key == "terms")


def test_a_changed_standard_term_is_flagged_and_shows_its_approver(window: Any, qtbot: Any, deal: Any,
                                                                   services: Any, manager: Any) -> None:
    workspace, page = terms_page(window, deal)
    payment = next(t for t in TermsLibraryService(services.ctx).list_terms() if t.code == "PAY-30")
    menu_action(page, "PAY-30").trigger()
    card = page.cards[0]
    assert card.kind.text() == "Standard" and not card.approval.isVisibleTo(card)
    assert not menu_action(page, "PAY-30").isEnabled(), "a library term is picked once"
    saved(qtbot, workspace)
    stored = services.deals.get(deal.uid).terms
    assert [(t.title, t.source, t.standard_term_uid, t.non_standard) for t in stored] == [
        ("Payment", "library", payment.uid, False)]

    card.body.selectAll()
    qtbot.keyClicks(card.body, "Invoices are payable within 60 days.")
    assert card.kind.text() == "Non-standard"
    assert card.approval.isVisibleTo(card) and card.approval.text() == "Approval pending"
    saved(qtbot, workspace)
    assert terms_state(services.deals.get(deal.uid)).state is StepStatus.ATTENTION
    assert "1 non-standard term without an approver" in terms_state(services.deals.get(deal.uid)).reason

    index = card.approver.findData(manager.uid)
    card.approver.setCurrentIndex(index)
    card.approver.activated.emit(index)
    assert card.approval.text() == "Approved by Mara Manager, Managing director"
    saved(qtbot, workspace)
    term = services.deals.get(deal.uid).terms[0]
    assert term.non_standard and term.approved_by == manager.uid and term.source == "library"
    assert terms_state(services.deals.get(deal.uid)).state is StepStatus.DONE

    # Back to the library's words: standard again.
    card.body.selectAll()
    qtbot.keyClicks(card.body, payment.body)
    assert card.kind.text() == "Standard"


def test_a_term_written_for_the_deal_is_non_standard_until_approved(window: Any, qtbot: Any, deal: Any,
                                                                    services: Any, manager: Any) -> None:
    workspace, page = terms_page(window, deal)
    qtbot.mouseClick(page.write, Qt.MouseButton.LeftButton)
    card = page.cards[0]
    qtbot.keyClicks(card.title, "Price hold")
    qtbot.keyClicks(card.body, "Prices hold until 30 June.")
    assert card.kind.text() == "Non-standard" and card.approval.text() == "Approval pending"
    assert card.title.accessibleName() == "Term 1 title" and card.approver.accessibleName() == "Term 1 approved by"
    saved(qtbot, workspace)
    term = services.deals.get(deal.uid).terms[0]
    assert (term.title, term.source, term.non_standard, term.approved_by) == ("Price hold", "custom", True, None)
    assert "1 waiting for approval" in page.summary.text()

    qtbot.mouseClick(card.remove, Qt.MouseButton.LeftButton)
    saved(qtbot, workspace)
    assert services.deals.get(deal.uid).terms == ()
    assert page.empty.isVisibleTo(page)


def test_conditions_from_a_sign_off_are_shown_read_only_with_their_signer(window: Any, qtbot: Any, deal: Any,
                                                                          services: Any, manager: Any) -> None:
    condition = DealTerm("c-1", "Condition from Operations", "Only if the site is ready by May.", True,
                         approved_by=manager.uid, source="signoff")
    services.deals.save(replace(services.deals.get(deal.uid), terms=(condition,)))
    workspace, page = terms_page(window, deal)
    assert page.cards == [] and len(page.condition_cards) == 1
    card = page.condition_cards[0]
    assert card.title.isReadOnly() and card.body.isReadOnly() and not card.remove.isVisibleTo(card)
    assert card.kind.text() == "Non-standard"
    assert card.approval.text() == "Approved by Mara Manager, Managing director"
    assert not page.no_conditions.isVisibleTo(page)

    qtbot.mouseClick(page.write, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.cards[0].title, "Spare parts")
    saved(qtbot, workspace)
    stored = services.deals.get(deal.uid).terms
    assert [t.title for t in stored] == ["Spare parts", "Condition from Operations"]
    assert stored[1] == condition, "the condition is kept exactly as the department gave it"


# --------------------------------------------------------------------------- Settings → Standard terms


def terms_section(window: Any) -> Any:
    from salesdesk.ui.settings.terms_section import TermsSection

    window.show_place("settings")
    page = window.pages["settings"]
    return page, next(s for s in page.sections if isinstance(s, TermsSection))


def test_the_standard_terms_section_validates_and_saves_the_library(window: Any, qtbot: Any,
                                                                    services: Any) -> None:
    library = TermsLibraryService(services.ctx)
    before = library.list_terms(include_inactive=True)
    page, section = terms_section(window)
    assert section.list.count() == len(before)

    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    assert section.code.hasFocus()
    qtbot.keyClicks(section.code, "SLA 4H")
    qtbot.keyClicks(section.title_edit, "Response time")
    assert "Unsaved" in page.state.text()
    assert not page.save()
    shown = [w.text() for w in section.findChildren(type(page.errors.general)) if w.isVisible()]
    assert any("may only hold letters" in text for text in shown), "the problem is shown next to the terms"
    assert library.list_terms(include_inactive=True) == before, "nothing is saved"

    section.code.clear()
    qtbot.keyClicks(section.code, "sla-4h")
    assert not page.save()
    assert any("text is empty" in w.text() for w in section.findChildren(type(page.errors.general))
               if w.isVisible())
    qtbot.keyClicks(section.body, "We answer a breakdown call within 4 hours.")
    assert page.save()
    assert "All settings saved" in page.state.text()
    added = library.list_terms()[-1]
    assert (added.code, added.title, added.body) == ("SLA-4H", "Response time",
                                                      "We answer a breakdown call within 4 hours.")

    section.list.setCurrentRow(0)
    qtbot.keyClick(section.offered, Qt.Key.Key_Space)
    assert "(not offered)" in section.list.item(0).text()
    assert page.save()
    first = library.get(before[0].uid)
    assert not first.active and first.uid not in {t.uid for t in library.list_terms()}
    assert page.save(), "saving again changes nothing and adds nothing"
    assert len(library.list_terms(include_inactive=True)) == len(before) + 1
