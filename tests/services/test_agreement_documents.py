"""What the agreement, the action plan and the brief say, read back from the PDFs with pypdf."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from salesdesk.documents.common import format_date
from salesdesk.domain.model import AgreementRevision, DiscoveryQuestion, Objection
from salesdesk.services import agreement_snapshot as snap
from salesdesk.services import documents_data as data
from salesdesk.services.agreements_demo import signature_png
from salesdesk.services.app import Services
from salesdesk.services.quote import company_from_settings
from tests.services.test_agreements import Quoted, make_quoted
from tests.services.test_feasibility import _quick_pins  # noqa: F401 (autouse fixture)

PADDED = {"Finish the design": "10 Nov 2026", "Build the station": "20 Nov 2026",
          "Send the site drawings": "6 Nov 2026"}
RAW = ("5 Nov 2026", "11 Nov 2026", "13 Nov 2026")  # the raw estimates' dates (see test_quote)
SCRIPTS = {
    "signer": "Ζωή Παπαδοπούλου",  # Greek
    "approver": "Дмитрий Иванов",  # Cyrillic
    "contact": "李明",  # Chinese
    "second_contact": "محمد العلي",  # Arabic
    "customer": "דוד כהן בע״מ",  # Hebrew
}


def text_of(pdf: bytes) -> str:
    """All pages' text, whitespace collapsed, Arabic presentation forms folded back (NFKC)."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return unicodedata.normalize("NFKC", " ".join(" ".join((p.extract_text() or "").split()) for p in pages))


@pytest.fixture
def quoted(sqlite_services: Services) -> Quoted:
    return make_quoted(sqlite_services)


def test_the_signed_agreement_names_everyone_everything_due_and_every_flagged_term(quoted: Quoted) -> None:
    quoted.sign_both()
    pdf = quoted.agreements.render(quoted.ref)
    text = text_of(pdf)
    deal = quoted.review.deal()
    people = [("Rita Rep", "Owns this agreement"), ("Olga Operations", "Builds and installs"),
              ("Sam Signer", "Signs for us"), ("Hans Kunde", "Accepts the installation"),
              ("Petra Einkauf", "Orders and pays")]
    for name, responsibility in people:
        assert re.search(rf"{name} .{{0,40}}{responsibility}", text), name
    assert "our side" in text and "your side" in text
    for what, due in PADDED.items():
        assert re.search(rf"{due} \S+ \S+ .{{0,40}}{what}", text), what
    for raw in RAW:
        assert not re.search(rf"(?<!\d){raw}", text), f"the raw date {raw} leaked into the agreement"
    assert "NON-STANDARD Extended warranty Approved by Mara Manager, Managing director" in text
    assert "NON-STANDARD Price hold Approved by Sam Signer, Sales director" in text
    assert "NON-STANDARD Payment" not in text and "Payment Invoices are payable within 30 days." in text
    assert "2 of these terms were negotiated outside our standard program" in text
    assert "Allowance for the unexpected (10 % of subtotal)" in text and "3,437.50" in text
    assert f"We promise delivery by {format_date(deal.promised_date)}" in text
    signatures = text.split("Signatures")[-1]
    assert "Sam Signer" in signatures and "Hans Kunde" in signatures
    assert f"Signed on paper on {format_date(date.today())}" in signatures
    for expected in ("Two days of operator training", "four weeks of tuning", "Commissioning", "Civil works",
                     "Agreed in writing before any extra work", "Billing Kim Accounts", "A schedule that holds."):
        assert expected in text, expected


def test_the_snapshot_gives_back_exactly_the_letter_it_was_taken_from(quoted: Quoted) -> None:
    deal = quoted.review.deal()
    around = data.DealSurroundings(quoted.sv.settings.load(), quoted.sv.customers.get(deal.customer_uid),
                                   {m.uid: m for m in quoted.sv.team.list_members(include_inactive=True)})
    revision = AgreementRevision("x", 3, "A-TEST-R3", "draft", "", "", "", datetime(2026, 11, 2, 9, tzinfo=UTC))
    doc = data.agreement_doc(deal, revision, (), around)
    snapshot = snap.snapshot_json(doc, around.settings.contingency_percent)
    again = snap.doc_from_snapshot(snapshot, company_from_settings(around.settings), "A-TEST-R3", 3)
    assert again == doc
    assert snap.snapshot_json(again, around.settings.contingency_percent) == snapshot
    assert snap.snapshot_percent(snapshot) == around.settings.contingency_percent


def test_the_action_plan_lists_who_does_what_by_when(quoted: Quoted) -> None:
    deal = quoted.review.deal()
    quoted.sv.deals.save(replace(deal, action_items=(
        *deal.action_items, replace(deal.action_items[0], uid="undated", what="Pick a date later", due_fixed=None))))
    text = text_of(quoted.agreements.action_plan(quoted.ref, today=date(2026, 11, 3)))
    for what, due in PADDED.items():
        assert re.search(rf"{due} \S+ \S+ .{{0,40}}{what}", text), what
    assert "Pick a date later" not in text  # undated items stay in the deal until they have a date
    assert "AP-" + quoted.ref[2:] in text and "Billing" in text


