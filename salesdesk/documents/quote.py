"""The quote: price lines, the allowance for the unexpected, and the padded dates we can keep."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from .common import (
    addressee,
    bullets,
    data_table,
    fact_boxes,
    format_date,
    format_money,
    para,
    price_table,
    section_block,
    title_block,
)
from .letterhead import PageSetup, content_width, render_pdf
from .model import QuoteDoc

KIND = "Quote"


def build_quote(doc: QuoteDoc) -> bytes:
    """Render the quote for ``doc`` as PDF bytes. It shows padded dates only."""
    setup = PageSetup(doc.company, KIND, doc.deal_title, doc.doc_id, doc.revision)
    width = content_width(setup.pagesize)
    story: list[Flowable] = title_block(
        KIND, doc.deal_title,
        addressee("Prepared for", doc.customer_name, doc.customer_address_lines),
        [("Quote no.", doc.doc_id), ("Revision", str(doc.revision)), ("Date", format_date(doc.date)),
         ("Deal", doc.deal_ref)],
        width,
    )
    story.append(fact_boxes([
        ("Total", f"{doc.currency} {format_money(doc.total)}", "including the allowance for the unexpected"),
        ("Delivery by", format_date(doc.promised_date), "a date our team has committed to"),
        ("Valid until", format_date(doc.valid_until), ""),
    ], width))
    story.extend(section_block(
        "Price",
        price_table(doc.lines, doc.subtotal, doc.contingency, doc.contingency_label, doc.total,
                    doc.currency, width),
        whole=len(doc.lines) <= 15,
    ))
    if doc.schedule_rows:
        rows = [[r.department, r.task, para(format_date(r.due), "cell_bold")] for r in doc.schedule_rows]
        story.extend(section_block("Schedule", [
            para("The dates each part of the work will be done by. They already allow for the unexpected, "
                 "so they are dates we expect to keep.", "small"),
            Spacer(1, 2 * mm),
            data_table(["Department", "Work", "Done by"], rows, [22, 56, 22], width),
        ]))
    notes = [doc.notes] if isinstance(doc.notes, str) else list(doc.notes)
    notes.append(f"This quote is valid until {format_date(doc.valid_until)}.")
    story.extend(section_block("Notes", bullets(notes), whole=len(notes) <= 8))
    return render_pdf(setup, story).data
