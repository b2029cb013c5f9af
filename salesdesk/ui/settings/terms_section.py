"""Settings: the standard terms library — the terms a deal can pick, with a short code each.

Terms are edited in place and saved with the page ("Save settings"); a term is never deleted,
only no longer offered, so deals that use it keep finding it. Deals keep their own copy of a
term's words: editing the library changes what new deals pick.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.errors import ValidationError
from salesdesk.domain.model import Settings, StandardTerm
from salesdesk.services.app import Services
from salesdesk.services.terms_library import validate_term
from salesdesk.ui import theme
from salesdesk.ui.icons import icon
from salesdesk.ui.settings.section import SettingsSection
from salesdesk.ui.widgets.fields import FieldErrors, add_row, with_error
from salesdesk.ui.widgets.inputs import GrowingTextEdit

FIELD = "standard_terms"


class TermsSection(SettingsSection):
    def __init__(self, errors: FieldErrors, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Standard terms"), self.tr(
            "The terms a deal can pick from the library. A deal keeps its own copy of a term's words; a term "
            "changed for one deal is flagged there as non-standard. A term no longer offered stays on the deals "
            "that use it."), errors, parent)
        self.library = services.terms_library
        self.terms: list[StandardTerm] = []
        self.saved: dict[str, StandardTerm] = {}

        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Standard terms"))
        self.list.setMinimumWidth(240)
        self.list.setMaximumWidth(300)
        self.list.setMinimumHeight(220)
        self.add_button = QPushButton(icon("plus"), self.tr("Add &term"))
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.code = QLineEdit()
        self.code.setMaximumWidth(160)
        self.code.setPlaceholderText("PAY-30")
        self.title_edit = QLineEdit()
        self.body = GrowingTextEdit(min_lines=4, max_lines=14)
        self.offered = QCheckBox(self.tr("Offered to new deals"))
        editor = QWidget()
        form = QFormLayout(editor)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        local = FieldErrors()  # the section reports through the page's labels; these only name the inputs
        add_row(form, local, "code", self.tr("Co&de"), self.code)
        add_row(form, local, "title", self.tr("T&itle"), self.title_edit)
        add_row(form, local, "body", self.tr("Te&xt"), self.body)
        form.addRow("", self.offered)
        self.editor = editor

        row = QWidget()
        columns = QHBoxLayout(row)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addLayout(left)
        columns.addWidget(editor, 1)
        self.box.addWidget(with_error(row, errors, FIELD))

        self.list.currentRowChanged.connect(self._show_term)
        self.add_button.clicked.connect(self.add_term)
        self.code.textEdited.connect(lambda text: self._change(code=text))
        self.title_edit.textEdited.connect(lambda text: self._change(title=text))
        self.body.textChanged.connect(lambda: self._change(body=self.body.text()))
        self.offered.toggled.connect(lambda on: self._change(active=on))

    # --- the library in ----------------------------------------------------------------------

    def show_settings(self, st: Settings) -> None:
        self.terms = self.library.list_terms(include_inactive=True)
        self.saved = {t.uid: t for t in self.terms}
        current = max(0, self.list.currentRow())
        self._fill_list()
        self.list.setCurrentRow(min(current, len(self.terms) - 1))
        self._show_term(self.list.currentRow())

    def _fill_list(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for term in self.terms:
            item = QListWidgetItem()
            self.list.addItem(item)
            self._label(item, term)
        self.list.blockSignals(False)

    def _label(self, item: QListWidgetItem, term: StandardTerm) -> None:
        text = f"{term.code or '…'} — {term.title or self.tr('new term')}"
        if not term.active:
            text += "  " + self.tr("(not offered)")
        item.setText(text)
        font = QFont(self.list.font())
        font.setItalic(not term.active)
        item.setFont(font)
        item.setForeground(theme.muted_text() if not term.active else self.list.palette().text().color())

    def _show_term(self, row: int) -> None:
        term = self.terms[row] if 0 <= row < len(self.terms) else None
        self.editor.setEnabled(term is not None)
        for widget in (self.code, self.title_edit, self.body, self.offered):
            widget.blockSignals(True)
        self.code.setText(term.code if term else "")
        self.title_edit.setText(term.title if term else "")
        self.body.set_text(term.body if term else "")
        self.offered.setChecked(term.active if term else False)
        for widget in (self.code, self.title_edit, self.body, self.offered):
            widget.blockSignals(False)

    # --- edits -------------------------------------------------------------------------------

    def add_term(self) -> None:
        self.terms.append(StandardTerm("", "", "", ""))
        item = QListWidgetItem()
        self.list.addItem(item)
        self._label(item, self.terms[-1])
        self.list.setCurrentRow(len(self.terms) - 1)
        self.code.setFocus()
        self.edited.emit()

    def _change(self, **changes: object) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.terms):
            return
        term = replace(self.terms[row], **changes)  # type: ignore[arg-type]
        if term == self.terms[row]:
            return
        self.terms[row] = term
        item = self.list.item(row)
        if item is not None:
            self._label(item, term)
        self.edited.emit()

    def changed_terms(self) -> list[StandardTerm]:
        return [t for t in self.terms if not t.uid or self.saved.get(t.uid) != t]

    # --- the library out ---------------------------------------------------------------------

    def apply(self, st: Settings) -> Settings:
        """Save the changed terms (all or none); a term that cannot be saved is shown and refused."""
        changed = self.changed_terms()
        for term in changed:
            try:
                validate_term(term)
            except ValidationError as exc:
                self._select(term)
                raise ValidationError(self.tr("Standard term {name}: {problem}").format(
                    name=term.code or term.title or self.tr("(new)"), problem=exc.message), exc.hint,
                    field=FIELD) from None
        if not changed:
            return st
        try:
            stored = self.library.save_all(changed)
        except ValidationError as exc:
            raise ValidationError(exc.message, exc.hint, field=FIELD) from None
        for before, after in zip(changed, stored, strict=True):
            self.terms[self.terms.index(before)] = after
            self.saved[after.uid] = after
        return st

    def _select(self, term: StandardTerm) -> None:
        self.list.setCurrentRow(self.terms.index(term))
