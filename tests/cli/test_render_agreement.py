"""``salesdesk render --doc agreement|action-plan|brief`` and ``salesdesk verify FILE.pdf``."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from salesdesk import cli
from salesdesk.services.app import Services
from salesdesk.store.schema import AgreementRevisionRow
from tests.services.test_agreements import Quoted, make_quoted
from tests.services.test_feasibility import _quick_pins, start_review  # noqa: F401 (autouse fixture)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


@pytest.fixture
def sv(db: str) -> Iterator[Services]:
    services = Services.open(db, actor="Test User")
    try:
        yield services
    finally:
        services.close()


@pytest.fixture
def quoted(sv: Services) -> Quoted:
    return make_quoted(sv)


def _frozen(sv: Services, number: int = 1) -> bytes:
    with sv.store.read() as s:
        pdf = s.scalar(select(AgreementRevisionRow.pdf).where(AgreementRevisionRow.number == number))
    assert pdf
    return bytes(pdf)


def test_the_agreement_of_a_signed_deal_is_the_frozen_pdf_byte_for_byte(quoted: Quoted, db: str,
                                                                        tmp_path: Path) -> None:
    quoted.sign_both()
    target = tmp_path / "agreement.pdf"
    code, out, err = run("--db", db, "render", quoted.ref, "--doc", "agreement", "--out", str(target))
    assert code == 0, err
    assert f"Wrote the agreement of {quoted.ref}" in out
    assert target.read_bytes() == _frozen(quoted.sv)


def test_a_quoted_deal_gets_its_draft_and_an_unquoted_one_a_reason(quoted: Quoted, sv: Services, db: str,
                                                                   tmp_path: Path) -> None:
    target = tmp_path / "draft.pdf"
    code, _, err = run("--db", db, "render", quoted.ref, "--doc", "agreement", "--out", str(target))
    assert code == 0, err
    assert f"A-{quoted.ref[2:]}-R1" in " ".join(p.extract_text() for p in PdfReader(target).pages)
    assert quoted.agreements.current(quoted.ref).draft is not None  # prepared, ready to sign
    other = start_review(sv, customer="Beta Valves AG")
    code, out, err = run("--db", db, "render", other.ref, "--doc", "agreement", "--out", str(tmp_path / "x.pdf"))
    assert code == 1 and out == "" and "is not quoted yet" in err
    assert not (tmp_path / "x.pdf").exists()


def test_the_action_plan_and_the_brief_render(quoted: Quoted, db: str, tmp_path: Path) -> None:
    for kind, expected in (("action-plan", "Send the site drawings"), ("brief", "What operations said")):
        target = tmp_path / f"{kind}.pdf"
        code, _, err = run("--db", db, "render", quoted.ref, "--doc", kind, "--out", str(target))
        assert code == 0, err
        assert expected in " ".join(p.extract_text() for p in PdfReader(target).pages)


def test_verify_exits_0_for_genuine_and_1_for_altered_or_unknown(quoted: Quoted, db: str, tmp_path: Path) -> None:
    quoted.sign_both()
    pdf = _frozen(quoted.sv)
    genuine = tmp_path / "genuine.pdf"
    genuine.write_bytes(pdf)
    code, out, err = run("--db", db, "verify", str(genuine))
    assert code == 0, err
    assert out.startswith(f"genuine: revision 1 of {quoted.ref} (A-{quoted.ref[2:]}-R1), signed by "
                          "Sam Signer for Nordwerk Anlagenbau GmbH and Hans Kunde for Acme Pumps GmbH on ")

    altered = tmp_path / "altered.pdf"
    middle = len(pdf) // 2
    altered.write_bytes(pdf[:middle] + bytes([pdf[middle] ^ 0x20]) + pdf[middle + 1:])
    code, out, _ = run("--db", db, "verify", str(altered))
    assert code == 1 and out.startswith(f"altered: revision 1 of {quoted.ref}")

    unrelated = tmp_path / "unrelated.pdf"
    unrelated.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    noise = tmp_path / "noise.pdf"
    noise.write_bytes(bytes(range(256)) * 40)
    for path in (unrelated, noise):
        code, out, _ = run("--db", db, "verify", str(path))
        assert code == 1 and out.startswith("unknown: "), out

    code, out, err = run("--db", db, "verify", str(tmp_path / "missing.pdf"))
    assert code == 1 and out == "" and "There is no file" in err
