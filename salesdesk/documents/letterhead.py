"""The page: letterhead on the first page, a running header after it, and a footer on every page.

``render_pdf`` is the one place a document is turned into bytes. It stamps the document id and
revision into the footer of every page and into the PDF metadata (``Subject``/``Keywords``:
``salesdesk-doc-id=<id>;revision=<n>``), so a printed or exported copy can be traced back to its
record later. Output is deterministic: the same input gives the same bytes.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from .common import ACCENT, RULE, clip, png_image, styles
from .fonts import BODY_FONT, register_fonts, resources_dir, shape
from .model import Company

MARGIN_X = 20 * mm
MARGIN_BOTTOM = 22 * mm
LETTERHEAD_TOP = 14 * mm  # from the top edge to the top of the logo
LOGO_SIZE = 16 * mm
LATER_TOP = 24 * mm  # the frame's top on pages after the first
FOOTER_RULE_Y = 15 * mm
FOOTER_TEXT_Y = 10 * mm

_STAMP = re.compile(r"salesdesk-doc-id=(?P<doc_id>[^;]*);revision=(?P<revision>\d+)")


def doc_stamp(doc_id: str, revision: int) -> str:
    """The text stored in the PDF metadata that names the document and its revision."""
    return f"salesdesk-doc-id={doc_id};revision={revision}"


def parse_doc_stamp(text: str | None) -> tuple[str, int] | None:
    """(doc id, revision) read back from a PDF's Subject or Keywords; None if it carries no stamp."""
    match = _STAMP.search(text or "")
    if match is None:
        return None
    return match["doc_id"], int(match["revision"])


@cache
def default_logo_png() -> bytes:
    """The SalesDesk mark shipped in resources/icons/logo.png, for companies without a logo of their own."""
    return (resources_dir() / "icons" / "logo.png").read_bytes()


def content_width(pagesize: tuple[float, float] = A4) -> float:
    return float(pagesize[0] - 2 * MARGIN_X)


@dataclass(frozen=True)
class PageSetup:
    """What the page furniture needs to know about a document."""

    company: Company
    kind: str  # "Letter of agreement", "Quote", …
    title: str  # the deal's title; the PDF title is "<kind>: <title>"
    doc_id: str
    revision: int
    pagesize: tuple[float, float] = A4

    @property
    def pdf_title(self) -> str:
        return f"{self.kind}: {self.title}"


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


class _Letterhead:
    """Lays out the first page's letterhead once, so its height is known before the frames are made."""

    def __init__(self, setup: PageSetup) -> None:
        s = styles()
        company = setup.company
        page_w, self.page_h = setup.pagesize
        self.width = page_w - 2 * MARGIN_X
        self.logo = png_image(company.logo_png, LOGO_SIZE * 2.5, LOGO_SIZE, "company logo") \
            if company.logo_png else None
        logo_w = self.logo.drawWidth + 4 * mm if self.logo else 0
        self.name_x = MARGIN_X + logo_w
        info_w = min(self.width * 0.48, 92 * mm)
        self.name = Paragraph(shape(company.name), s["letterhead_name"])
        _, name_h = self.name.wrap(self.width - logo_w - info_w - 6 * mm, 60 * mm)
        info_lines = [", ".join(line.strip() for line in company.address_lines if line.strip())]
        info_lines.append("  ·  ".join(v for v in (company.phone, company.email) if v))
        info_lines.append(company.website)
        self.info = Paragraph("<br/>".join(shape(v) for v in info_lines if v), s["letterhead_info"])
        _, info_h = self.info.wrap(info_w, 60 * mm)
        self.info_x = page_w - MARGIN_X - info_w
        logo_h = self.logo.drawHeight if self.logo else 0
        self.block_h = max(logo_h, name_h, info_h)
        self.top = self.page_h - LETTERHEAD_TOP
        self.rule_y = self.top - self.block_h - 5 * mm
        self.frame_top = self.rule_y - 6 * mm

    def draw(self, canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        if self.logo is not None:
            self.logo.drawOn(canvas, MARGIN_X, self.top - self.logo.drawHeight)
        name_h = self.name.height
        if self.logo is not None:  # centre the name on the logo
            y = self.top - self.logo.drawHeight / 2 - name_h / 2
        else:
            y = self.top - name_h
        self.name.drawOn(canvas, self.name_x, y)
        self.info.drawOn(canvas, self.info_x, self.top - self.info.height)
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(0.9)
        canvas.line(MARGIN_X, self.rule_y, MARGIN_X + self.width, self.rule_y)
        canvas.restoreState()


def _running_header(setup: PageSetup, canvas: Canvas, _doc: Any) -> None:
    """Pages after the first: company on the left, what this document is on the right."""
    s = styles()
    page_w, page_h = setup.pagesize
    width = page_w - 2 * MARGIN_X
    y = page_h - 14 * mm
    right_w = width * 0.58
    left = Paragraph(shape(setup.company.name), s["running"])
    right = Paragraph(shape(clip(setup.pdf_title, int(right_w / 4.4))), s["running_right"])  # one line
    left.wrapOn(canvas, width * 0.4, 20 * mm)
    right.wrapOn(canvas, right_w, 20 * mm)
    canvas.saveState()
    left.drawOn(canvas, MARGIN_X, y)
    right.drawOn(canvas, page_w - MARGIN_X - right_w, y)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, y - 2.5 * mm, page_w - MARGIN_X, y - 2.5 * mm)
    canvas.restoreState()


