"""What every document shares: colours, paragraph styles, formatting, tables and small blocks."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from salesdesk.domain.errors import ValidationError

from .fonts import BODY_FONT, BOLD_FONT, ITALIC_FONT, register_fonts, shape
from .model import ActionItemRow, HelpContactRow, PriceLineRow

T = TypeVar("T")
StyleCommand = tuple[Any, ...]  # one TableStyle command, e.g. ("SPAN", (0, 1), (-1, 1))

# A muted palette: one slate-teal accent, warm terracotta for anything that needs a second look.
ACCENT = colors.HexColor("#2E5A70")
ACCENT_TINT = colors.HexColor("#EAF0F3")
TEXT = colors.HexColor("#1F2A30")
MUTED = colors.HexColor("#5F6B72")
RULE = colors.HexColor("#C9D3D8")
FLAG = colors.HexColor("#A4532B")
FLAG_TINT = colors.HexColor("#FBF1EB")
GOOD = colors.HexColor("#3C7A57")
WARN_TINT = colors.HexColor("#FFF6E0")
WARN_RULE = colors.HexColor("#D9A441")

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# ---------------------------------------------------------------------------- formatting


def format_date(value: date | None, empty: str = "—") -> str:
    """``14 Mar 2025``: unambiguous in every country and independent of the machine's locale."""
    if value is None:
        return empty
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def format_datetime(value: datetime | None, empty: str = "—") -> str:
    if value is None:
        return empty
    return f"{format_date(value.date())} {value:%H:%M}"


def format_money(amount: Decimal) -> str:
    """``12,345.60``: two decimals, thousands separated (currency is printed in the header)."""
    return f"{amount.quantize(Decimal('0.01')):,.2f}"


def format_quantity(quantity: Decimal) -> str:
    """``3``, ``2.5`` or ``1,200``: no trailing zeros."""
    if quantity == quantity.to_integral_value():
        return f"{quantity:,.0f}"
    return f"{quantity.normalize():,f}"


def format_factor(factor: Decimal) -> str:
    return f"× {factor.normalize():f}"


def humanise(code: str) -> str:
    """``feasible_with_conditions`` → ``Feasible with conditions``; ordinary text is left as it is."""
    if code.strip().lower() in ("n.a.", "n/a", "na"):
        return "Not applicable"
    if "_" in code or code.islower():
        text = code.replace("_", " ").strip()
        return text[:1].upper() + text[1:]
    return code


def clip(text: str, limit: int) -> str:
    """Shorten ``text`` to at most ``limit`` characters, ending with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 1)].rstrip() + "…"


def truncate(items: Sequence[T], limit: int) -> tuple[list[T], int]:
    """The first ``limit`` items and how many were left out."""
    shown = list(items[:limit])
    return shown, len(items) - len(shown)


def more_line(hidden: int) -> str:
    return f"… and {hidden} more"


# ---------------------------------------------------------------------------- styles


@cache
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles, built once; every document uses these names."""
    register_fonts()
    body = ParagraphStyle("body", fontName=BODY_FONT, fontSize=9.5, leading=13.6, textColor=TEXT,
                          bulletFontName=BODY_FONT)
    s = {
        "body": body,
        "lead": ParagraphStyle("lead", parent=body, fontSize=10, leading=14.5, spaceAfter=4),
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10.6, textColor=MUTED),
        "note": ParagraphStyle("note", parent=body, fontName=ITALIC_FONT, fontSize=8, leading=10.8,
                               textColor=MUTED, spaceBefore=3),
        "kicker": ParagraphStyle("kicker", parent=body, fontName=BOLD_FONT, fontSize=8, leading=10,
                                 textColor=ACCENT, spaceAfter=2),
        "title": ParagraphStyle("title", parent=body, fontName=BOLD_FONT, fontSize=17, leading=21,
                                spaceAfter=8),
        "h1": ParagraphStyle("h1", parent=body, fontName=BOLD_FONT, fontSize=11.5, leading=14.5,
                             textColor=ACCENT, spaceBefore=12, spaceAfter=5),
        "h2": ParagraphStyle("h2", parent=body, fontName=BOLD_FONT, fontSize=9.5, leading=12.5,
                             spaceBefore=7, spaceAfter=3, keepWithNext=1),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11.2),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontName=BOLD_FONT, fontSize=8.5, leading=11.2),
        "cell_small": ParagraphStyle("cell_small", parent=body, fontSize=7.5, leading=9.8, textColor=MUTED),
        "cell_right": ParagraphStyle("cell_right", parent=body, fontSize=8.5, leading=11.2, alignment=TA_RIGHT),
        "cell_right_bold": ParagraphStyle("cell_right_bold", parent=body, fontName=BOLD_FONT, fontSize=8.5,
                                          leading=11.2, alignment=TA_RIGHT),
        "th": ParagraphStyle("th", parent=body, fontName=BOLD_FONT, fontSize=7.2, leading=9.2,
                             textColor=ACCENT),
        "th_right": ParagraphStyle("th_right", parent=body, fontName=BOLD_FONT, fontSize=7.2, leading=9.2,
                                   textColor=ACCENT, alignment=TA_RIGHT),
        "label": ParagraphStyle("label", parent=body, fontName=BOLD_FONT, fontSize=7.2, leading=9.4,
                                textColor=MUTED),
        "value": ParagraphStyle("value", parent=body, fontSize=9, leading=12),
        "fact": ParagraphStyle("fact", parent=body, fontName=BOLD_FONT, fontSize=11, leading=14),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=11, bulletIndent=1, spaceAfter=2),
        "letterhead_name": ParagraphStyle("letterhead_name", parent=body, fontName=BOLD_FONT, fontSize=14,
                                          leading=17, textColor=ACCENT),
        "letterhead_info": ParagraphStyle("letterhead_info", parent=body, fontSize=7.5, leading=10,
                                          textColor=MUTED, alignment=TA_RIGHT),
        "running": ParagraphStyle("running", parent=body, fontSize=7.5, leading=9.5, textColor=MUTED),
        "running_right": ParagraphStyle("running_right", parent=body, fontSize=7.5, leading=9.5,
                                        textColor=MUTED, alignment=TA_RIGHT),
    }
    return s


