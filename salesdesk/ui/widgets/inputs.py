"""Inputs the stock widgets lack: a date that may be empty, a text box that grows with its text."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QSize, Qt
from PySide6.QtWidgets import QDateEdit, QFrame, QSizePolicy, QTextEdit, QWidget

_NO_DATE = QDate(1900, 1, 1)


class OptionalDateEdit(QDateEdit):
    """A date field with a calendar pop-up that can also be left empty (shown as "—")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("d MMM yyyy")
        self.setMinimumDate(_NO_DATE)
        self.setSpecialValueText("—")
        self.setDate(_NO_DATE)

    def value(self) -> date | None:
        d = self.date()
        return None if d == _NO_DATE else date(d.year(), d.month(), d.day())

    def set_value(self, value: date | None) -> None:
        self.setDate(QDate(value.year, value.month, value.day) if value else _NO_DATE)

    def keyPressEvent(self, event) -> None:  # noqa: ANN001 - Qt override
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.currentSection() == self.sectionAt(0):
            self.setDate(_NO_DATE)  # Delete on the first section empties the date
            return
        super().keyPressEvent(event)


class GrowingTextEdit(QTextEdit):
    """Plain multi-line text that grows with what is typed (between ``min_lines`` and ``max_lines``).

    Tab moves to the next field, so forms stay keyboard friendly.
    """

    def __init__(self, parent: QWidget | None = None, *, min_lines: int = 2, max_lines: int = 12) -> None:
        super().__init__(parent)
        self.setAcceptRichText(False)
        self.setTabChangesFocus(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.min_lines, self.max_lines = min_lines, max_lines
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def text(self) -> str:
        return self.toPlainText()

    def set_text(self, text: str) -> None:
        if text != self.toPlainText():
            self.setPlainText(text)

    def _fit(self, *_args: object) -> None:
        line = self.fontMetrics().lineSpacing()
        doc = self.document().size().height()
        chrome = self.frameWidth() * 2 + self.contentsMargins().top() + self.contentsMargins().bottom() + 8
        height = max(self.min_lines * line, min(self.max_lines * line, int(doc))) + chrome
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event) -> None:  # noqa: ANN001 - Qt override
        super().resizeEvent(event)
        self._fit()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self.height())
