"""The feasibility report (internal): checklist answers, raw and padded schedule, sign-offs."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from .common import (
    FLAG,
    GOOD,
    WARN_RULE,
    WARN_TINT,
    addressee,
    badge,
    bullets,
    callout,
    data_table,
    fact_boxes,
    format_date,
    format_datetime,
    format_factor,
    grouped_table,
    humanise,
    markup,
    para,
    section_block,
    title_block,
)
from .fonts import shape
from .letterhead import PageSetup, content_width, render_pdf
from .model import ChecklistRow, FeasibilityDoc, SignOffRow

KIND = "Feasibility review"


def build_feasibility(doc: FeasibilityDoc) -> bytes:
    """Render the internal feasibility report for ``doc`` as PDF bytes."""
    setup = PageSetup(doc.company, KIND, doc.deal_title, doc.doc_id, doc.revision)
    width = content_width(setup.pagesize)
    story: list[Flowable] = title_block(
        KIND, doc.deal_title, addressee("Customer", doc.customer_name, ()),
        [("Report no.", doc.doc_id), ("Revision", str(doc.revision)), ("Date", format_date(doc.date)),
         ("Deal", doc.deal_ref)],
        width,
    )
    story.append(markup(f"{badge('INTERNAL', WARN_RULE)}&nbsp;&nbsp;" + shape(
        "For our team only: this report shows raw estimates. Customers see padded dates only."), "small"))
    story.append(Spacer(1, 3 * mm))
    story.append(fact_boxes([
        ("Customer asked for", format_date(doc.requested_date), ""),
        ("We can promise", format_date(doc.promised_date), _gap_text(doc.requested_gap_days)),
        ("Sign-offs", _signoff_summary(doc.signoffs), _open_mandatory(doc.checklist)),
    ], width))
    if doc.capacity_warnings:
        story.append(Spacer(1, 4 * mm))
        story.append(callout([para("Capacity warnings", "h2"), *bullets(doc.capacity_warnings)], width,
                             tint=WARN_TINT, bar=WARN_RULE))
    story.extend(section_block("Checklist", _checklist(doc.checklist, width), 1))
    story.extend(section_block("Schedule: raw estimates and padded dates", _schedule(doc, width), 2))
    story.extend(section_block("Sign-offs", _signoffs(doc.signoffs, width), 3))
    return render_pdf(setup, story).data


def _gap_text(gap: int | None) -> str:
    if gap is None:
        return ""
    if gap == 0:
        return "exactly the date asked for"
    if gap > 0:
        return f"{gap} day{'s' if gap != 1 else ''} later than asked"
    return f"{-gap} day{'s' if gap != -1 else ''} earlier than asked"


def _signoff_summary(signoffs: Sequence[SignOffRow]) -> str:
    current = [s for s in signoffs if not s.stale]
    return f"{len(current)} of {len(signoffs)} current"


def _open_mandatory(checklist: Sequence[ChecklistRow]) -> str:
    missing = sum(1 for c in checklist if c.mandatory and not c.answer)
    if not missing:
        return "every mandatory question answered"
    return f"{missing} mandatory question{'s' if missing != 1 else ''} not answered"


def _answer_cell(row: ChecklistRow) -> Flowable:
    if row.answer:
        return para(humanise(row.answer), "cell")
    if row.mandatory:
        return markup(f'<font color="{FLAG.hexval()}"><b>Not answered</b></font>', "cell")
    return para("—", "cell")


def _checklist(checklist: Sequence[ChecklistRow], width: float) -> list[Flowable]:
    if not checklist:
        return [para("No checklist items.", "body")]
    groups = [
        (shape(department),
         [[row.question, "Yes" if row.mandatory else "", _answer_cell(row), row.notes, row.answered_by]
          for row in rows])
        for department, rows in groupby(checklist, key=lambda c: c.department)
    ]
    return [grouped_table(["Question", "Mandatory", "Answer", "Notes", "Answered by"], groups,
                          [40, 11, 14, 22, 15], width)]


def _schedule(doc: FeasibilityDoc, width: float) -> list[Flowable]:
    if not doc.schedule:
        return [para("No work items estimated yet.", "body")]
    rows = [
        [r.department, r.task, str(r.raw_days), format_factor(r.factor), para(str(r.padded_days), "cell_right_bold"),
         format_date(r.start), para(format_date(r.due), "cell_bold")]
        for r in doc.schedule
    ]
    return [
        para("Raw working days as each department estimated them, the buffer factor applied, and the padded "
             "working days the promise is built on. Only the padded due dates leave the building.", "small"),
        Spacer(1, 2 * mm),
        data_table(["Department", "Work", "Raw days", "Factor", "Padded days", "Starts", "Due"], rows,
                   [14, 27, 8, 8, 9, 14, 14], width, right=(2, 3, 4)),
    ]


def _verdict(row: SignOffRow) -> Flowable:
    text = shape(humanise(row.verdict))
    colour = FLAG if "not" in row.verdict.lower() else GOOD
    stale = f"<br/>{badge('STALE', FLAG)}" if row.stale else ""
    return markup(f'<font color="{colour.hexval()}"><b>{text}</b></font>{stale}', "cell")


def _signoffs(signoffs: Sequence[SignOffRow], width: float) -> list[Flowable]:
    if not signoffs:
        return [para("No department has signed off yet.", "body")]
    rows = [[s.department, s.signer, _verdict(s), s.conditions, format_datetime(s.signed_at)] for s in signoffs]
    flow: list[Flowable] = [data_table(["Department", "Signed by", "Verdict", "Conditions", "Signed"], rows,
                                       [15, 18, 20, 29, 18], width)]
    if any(s.stale for s in signoffs):
        flow.append(para("STALE: what this department reviewed has changed since it signed. It must sign "
                         "off again before the deal is cleared.", "note"))
    return flow