def table_style(commands: Sequence[StyleCommand]) -> TableStyle:
    """A TableStyle in the house font (reportlab's own default would pull in Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), BODY_FONT), *commands])


def para(text: object, style: str = "body") -> Paragraph:
    """A paragraph of user-provided text (shaped, escaped)."""
    st = styles()[style]
    return Paragraph(shape(text, st.fontName), st)


def markup(fragment: str, style: str = "body") -> Paragraph:
    """A paragraph of markup the builder wrote itself (user text inside must already be ``shape``d)."""
    return Paragraph(fragment, styles()[style])


def badge(text: str, colour: colors.Color = FLAG) -> str:
    """Inline markup for a small coloured label such as NON-STANDARD or STALE."""
    return (
        f'<font name="{BOLD_FONT}" size="6.8" color="white" backColor="{colour.hexval()}">'
        f"&nbsp;{text}&nbsp;</font>"
    )


# ---------------------------------------------------------------------------- blocks


def title_block(kind: str, title: str, left: Sequence[Flowable], meta: Sequence[tuple[str, str]],
                width: float) -> list[Flowable]:
    """Document kind, title, then the addressee (left) beside its reference numbers (right)."""
    meta_rows = [[markup(shape(label), "label"), para(value, "value")] for label, value in meta]
    meta_table = Table(meta_rows, colWidths=[26 * mm, 44 * mm], hAlign="RIGHT")
    meta_table.setStyle(table_style([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    outer = Table([[list(left), meta_table]], colWidths=[width - 72 * mm, 72 * mm])
    outer.setStyle(table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return [markup(shape(kind.upper()), "kicker"), para(title, "title"), outer, Spacer(1, 4 * mm)]


def addressee(label: str, name: str, address_lines: Iterable[str]) -> list[Flowable]:
    lines = "<br/>".join(shape(line) for line in address_lines if line)
    block = [markup(shape(label), "label"), para(name, "cell_bold")]
    if lines:
        block.append(markup(lines, "cell"))
    return block


def section(title: str, number: int | None = None) -> Paragraph:
    prefix = f"{number}&nbsp;&nbsp;&nbsp;" if number is not None else ""
    return markup(prefix + shape(title), "h1")


def section_block(title: str, flowables: Sequence[Flowable], number: int | None = None, *,
                  whole: bool = False) -> list[Flowable]:
    """A section whose heading never stands alone at the foot of a page.

    ``whole``: keep the entire section on one page (price tables, signatures). Otherwise the
    section starts on a new page only when less than a few centimetres are left, and long
    tables then run on over the page with their header repeated.
    """
    heading = section(title, number)
    if whole:
        return [KeepTogether([heading, *flowables])]
    return [CondPageBreak(45 * mm), heading, *flowables]


def bullets(items: Iterable[str], style: str = "bullet") -> list[Flowable]:
    return [Paragraph(shape(item), styles()[style], bulletText="•") for item in items]


def _as_cell(value: object, style: str) -> Flowable:
    if isinstance(value, Flowable):
        return value
    if isinstance(value, list):
        return value  # a list of flowables stacks inside the cell
    return para("" if value is None else value, style)


def data_table(header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float],
               total_width: float, *, right: Iterable[int] = (), styles_extra: Sequence[StyleCommand] = ()
               ) -> Table:
    """A table in the house style: tinted header repeated on each page, hairlines between rows.

    ``widths`` are relative (they are scaled to ``total_width``); cells that are strings are
    treated as user text and shaped; flowables go in as they are. ``right`` lists the columns
    (numbers, money) that are right-aligned.
    """
    right = set(right)
    scale = total_width / sum(widths)
    col_widths = [w * scale for w in widths]
    data: list[list[object]] = [
        [markup(shape(h), "th_right" if i in right else "th") for i, h in enumerate(header)]
    ]
    for row in rows:
        data.append([_as_cell(v, "cell_right" if i in right else "cell") for i, v in enumerate(row)])
    table = Table(data, colWidths=col_widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    commands: list[StyleCommand] = [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT_TINT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.35, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, 0), 4),
    ]
    commands.extend(styles_extra)
    table.setStyle(table_style(commands))
    return table


class TickBox(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """An empty square to tick by hand on the printed page."""

    size = 3.6 * mm

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        self.canv.setStrokeColor(MUTED)
        self.canv.setLineWidth(0.7)
        self.canv.rect(0, -0.6 * mm, self.size, self.size, stroke=1, fill=0)


def action_items_table(items: Iterable[ActionItemRow], organisation_of: Callable[[str], str], width: float,
                       *, tick_column: bool = False) -> list[Flowable]:
    """Who does what by when, soonest first; ``organisation_of`` names the side ("ours"/"theirs")."""
    ordered = sorted(items, key=lambda a: a.due)
    if not ordered:
        return [para("No action items have been agreed yet.", "body")]
    rows: list[list[object]] = [
        [para(format_date(a.due), "cell_bold"),
         [para(a.owner, "cell"), para(organisation_of(a.owner_side), "cell_small")],
         a.what, a.status.capitalize() if a.status.islower() else a.status]
        for a in ordered
    ]
    header = ["By when", "Who", "What", "Status"]
    widths: list[float] = [15, 31, 46, 10]
    if tick_column:
        header.append("Done")
        widths = [11, 24, 52, 8, 5]
        for row in rows:
            row.append(TickBox())
    return [data_table(header, rows, widths, width)]


def help_contacts_table(contacts: Sequence[HelpContactRow], width: float) -> list[Flowable]:
    """Who to call for what."""
    if not contacts:
        return [para("Call your sales representative for anything.", "body")]
    rows = [[para(c.topic, "cell_bold"), c.name, [para(v, "cell") for v in (c.phone, c.email) if v]]
            for c in contacts]
    return [data_table(["For", "Call", "Phone and email"], rows, [30, 28, 42], width)]


def grouped_table(header: Sequence[str], groups: Sequence[tuple[str, Sequence[Sequence[object]]]],
                  widths: Sequence[float], total_width: float, *, right: Iterable[int] = ()) -> Table:
    """A ``data_table`` whose rows come in groups, each under a full-width label row.

    Each group is (label markup — user text in it already ``shape``d —, rows).
    """
    rows: list[Sequence[object]] = []
    extra: list[StyleCommand] = []
    for label, group in groups:
        r = len(rows) + 1  # +1: the header row
        rows.append([markup(label, "cell_bold"), *([""] * (len(header) - 1))])
        extra += [("SPAN", (0, r), (-1, r)), ("TOPPADDING", (0, r), (-1, r), 7),
                  ("LINEBELOW", (0, r), (-1, r), 0.6, MUTED)]
        rows.extend(group)
    return data_table(header, rows, widths, total_width, right=right, styles_extra=extra)


def fact_boxes(facts: Sequence[tuple[str, str, str]], total_width: float) -> Table:
    """A row of boxed key figures: (label, value, small print under it)."""
    cells = []
    for label, value, note in facts:
        cell: list[Flowable] = [markup(shape(label.upper()), "label"), para(value, "fact")]
        if note:
            cell.append(para(note, "cell_small"))
        cells.append(cell)
    gap = 3 * mm
    n = len(facts)
    width = (total_width - gap * (n - 1)) / n
    data: list[list[object]] = [[]]
    col_widths: list[float] = []
    for i, cell in enumerate(cells):
        if i:
            data[0].append("")
            col_widths.append(gap)
        data[0].append(cell)
        col_widths.append(width)
    table = Table(data, colWidths=col_widths, hAlign="LEFT")
    commands: list[StyleCommand] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]
    for i in range(0, len(col_widths), 2):
        commands += [("BACKGROUND", (i, 0), (i, 0), ACCENT_TINT), ("LINEABOVE", (i, 0), (i, 0), 1.2, ACCENT)]
    table.setStyle(table_style(commands))
    return table


def callout(content: Sequence[Flowable], total_width: float, *, tint: colors.Color = WARN_TINT,
            bar: colors.Color = WARN_RULE) -> Table:
    """A tinted box with a coloured bar on its left, for warnings and flagged items."""
    table = Table([[list(content)]], colWidths=[total_width], hAlign="LEFT", splitInRow=1)
    table.setStyle(table_style([
        ("BACKGROUND", (0, 0), (-1, -1), tint),
        ("LINEBEFORE", (0, 0), (0, -1), 2.5, bar),
        ("LEFTPADDING", (0, 0), (-1, -1), 9),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
    ]))
    return table


def contingency_caption(label: str) -> str:
    name = "Allowance for the unexpected"
    label = label.strip()
    if not label or label.lower().startswith(name.lower()):
        return label or name
    return f"{name} ({label})"


def price_table(lines: Sequence[PriceLineRow], subtotal: Decimal, contingency: Decimal,
                contingency_label: str, total: Decimal, currency: str, total_width: float) -> list[Flowable]:
    """Price lines, subtotal, the allowance for the unexpected as its own line, and the total."""
    cur = shape(currency)
    rows: list[list[object]] = [
        [line.description, format_quantity(line.quantity), line.unit,
         format_money(line.unit_price), format_money(line.total)]
        for line in lines
    ]
    n = len(rows)  # index of the subtotal row, counting the header as row 0
    s = styles()
    rows.append([markup("Subtotal", "cell_right"), "", "", "", format_money(subtotal)])
    rows.append([para(contingency_caption(contingency_label), "cell_right"), "", "", "",
                 format_money(contingency)])
    rows.append([Paragraph("Total", s["cell_right_bold"]), "", "", "",
                 Paragraph(f"{cur}&nbsp;{format_money(total)}", s["cell_right_bold"])])
    extra = [
        ("SPAN", (0, n + 1), (3, n + 1)),
        ("SPAN", (0, n + 2), (3, n + 2)),
        ("SPAN", (0, n + 3), (3, n + 3)),
        ("LINEABOVE", (0, n + 1), (-1, n + 1), 0.8, MUTED),
        ("BACKGROUND", (0, n + 2), (-1, n + 2), ACCENT_TINT),
        ("LINEABOVE", (0, n + 3), (-1, n + 3), 1.2, ACCENT),
        ("LINEBELOW", (0, n + 3), (-1, n + 3), 1.2, ACCENT),
    ]
    table = data_table(
        ["Description", "Qty", "Unit", f"Unit price ({currency})", f"Total ({currency})"],
        rows, [47, 8, 11, 17, 21], total_width, right=(1, 3, 4), styles_extra=extra,
    )
    note = para(
        "The allowance for the unexpected is set aside for problems nobody can foresee today, "
        "such as surprises in existing equipment or systems found during delivery.",
        "note",
    )
    return [table, note]


def png_image(data: bytes, max_width: float, max_height: float, what: str) -> Image:
    """A PNG scaled to fit the box, keeping its proportions; says which picture is broken if it is."""
    try:
        reader = ImageReader(io.BytesIO(data))
        w, h = reader.getSize()
    except Exception as exc:  # reportlab/PIL raise many different types for a bad file
        raise ValidationError(
            f"The {what} could not be read as a picture.",
            "Replace it with a PNG file and print again.",
        ) from exc
    scale = min(max_width / w, max_height / h)
    img = Image(io.BytesIO(data), width=w * scale, height=h * scale)
    img.hAlign = "LEFT"
    return img
