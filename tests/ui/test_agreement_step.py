"""Agreement & signatures through the window: prepare, sign both sides, the frozen revision, superseding,
printing through the print dialog (to a PDF printer), Ctrl+P, and File → Verify a PDF…"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtPrintSupport import QPrinter

from salesdesk.domain.model import Side, Stage
from salesdesk.services.agreements import AgreementService
from tests.services.test_agreements import SIGNER_PIN, Quoted, make_quoted
from tests.services.test_feasibility import _quick_pins, start_review  # noqa: F401 (autouse fixture)
from tests.ui.conftest import settle


@pytest.fixture
def quoted(services: Any, rep: Any) -> Quoted:
    return make_quoted(services)


def open_agreement(window: Any, qtbot: Any, ref: str) -> tuple[Any, Any]:
    workspace = window.open_deal(ref)
    page = workspace.page("agreement")
    with qtbot.waitSignal(page.loader.finished, timeout=20000):
        workspace.go_to("agreement")
    return workspace, page


def act(qtbot: Any, page: Any, action: Any) -> None:
    """Do ``action`` and wait until the page has shown where the agreement stands afterwards."""
    with qtbot.waitSignal(page.loader.finished, timeout=20000):
        action()


def choose(combo: Any, value: object) -> None:
    index = combo.findData(value)
    assert index >= 0, f"{value!r} is not offered"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def draw_signature(qtbot: Any, canvas: Any) -> None:
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(30, 80))
    for x, y in ((70, 40), (110, 95), (150, 45), (190, 90), (230, 60)):
        qtbot.mouseMove(canvas, QPoint(x, y))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(240, 70))


def click(qtbot: Any, button: Any) -> None:
    assert button.isEnabled(), button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_both_sides_sign_through_the_window_and_the_deal_is_agreed(window: Any, qtbot: Any, quoted: Quoted,
                                                                  services: Any) -> None:
    workspace, page = open_agreement(window, qtbot, quoted.ref)
    assert page.status.text() == "Not prepared"
    assert page.preview.page_count() >= 2, "a preview of revision 1 before anything is prepared"
    assert not page.ours.entry.isVisible()

    act(qtbot, page, lambda: click(qtbot, page.prepare_button))
    assert page.status.text() == "Draft" and "Revision 1" in page.status_text.text()
    assert page.preview.file_name == f"A-{quoted.ref[2:]}-R1.pdf"

    ours = page.ours
    choose(ours.signer, quoted.signer.uid)
    assert ours.pin.isVisible(), "Sam Signer has a PIN: it is asked for"
    assert not ours.record.isEnabled(), "nothing drawn yet"
    draw_signature(qtbot, ours.pad.canvas)
    qtbot.keyClicks(ours.pin, SIGNER_PIN)
    act(qtbot, page, lambda: click(qtbot, ours.record))
    assert "Signed by <b>Sam Signer</b>" in ours.signed_view.text()
    assert services.deals.get(quoted.ref).stage is Stage.QUOTED

    theirs = page.theirs
    choose(theirs.signer, quoted.contact.uid)
    qtbot.mouseClick(theirs.on_paper, Qt.MouseButton.LeftButton)
    assert theirs.paper.isVisible() and not theirs.pad.isVisible() and theirs.signed_on.value() is not None
    act(qtbot, page, lambda: click(qtbot, theirs.record))

    assert services.deals.get(quoted.ref).stage is Stage.AGREED
    assert workspace.header.stage.text() == "Agreed"
    assert page.status.text() == "Signed"
    signed = AgreementService(services.ctx).current(quoted.ref).signed
    assert signed is not None and signed.status == "signed"
    assert page.frozen.isVisible()
    assert page.frozen.hash.text().replace(" ", "") == signed.pdf_sha256
    assert "Sam Signer" in page.frozen.signers.text() and "Hans Kunde" in page.frozen.signers.text()
    assert page.frozen.stage.text() == "Agreed"
    assert not page.prepare_button.isEnabled()


def test_a_signed_pdf_is_verified_genuine_and_a_change_after_signing_supersedes_it(
        window: Any, qtbot: Any, quoted: Quoted, services: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from salesdesk.ui import pdf_view
    from salesdesk.ui.workspace.agreement import verify

    quoted.sign_both()
    workspace, page = open_agreement(window, qtbot, quoted.ref)
    saved = tmp_path / "signed.pdf"
    monkeypatch.setattr(pdf_view, "choose_pdf_path", lambda _p, _n: str(saved))
    qtbot.mouseClick(page.preview.save_button, Qt.MouseButton.LeftButton)
    assert saved.read_bytes() == AgreementService(services.ctx).render(quoted.ref)

    results: list[Any] = []
    chosen: list[Path] = []
    monkeypatch.setattr(verify, "choose_pdf_to_verify", lambda _p: str(chosen[-1]))
    monkeypatch.setattr(verify, "show_verify_result", lambda _p, result: results.append(result))
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(saved.read_bytes().replace(b"Pump", b"Pomp"))
    foreign = tmp_path / "foreign.pdf"
    foreign.write_bytes(b"%PDF-1.4\nnot an agreement\n%%EOF")
    for path in (saved, altered, foreign):
        chosen.append(path)
        window.verify_action.trigger()
    genuine, changed, unknown = results
    assert genuine.status == "genuine" and genuine.deal_ref == quoted.ref and genuine.revision == 1
    assert any("Sam Signer" in s for s in genuine.signers) and genuine.signed_at is not None
    assert "Signed by: " in verify.result_details(genuine)
    assert changed.status == "altered" and unknown.status == "unknown"

    workspace.editor.set_field("break_in_period", "Six weeks of tuning.")
    assert workspace.editor.flush()
    act(qtbot, page, page.refresh)
    assert page.banner.isVisible()
    assert page.banner.headline.text() == ("Revision 1 is superseded — prepare revision 2 and have it signed "
                                           "again")
    assert "Break-in period" in page.banner.detail.text()
    act(qtbot, page, lambda: click(qtbot, page.banner.action))
    state = AgreementService(services.ctx).current(quoted.ref)
    assert [(r.number, r.status) for r in state.revisions] == [(1, "superseded"), (2, "draft")]
    assert page.status.text() == "Draft" and page.ours.entry.isVisible()
    assert "superseded" in page.frozen.title.text()


def _print_to(monkeypatch: pytest.MonkeyPatch, target: Path) -> list[str]:
    """The print dialog, answered: "print to this PDF file"."""
    from salesdesk.ui.workspace.agreement import print_pdf

    titles: list[str] = []

    def accept(_parent: object, printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        titles.append(printer.docName())
        return True

    monkeypatch.setattr(print_pdf, "ask_printer", accept)
    return titles


def test_printing_the_agreement_to_a_pdf_printer_gives_all_its_pages(window: Any, qtbot: Any, quoted: Quoted,
                                                                     services: Any, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    quoted.prepare()
    workspace, page = open_agreement(window, qtbot, quoted.ref)
    printed = tmp_path / "printed.pdf"
    titles = _print_to(monkeypatch, printed)
    click(qtbot, page.print_button)
    settle(qtbot)

    agreement = PdfReader(io.BytesIO(AgreementService(services.ctx).render(quoted.ref, revision=1)))
    copy = PdfReader(printed)
    assert len(copy.pages) == len(agreement.pages) >= 2
    doc_id = f"A-{quoted.ref[2:]}-R1"
    assert titles == [f"{doc_id} — Letter of agreement"]
    assert doc_id in str(copy.metadata.title)
    for sheet in copy.pages:  # each page carries the rendered page of the letter
        images = sheet.images
        assert len(images) == 1 and images[0].image.width > 1500  # ~300 dpi across an A4 page

    # Ctrl+P prints the same agreement for the open deal.
    again = tmp_path / "ctrl-p.pdf"
    _print_to(monkeypatch, again)
    window._update_print()
    assert window.print_action.isEnabled()
    window.print_action.trigger()
    settle(qtbot)
    assert len(PdfReader(again).pages) == len(agreement.pages)


def test_a_wrong_pin_is_shown_next_to_the_pin_and_nothing_is_signed(window: Any, qtbot: Any, quoted: Quoted,
                                                                    services: Any) -> None:
    quoted.prepare()
    _workspace, page = open_agreement(window, qtbot, quoted.ref)
    ours = page.ours
    choose(ours.signer, quoted.signer.uid)
    draw_signature(qtbot, ours.pad.canvas)
    qtbot.keyClicks(ours.pin, "0000")
    click(qtbot, ours.record)
    settle(qtbot)
    assert "Wrong PIN for Sam Signer" in ours.errors.general.text() + ours.pin.parentWidget().findChild(
        type(ours.errors.general)).text()
    assert AgreementService(services.ctx).current(quoted.ref).current.signatures == ()


def test_a_deal_that_is_not_quoted_says_why_there_is_no_agreement(window: Any, qtbot: Any, services: Any,
                                                                  rep: Any) -> None:
    review = start_review(services)
    _workspace, page = open_agreement(window, qtbot, review.ref)
    assert page.banner.isVisible() and "not quoted yet" in page.banner.headline.text()
    assert not page.prepare_button.isEnabled()
    assert page.preview.page_count() == 0
    assert not window.print_action.isEnabled()


def test_a_non_standard_term_without_approval_is_refused_at_signing(window: Any, qtbot: Any, quoted: Quoted,
                                                                    services: Any) -> None:
    from salesdesk.domain.model import DealTerm

    deal = services.deals.get(quoted.ref)
    services.deals.save(replace(deal, terms=(*deal.terms, DealTerm("t-free", "Free shipping", "Free.", True))))
    quoted.prepare()
    _workspace, page = open_agreement(window, qtbot, quoted.ref)
    theirs = page.theirs
    choose(theirs.signer, quoted.contact.uid)
    draw_signature(qtbot, theirs.pad.canvas)
    click(qtbot, theirs.record)
    settle(qtbot)
    assert "has not been approved by anyone yet" in theirs.errors.general.text()
    assert theirs.entry.isVisible() and Side.THEIRS not in {
        s.side for s in AgreementService(services.ctx).current(quoted.ref).current.signatures}
