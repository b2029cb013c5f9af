"""``salesdesk render``: a deal's quote or feasibility report as a PDF file, never half a file."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from salesdesk import cli
from salesdesk.cli_documents import DOCUMENT_KINDS, DocumentKind
from salesdesk.services.app import Services
from tests.services.test_feasibility import Review, _quick_pins, start_review  # noqa: F401 (autouse fixture)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


@pytest.fixture
def review(db: str) -> Iterator[Review]:
    sv = Services.open(db, actor="Test User")
    try:
        yield start_review(sv)
    finally:
        sv.close()


def test_an_uncleared_deal_gets_no_quote_file_and_is_told_what_is_missing(review: Review, tmp_path: Path,
                                                                          db: str) -> None:
    target = tmp_path / "quote.pdf"
    code, out, err = run("--db", db, "render", review.ref, "--doc", "quote", "--out", str(target))
    assert code == 1
    assert not target.exists() and list(tmp_path.glob("*.part")) == [] and list(tmp_path.glob(".quote.pdf*")) == []
    assert out == ""
    assert "Engineering and Operations have not signed off" in err
    assert "'Can we deliver without bumping another customer?'" in err


def test_a_cleared_deal_is_rendered_and_quoted(review: Review, tmp_path: Path, db: str) -> None:
    review.clear()
    target = tmp_path / "quote.pdf"
    code, out, err = run("--db", db, "render", review.ref, "--doc", "quote", "--out", str(target))
    assert code == 0, err
    assert f"Wrote the quote of {review.ref} to {target}" in out
    text = " ".join(p.extract_text() for p in PdfReader(target).pages)
    assert "Allowance for the unexpected" in text and "26 Nov 2026" in text
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".db" and "cli.db" not in p.name] == ["quote.pdf"]
    assert review.deal().stage.value == "quoted"


def test_the_feasibility_report_renders_for_any_deal_in_review(review: Review, tmp_path: Path, db: str) -> None:
    target = tmp_path / "feasibility.pdf"
    code, _, err = run("--db", db, "render", review.ref, "--doc", "feasibility", "--out", str(target))
    assert code == 0, err
    assert "raw estimates" in " ".join(p.extract_text() for p in PdfReader(target).pages)


def test_a_failed_render_leaves_the_old_file_and_no_temporary_one(review: Review, tmp_path: Path, db: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"the previous report")

    def broken(services: object, ref: str) -> bytes:
        raise OSError("disk full")

    monkeypatch.setitem(DOCUMENT_KINDS, "feasibility", DocumentKind("broken", broken))
    with pytest.raises(OSError, match="disk full"):
        run("--db", db, "render", review.ref, "--doc", "feasibility", "--out", str(target))
    assert target.read_bytes() == b"the previous report"
    assert sorted(p.name for p in tmp_path.iterdir() if "cli.db" not in p.name) == ["report.pdf"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("D-2026-9999", "--doc", "quote", "--out", "{tmp}/q.pdf"), 1, "There is no deal 'D-2026-9999'"),
        (("{ref}", "--doc", "quote", "--out", "{tmp}/missing/q.pdf"), 1, "does not exist"),
        (("{ref}", "--doc", "quote", "--out", "{tmp}"), 1, "is a folder"),
        (("{ref}", "--doc", "invoice", "--out", "{tmp}/q.pdf"), 2, "invalid choice: 'invoice'"),
        (("{ref}", "--doc", "quote"), 2, "--out"),
    ],
)
def test_bad_requests_say_what_is_wrong(review: Review, tmp_path: Path, db: str, args: tuple[str, ...], code: int,
                                        message: str, capsys: pytest.CaptureFixture[str]) -> None:
    review.clear()
    argv = [a.format(tmp=tmp_path, ref=review.ref) for a in args]
    got, _, err = run("--db", db, "render", *argv)
    err += capsys.readouterr().err  # argparse writes usage errors straight to stderr
    assert got == code and message in err
    assert not list(tmp_path.rglob("*.pdf"))
