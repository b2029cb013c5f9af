"""The quote (cleared deals only, padded dates only) and the internal feasibility report, as PDFs."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from salesdesk.domain.errors import RefusedError
from salesdesk.domain.model import GapHandling, Stage
from salesdesk.services.app import Services
from salesdesk.services.quote import QuoteService
from tests.services.test_feasibility import Review, _quick_pins, start_review  # noqa: F401 (autouse fixture)

TODAY = date(2026, 10, 26)
PADDED = ("10 Nov 2026", "20 Nov 2026", "26 Nov 2026")  # Design, Build, Install (see test_feasibility)
RAW = ("5 Nov 2026", "11 Nov 2026", "13 Nov 2026")


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def review(services: Services) -> Review:
    st = services.settings.load()
    services.settings.save(replace(st, company_name="Nordwerk Anlagenbau GmbH", company_phone="+49 40 123456",
                                   company_address="Werftstraße 7\n20457 Hamburg"))
    return start_review(services)


def test_an_uncleared_deal_is_refused_with_who_and_what_is_missing(review: Review) -> None:
    quotes = QuoteService(review.sv.ctx)
    with pytest.raises(RefusedError) as err:
        quotes.generate(review.ref, today=TODAY)
    assert str(err.value) == (
        f"{review.ref} cannot be quoted. Not cleared: Engineering and Operations have not signed off; "
        "2 mandatory items unanswered: 'Is the technical information complete and confirmed?' and "
        "'Can we deliver without bumping another customer?'. Ask them to review."
    )
    assert review.deal().stage is Stage.FEASIBILITY


def test_a_stale_sign_off_is_named_in_the_refusal(review: Review) -> None:
    review.clear()
    deal = review.deal()
    review.sv.deals.save(replace(deal, lines=(replace(deal.lines[0], quantity=Decimal(3)), deal.lines[1])))
    with pytest.raises(RefusedError, match=r"Engineering's sign-off is stale \(line 'Pump' quantity 2 → 3\)"):
        QuoteService(review.sv.ctx).generate(review.ref, today=TODAY)


def test_the_quote_shows_lines_the_allowance_and_padded_dates_never_raw_ones(review: Review) -> None:
    review.clear()
    pdf = QuoteService(review.sv.ctx).generate(review.ref, today=TODAY)
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    for expected in ("Nordwerk Anlagenbau GmbH", "Acme Pumps GmbH", "Pump", "Valve", "Subtotal",
                     "Allowance for the unexpected (10 % of subtotal)", "3,125.00", "312.50", "3,437.50", *PADDED):
        assert expected in text, expected
    for raw in RAW:
        assert not re.search(rf"(?<!\d){raw}", text), f"the raw date {raw} leaked into the quote"
    assert "Q-" + review.ref[2:] in text


def test_quoting_moves_the_deal_to_quoted_and_records_what_was_promised(review: Review) -> None:
    review.clear()
    quotes = QuoteService(review.sv.ctx)
    quotes.generate(review.ref, today=TODAY)
    deal = review.deal()
    assert deal.stage is Stage.QUOTED and deal.promised_date == date(2026, 11, 26)
    assert [w.promised_due for w in deal.work_items] == [date(2026, 11, 10), date(2026, 11, 20), date(2026, 11, 26)]
    history = review.sv.history.for_deal(deal.uid)
    assert any(e.field == "stage" and e.old == "cleared" and e.new == "quoted" for e in history)
    (generated,) = [e for e in history if e.entity == "quote"]
    assert generated.new == f"Q-{review.ref[2:]} revision 1: EUR 3437.50, delivery by 2026-11-26"
    # A reprint is the same revision, with the same dates, and the deal stays quoted.
    again = quotes.build_doc(review.deal(), today=date(2026, 11, 3))
    assert again.revision == 1 and again.promised_date == date(2026, 11, 26)


def test_the_quote_needs_the_requested_date_gap_handled(services: Services) -> None:
    review = start_review(services, requested=date(2026, 11, 19))
    review.clear()
    quotes = QuoteService(services.ctx)
    with pytest.raises(RefusedError, match="asked for 2026-11-19, but the earliest date the team can promise is "
                                           "2026-11-26 .5 working days later."):
        quotes.generate(review.ref, today=TODAY)
    review.feas.handle_gap(review.ref, GapHandling.LATER_DATE_ACCEPTED, "Customer agreed by e-mail")
    assert "26 Nov 2026" in text_of(quotes.generate(review.ref, today=TODAY))


def test_an_override_promises_the_requested_date_on_the_quote(services: Services) -> None:
    review = start_review(services, requested=date(2026, 11, 24))
    review.answer_all()
    review.feas.handle_gap(review.ref, GapHandling.OVERRIDE, "Weekend shifts agreed with Operations")
    review.sign("Engineering")
    review.sign("Operations")
    doc = QuoteService(services.ctx).build_doc(review.deal(), today=TODAY)
    assert doc.promised_date == date(2026, 11, 24)
    assert [r.due for r in doc.schedule_rows] == [date(2026, 11, 10), date(2026, 11, 20), date(2026, 11, 24)]


def test_a_deal_without_lines_cannot_be_quoted(services: Services) -> None:
    review = start_review(services, lines=())
    review.clear()
    with pytest.raises(RefusedError, match="no price lines"):
        QuoteService(services.ctx).generate(review.ref, today=TODAY)


def test_the_feasibility_report_shows_answers_raw_and_padded_days_and_stale_sign_offs(review: Review) -> None:
    review.clear()
    deal = review.deal()
    review.sv.deals.save(replace(deal, requested_date=date(2026, 12, 11)))
    review.sign("Engineering")  # Operations' sign-off is now stale
    text = text_of(QuoteService(review.sv.ctx).feasibility_report(review.ref, today=TODAY))
    for expected in ("INTERNAL", "Is the technical information complete", "Eddie Engineer", "Olga Operations",
                     "Design", "Build", "Install", "× 2", "STALE", *PADDED):
        assert expected in text, expected
    assert "1 of 2 current" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (poppler-utils)")
def test_both_documents_render_to_images(review: Review, tmp_path: Path) -> None:
    review.clear()
    quotes = QuoteService(review.sv.ctx)
    for name, pdf in (("feasibility", quotes.feasibility_report(review.ref, today=TODAY)),
                      ("quote", quotes.generate(review.ref, today=TODAY))):
        source = tmp_path / f"{name}.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "40", str(source), str(tmp_path / name)], check=True)
        pages = sorted(tmp_path.glob(f"{name}*.png"))
        assert pages and all(p.stat().st_size > 1000 for p in pages)
