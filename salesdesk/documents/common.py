"""What every document shares: colours, paragraph styles, formatting, tables and small blocks."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import TypeVar

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer, Table, TableStyle

from salesdesk.domain.errors import ValidationError

from .fonts import BODY_FONT, BOLD_FONT, ITALIC_FONT, register_fonts, shape
from .model import PriceLineRow

T = TypeVar("T")

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
    body = ParagraphStyle("body", fontName=BODY_FONT, fontSize=9.5, leading=13.6, textColor=TEXT)
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
                             textColor=ACCENT, spaceBefore=13, spaceAfter=6, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=body, fontName=BOLD_FONT, fontSize=9.5, leading=12.5,
                             spaceBefore=7, spaceAfter=3, keepWithNext=1),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11.2),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontName=BOLD_FONT, fontSize=8.5, leading=11.2),
        "cell_small": ParagraphStyle("cell_small", parent=body, fontSize=7.5, leading=9.8, textColor=MUTED),
        "cell_right": ParagraphStyle("cell_right", parent=body, fontSize=8.5, leading=11.2, alignment=TA_RIGHT),
        "cell_right_bold": ParagraphStyle("cell_right_bold", parent=body, fontName=BOLD_FONT, fontSize=8.5,
                                          leading=11.2, alignment=TA_RIGHT),
        "cell_center": ParagraphStyle("cell_center", parent=body, fontSize=8.5, leading=11.2,
                                      alignment=TA_CENTER),
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
    s["body_left"] = ParagraphStyle("body_left", parent=body, alignment=TA_LEFT)
    return s


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
    meta_table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "BASELINE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    outer = Table([[list(left), meta_table]], colWidths=[width - 72 * mm, 72 * mm])
    outer.setStyle(TableStyle([
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


def bullets(items: Iterable[str], style: str = "bullet") -> list[Flowable]:
    return [Paragraph(shape(item), styles()[style], bulletText="•") for item in items]


def _as_cell(value: object, style: str) -> Flowable:
    if isinstance(value, Flowable):
        return value
    if isinstance(value, list):
        return value  # type: ignore[return-value]  # a list of flowables stacks inside the cell
    return para("" if value is None else value, style)


def data_table(header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float],
               total_width: float, *, right: Iterable[int] = (), styles_extra: Sequence[tuple] = (),
               zebra: bool = False) -> Table:
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
    commands: list[tuple] = [
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
    if zebra:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F7F9FA")]))
    commands.extend(styles_extra)
    table.setStyle(TableStyle(commands))
    return table


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
    commands: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]
    for i in range(0, len(col_widths), 2):
        commands += [("BACKGROUND", (i, 0), (i, 0), ACCENT_TINT), ("LINEABOVE", (i, 0), (i, 0), 1.2, ACCENT)]
    table.setStyle(TableStyle(commands))
    return table


def callout(content: Sequence[Flowable], total_width: float, *, tint: colors.Color = WARN_TINT,
            bar: colors.Color = WARN_RULE) -> Table:
    """A tinted box with a coloured bar on its left, for warnings and flagged items."""
    table = Table([[list(content)]], colWidths=[total_width], hAlign="LEFT", splitInRow=1)
    table.setStyle(TableStyle([
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
    rows.append([Paragraph(f"Total ({cur})", s["cell_right_bold"]), "", "", "",
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
        rows, [50, 9, 11, 17, 18], total_width, right=(1, 3, 4), styles_extra=extra,
    )
    note = para(
        "The allowance for the unexpected is set aside for problems nobody can foresee today, "
        "such as surprises in existing equipment or systems found during delivery.",
        "note",
    )
    return [KeepTogether([table]) if n < 12 else table, note]


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
