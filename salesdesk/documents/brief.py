"""The meeting brief: everything a rep needs before a client meeting, on exactly one page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, LayoutError, Spacer, Table

from .common import (
    MUTED,
    addressee,
    bullets,
    clip,
    data_table,
    fact_boxes,
    format_date,
    markup,
    more_line,
    para,
    table_style,
    title_block,
    truncate,
)
from .fonts import shape
from .letterhead import PageSetup, content_width, first_frame_height, render_pdf
from .model import BriefDoc, Person

KIND = "Meeting brief"


@dataclass(frozen=True)
class _Limits:
    """How much of each list, and how many characters of each text, fit on the page."""

    items: int  # open questions, operations said, conditions
    objections: int
    people: int  # per side
    long_text: int  # the needs
    short_text: int  # one list item


# Tried in order until the brief fits on one page.
_LEVELS = (
    _Limits(6, 4, 6, 420, 170),
    _Limits(4, 3, 5, 300, 130),
    _Limits(3, 2, 4, 200, 100),
    _Limits(2, 1, 3, 140, 80),
    _Limits(1, 1, 2, 100, 60),
)


def build_brief(doc: BriefDoc) -> bytes:
    """Render the one-page meeting brief for ``doc``; long lists end in "… and N more"."""
    setup = PageSetup(doc.company, KIND, doc.deal_title, doc.doc_id, doc.revision)
    width = content_width(setup.pagesize)
    for limits in _LEVELS:
        try:
            rendered = render_pdf(setup, _story(doc, width, limits))
        except LayoutError:  # a block taller than a page: certainly more than one page
            continue
        if rendered.pages == 1:
            return rendered.data
    # Still too much (very long names or titles): shrink the tightest version to the page.
    fitted = KeepInFrame(width, first_frame_height(setup), _story(doc, width, _LEVELS[-1]), mode="shrink")
    return render_pdf(setup, [fitted]).data


def _story(doc: BriefDoc, width: float, limits: _Limits) -> list[Flowable]:
    story: list[Flowable] = title_block(
        KIND, clip(doc.deal_title, 120), addressee("Meeting with", clip(doc.customer_name, 80), ()),
        [("Brief no.", doc.doc_id), ("Revision", str(doc.revision)), ("Meeting", format_date(doc.meeting_date)),
         ("Deal", doc.deal_ref)],
        width,
    )
    story.append(fact_boxes([
        ("Customer asked for", format_date(doc.requested_date), ""),
        ("We can promise", format_date(doc.promised_date), ""),
        ("Still open", f"{len(doc.open_questions)} question{'s' if len(doc.open_questions) != 1 else ''}", ""),
    ], width))
    story.append(Spacer(1, 3 * mm))
    left = [
        *_heading("What they need"),
        markup(f"<b>Identified:</b> {shape(clip(doc.needs_identified, limits.long_text))}", "body"),
        Spacer(1, 1 * mm),
        markup(f"<b>Clarified:</b> {shape(clip(doc.needs_clarified, limits.long_text))}", "body"),
        *_heading("Open questions"),
        *_list(doc.open_questions, limits.items, limits.short_text),
    ]
    right = [
        *_heading("What operations said"),
        *_list(doc.operations_said, limits.items, limits.short_text),
        *_heading("Conditions"),
        *_list(doc.conditions, limits.items, limits.short_text),
    ]
    story.append(_columns(left, right, width))
    story.extend(_heading("Objections and our answers"))
    story.extend(_objections(doc.objections, limits, width))
    story.extend(_heading("Who is who"))
    story.extend(_people(doc.people, limits, width))
    return story


def _heading(title: str) -> list[Flowable]:
    return [para(title, "h2")]


def _list(items: Sequence[str], limit: int, chars: int) -> list[Flowable]:
    if not items:
        return [para("None.", "small")]
    shown, hidden = truncate(items, limit)
    flow = bullets([clip(item, chars) for item in shown])
    if hidden:
        flow.append(para(more_line(hidden), "small"))
    return flow


def _columns(left: list[Flowable], right: list[Flowable], width: float) -> Table:
    gap = 8 * mm
    table = Table([[left, "", right]], colWidths=[(width - gap) / 2, gap, (width - gap) / 2], splitInRow=1)
    table.setStyle(table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def _objections(objections: Sequence[tuple[str, str]], limits: _Limits, width: float) -> list[Flowable]:
    if not objections:
        return [para("None heard yet.", "small")]
    shown, hidden = truncate(objections, limits.objections)
    rows = [[clip(o, limits.short_text), clip(r, limits.short_text)] for o, r in shown]
    flow: list[Flowable] = [data_table(["They said", "We answer"], rows, [45, 55], width)]
    if hidden:
        flow.append(para(more_line(hidden), "small"))
    return flow


def _people(people: Sequence[Person], limits: _Limits, width: float) -> list[Flowable]:
    if not people:
        return [para("No people recorded yet.", "small")]
    header, cells = [], []
    for side, fallback in (("ours", "Our side"), ("theirs", "Their side")):
        on_side = [p for p in people if p.side == side]
        shown, hidden = truncate(on_side, limits.people)
        cell: list[Flowable] = [
            markup(f"<b>{shape(clip(p.name, 40))}</b>&nbsp;&nbsp;"
                   f'<font color="{MUTED.hexval()}">{shape(clip(p.role, 40))}</font>', "cell")
            for p in shown
        ] or [para("—", "cell")]
        if hidden:
            cell.append(para(more_line(hidden), "cell_small"))
        header.append(clip(on_side[0].organisation, 50) if on_side else fallback)
        cells.append(cell)
    return [data_table(header, [cells], [1, 1], width)]
