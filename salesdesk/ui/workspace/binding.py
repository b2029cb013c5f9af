"""Links between a step's widgets and the deal's fields: typing edits the draft, a (re)load fills the widgets."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QLineEdit

from salesdesk.domain.model import Deal
from salesdesk.ui.widgets.inputs import GrowingTextEdit, OptionalDateEdit
from salesdesk.ui.workspace.editor import DealEditor


class DealBinding:
    def __init__(self, editor: DealEditor) -> None:
        self.editor = editor
        self._fills: list[Callable[[Deal], None]] = []

    def text(self, widget: QLineEdit | GrowingTextEdit, field: str) -> None:
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(lambda text: self.editor.set_field(field, text))
            self._fills.append(lambda deal: widget.setText(getattr(deal, field)))
        else:
            widget.textChanged.connect(lambda: self.editor.set_field(field, widget.text()))
            self._fills.append(lambda deal: widget.set_text(getattr(deal, field)))

    def choice(self, widget: QComboBox, field: str) -> None:
        """A combo whose items carry the field's value as their data."""
        widget.activated.connect(lambda _i: self.editor.set_field(field, widget.currentData()))
        self._fills.append(lambda deal: widget.setCurrentIndex(widget.findData(getattr(deal, field))))

    def date(self, widget: OptionalDateEdit, field: str) -> None:
        widget.dateChanged.connect(lambda _d: self.editor.set_field(field, widget.value()))
        self._fills.append(lambda deal: widget.set_value(getattr(deal, field)))

    def fill(self, deal: Deal) -> None:
        """Show ``deal`` in the bound widgets without turning that into edits."""
        for fill in self._fills:
            fill(deal)