class _StampedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
    """Holds every page back until the end so the footer can say "Page N of M"."""

    def __init__(self, *args: Any, setup: PageSetup, result: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup = setup
        self._result = result
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            super().showPage()
        self._result["pages"] = total
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        setup = self._setup
        s = styles()
        page_w = setup.pagesize[0]
        width = page_w - 2 * MARGIN_X
        left = Paragraph(
            f"{shape(setup.kind)}&nbsp;&nbsp;·&nbsp;&nbsp;{shape(setup.doc_id)}"
            f"&nbsp;&nbsp;·&nbsp;&nbsp;Revision {setup.revision}",
            s["running"],
        )
        right = Paragraph(f"Page {number} of {total}", s["running_right"])
        left.wrapOn(self, width * 0.75, 20 * mm)
        right.wrapOn(self, width * 0.25, 20 * mm)
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN_X, FOOTER_RULE_Y, page_w - MARGIN_X, FOOTER_RULE_Y)
        left.drawOn(self, MARGIN_X, FOOTER_TEXT_Y)
        right.drawOn(self, page_w - MARGIN_X - width * 0.25, FOOTER_TEXT_Y)
        self.restoreState()


def first_frame_height(setup: PageSetup) -> float:
    """How tall the first page's frame is, for documents that must fit on one page."""
    register_fonts()
    return float(_Letterhead(setup).frame_top - MARGIN_BOTTOM)


def render_pdf(setup: PageSetup, story: list[Flowable]) -> RenderedPdf:
    """Lay out ``story`` on letterhead pages and return the PDF bytes and the page count."""
    register_fonts()
    letterhead = _Letterhead(setup)
    page_w, page_h = setup.pagesize
    width = page_w - 2 * MARGIN_X
    first = Frame(MARGIN_X, MARGIN_BOTTOM, width, letterhead.frame_top - MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="first")
    later = Frame(MARGIN_X, MARGIN_BOTTOM, width, page_h - LATER_TOP - MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="later")
    buffer = io.BytesIO()
    stamp = doc_stamp(setup.doc_id, setup.revision)
    doc = BaseDocTemplate(
        buffer,
        pagesize=setup.pagesize,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=LATER_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=setup.pdf_title,
        author=setup.company.name,
        subject=stamp,
        keywords=stamp,
        creator="SalesDesk",
        invariant=1,
        pageCompression=1,
        initialFontName=BODY_FONT,  # else every page names a (non-embedded) Helvetica
    )
    doc.addPageTemplates([
        PageTemplate(id="first", frames=[first], onPage=letterhead.draw, autoNextPageTemplate="later",
                     pagesize=setup.pagesize),
        PageTemplate(id="later", frames=[later], onPage=partial(_running_header, setup),
                     pagesize=setup.pagesize),
    ])
    result: dict[str, int] = {}
    doc.build(list(story), canvasmaker=partial(_StampedCanvas, setup=setup, result=result))
    return RenderedPdf(buffer.getvalue(), result.get("pages", 0))
