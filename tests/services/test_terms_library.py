"""The standard terms library: seeded on first start, added to, changed and retired — validated and audited."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from salesdesk.domain.errors import NotFoundError, ValidationError
from salesdesk.domain.model import StandardTerm
from salesdesk.services.app import Services
from salesdesk.services.terms_library import TermsLibraryService
from salesdesk.store.schema import AuditRow


@pytest.fixture
def library(services: Services) -> TermsLibraryService:
    return TermsLibraryService(services.ctx)


def test_the_shipped_terms_are_in_the_library_of_a_new_database(library: TermsLibraryService) -> None:
    codes = [t.code for t in library.list_terms()]
    assert "PAY-30" in codes and "WARRANTY" in codes
    assert all(t.active and t.title and t.body for t in library.list_terms())


def test_a_term_is_added_with_a_clean_upper_case_code_and_audited(library: TermsLibraryService,
                                                                   services: Services) -> None:
    term = library.add(" sla-4h ", "Response time", "We answer a breakdown call within 4 hours.")
    assert term.code == "SLA-4H" and term.active
    assert library.get(term.uid) == term
    assert library.list_terms()[-1] == term
    with services.store.read() as s:
        entry = s.scalar(select(AuditRow).where(AuditRow.entity == "standard_term", AuditRow.entity_uid == term.uid))
    assert entry is not None and entry.action == "create" and "SLA-4H" in (entry.new or "")


@pytest.mark.parametrize(("code", "title", "body", "field", "message"), [
    ("", "Payment", "Pay in 30 days.", "code", "code is empty"),
    ("PAY 60", "Payment", "Pay in 60 days.", "code", "may only hold letters"),
    ("PAY-60", " ", "Pay in 60 days.", "title", "title is empty"),
    ("PAY-60", "Payment", "", "body", "text is empty"),
    ("PAY-30", "Payment again", "Pay in 30 days.", "code", "already used by the term 'Payment'"),
])
def test_a_term_a_deal_could_not_use_is_refused_and_nothing_is_saved(
        library: TermsLibraryService, code: str, title: str, body: str, field: str, message: str) -> None:
    before = library.list_terms(include_inactive=True)
    with pytest.raises(ValidationError, match=message) as caught:
        library.add(code, title, body)
    assert caught.value.field == field
    assert library.list_terms(include_inactive=True) == before


def test_changes_are_saved_together_or_not_at_all(library: TermsLibraryService) -> None:
    pay, delivery = library.list_terms()[:2]
    with pytest.raises(ValidationError, match="used twice"):
        library.save_all([replace(pay, code="X"), replace(delivery, code="x")])
    with pytest.raises(ValidationError, match="Term 2: The term's title is empty"):
        library.save_all([replace(pay, title="Paid quickly"), replace(delivery, title="")])
    assert library.get(pay.uid) == pay

    saved = library.save_all([replace(pay, body="Within 14 days."), StandardTerm("", "NEW", "New", "A new term.")])
    assert saved[0].body == "Within 14 days." and saved[1].uid and library.get(saved[1].uid).code == "NEW"


def test_a_retired_term_is_no_longer_offered_but_still_found(library: TermsLibraryService,
                                                             services: Services) -> None:
    warranty = next(t for t in library.list_terms() if t.code == "WARRANTY")
    library.deactivate(warranty.uid)
    assert warranty.uid not in {t.uid for t in library.list_terms()}
    assert library.get(warranty.uid).active is False
    assert warranty.uid in {t.uid for t in library.list_terms(include_inactive=True)}
    with services.store.read() as s:
        fields = set(s.scalars(select(AuditRow.field).where(AuditRow.entity_uid == warranty.uid)))
    assert fields == {"active"}


def test_changing_a_term_that_no_longer_exists_says_so(library: TermsLibraryService) -> None:
    with pytest.raises(NotFoundError, match="no longer exists"):
        library.update(StandardTerm("no-such-uid", "GHOST", "Ghost", "Boo."))
