"""Action plan, meeting brief, quote and feasibility report show what each reader needs."""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from datetime import date, timedelta
from io import BytesIO

from pypdf import PdfReader

from salesdesk.documents import build_action_plan, build_brief, build_feasibility, build_quote, samples
from salesdesk.documents.common import format_date
from salesdesk.documents.model import Person, QuoteDoc

DATE = re.compile(r"\d{1,2} [A-Z][a-z]{2} \d{4}")


def _pages(pdf: bytes) -> list[str]:
    return [unicodedata.normalize("NFKC", " ".join(p.extract_text().split())) for p in PdfReader(BytesIO(pdf)).pages]


def _text(pdf: bytes) -> str:
    return " ".join(_pages(pdf))


# ---------------------------------------------------------------- action plan


def test_the_action_plan_is_landscape_and_lists_every_item_with_its_date() -> None:
    doc = samples.sample_action_plan()
    pdf = build_action_plan(doc)
    page = PdfReader(BytesIO(pdf)).pages[0]
    assert page.mediabox.width > page.mediabox.height
    text = _text(pdf)
    for item in doc.action_items:
        at = text.index(item.what)
        assert DATE.findall(text[:at])[-1] == format_date(item.due)
        assert item.owner in text
    for contact in doc.help_contacts:
        assert contact.topic in text and contact.email in text


# ---------------------------------------------------------------- brief


def test_the_brief_fits_on_one_page() -> None:
    doc = samples.sample_brief()
    pages = _pages(build_brief(doc))
    assert len(pages) == 1
    text = pages[0]
    for expected in (doc.needs_clarified, *doc.open_questions, *doc.conditions, *doc.operations_said,
                     format_date(doc.promised_date), format_date(doc.requested_date)):
        assert expected in text
    for objection, response in doc.objections:
        assert objection in text and response in text
    for person in doc.people:
        assert person.name in text


def test_a_brief_with_far_too_much_to_say_still_fits_and_says_how_much_was_left_out() -> None:
    doc = samples.sample_brief()
    questions = [f"Open question number {i:02d}: who decides about part {i}?" for i in range(40)]
    people = [Person(f"Person {i:02d}", "Buyer", "Hellenic Fresh Foods S.A.", "theirs") for i in range(30)]
    big = dataclasses.replace(
        doc,
        open_questions=questions,
        objections=[(f"Objection {i} " * 12, f"Answer {i} " * 15) for i in range(15)],
        operations_said=[f"Department {i}: feasible with conditions" for i in range(12)],
        people=people,
        needs_clarified="Long clarified need. " * 200,
    )
    pages = _pages(build_brief(big))
    assert len(pages) == 1
    text = pages[0]
    assert questions[0] in text
    assert questions[-1] not in text
    hidden = [int(n) for n in re.findall(r"\.\.\. and (\d+) more", text)]  # NFKC turns … into ...
    shown_questions = sum(1 for q in questions if q in text)
    assert shown_questions + hidden[0] == len(questions)
    assert len(hidden) >= 3  # questions, operations, objections, people were all cut


# ---------------------------------------------------------------- quote


def _working_days_after(start: date, days: int) -> date:
    current = start
    while days:
        current += timedelta(days=1)
        days -= current.weekday() < 5
    return current


def test_the_quote_input_cannot_carry_raw_estimates() -> None:
    names = {f.name for f in dataclasses.fields(QuoteDoc)}
    names |= {f.name for f in dataclasses.fields(type(samples.sample_quote().schedule_rows[0]))}
    assert not {n for n in names if "raw" in n or "factor" in n or "padded" in n}


def test_the_quote_shows_padded_dates_and_never_raw_ones() -> None:
    doc = samples.sample_quote()
    text = _text(build_quote(doc))
    schedule = samples.sample_schedule()
    for row in doc.schedule_rows:
        assert f"{row.task} {format_date(row.due)}" in text
    # Where the raw estimates would land, chained or from the padded starts: none of it may show.
    raw_due: set[date] = set()
    chained = schedule[0].start
    for row in schedule:
        raw_due.add(_working_days_after(row.start, row.raw_days))
        chained = _working_days_after(chained, row.raw_days)
        raw_due.add(chained)
    shown = set(DATE.findall(text))
    legitimate = {format_date(d) for d in (doc.date, doc.valid_until, doc.promised_date)}
    legitimate |= {format_date(r.due) for r in doc.schedule_rows}
    assert shown <= legitimate
    assert not {format_date(d) for d in raw_due} & shown
    assert not re.search(r"\braw\b", text, re.IGNORECASE)
    for row in schedule:  # no "× 2.0" factors or padded day counts either
        assert f"× {row.factor}" not in text


def test_the_quote_prices_the_allowance_for_the_unexpected_separately() -> None:
    text = _text(build_quote(samples.sample_quote()))
    assert "Allowance for the unexpected (10 % of subtotal) 9,201.00" in text
    assert "Total EUR 101,211.00" in text
    assert "valid until 9 Apr 2025" in text


# ---------------------------------------------------------------- feasibility


def test_the_feasibility_report_shows_raw_and_padded_days_side_by_side() -> None:
    doc = samples.sample_feasibility()
    text = _text(build_feasibility(doc))
    for row in doc.schedule:
        expected = (f"{row.department} {row.task} {row.raw_days} × {row.factor.normalize():f} {row.padded_days} "
                    f"{format_date(row.start)} {format_date(row.due)}")
        assert expected in text
        assert row.padded_days == math.ceil(row.raw_days * row.factor)


def test_the_feasibility_report_flags_stale_sign_offs_open_questions_and_capacity() -> None:
    doc = samples.sample_feasibility()
    text = _text(build_feasibility(doc))
    assert "Shipping Tomasz Wójcik Feasible STALE" in text
    assert "Operations Дмитрий Иванов Feasible with conditions Bay 4 cleared" in text
    assert "Can the site take a 13.6 m trailer? Yes Not answered" in text
    assert "1 mandatory question not answered" in text
    assert "3 of 4 current" in text
    assert doc.capacity_warnings[0] in text
    assert f"{doc.requested_gap_days} days later than asked" in text
    assert "INTERNAL" in text
