"""Embedded fonts and the text shaping every user-provided string goes through.

DejaVu Sans covers accented Latin, Greek, Cyrillic, Hebrew and Arabic; Droid Sans Fallback
covers Chinese (and Japanese/Korean). reportlab has no font fallback of its own, so ``shape``
splits a string into runs and wraps every run the base font cannot draw in ``<font name=…>``.
Arabic is joined into its presentation forms and right-to-left text is put in visual order,
because reportlab draws glyphs left to right exactly as given.
"""

from __future__ import annotations

import re
import threading
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi.algorithm import get_display  # the pure-Python algorithm also mirrors brackets (rule L4)
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from salesdesk import paths

BODY_FONT = "SalesDeskSans"
BOLD_FONT = "SalesDeskSans-Bold"
ITALIC_FONT = "SalesDeskSans-Oblique"
BOLD_ITALIC_FONT = "SalesDeskSans-BoldOblique"
CJK_FONT = "SalesDeskCJK"

_FONT_FILES = {
    BODY_FONT: "DejaVuSans.ttf",
    BOLD_FONT: "DejaVuSans-Bold.ttf",
    ITALIC_FONT: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC_FONT: "DejaVuSans-BoldOblique.ttf",
    CJK_FONT: "DroidSansFallbackFull.ttf",
}

# For each base font: where to look, in order, for a character it lacks. The oblique DejaVu
# has no Arabic, so Arabic in italics falls back to the upright face of the same weight.
_FALLBACKS = {
    BODY_FONT: (CJK_FONT,),
    BOLD_FONT: (CJK_FONT,),
    ITALIC_FONT: (BODY_FONT, CJK_FONT),
    BOLD_ITALIC_FONT: (BOLD_FONT, CJK_FONT),
}

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_ASCII = re.compile(r"[\x20-\x7e]*")

_lock = threading.Lock()
_registered = False


def resources_dir() -> Path:
    """The resources folder, from source or inside a frozen (PyInstaller) bundle.

    ``salesdesk.paths`` is the one place that knows where files live (and the one frozen-bundle
    check); it imports no Qt, so the documents package stays free of it.
    """
    return paths.resource_root()


def fonts_dir() -> Path:
    """The folder holding the embedded TTF files and their licences."""
    return resources_dir() / "fonts"


def register_fonts() -> None:
    """Register the embedded fonts with reportlab once per process (safe to call from any thread)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        folder = fonts_dir()
        for name, filename in _FONT_FILES.items():
            path = folder / filename
            if not path.is_file():
                raise FileNotFoundError(
                    f"The font file {path} is missing, so documents cannot be printed. "
                    "Reinstall SalesDesk to restore it."
                )
            pdfmetrics.registerFont(TTFont(name, str(path)))
        # The CJK family first: registerFontFamily remembers the *last* family a face was given
        # to, and the DejaVu faces must map back to their own family for <b>/<i> to work.
        pdfmetrics.registerFontFamily(
            CJK_FONT, normal=CJK_FONT, bold=CJK_FONT, italic=CJK_FONT, boldItalic=CJK_FONT
        )
        pdfmetrics.registerFontFamily(
            BODY_FONT, normal=BODY_FONT, bold=BOLD_FONT, italic=ITALIC_FONT, boldItalic=BOLD_ITALIC_FONT
        )
        _registered = True


@cache
def _charmap(font_name: str) -> frozenset[int]:
    register_fonts()
    face = pdfmetrics.getFont(font_name).face
    return frozenset(face.charToGlyph)


def _font_for(ch: str, base: str) -> str:
    if ord(ch) in _charmap(base):
        return base
    for candidate in _FALLBACKS[base]:
        if ord(ch) in _charmap(candidate):
            return candidate
    return base  # nothing has it: let the base font draw its "missing glyph" box


def visual_order(text: str) -> str:
    """Join Arabic letters and put right-to-left text in the order it is drawn (plain text, no markup)."""
    if not _RTL.search(text):
        return text
    if _ARABIC.search(text):
        text = arabic_reshaper.reshape(text)
    return "\n".join(get_display(line) for line in text.split("\n"))


def font_runs(text: str, base: str = BODY_FONT) -> list[tuple[str, str]]:
    """Split already-ordered text into (font name, text) runs; spaces stay with the run they are in."""
    runs: list[tuple[str, str]] = []
    current, buffer = base, list[str]()
    for ch in text:
        font = current if ch.isspace() else _font_for(ch, base)
        if font != current and buffer:
            runs.append((current, "".join(buffer)))
            buffer = []
        current = font
        buffer.append(ch)
    if buffer:
        runs.append((current, "".join(buffer)))
    return runs


def shape(text: object, font: str = BODY_FONT) -> str:
    """Turn a user-provided string into safe reportlab paragraph markup.

    Escapes ``& < >``, shapes Arabic, orders Hebrew/Arabic right to left and wraps characters
    the paragraph's font (``font``: its base face; pass ``ITALIC_FONT`` inside ``<i>``) cannot
    draw in ``<font>`` tags for a face that can. Line breaks become ``<br/>``.
    """
    if text is None:
        return ""
    text = str(text).replace("\r\n", "\n")
    if _ASCII.fullmatch(text):  # the common case: nothing to shape or swap
        return escape(text)
    text = visual_order(text)
    parts = []
    for run_font, run in font_runs(text, font):
        safe = escape(run).replace("\n", "<br/>")
        parts.append(safe if run_font == font else f'<font name="{run_font}">{safe}</font>')
    return "".join(parts)
