"""Fonts ship with the app and every script a customer's name may be written in comes out right."""

from __future__ import annotations

import sys

from reportlab.platypus import Paragraph

from salesdesk.documents.common import styles
from salesdesk.documents.fonts import BODY_FONT, CJK_FONT, ITALIC_FONT, fonts_dir, shape

FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf",
              "DroidSansFallbackFull.ttf")


def test_font_files_and_their_licences_ship_in_resources() -> None:
    folder = fonts_dir()
    for name in FONT_FILES:
        assert (folder / name).is_file(), name
    assert (folder / "LICENSE-DejaVu.txt").is_file()
    assert "Apache" in (folder / "LICENSE-DroidSansFallback.txt").read_text()
    total = sum(p.stat().st_size for p in folder.iterdir())
    assert total < 15 * 1024 * 1024


def test_fonts_are_found_inside_a_frozen_bundle(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert fonts_dir() == tmp_path / "resources" / "fonts"


def test_user_text_cannot_inject_markup() -> None:
    assert shape('<b>Smith & Sons</b> "quoted"') == '&lt;b&gt;Smith &amp; Sons&lt;/b&gt; "quoted"'
    # and the result lays out as a paragraph without complaint
    Paragraph(shape("a < b & c > d <font name=x>"), styles()["body"]).wrap(200, 100)


def test_latin_greek_and_cyrillic_need_no_font_switch() -> None:
    for name in ("Zoë Ångström-Łukasiewicz", "Ζωή Παπαδοπούλου", "Дмитрий Иванов"):
        assert shape(name) == name


def test_chinese_is_set_in_the_cjk_font() -> None:
    assert shape("李明 (Engineering)") == f'<font name="{CJK_FONT}">李明 </font>(Engineering)'


def test_hebrew_is_laid_out_right_to_left() -> None:
    assert shape("דוד כהן") == "ןהכ דוד"


def test_brackets_are_mirrored_in_right_to_left_text() -> None:
    assert shape("(כהן)") == "(ןהכ)"  # reversed letters, brackets still opening towards the text


def test_arabic_letters_are_joined_and_reversed() -> None:
    shaped = shape("محمد")
    assert all(0xFE70 <= ord(ch) <= 0xFEFF for ch in shaped)  # contextual presentation forms
    assert shaped[-1] == "\ufee3"  # the initial form of meem is drawn rightmost


def test_arabic_in_italics_falls_back_to_the_upright_face() -> None:
    shaped = shape("Ali علي", ITALIC_FONT)
    assert f'<font name="{BODY_FONT}">' in shaped
    assert shaped.startswith("Ali ")


def test_empty_and_none_give_empty_markup() -> None:
    assert shape("") == ""
    assert shape(None) == ""
