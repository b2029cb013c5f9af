"""The letter of agreement: who is involved, who does what by when, price, terms, and signatures."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from .common import (
    FLAG,
    FLAG_TINT,
    MUTED,
    StyleCommand,
    action_items_table,
    addressee,
    badge,
    bullets,
    callout,
    data_table,
    format_date,
    grouped_table,
    help_contacts_table,
    markup,
    para,
    png_image,
    price_table,
    section_block,
    table_style,
    title_block,
)
from .fonts import BODY_FONT, shape
from .letterhead import PageSetup, content_width, render_pdf
from .model import AgreementDoc, Person, SignatureBlock, TermRow

KIND = "Letter of agreement"


def build_agreement(doc: AgreementDoc) -> bytes:
    """Render the letter of agreement for ``doc`` as PDF bytes."""
    setup = PageSetup(doc.company, KIND, doc.deal_title, doc.doc_id, doc.revision)
    return render_pdf(setup, agreement_story(doc, content_width(setup.pagesize))).data


def agreement_story(doc: AgreementDoc, width: float) -> list[Flowable]:
    story: list[Flowable] = title_block(
        KIND, doc.deal_title,
        addressee("Agreed with", doc.customer_name, doc.customer_address_lines),
        [("Agreement no.", doc.doc_id), ("Revision", str(doc.revision)), ("Date", format_date(doc.date)),
         ("Deal", doc.deal_ref), ("Promised by", format_date(doc.promised_date))],
        width,
    )
    story.append(para(
        f"This letter records what {doc.company.name} and {doc.customer_name} have agreed: who is "
        "involved on both sides, who does what by when, the price and the terms. Please check it for "
        "accuracy and completeness; each side signs its own copy.",
        "lead",
    ))
    sections: list[tuple[str, list[Flowable], bool]] = [
        ("Who is involved", _parties(doc, width), False),
        ("Who does what by when", _action_items(doc, width), False),
        ("Promised dates", _promised_dates(doc, width), False),
        ("Price", price_table(doc.lines, doc.subtotal, doc.contingency, doc.contingency_label, doc.total,
                              doc.currency, width), len(doc.lines) <= 15),
        ("Terms", _terms(doc.terms, width), False),
        ("Training and break-in period", _training(doc), False),
        ("What is included, and what is not", _scope(doc, width), False),
        ("Cost overruns and disagreements", _overruns(doc), False),
        ("Who to call for what", _help_contacts(doc, width), False),
        (f"Everyone at {doc.company.name} who works with you", _stakeholders(doc, width), False),
        ("Signatures", _signatures(doc, width), True),
    ]
    for number, (title, flowables, whole) in enumerate(sections, start=1):
        story.extend(section_block(title, flowables, number, whole=whole))
    return story


def _organisation(doc: AgreementDoc, side: str) -> str:
    return doc.company.name if side == "ours" else doc.customer_name


def _contact(person: Person) -> list[Flowable]:
    return [para(v, "cell_small") for v in (person.email, person.phone) if v]


def _parties(doc: AgreementDoc, width: float) -> list[Flowable]:
    groups = []
    for side, label in (("ours", "our side"), ("theirs", "your side")):
        people = [p for p in doc.parties if p.side == side]
        if people:
            heading = (f"{shape(_organisation(doc, side))}&nbsp;&nbsp;"
                       f'<font name="{BODY_FONT}" color="{MUTED.hexval()}" size="7.5">{label}</font>')
            rows = [[[para(p.name, "cell_bold"), para(p.role, "cell_small")], p.responsibility, _contact(p)]
                    for p in people]
            groups.append((heading, rows))
    return [grouped_table(["Name and role", "Responsible for", "Contact"], groups, [26, 35, 39], width)]


def _action_items(doc: AgreementDoc, width: float) -> list[Flowable]:
    return action_items_table(doc.action_items, lambda side: _organisation(doc, side), width)


def _promised_dates(doc: AgreementDoc, width: float) -> list[Flowable]:
    flow: list[Flowable] = [markup(
        f"We promise delivery by <b>{format_date(doc.promised_date)}</b>, provided the customer's actions "
        "above are done by their dates. The dates below already include a buffer for the unexpected.",
        "body",
    )]
    if doc.work_due_dates:
        flow.append(Spacer(1, 2 * mm))
        rows = [[task, para(format_date(due), "cell_bold")] for task, due in doc.work_due_dates]
        flow.append(data_table(["Work", "Done by"], rows, [75, 25], width * 0.7))
    return flow


def _term(term: TermRow, width: float) -> list[Flowable]:
    if not term.non_standard:
        return [para(term.title, "h2"), para(term.body, "body")]
    if term.approved_by:
        approval = f'<font color="{MUTED.hexval()}">Approved by {shape(term.approved_by)}</font>'
    else:
        approval = f'<font color="{FLAG.hexval()}"><b>Approval pending</b></font>'
    return [Spacer(1, 1.5 * mm), callout(
        [markup(f"{badge('NON-STANDARD')}&nbsp;&nbsp;<b>{shape(term.title)}</b>", "body"),
         markup(approval, "small"),
         Spacer(1, 1.2 * mm),
         para(term.body, "body")],
        width, tint=FLAG_TINT, bar=FLAG,
    ), Spacer(1, 1 * mm)]


def _terms(terms: Sequence[TermRow], width: float) -> list[Flowable]:
    flagged = sum(1 for t in terms if t.non_standard)
    flow: list[Flowable] = []
    if flagged:
        flow.append(para(
            f"{flagged} of these terms {'was' if flagged == 1 else 'were'} negotiated outside our standard "
            "program. They are marked NON-STANDARD, with who approved them, and are reviewed with the "
            "account team at the kickoff before the first shipment.",
            "small",
        ))
    for term in terms:
        flow.extend(_term(term, width))
    return flow


def _training(doc: AgreementDoc) -> list[Flowable]:
    return [para("Training we recommend", "h2"), para(doc.training_recommendation or "None.", "body"),
            para("Break-in period", "h2"), para(doc.break_in_period or "None expected.", "body")]


def _scope(doc: AgreementDoc, width: float) -> list[Flowable]:
    included = bullets(doc.inclusions) or [para("—", "body")]
    excluded = bullets(doc.exclusions) or [para("—", "body")]
    table = Table([[para("Included", "h2"), para("Not included", "h2")], [included, excluded]],
                  colWidths=[width / 2, width / 2], splitInRow=1)
    table.setStyle(table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
    ]))
    return [table]


def _overruns(doc: AgreementDoc) -> list[Flowable]:
    return [para("If it costs more than planned", "h2"), para(doc.cost_overrun_handling, "body"),
            para("If we disagree", "h2"), para(doc.disagreement_handling, "body")]


def _help_contacts(doc: AgreementDoc, width: float) -> list[Flowable]:
    return help_contacts_table(doc.help_contacts, width)


def _stakeholders(doc: AgreementDoc, width: float) -> list[Flowable]:
    if not doc.stakeholders:
        return [para("—", "body")]
    rows = [[para(s.name, "cell_bold"), s.department, s.how_they_win] for s in doc.stakeholders]
    return [para("Everyone in our organisation who touches your account, and what a good result "
                 "looks like for them.", "small"), Spacer(1, 1.5 * mm),
            data_table(["Name", "Department", "How they win"], rows, [30, 18, 52], width)]


def _signature_cell(block: SignatureBlock | None, organisation: str, width: float) -> list[Flowable]:
    """Where one side signs: the drawn signature, a note that it was signed on paper, or room to sign."""
    if block is None:
        block = SignatureBlock("ours", organisation, "")
    area_h = 20 * mm
    if block.method == "drawn" and block.image_png:
        mark: Flowable | str = png_image(block.image_png, width, area_h - 2, f"signature of {block.signer_name}")
    elif block.method == "paper" and block.signed_on:
        mark = para(f"Signed on paper on {format_date(block.signed_on)}", "note")
    else:
        mark = ""
    fields = (("Name", block.signer_name, "cell_bold"), ("Title", block.signer_title, "cell"),
              ("Date", format_date(block.signed_on) if block.signed_on else "", "cell"))
    rows: list[list[object]] = [[mark, ""]]
    commands: list[StyleCommand] = [
        ("SPAN", (0, 0), (1, 0)),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("VALIGN", (0, 1), (-1, -1), "BOTTOM"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, MUTED),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 1), (-1, -1), 3),
    ]
    heights: list[float | None] = [area_h]
    for r, (label, value, style) in enumerate(fields, start=1):
        rows.append([para(label, "label"), para(value, style) if value else ""])
        heights.append(None if value else 8 * mm)
        if not value:
            commands.append(("LINEBELOW", (1, r), (1, r), 0.5, MUTED))
    table = Table(rows, colWidths=[13 * mm, width - 13 * mm], rowHeights=heights)
    table.setStyle(table_style(commands))
    return [markup(f"FOR {shape(block.organisation or organisation).upper()}", "label"), Spacer(1, 1 * mm),
            table]


def _signatures(doc: AgreementDoc, width: float) -> list[Flowable]:
    by_side = {b.side: b for b in doc.signatures}
    gap = 12 * mm
    col = (width - gap) / 2
    table = Table(
        [[_signature_cell(by_side.get("ours"), doc.company.name, col), "",
          _signature_cell(by_side.get("theirs"), doc.customer_name, col)]],
        colWidths=[col, gap, col],
    )
    table.setStyle(table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    intro = para("By signing, both sides confirm that this letter is accurate and complete.", "body")
    return [intro, Spacer(1, 5 * mm), table]
