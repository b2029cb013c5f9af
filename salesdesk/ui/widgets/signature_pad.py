"""A signature pad: the signer draws with the mouse, a pen or a finger; Clear starts over.

Strokes are kept as points and drawn as smooth curves (quadratic segments through the midpoints),
so a shaky hand still gives a clean line. ``png()`` exports the drawing cropped to the ink, at
twice the screen size, on a transparent background — what the agreement prints in its signature
block. The pad looks like paper (light) whatever the palette, so the ink reads the same on screen
and on the letter.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

INK = QColor("#1b2f5e")
PAPER = QColor("#fdfdfb")
GUIDE = QColor("#b9bec8")
PEN_WIDTH = 2.4
EXPORT_SCALE = 2.0
MARGIN = 6.0


def stroke_path(strokes: list[list[QPointF]], scale: float = 1.0, offset: QPointF | None = None) -> QPainterPath:
    """The strokes as one smooth path: each a curve through the midpoints of its points."""
    shift = offset or QPointF(0, 0)
    path = QPainterPath()
    for stroke in strokes:
        points = [(p - shift) * scale for p in stroke]
        if not points:
            continue
        path.moveTo(points[0])
        if len(points) == 1:  # a dot: a tap of the pen
            path.lineTo(points[0] + QPointF(0.01, 0.01))
            continue
        for a, b in zip(points[1:-1], points[2:], strict=False):
            path.quadTo(a, (a + b) / 2)
        path.lineTo(points[-1])
    return path


class SignatureCanvas(QWidget):
    """Where the signature is drawn (mouse or tablet); Delete or Backspace clears it."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.strokes: list[list[QPointF]] = []
        self._drawing = False
        self.setMinimumSize(300, 120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_TabletTracking, False)
        self.placeholder = self.tr("Sign here")

    def sizeHint(self) -> QSize:
        return QSize(420, 140)

    # --- drawing -----------------------------------------------------------------------------

    def _start(self, pos: QPointF) -> None:
        self._drawing = True
        self.strokes.append([pos])
        self.update()

    def _extend(self, pos: QPointF) -> None:
        if not self._drawing:
            return
        last = self.strokes[-1][-1]
        if (pos - last).manhattanLength() >= 0.75:
            self.strokes[-1].append(pos)
            self.update()

    def _finish(self, pos: QPointF) -> None:
        if not self._drawing:
            return
        self._extend(pos)
        self._drawing = False
        self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self._start(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._extend(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._finish(event.position())

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._start(event.position())
        elif kind == QTabletEvent.Type.TabletMove:
            self._extend(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self._finish(event.position())
        event.accept()  # no synthesised mouse events: each stroke is drawn once

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear()
            return
        super().keyPressEvent(event)

    def clear(self) -> None:
        had_ink = bool(self.strokes)
        self.strokes = []
        self._drawing = False
        self.update()
        if had_ink:
            self.changed.emit()

    def is_empty(self) -> bool:
        return not any(self.strokes)

    # --- painting ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        frame = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(self.palette().color(self.palette().ColorRole.Highlight) if self.hasFocus() else GUIDE,
                            1.5 if self.hasFocus() else 1.0))
        painter.setBrush(PAPER)
        painter.drawRoundedRect(frame, 4, 4)
        baseline = self.height() * 0.74
        painter.setPen(QPen(GUIDE, 1.0))
        painter.drawLine(QPointF(18, baseline), QPointF(self.width() - 18, baseline))
        painter.drawText(QRectF(18, baseline - 22, 20, 20), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                         "×")
        if self.is_empty():
            painter.drawText(QRectF(0, baseline + 2, self.width(), self.height() - baseline - 2),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, self.placeholder)
        painter.setPen(_ink_pen(PEN_WIDTH))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(stroke_path(self.strokes))

    # --- export ------------------------------------------------------------------------------

    def png(self) -> bytes:
        """The drawing as PNG bytes (transparent background, cropped to the ink); b"" when empty."""
        if self.is_empty():
            return b""
        bounds = stroke_path(self.strokes).boundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
        size = QSize(max(1, round(bounds.width() * EXPORT_SCALE)), max(1, round(bounds.height() * EXPORT_SCALE)))
        image = QImage(size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(_ink_pen(PEN_WIDTH * EXPORT_SCALE))
        painter.drawPath(stroke_path(self.strokes, EXPORT_SCALE, bounds.topLeft()))
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs want bytes; PySide takes str
        buffer.close()
        return bytes(data.data())


def _ink_pen(width: float) -> QPen:
    return QPen(INK, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)


class SignaturePad(QWidget):
    """The canvas with a Clear button and a line saying what to do."""

    changed = Signal()

    def __init__(self, accessible_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = SignatureCanvas()
        self.canvas.setAccessibleName(accessible_name or self.tr("Signature pad"))
        self.canvas.setAccessibleDescription(self.tr(
            "Draw the signature with the mouse, a pen or a finger. Delete clears it. Without a pointer, record the "
            "signature as signed on paper instead."))
        self.clear_button = QPushButton(self.tr("C&lear"))
        self.clear_button.setAccessibleName(self.tr("Clear the signature"))
        self.hint = QLabel(self.tr("Draw the signature in the box."))
        self.hint.setWordWrap(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.hint, 1)
        row.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.canvas)
        layout.addLayout(row)
        self.clear_button.clicked.connect(self.canvas.clear)
        self.canvas.changed.connect(self._changed)
        self._changed()

    def _changed(self) -> None:
        self.clear_button.setEnabled(not self.canvas.is_empty())
        self.changed.emit()

    def clear(self) -> None:
        self.canvas.clear()

    def is_empty(self) -> bool:
        return self.canvas.is_empty()

    def png(self) -> bytes:
        return self.canvas.png()
