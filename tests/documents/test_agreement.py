"""The letter of agreement says who does what by when, flags special terms, and can be signed."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from salesdesk.documents import build_agreement, samples
from salesdesk.documents.common import format_date
from salesdesk.documents.model import AgreementDoc, SignatureBlock, TermRow

DATE = re.compile(r"\d{1,2} [A-Z][a-z]{2} \d{4}")


def _text(pdf: bytes) -> str:
    """All pages' text, whitespace collapsed and Arabic presentation forms folded back (NFKC)."""
    pages = PdfReader(BytesIO(pdf)).pages
    return unicodedata.normalize("NFKC", " ".join(" ".join(p.extract_text().split()) for p in pages))


@pytest.fixture(scope="module")
def doc() -> AgreementDoc:
    return samples.sample_agreement()


@pytest.fixture(scope="module")
def pdf(doc) -> bytes:
    return build_agreement(doc)


@pytest.fixture(scope="module")
def text(pdf) -> str:
    return _text(pdf)


def test_every_party_on_both_sides_is_listed_with_role_and_responsibility(doc, text) -> None:
    assert "our side" in text and "your side" in text
    for person in doc.parties:
        assert person.name in text
        assert f"{person.name} {person.role} {person.responsibility}" in text


def test_names_in_every_script_survive_the_round_trip(text) -> None:
    for name in samples.MULTI_SCRIPT_NAMES:
        assert name in text


def test_the_fonts_for_every_script_are_embedded(pdf) -> None:
    names = {str(font.get_object()["/BaseFont"]).split("+")[-1]
             for page in PdfReader(BytesIO(pdf)).pages for font in page["/Resources"]["/Font"].values()}
    assert {"DejaVuSans", "DejaVuSans-Bold", "DroidSansFallback"} <= names


def test_every_action_item_appears_with_its_due_date(doc, text) -> None:
    for item in doc.action_items:
        at = text.index(item.what)
        due_dates_before = DATE.findall(text[:at])
        assert due_dates_before[-1] == format_date(item.due), item.what


def test_action_items_are_listed_soonest_first(doc, text) -> None:
    positions = [text.index(item.what) for item in sorted(doc.action_items, key=lambda a: a.due)]
    assert positions == sorted(positions)


def test_the_promised_date_and_work_due_dates_are_stated(doc, text) -> None:
    assert f"We promise delivery by {format_date(doc.promised_date)}" in text
    for task, due in doc.work_due_dates:
        assert f"{task} {format_date(due)}" in text


def test_the_allowance_for_the_unexpected_is_its_own_price_line(text) -> None:
    assert "Allowance for the unexpected (10 % of subtotal) 9,201.00" in text
    assert "Subtotal 92,010.00" in text
    assert "Total EUR 101,211.00" in text


def test_each_non_standard_term_is_flagged_with_who_approved_it(doc, text) -> None:
    flagged = [t for t in doc.terms if t.non_standard]
    assert text.count("NON-STANDARD") == len(flagged) + 1  # +1: the sentence explaining the badge
    for term in flagged:
        assert f"NON-STANDARD {term.title} Approved by {term.approved_by}" in text
    for term in doc.terms:
        if not term.non_standard:
            assert f"NON-STANDARD {term.title}" not in text
            assert term.title in text


def test_a_non_standard_term_without_approval_says_so() -> None:
    doc = samples.sample_agreement()
    doc = dataclasses.replace(doc, terms=[TermRow("Free shipping", "We ship at our cost.", True, None)])
    assert "NON-STANDARD Free shipping Approval pending" in _text(build_agreement(doc))


def test_training_break_in_scope_overruns_and_disagreements_are_spelled_out(doc, text) -> None:
    for passage in (doc.training_recommendation, doc.break_in_period, doc.cost_overrun_handling,
                    doc.disagreement_handling, *doc.inclusions, *doc.exclusions):
        assert passage in text


def test_who_to_call_and_the_stakeholder_map_are_included(doc, text) -> None:
    for contact in doc.help_contacts:
        assert f"{contact.topic} {contact.name} {contact.phone} {contact.email}" in text
    for person in doc.stakeholders:
        assert person.name in text and person.how_they_win in text


def test_both_signers_are_named_and_the_signatures_shown(doc, pdf, text) -> None:
    ours, theirs = doc.signatures
    assert f"Name {ours.signer_name} Title {ours.signer_title} Date {format_date(ours.signed_on)}" in text
    assert f"Signed on paper on {format_date(theirs.signed_on)}" in text
    assert f"Name {theirs.signer_name}" in text
    last_page = PdfReader(BytesIO(pdf)).pages[-1]
    assert len(last_page.images) == 1  # the drawn signature


def test_an_unsigned_letter_leaves_room_to_sign_for_both_sides(doc) -> None:
    unsigned = dataclasses.replace(doc, signatures=(
        SignatureBlock("ours", doc.company.name, "Sarah O'Connor", "Sales representative"),
        SignatureBlock("theirs", doc.customer_name, ""),
    ))
    pdf = build_agreement(unsigned)
    text = _text(pdf)
    assert "Signed on" not in text
    assert f"FOR {doc.company.name.upper()}" in text and f"FOR {doc.customer_name.upper()}" in text
    assert "Name Sarah O'Connor Title Sales representative Date" in text
    assert len(PdfReader(BytesIO(pdf)).pages[-1].images) == 0


def test_an_agreement_with_nothing_optional_filled_in_still_prints() -> None:
    doc = dataclasses.replace(
        samples.sample_agreement(), action_items=(), terms=(), inclusions=(), exclusions=(), help_contacts=(),
        stakeholders=(), signatures=(), work_due_dates=(), parties=(), date=date(2025, 1, 2),
    )
    text = _text(build_agreement(doc))
    assert "No action items have been agreed yet." in text
    assert "Signatures" in text
