"""A tinted box that says where things stand and what to do: cleared, declined, why a button is off."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from salesdesk.ui import theme
from salesdesk.ui.widgets.fields import ErrorLabel


class Notice(QFrame):
    """A title, a sentence or two, an optional action button and room for the action's error."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hue = "#8a8a8a"
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QPushButton()
        self.action.hide()
        self.error = ErrorLabel()
        text = QVBoxLayout()
        text.setSpacing(4)
        text.addWidget(self.title)
        text.addWidget(self.body)
        text.addWidget(self.error)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 10, 12, 10)
        row.addLayout(text, 1)
        row.addWidget(self.action, 0, Qt.AlignmentFlag.AlignTop)

    def show_notice(self, title: str, body: str, hue: str, action: str = "") -> None:
        self.hue = hue
        self.title.setText(title)
        self.body.setText(body)
        self.body.setVisible(bool(body))
        pal = self.title.palette()
        pal.setColor(QPalette.ColorRole.WindowText, theme.accent_text(hue))
        self.title.setPalette(pal)
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self.setAccessibleName(title)
        self.setAccessibleDescription(body)
        self.error.clear_message()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        fill, _ink = theme.pill_colours(self.hue, self.palette())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(self.rect().adjusted(0, 0, -1, -1), 6, 6)
        painter.setBrush(QColor(self.hue))
        painter.drawRoundedRect(0, 0, 5, self.height(), 2, 2)
        painter.end()
        super().paintEvent(event)
