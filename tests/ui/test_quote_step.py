"""The Quote step driven like a rep: lines and the allowance for the unexpected, the button that stays
off (saying why) until the deal is cleared, and a generated quote shown, saved and moving the deal on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from salesdesk.domain.model import Stage, TeamMember
from salesdesk.services.app import Services
from salesdesk.ui.workspace.editor import SaveState
from tests.ui.test_feasibility_step import Review, by_name, make_review


@pytest.fixture(autouse=True)
def _quick_pins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("salesdesk.services.team._SCRYPT", {"n": 2**4, "r": 8, "p": 1})


@pytest.fixture
def review(services: Services, rep: TeamMember) -> Review:
    return make_review(services, rep)


def open_quote(window: Any, ref: str) -> tuple[Any, Any]:
    workspace = window.open_deal(ref)
    workspace.go_to("quote")
    return workspace, workspace.page("quote")


def test_the_quote_button_is_off_and_says_who_is_missing_until_the_deal_is_cleared(
        qtbot: Any, window: Any, review: Review, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace, page = open_quote(window, review.ref)
    button = by_name(page, "Generate quote")
    assert not button.isEnabled()
    why = page.readiness.body.text()
    assert page.readiness.title.text() == "Not ready to quote"
    assert "Engineering and Operations have not signed off" in why
    assert "'Is the technical information complete?'" in why

    review.answer_all()
    review.sign("Engineering")
    review.sign("Operations")
    workspace.editor.reload()  # the rep sees the departments' sign-offs
    assert button.isEnabled()
    assert page.readiness.title.text() == "Ready to quote"

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not button.isEnabled()  # while the PDF is made off the UI thread
    qtbot.waitUntil(lambda: page.preview.pdf_bytes() is not None, timeout=15000)
    assert page.preview.pdf_bytes().startswith(b"%PDF")
    assert page.preview.page_count() >= 1
    assert review.deal().stage is Stage.QUOTED
    assert workspace.editor.deal.stage is Stage.QUOTED
    assert workspace.header.stage.text() == "Quoted"
    assert page.readiness.title.text() == "Quoted"

    target = tmp_path / "quote.pdf"
    monkeypatch.setattr("salesdesk.ui.pdf_view.choose_pdf_path", lambda _parent, name: str(target))
    qtbot.mouseClick(by_name(page, "Save PDF"), Qt.MouseButton.LeftButton)
    assert target.read_bytes() == page.preview.pdf_bytes()
    assert page.preview.file_name == f"Q-{review.ref[2:]}.pdf"


def test_lines_are_edited_with_the_allowance_for_the_unexpected_as_its_own_line(
        qtbot: Any, window: Any, review: Review) -> None:
    workspace, page = open_quote(window, review.ref)
    assert page.lines.subtotal.text() == "EUR 3,000.00"
    assert page.lines.contingency_label.text() == "Allowance for the unexpected (10 %)"
    assert page.lines.contingency.text() == "EUR 300.00"
    qtbot.mouseClick(page.lines.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(by_name(page, "Line 2 description"), "Commissioning")
    price = by_name(page, "Line 2 unit price")
    price.selectAll()
    qtbot.keyClicks(price, "500")
    assert page.lines.total.text() == "EUR 3,850.00"
    qtbot.waitUntil(lambda: workspace.editor.state == SaveState.SAVED and not workspace.editor.dirty, timeout=5000)
    lines = review.deal().lines
    assert [(line.description, line.unit_price) for line in lines][1] == ("Commissioning", 500)
    # Changing the lines after a review is what the departments must see again.
    assert "Delivery by" in page.promised.text()


def test_a_line_without_a_description_is_refused_next_to_the_lines(qtbot: Any, window: Any, review: Review) -> None:
    workspace, page = open_quote(window, review.ref)
    qtbot.mouseClick(page.lines.add_button, Qt.MouseButton.LeftButton)
    workspace.editor.flush()
    assert workspace.editor.state == SaveState.INVALID
    assert "Line 2's description" in page.lines_error.text()
    assert page.lines_error.isVisible()
