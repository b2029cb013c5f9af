"""The action plan: who does what by when, landscape, to print and tick off."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from .common import (
    action_items_table,
    addressee,
    format_date,
    help_contacts_table,
    para,
    section_block,
    title_block,
)
from .letterhead import PageSetup, content_width, render_pdf
from .model import ActionPlanDoc

KIND = "Action plan"


def build_action_plan(doc: ActionPlanDoc) -> bytes:
    """Render the action plan for ``doc`` as a landscape A4 PDF."""
    setup = PageSetup(doc.company, KIND, doc.deal_title, doc.doc_id, doc.revision, pagesize=landscape(A4))
    width = content_width(setup.pagesize)

    def organisation(side: str) -> str:
        return doc.company.name if side == "ours" else doc.customer_name

    story: list[Flowable] = title_block(
        KIND, doc.deal_title, addressee("For", doc.customer_name, ()),
        [("Plan no.", doc.doc_id), ("Revision", str(doc.revision)), ("Date", format_date(doc.date)),
         ("Deal", doc.deal_ref)],
        width,
    )
    story.append(para(
        f"Everything {doc.company.name} and {doc.customer_name} have agreed to do, soonest first. "
        "Tick each line when it is done; if a date is at risk, call the person named below as soon as "
        "you know.",
        "body",
    ))
    story.append(Spacer(1, 3 * mm))
    story.extend(action_items_table(doc.action_items, organisation, width, tick_column=True))
    story.extend(section_block("Who to call for what", help_contacts_table(doc.help_contacts, width * 0.75)))
    return render_pdf(setup, story).data
