"""The agreement through the services: prepared as revisions, signed by both sides, frozen, superseded
when the deal changes, and checked later — on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from salesdesk.documents.samples import _signature_png
from salesdesk.domain.errors import RefusedError, ValidationError
from salesdesk.domain.model import (
    ActionItem,
    Contact,
    DealTerm,
    HelpContact,
    ItemStatus,
    Party,
    Side,
    Stage,
    Stakeholder,
    TeamMember,
)
from salesdesk.services.agreement_files import check_signature_png
from salesdesk.services.agreements import AgreementService
from salesdesk.services.app import Services
from salesdesk.services.customers import new_contact
from salesdesk.services.quote import QuoteService
from salesdesk.store.schema import AgreementRevisionRow, SignatureRow
from tests.services.test_feasibility import Review, _quick_pins, start_review  # noqa: F401 (autouse fixture)

TODAY = date(2026, 10, 26)
SIGNER_PIN = "2468"
PNG = _signature_png()


def _uid() -> str:
    return str(uuid.uuid4())


@dataclass
class Quoted:
    """A quoted deal with parties, action items, terms and help contacts on both sides."""

    sv: Services
    review: Review
    ref: str
    signer: TeamMember  # may sign, has a PIN
    contact: Contact  # the customer's signer
    agreements: AgreementService

    def sign_ours(self, **kw: object) -> object:
        args: dict[str, object] = dict(member_uid=self.signer.uid, image_png=PNG, pin=SIGNER_PIN)
        args.update(kw)
        return self.agreements.sign(self.ref, Side.OURS, **args)  # type: ignore[arg-type]

    def sign_theirs(self, **kw: object) -> object:
        args: dict[str, object] = dict(contact_uid=self.contact.uid, method="paper", signed_on=date.today())
        args.update(kw)
        return self.agreements.sign(self.ref, Side.THEIRS, **args)  # type: ignore[arg-type]

    def sign_both(self) -> object:
        self.prepare()
        self.sign_ours()
        return self.sign_theirs()

    def prepare(self) -> object:
        return self.agreements.prepare(self.ref)


def make_quoted(sv: Services, *, names: dict[str, str] | None = None) -> Quoted:
    """``names`` may rename the people (signer, approver, contact, second_contact) to test other scripts."""
    names = {"signer": "Sam Signer", "approver": "Mara Manager", "contact": "Hans Kunde",
             "second_contact": "Petra Einkauf", "customer": "Acme Pumps GmbH", **(names or {})}
    st = sv.settings.load()
    sv.settings.save(replace(st, company_name="Nordwerk Anlagenbau GmbH", company_address="Werftstraße 7\n20457 Hamburg"))
    review = start_review(sv, customer=names["customer"])
    review.clear()
    signer = sv.team.add(names["signer"], "Sales", "Sales director", can_sign_agreements=True, pin=SIGNER_PIN)
    approver = sv.team.add(names["approver"], "Management", "Managing director")
    deal = review.deal()
    customer = sv.customers.get(deal.customer_uid)
    customer = sv.customers.save(replace(customer, contacts=(
        new_contact(names["contact"], "Plant manager", "Operations", "hans@acme.example"),
        new_contact(names["second_contact"], "Buyer", "Purchasing"),
    )))
    contact, buyer = customer.contacts
    design, build, _install = deal.work_items
    deal = sv.deals.save(replace(
        deal,
        training_recommendation="Two days of operator training before go-live.",
        break_in_period="Expect four weeks of tuning after start-up.",
        inclusions="Pump\n- Valves\nCommissioning",
        exclusions="Civil works",
        cost_overrun_handling="Agreed in writing before any extra work.",
        disagreement_handling="Escalated to both managing directors within 10 working days.",
        parties=(
            Party(_uid(), Side.OURS, "Owns this agreement", member_uid=review.rep.uid),
            Party(_uid(), Side.OURS, "Builds and installs", member_uid=review.ops.uid),
            Party(_uid(), Side.OURS, "Signs for us", member_uid=signer.uid),
            Party(_uid(), Side.THEIRS, "Accepts the installation", contact_uid=contact.uid),
            Party(_uid(), Side.THEIRS, "Orders and pays", contact_uid=buyer.uid),
        ),
        action_items=(
            ActionItem(_uid(), Side.THEIRS, "Send the site drawings", owner_contact_uid=contact.uid,
                       due_fixed=date(2026, 11, 6)),
            ActionItem(_uid(), Side.OURS, "Finish the design", owner_member_uid=review.eng.uid,
                       due_work_item_uid=design.uid),
            ActionItem(_uid(), Side.OURS, "Build the station", owner_member_uid=review.ops.uid,
                       due_work_item_uid=build.uid),
        ),
        terms=(
            DealTerm(_uid(), "Payment", "Invoices are payable within 30 days."),
            DealTerm(_uid(), "Extended warranty", "36 months on all parts.", True, approved_by=approver.uid),
            DealTerm(_uid(), "Price hold", "Prices hold until 30 June.", True, approved_by=signer.uid),
        ),
        help_contacts=(HelpContact(_uid(), "Billing", "Kim Accounts", "+49 40 1"),
                       HelpContact(_uid(), "Delivery", "Olga Operations", "+49 40 2")),
        stakeholders=(Stakeholder(_uid(), review.ops.uid, "A schedule that holds."),),
    ))
    QuoteService(sv.ctx).generate(review.ref, today=TODAY)
    assert review.deal().stage is Stage.QUOTED
    return Quoted(sv, review, review.ref, signer, contact, AgreementService(sv.ctx))


@pytest.fixture
def quoted(services: Services) -> Quoted:
    return make_quoted(services)


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages)


# --------------------------------------------------------------------------------- preparing


def test_an_agreement_is_not_prepared_for_a_deal_that_is_not_quoted(services: Services) -> None:
    review = start_review(services)
    agreements = AgreementService(services.ctx)
    with pytest.raises(RefusedError, match=r"is not quoted yet \(feasibility review\).*Quote the deal first"):
        agreements.prepare(review.ref)
    review.clear()
    with pytest.raises(RefusedError, match="not quoted yet"):
        agreements.prepare(review.ref)
    state = agreements.current(review.ref)
    assert state.revisions == () and "not quoted yet" in state.problem


def test_preparing_twice_without_changes_gives_the_same_draft(quoted: Quoted) -> None:
    first = quoted.prepare()
    again = quoted.prepare()
    assert first == again
    assert first.number == 1 and first.status == "draft"
    assert first.doc_id == f"A-{quoted.ref[2:]}-R1"
    state = quoted.agreements.current(quoted.ref)
    assert state.draft == first and state.current == first and not state.draft_outdated and state.signed is None


def test_a_draft_renders_with_empty_signature_blocks_and_the_same_bytes_each_time(quoted: Quoted) -> None:
    quoted.prepare()
    pdf = quoted.agreements.render(quoted.ref)
    assert pdf == quoted.agreements.render(quoted.ref, revision=1)
    signatures = text_of(pdf).split("Signatures")[-1]
    assert "FOR NORDWERK ANLAGENBAU GMBH" in signatures and "FOR ACME PUMPS GMBH" in signatures
    for nobody_yet in ("Sam Signer", "Hans Kunde", "Signed on paper"):
        assert nobody_yet not in signatures


# --------------------------------------------------------------------------------- signing


def test_both_sides_sign_the_revision_is_frozen_and_the_deal_is_agreed(quoted: Quoted) -> None:
    quoted.prepare()
    half = quoted.sign_ours()
    assert half.status == "draft" and [s.side for s in half.signatures] == [Side.OURS]  # type: ignore[attr-defined]
    assert quoted.review.deal().stage is Stage.QUOTED
    signed = quoted.sign_theirs()
    assert signed.status == "signed" and signed.signed_at is not None  # type: ignore[attr-defined]
    deal = quoted.review.deal()
    assert deal.stage is Stage.AGREED
    history = quoted.sv.history.for_deal(deal.uid)
    assert any(e.field == "stage" and e.old == "quoted" and e.new == "agreed" for e in history)
    assert {e.action for e in history if e.entity == "agreement_revision"} >= {"prepared", "signed", "frozen"}

    frozen = quoted.agreements.render(quoted.ref)
    with quoted.sv.store.read() as s:
        row = s.scalar(select(AgreementRevisionRow).where(AgreementRevisionRow.number == 1))
        assert row is not None
        assert frozen == row.pdf
        assert row.pdf_sha256 == signed.pdf_sha256 and len(row.pdf_sha256) == 64  # type: ignore[attr-defined]
        assert row.snapshot_sha256 and row.snapshot_sha256 == signed.snapshot_sha256  # type: ignore[attr-defined]
    assert quoted.agreements.render(quoted.ref, revision=1) == frozen
    text = text_of(frozen)
    assert "Sam Signer" in text and "Hans Kunde" in text and "Signed on paper on" in text
    state = quoted.agreements.current(quoted.ref)
    assert state.is_signed and not state.superseded and state.changes == ()


def test_a_frozen_revision_refuses_every_change(quoted: Quoted) -> None:
    quoted.sign_both()
    with pytest.raises(RefusedError, match="signed by both sides and frozen; it cannot be changed"):
        quoted.sign_ours()
    with pytest.raises(RefusedError, match="frozen"):
        quoted.sign_theirs(revision=1)
    # Nothing to prepare while the deal still matches: the signed revision is the agreement.
    assert quoted.prepare().status == "signed"  # type: ignore[attr-defined]


def test_the_store_refuses_to_alter_a_signed_revision_whoever_asks(quoted: Quoted) -> None:
    quoted.sign_both()
    store = quoted.sv.store

    def attempt(change: object) -> None:
        with pytest.raises(RefusedError, match="signed and frozen"), store.write() as s:
            row = s.scalar(select(AgreementRevisionRow).where(AgreementRevisionRow.number == 1))
            change(row, s)  # type: ignore[operator]
            s.flush()

    attempt(lambda row, s: setattr(row, "pdf", row.pdf + b" "))
    attempt(lambda row, s: setattr(row, "snapshot_json", row.snapshot_json.replace("Pump", "Pumps")))
    attempt(lambda row, s: setattr(row, "pdf_sha256", "0" * 64))
    attempt(lambda row, s: setattr(row, "status", "draft"))
    attempt(lambda row, s: s.delete(row))
    attempt(lambda row, s: setattr(row.signatures[0], "signer_name", "Someone Else"))
    attempt(lambda row, s: s.delete(row.signatures[1]))
    attempt(lambda row, s: s.add(SignatureRow(uid=_uid(), revision_id=row.id, side="theirs", signer_name="X",
                                              method="paper", signed_on=date.today(),
                                              recorded_at=row.created_at)))
    with store.read() as s:
        row = s.scalar(select(AgreementRevisionRow).where(AgreementRevisionRow.number == 1))
        assert row is not None and row.status == "signed" and len(row.signatures) == 2
    # The one change a signed revision takes: being superseded by a later one.
    with store.write() as s:
        row = s.scalar(select(AgreementRevisionRow).where(AgreementRevisionRow.number == 1))
        assert row is not None
        row.status = "superseded"
    with store.read() as s:
        assert s.scalar(select(AgreementRevisionRow.status)) == "superseded"


def test_a_change_after_signing_supersedes_it_and_prepare_opens_the_next_revision(quoted: Quoted) -> None:
    quoted.sign_both()
    signed_pdf = quoted.agreements.render(quoted.ref)
    deal = quoted.review.deal()
    terms = (*deal.terms, DealTerm(_uid(), "Spare parts", "A kit of wear parts stays on site."))
    quoted.sv.deals.save(replace(deal, terms=terms))

    state = quoted.agreements.current(quoted.ref)
    assert state.superseded and not state.is_signed
    assert state.changes == ("Terms: added 'Spare parts'",)
    second = quoted.prepare()
    assert second.number == 2 and second.status == "draft"  # type: ignore[attr-defined]
    assert second.doc_id == f"A-{quoted.ref[2:]}-R2"  # type: ignore[attr-defined]
    state = quoted.agreements.current(quoted.ref)
    assert [(r.number, r.status) for r in state.revisions] == [(1, "superseded"), (2, "draft")]
    assert state.draft == second and state.signed is not None and state.signed.number == 1
    # The superseded revision is kept exactly as signed.
    assert quoted.agreements.render(quoted.ref, revision=1) == signed_pdf
    assert "Spare parts" in text_of(quoted.agreements.render(quoted.ref))
    # Revision 2 is signed again by both sides; the deal stays agreed.
    quoted.sign_ours()
    assert quoted.sign_theirs().status == "signed"  # type: ignore[attr-defined]
    assert quoted.review.deal().stage is Stage.AGREED
    assert quoted.agreements.current(quoted.ref).is_signed


def test_progress_and_settings_do_not_supersede_a_signed_agreement(quoted: Quoted) -> None:
    quoted.sign_both()
    deal = quoted.review.deal()
    first = deal.action_items[0]
    quoted.sv.deals.save(replace(deal, action_items=(
        replace(first, status=ItemStatus.DONE, done_on=date(2026, 11, 5)), *deal.action_items[1:])))
    st = quoted.sv.settings.load()
    quoted.sv.settings.save(replace(st, contingency_percent=Decimal("15"), company_phone="+49 40 999"))
    state = quoted.agreements.current(quoted.ref)
    assert state.is_signed and not state.superseded


def test_a_signed_agreement_stays_valid_when_the_deal_is_lost_but_nothing_new_is_prepared(quoted: Quoted) -> None:
    quoted.sign_both()
    quoted.sv.deals.set_stage(quoted.ref, Stage.LOST, reason="Customer went bankrupt")
    state = quoted.agreements.current(quoted.ref)
    assert state.is_signed and "is lost" in state.problem
    deal = quoted.review.deal()
    quoted.sv.deals.save(replace(deal, exclusions="Everything"))
    with pytest.raises(RefusedError, match="is lost, so there is no agreement to prepare or sign"):
        quoted.prepare()


def test_a_draft_cannot_be_signed_once_the_deal_changed(quoted: Quoted) -> None:
    quoted.prepare()
    quoted.sign_ours()
    deal = quoted.review.deal()
    quoted.sv.deals.save(replace(deal, break_in_period="Six weeks."))
    state = quoted.agreements.current(quoted.ref)
    assert state.draft_outdated
    assert state.changes == ("Break-in period: Expect four weeks of tuning after start-up. → Six weeks.",)
    with pytest.raises(RefusedError, match="The deal changed since this revision was prepared — prepare a new "
                                           "revision"):
        quoted.sign_theirs()
    assert quoted.prepare().number == 2  # type: ignore[attr-defined]


def test_a_non_standard_term_without_an_approver_cannot_be_signed(quoted: Quoted) -> None:
    deal = quoted.review.deal()
    quoted.sv.deals.save(replace(deal, terms=(*deal.terms, DealTerm(_uid(), "Free shipping", "Shipping is free.",
                                                                   True))))
    quoted.prepare()
    with pytest.raises(RefusedError, match="'Free shipping' has not been approved by anyone yet"):
        quoted.sign_ours()


# --------------------------------------------------------------------------------- who signs


def test_our_signer_confirms_with_their_pin_and_five_wrong_pins_lock_signing(quoted: Quoted) -> None:
    quoted.prepare()
    with pytest.raises(RefusedError, match="Wrong PIN for Sam Signer"):
        quoted.sign_ours(pin=None)
    for _ in range(3):
        with pytest.raises(RefusedError, match="Wrong PIN"):
            quoted.sign_ours(pin="0000")
    with pytest.raises(RefusedError, match="Signing is now locked for 5 minutes"):
        quoted.sign_ours(pin="0000")
    with pytest.raises(RefusedError, match="Signing is locked for Sam Signer"):
        quoted.sign_ours()  # even the right PIN, for now
    assert quoted.agreements.current(quoted.ref).draft.signatures == ()  # type: ignore[union-attr]


def test_only_a_member_who_may_sign_signs_for_us(quoted: Quoted) -> None:
    quoted.prepare()
    with pytest.raises(RefusedError, match="Rita Rep may not sign agreements"):
        quoted.sign_ours(member_uid=quoted.review.rep.uid, pin="7777")
    with pytest.raises(ValidationError, match="Choose who signs"):
        quoted.sign_ours(member_uid=None)
    with pytest.raises(ValidationError, match="not by a customer contact"):
        quoted.sign_ours(contact_uid=quoted.contact.uid)


def test_their_signer_is_a_contact_of_the_customer_or_a_typed_name(quoted: Quoted) -> None:
    quoted.prepare()
    stranger = quoted.sv.customers.add("Other GmbH", contacts=(new_contact("Otto Other"),)).contacts[0]
    with pytest.raises(ValidationError, match="not a contact of Acme Pumps GmbH"):
        quoted.sign_theirs(contact_uid=stranger.uid)
    with pytest.raises(ValidationError, match="The signer's name is empty"):
        quoted.sign_theirs(contact_uid=None)
    quoted.sign_theirs(contact_uid=None, signer_name="  Greta Gast  ")
    signature = quoted.agreements.current(quoted.ref).draft.signatures[0]  # type: ignore[union-attr]
    assert signature.signer_name == "Greta Gast" and signature.contact_uid is None


def test_a_drawn_signature_must_be_a_sound_png(quoted: Quoted) -> None:
    quoted.prepare()
    broken = PNG[:60] + bytes(len(PNG) - 60)
    huge = PNG[:16] + (50_000).to_bytes(4, "big") + PNG[20:]
    for image, message in ((None, "needs the drawing"), (b"GIF89a not a png", "not a PNG picture"),
                           (broken, "damaged"), (huge, "50000 × 120 pixels"),
                           (PNG + bytes(3 * 1024 * 1024), "too large")):
        with pytest.raises(ValidationError, match=message):
            quoted.sign_ours(image_png=image)
    assert check_signature_png(PNG) == PNG


def test_a_paper_signature_needs_its_date_and_takes_a_scan(quoted: Quoted) -> None:
    quoted.prepare()
    with pytest.raises(ValidationError, match="on which day the paper copy was signed"):
        quoted.sign_theirs(signed_on=None)
    with pytest.raises(ValidationError, match="is in the future"):
        quoted.sign_theirs(signed_on=date.today() + timedelta(days=1))
    with pytest.raises(ValidationError, match="not a PDF, PNG or JPEG"):
        quoted.sign_theirs(scan=b"PK\x03\x04 a zip file")
    with pytest.raises(ValidationError, match="no drawing"):
        quoted.sign_theirs(image_png=PNG)
    scan = b"%PDF-1.4 scanned copy"
    revision = quoted.sign_theirs(scan=scan)
    (signature,) = revision.signatures  # type: ignore[attr-defined]
    assert signature.method == "paper" and signature.scan == scan and signature.image_png is None


# --------------------------------------------------------------------------------- verifying


def _plain_pdf(text: str = "An unrelated letter") -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, text)
    canvas.save()
    return buffer.getvalue()


def test_verify_tells_genuine_from_altered_and_unknown(quoted: Quoted) -> None:
    quoted.sign_both()
    pdf = quoted.agreements.render(quoted.ref)
    agreements = quoted.agreements

    genuine = agreements.verify(pdf)
    assert genuine.status == "genuine"
    assert (genuine.deal_ref, genuine.revision, genuine.doc_id) == (quoted.ref, 1, f"A-{quoted.ref[2:]}-R1")
    assert genuine.signers == ("Sam Signer for Nordwerk Anlagenbau GmbH", "Hans Kunde for Acme Pumps GmbH")
    assert genuine.signed_at is not None

    # One byte changed in the middle of the file (inside a page's content, not the metadata).
    middle = len(pdf) // 2
    altered = pdf[:middle] + bytes([pdf[middle] ^ 0x01]) + pdf[middle + 1:]
    result = agreements.verify(altered)
    assert result.status == "altered" and result.deal_ref == quoted.ref and result.revision == 1
    assert agreements.verify(pdf + b"\n").status == "altered"

    assert agreements.verify(_plain_pdf()).status == "unknown"
    assert agreements.verify(uuid.uuid4().bytes * 300).status == "unknown"
    assert agreements.verify(b"").status == "unknown"
    assert agreements.verify(pdf[: len(pdf) // 3]).status in ("altered", "unknown")  # truncated: never a crash
    quote = QuoteService(quoted.sv.ctx).feasibility_report(quoted.ref)
    assert agreements.verify(quote).status == "unknown"  # a SalesDesk document, but not a signed agreement


def test_verify_does_not_vouch_for_a_draft_and_still_knows_a_superseded_revision(quoted: Quoted) -> None:
    quoted.prepare()
    draft = quoted.agreements.render(quoted.ref)
    result = quoted.agreements.verify(draft)
    assert result.status == "unknown" and "has not been signed by both sides" in result.message
    quoted.sign_ours()
    signed = quoted.agreements.render(quoted.ref) if quoted.sign_theirs() else b""
    deal = quoted.review.deal()
    quoted.sv.deals.save(replace(deal, exclusions="Civil works\nPermits"))
    quoted.prepare()
    old = quoted.agreements.verify(signed)
    assert old.status == "genuine" and old.superseded and "superseded" in old.message
