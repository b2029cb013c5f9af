"""Page furniture shared by every document: letterhead, footers, metadata stamp, determinism."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader

import salesdesk.documents as documents
from salesdesk.documents import default_logo_png, parse_doc_stamp, samples
from salesdesk.domain.errors import ValidationError

KINDS = {
    "agreement": "Letter of agreement",
    "action_plan": "Action plan",
    "brief": "Meeting brief",
    "quote": "Quote",
    "feasibility": "Feasibility review",
}


def _builder(name: str) -> Callable[[Any], bytes]:
    return getattr(documents, f"build_{name}")


def _sample(name: str) -> Any:
    return getattr(samples, f"sample_{name}")()


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {name: _builder(name)(_sample(name)) for name in KINDS}


def _texts(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages]


@pytest.mark.parametrize("name", KINDS)
def test_every_page_has_a_footer_with_doc_id_revision_and_page_count(rendered, name) -> None:
    doc = _sample(name)
    pages = _texts(rendered[name])
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert doc.doc_id in text
        assert f"Revision {doc.revision}" in text


@pytest.mark.parametrize("name", KINDS)
def test_metadata_names_the_document_and_its_revision(rendered, name) -> None:
    doc = _sample(name)
    meta = PdfReader(BytesIO(rendered[name])).metadata
    assert parse_doc_stamp(meta.subject) == (doc.doc_id, doc.revision)
    assert parse_doc_stamp(meta.get("/Keywords")) == (doc.doc_id, doc.revision)
    assert meta.title == f"{KINDS[name]}: {doc.deal_title}"
    assert meta.author == doc.company.name


@pytest.mark.parametrize("name", KINDS)
def test_identical_input_gives_identical_bytes(rendered, name) -> None:
    copy = dataclasses.replace(_sample(name))
    assert _builder(name)(copy) == rendered[name]


def test_a_new_revision_gives_a_different_file_and_stamp(rendered) -> None:
    doc = dataclasses.replace(samples.sample_quote(), revision=2)
    pdf = documents.build_quote(doc)
    assert pdf != rendered["quote"]
    assert parse_doc_stamp(PdfReader(BytesIO(pdf)).metadata.subject) == (doc.doc_id, 2)


@pytest.mark.parametrize("name", KINDS)
def test_every_font_is_embedded(rendered, name) -> None:
    for page in PdfReader(BytesIO(rendered[name])).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]


def test_first_page_carries_the_letterhead_and_later_pages_a_running_header(rendered) -> None:
    company = samples.sample_company()
    pages = _texts(rendered["agreement"])
    for expected in (*company.address_lines, company.phone, company.email, company.website):
        assert expected in pages[0]
    assert company.phone not in pages[1]
    assert pages[1].startswith(company.name)


def test_the_letterhead_shows_the_logo_when_given_and_none_otherwise() -> None:
    quote = samples.sample_quote()
    with_logo = PdfReader(BytesIO(documents.build_quote(quote))).pages[0]
    no_logo_doc = dataclasses.replace(quote, company=dataclasses.replace(quote.company, logo_png=None))
    without = PdfReader(BytesIO(documents.build_quote(no_logo_doc))).pages[0]
    assert len(with_logo.images) == 1
    assert len(without.images) == 0


def test_a_broken_logo_is_reported_in_words_a_rep_understands() -> None:
    quote = samples.sample_quote()
    broken = dataclasses.replace(quote, company=dataclasses.replace(quote.company, logo_png=b"not a png"))
    with pytest.raises(ValidationError, match="company logo could not be read"):
        documents.build_quote(broken)


def test_the_default_logo_is_a_png() -> None:
    assert default_logo_png().startswith(b"\x89PNG\r\n\x1a\n")


def test_a_stamp_is_not_found_in_unrelated_text() -> None:
    assert parse_doc_stamp("Quarterly report") is None
    assert parse_doc_stamp(None) is None


def test_the_documents_package_loads_neither_qt_nor_the_database() -> None:
    import subprocess
    import sys

    code = (
        "import sys, salesdesk.documents, salesdesk.documents.samples\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy')\n"
        "       or m.startswith(('salesdesk.store', 'salesdesk.services', 'salesdesk.ui'))]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
