"""The signature pad: what is drawn with the mouse comes out as a transparent PNG with visible ink."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage

from salesdesk.services.agreement_files import check_signature_png
from salesdesk.ui.widgets.signature_pad import SignaturePad


def _draw(qtbot: Any, canvas: Any, points: list[tuple[int, int]]) -> None:
    first, *rest = [QPoint(x, y) for x, y in points]
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=first)
    for point in rest:
        qtbot.mouseMove(canvas, point)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=rest[-1])


def _image(png: bytes) -> QImage:
    image = QImage()
    assert image.loadFromData(png, "PNG")
    return image


def test_a_signature_drawn_with_the_mouse_exports_a_png_with_visible_strokes(qtbot: Any) -> None:
    pad = SignaturePad("Signature for the customer")
    qtbot.addWidget(pad)
    pad.show()
    qtbot.waitExposed(pad)
    assert pad.is_empty() and pad.png() == b"" and not pad.clear_button.isEnabled()

    with qtbot.waitSignal(pad.changed):
        _draw(qtbot, pad.canvas, [(30, 80), (60, 40), (90, 95), (130, 50), (170, 90), (220, 60)])
    _draw(qtbot, pad.canvas, [(60, 110), (200, 105)])  # a second stroke: the underline
    assert not pad.is_empty() and pad.clear_button.isEnabled()

    png = pad.png()
    assert png.startswith(b"\x89PNG")
    assert check_signature_png(png) == png  # what the agreement service accepts
    image = _image(png)
    assert image.hasAlphaChannel()
    alphas = [image.pixelColor(x, y).alpha() for y in range(image.height()) for x in range(image.width())]
    assert max(alphas) == 255, "the strokes are inked"
    assert min(alphas) == 0, "the background is transparent"
    inked = sum(1 for a in alphas if a > 0)
    assert 0.01 < inked / len(alphas) < 0.5
    assert image.pixelColor(0, 0).alpha() == 0  # a corner of the crop margin: no ink, no paper

    qtbot.mouseClick(pad.clear_button, Qt.MouseButton.LeftButton)
    assert pad.is_empty() and pad.png() == b"" and not pad.clear_button.isEnabled()


def test_moving_the_mouse_without_pressing_draws_nothing_and_delete_clears(qtbot: Any) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.show()
    qtbot.waitExposed(pad)
    for x in range(20, 200, 20):
        qtbot.mouseMove(pad.canvas, QPoint(x, 60))
    assert pad.is_empty()
    _draw(qtbot, pad.canvas, [(40, 60), (120, 70)])
    assert not pad.is_empty()
    pad.canvas.setFocus()
    qtbot.keyClick(pad.canvas, Qt.Key.Key_Delete)
    assert pad.is_empty()
    assert pad.canvas.accessibleName() == "Signature pad"
