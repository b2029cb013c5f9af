"""Form fields that show the service's error right next to them.

A ``FieldErrors`` knows which error label belongs to which field key (the ``field`` a
``SalesDeskError`` carries); ``add_row`` lays a labelled field out in a QFormLayout with its
error label underneath and gives the input an accessible name.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from salesdesk.domain.errors import SalesDeskError
from salesdesk.ui import colours


class ErrorLabel(QLabel):
    """A message under a field, in the problem colour; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.WindowText, colours.accent_text(colours.PROBLEM_HUE))
        self.setPalette(pal)
        self.hide()

    def show_message(self, message: str, hint: str = "") -> None:
        self.setText(f"{message} {hint}".strip())
        self.setAccessibleName(self.text())
        self.show()

    def clear_message(self) -> None:
        self.clear()
        self.hide()


class FieldErrors:
    """Error labels by field key; ``show(exc)`` puts the message next to ``exc.field``."""

    def __init__(self, general: ErrorLabel | None = None) -> None:
        self._labels: dict[str, tuple[ErrorLabel, QWidget | None]] = {}
        self.general = general

    def register(self, key: str, label: ErrorLabel, focus: QWidget | None = None) -> None:
        self._labels[key] = (label, focus)

    def knows(self, key: str | None) -> bool:
        return key is not None and key in self._labels

    def show(self, exc: SalesDeskError) -> bool:
        """Show ``exc`` next to its field (else in the general label); False if nowhere to show it."""
        self.clear()
        if exc.field in self._labels:
            label, focus = self._labels[exc.field]  # type: ignore[index]
            label.show_message(exc.message, exc.hint)
            if focus is not None:
                focus.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if self.general is not None:
            self.general.show_message(exc.message, exc.hint)
            return True
        return False

    def clear(self) -> None:
        for label, _focus in self._labels.values():
            label.clear_message()
        if self.general is not None:
            self.general.clear_message()


def with_error(widget: QWidget, errors: FieldErrors, key: str) -> QWidget:
    """``widget`` with an error label underneath, registered under ``key``."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(widget)
    label = ErrorLabel(box)
    layout.addWidget(label)
    errors.register(key, label, widget)
    return box


def add_row(form: QFormLayout, errors: FieldErrors, key: str, text: str, widget: QWidget) -> QWidget:
    """A labelled row: ``text`` (with its & shortcut) as the buddy label, the error under the field."""
    label = QLabel(text)
    label.setBuddy(widget)
    widget.setAccessibleName(text.replace("&", ""))
    form.addRow(label, with_error(widget, errors, key))
    return widget


def align_form_labels(root: QWidget) -> None:
    """Give every form under ``root`` the same label width, so fields line up across sections."""
    forms = root.findChildren(QFormLayout)
    labels = [item.widget() for form in forms for row in range(form.rowCount())
              if (item := form.itemAt(row, QFormLayout.ItemRole.LabelRole)) is not None and item.widget() is not None]
    if labels:
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(width)
            if isinstance(label, QLabel):
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
                label.setContentsMargins(0, 4, 0, 0)


def section_title(text: str) -> QLabel:
    """A heading between groups of fields."""
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.15)
    label.setFont(font)
    label.setContentsMargins(0, 10, 0, 2)
    return label


def hint_label(text: str) -> QLabel:
    """A muted sentence that explains a group of fields."""
    label = QLabel(text)
    label.setWordWrap(True)
    pal = label.palette()
    pal.setColor(QPalette.ColorRole.WindowText, colours.muted_text())
    label.setPalette(pal)
    return label