def test_the_brief_says_what_is_open_what_operations_said_and_the_promise(quoted: Quoted) -> None:
    deal = quoted.review.deal()
    quoted.sv.deals.save(replace(
        deal, needs_identified="Replace the old pump station", needs_clarified="Twice the flow, same footprint",
        questions=(DiscoveryQuestion("q1", "Who maintains the station today?"),
                   DiscoveryQuestion("q2", "Budget approved?", "Yes, in March")),
        objections=(Objection("o1", "Too expensive", "The allowance covers surprises; no extras later."),),
    ))
    brief = data.brief_doc(quoted.review.deal(), data.DealSurroundings(
        quoted.sv.settings.load(), quoted.sv.customers.get(deal.customer_uid),
        {m.uid: m for m in quoted.sv.team.list_members()}), meeting_on=date(2026, 11, 3))
    assert brief.open_questions == ("Who maintains the station today?",)
    assert brief.operations_said == ("Engineering (Eddie Engineer): feasible", "Operations (Olga Operations): feasible")
    assert brief.promised_date == date(2026, 11, 26) and brief.requested_date == date(2026, 12, 18)
    assert brief.conditions == ("Non-standard term: Extended warranty", "Non-standard term: Price hold")
    assert [p.name for p in brief.people][:3] == ["Rita Rep", "Olga Operations", "Sam Signer"]
    text = text_of(quoted.agreements.brief(quoted.ref, meeting_on=date(2026, 11, 3)))
    for expected in ("Replace the old pump station", "Who maintains the station today?", "Too expensive",
                     "26 Nov 2026", "18 Dec 2026", "Engineering (Eddie Engineer): feasible"):
        assert expected in text, expected
    assert "Budget approved?" not in text  # answered: not open any more


def test_names_in_every_script_come_through_the_signed_agreement(sqlite_services: Services, tmp_path: Path) -> None:
    quoted = make_quoted(sqlite_services, names=SCRIPTS)
    quoted.prepare()
    quoted.sign_ours()
    quoted.sign_theirs(method="drawn", image_png=signature_png(SCRIPTS["contact"]), signed_on=None)
    pdf = quoted.agreements.render(quoted.ref)
    text = text_of(pdf)
    for name in SCRIPTS.values():
        assert name in text, name
    signatures = text.split("Signatures")[-1]
    assert SCRIPTS["signer"] in signatures and SCRIPTS["contact"] in signatures
    assert f"Approved by {SCRIPTS['approver']}, Managing director" in text
    if shutil.which("pdftoppm"):
        source = tmp_path / "agreement.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "50", str(source), str(tmp_path / "page")], check=True)
        pages = sorted(tmp_path.glob("page*.png"))
        assert len(pages) == len(PdfReader(io.BytesIO(pdf)).pages)
        assert all(p.stat().st_size > 5_000 for p in pages)  # pages with ink on them, not blank


def test_a_signature_block_carries_the_drawing_or_the_paper_date(quoted: Quoted) -> None:
    quoted.prepare()
    quoted.sign_ours()
    revision = quoted.sign_theirs()
    deal = quoted.review.deal()
    around = data.DealSurroundings(quoted.sv.settings.load(), quoted.sv.customers.get(deal.customer_uid),
                                   {m.uid: m for m in quoted.sv.team.list_members()})
    ours, theirs = data.signature_blocks(revision.signatures, around)  # type: ignore[attr-defined]
    assert (ours.side, ours.method, ours.signer_title) == ("ours", "drawn", "Sales director")
    assert ours.image_png and ours.organisation == "Nordwerk Anlagenbau GmbH"
    assert (theirs.side, theirs.method, theirs.image_png, theirs.signer_title) == ("theirs", "paper", None,
                                                                                   "Plant manager")
    assert theirs.signed_on == date.today() and theirs.organisation == "Acme Pumps GmbH"


def test_the_demo_signs_the_recent_agreed_deals_for_real(sqlite_services: Services) -> None:
    from salesdesk.services.agreements import AgreementService
    from salesdesk.services.agreements_demo import add_demo_agreements
    from salesdesk.services.deals import DealQuery
    from salesdesk.services.demo import generate_demo

    sv = sqlite_services
    generate_demo(sv, deals=40, seed=3, workers=1)
    stages = {r.ref: r.stage for r in sv.deals.list_rows(DealQuery(limit=None))}
    assert add_demo_agreements(sv, limit=3) == 3
    assert add_demo_agreements(sv, limit=3) == 3  # the next three: deals already signed are left alone
    agreements = AgreementService(sv.ctx)
    signed = [ref for ref in stages if agreements.current(ref).signed is not None]
    assert len(signed) == 6
    for ref in signed:
        state = agreements.current(ref)
        assert state.is_signed and stages[ref].value in ("agreed", "kicked_off", "delivering", "delivered")
        assert sv.deals.get(ref).stage is stages[ref]  # no stage moves for deals already past Agreed
        pdf = agreements.render(ref)
        assert agreements.verify(pdf).status == "genuine"
        text = text_of(pdf)
        assert "Ana Rossi" in text or "Olivia Brown" in text
        flagged = [t for t in sv.deals.get(ref).terms if t.non_standard]
        assert text.count("NON-STANDARD") >= len(flagged)
