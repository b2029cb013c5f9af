"""Settings: the feasibility checklist templates, one per product line.

A template is saved on its own ("Save template"), checked by the checklist template service; a
refused value is shown next to its field. A new deal copies its product line's template, so a
change here reaches only deals created afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QToolButton,
    QWidget,
)

from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import Settings
from salesdesk.services.templates import ChecklistTemplate, ChecklistTemplateService, TemplateItem
from salesdesk.ui import dialogs, theme
from salesdesk.ui.icons import icon
from salesdesk.ui.settings.section import SettingsSection
from salesdesk.ui.widgets.fields import ErrorLabel, FieldErrors, add_row, with_error

COL_DEPARTMENT, COL_QUESTION, COL_HELP, COL_MANDATORY, COL_MOVE = range(5)


class _ItemRow:
    def __init__(self, item: TemplateItem, departments: Sequence[str]) -> None:
        self.uid = item.uid
        self.department = QComboBox()
        self.department.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.department.setMinimumContentsLength(10)
        self.department.addItems(list(departments) + ([item.department] if item.department not in departments
                                                     and item.department else []))
        self.department.setCurrentText(item.department)
        self.question = QLineEdit()
        self.question.setPlaceholderText("…")
        self.help = QLineEdit()
        self.mandatory = QCheckBox()
        self.mandatory_cell = QWidget()
        centred = QHBoxLayout(self.mandatory_cell)
        centred.setContentsMargins(0, 0, 0, 0)
        centred.addWidget(self.mandatory, 0, Qt.AlignmentFlag.AlignCenter)
        self.buttons = QWidget()
        row = QHBoxLayout(self.buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.up, self.down, self.remove = QToolButton(), QToolButton(), QToolButton()
        for button, name in ((self.up, "up"), (self.down, "down"), (self.remove, "remove")):
            button.setIcon(icon(name))
            button.setAutoRaise(True)
            row.addWidget(button)
        self.show_item(item)

    def value(self) -> TemplateItem:
        return TemplateItem(self.department.currentText(), self.question.text(), self.help.text(),
                            self.mandatory.isChecked(), self.uid)

    def show_item(self, item: TemplateItem) -> None:
        self.uid = item.uid
        if item.department and self.department.findText(item.department) < 0:
            self.department.addItem(item.department)
        self.department.setCurrentText(item.department)
        for edit, text in ((self.question, item.question), (self.help, item.help_text)):
            edit.setText(text)
            edit.setToolTip(text)
            edit.setCursorPosition(0)  # show the start of a long question, not its end
        self.mandatory.blockSignals(True)
        self.mandatory.setChecked(item.mandatory)
        self.mandatory.blockSignals(False)


class TemplatesSection(SettingsSection):
    def __init__(self, templates: ChecklistTemplateService, parent: QWidget | None = None) -> None:
        self.template_errors = FieldErrors(ErrorLabel())
        super().__init__(self.tr("Checklist templates"), self.tr(
            "The feasibility questions each department answers, one template per product line. A new deal copies "
            "its product line's template; a change here reaches only deals created afterwards."),
            self.template_errors, parent)
        self.service = templates
        self.departments: list[str] = []
        self.template: ChecklistTemplate | None = None
        self.rows: list[_ItemRow] = []
        self.dirty = False
        self._loaded = False

        self.chooser = QComboBox()
        self.chooser.setMinimumContentsLength(30)
        self.new_button = QPushButton(icon("plus"), self.tr("&New template"))
        self.delete_button = QPushButton(self.tr("&Delete template"))
        top = QWidget()
        row = QHBoxLayout(top)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.chooser, 1)
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        add_row(self.form, self.template_errors, "template", self.tr("&Template"), top)
        self.chooser.setAccessibleName(self.tr("Template"))
        self.name = QLineEdit()
        self.product_line = QLineEdit()
        add_row(self.form, self.template_errors, "name", self.tr("Template na&me"), self.name)
        add_row(self.form, self.template_errors, "product_line", self.tr("Product &line"), self.product_line)

        self.table = QTableWidget(0, 5)
        self.table.setAccessibleName(self.tr("Questions of the template"))
        self.table.setHorizontalHeaderLabels([self.tr("Department"), self.tr("Question"), self.tr("Hint"),
                                              self.tr("Mandatory"), ""])
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().setDefaultSectionSize(34)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_QUESTION, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_HELP, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(icon("plus"), self.tr("Add &question"))
        self.box.addWidget(with_error(self.table, self.template_errors, "items"))
        self.state = QLabel()
        self.revert_button = QPushButton(self.tr("Revert template"))
        self.save_button = QPushButton(self.tr("Save te&mplate"))
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addStretch(1)
        bar.addWidget(self.state)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)
        self.box.addLayout(bar)
        self.box.addWidget(self.template_errors.general)  # type: ignore[arg-type]

        self.chooser.activated.connect(lambda _i: self._chosen())
        self.new_button.clicked.connect(self.new_template)
        self.delete_button.clicked.connect(self.delete_template)
        self.add_button.clicked.connect(lambda: self.add_item(focus=True))
        self.save_button.clicked.connect(self.save_template)
        self.revert_button.clicked.connect(lambda: self._show(self.template))
        self.name.textEdited.connect(lambda _t: self._touched())
        self.product_line.textEdited.connect(lambda _t: self._touched())

    # --- the settings page's calls ---------------------------------------------------------

    def show_settings(self, st: Settings) -> None:
        """The departments to choose from; the templates themselves are loaded once (edits are kept)."""
        self.departments = [d.name for d in st.departments]
        if not self._loaded:
            self._loaded = True
            self.reload()

    # --- templates -------------------------------------------------------------------------

    def reload(self, select_uid: str | None = None) -> None:
        templates = self.service.list_templates()
        self.chooser.clear()
        for t in templates:
            self.chooser.addItem(f"{t.product_line} — {t.name}", t.uid)
        index = self.chooser.findData(select_uid) if select_uid else 0
        self.chooser.setCurrentIndex(max(0, index))
        self._show(templates[max(0, index)] if templates else None)

    def _chosen(self) -> None:
        uid = self.chooser.currentData()
        if self.template is not None and uid == self.template.uid:
            return
        if self.dirty and not dialogs.confirm(self, self.tr("Unsaved template"), self.tr(
                "Your changes to this template are not saved. Drop them?"), yes=self.tr("Drop changes")):
            self.chooser.setCurrentIndex(max(0, self.chooser.findData(self.template.uid if self.template else "")))
            return
        self._show(self.service.get(uid) if uid else None)

    def new_template(self) -> None:
        if self.dirty and not dialogs.confirm(self, self.tr("Unsaved template"), self.tr(
                "Your changes to this template are not saved. Drop them?"), yes=self.tr("Drop changes")):
            return
        self.chooser.addItem(self.tr("(new template)"), "")
        self.chooser.setCurrentIndex(self.chooser.count() - 1)
        self._show(ChecklistTemplate(uid="", name="", product_line=""))
        self.add_item()
        self.dirty = True
        self._show_state()
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def delete_template(self) -> None:
        if self.template is None:
            return
        if not self.template.uid:
            self.reload()
            return
        if not dialogs.confirm(self, self.tr("Delete template"), self.tr(
                "Delete the template for '{line}'? Deals already created keep their own checklist.").format(
                line=self.template.product_line), yes=self.tr("Delete")):
            return
        try:
            self.service.delete(self.template.uid)
        except SalesDeskError as exc:
            self.template_errors.show(exc)
            return
        self.reload()

    def save_template(self) -> bool:
        if self.template is None:
            return False
        draft = ChecklistTemplate(self.template.uid, self.name.text(), self.product_line.text(),
                                  tuple(r.value() for r in self.rows))
        try:
            saved = self.service.save(draft)
        except SalesDeskError as exc:
            self.template_errors.show(exc)
            self._show_state(self.tr("Not saved: see the message next to the field."), theme.PROBLEM_HUE)
            return False
        self.reload(saved.uid)
        self._show_state(self.tr("Template saved."))
        return True

    def _show(self, template: ChecklistTemplate | None) -> None:
        self.template = template
        self.template_errors.clear()
        self.name.setText(template.name if template else "")
        self.product_line.setText(template.product_line if template else "")
        self.table.setRowCount(0)
        self.rows = []
        for item in template.items if template else ():
            self._append(item)
        self._renumber()
        for w in (self.name, self.product_line, self.add_button, self.save_button, self.delete_button,
                  self.revert_button):
            w.setEnabled(template is not None)
        self.dirty = False
        self._show_state()

    # --- questions -------------------------------------------------------------------------

    def add_item(self, *, focus: bool = False) -> None:
        last = self.rows[-1].department.currentText() if self.rows else (self.departments or [""])[0]
        row = self._append(TemplateItem(last, ""))
        self._renumber()
        self._touched()
        if focus:
            self.table.scrollToBottom()
            row.question.setFocus(Qt.FocusReason.OtherFocusReason)

    def _append(self, item: TemplateItem) -> _ItemRow:
        row = _ItemRow(item, self.departments)
        i = self.table.rowCount()
        self.table.insertRow(i)
        for col, widget in ((COL_DEPARTMENT, row.department), (COL_QUESTION, row.question), (COL_HELP, row.help),
                            (COL_MANDATORY, row.mandatory_cell), (COL_MOVE, row.buttons)):
            self.table.setCellWidget(i, col, widget)
        row.department.activated.connect(lambda _i: self._touched())
        row.question.textEdited.connect(lambda _t: self._touched())
        row.help.textEdited.connect(lambda _t: self._touched())
        row.mandatory.toggled.connect(lambda _on: self._touched())
        row.up.clicked.connect(lambda: self.move_item(row, -1))
        row.down.clicked.connect(lambda: self.move_item(row, +1))
        row.remove.clicked.connect(lambda: self.remove_item(row))
        self.rows.append(row)
        return row

    def move_item(self, row: _ItemRow, step: int) -> None:
        """Swap the question with its neighbour (the widgets stay, their contents move)."""
        i = self.rows.index(row)
        j = i + step
        if not 0 <= j < len(self.rows):
            return
        mine, theirs = self.rows[i].value(), self.rows[j].value()
        self.rows[i].show_item(theirs)
        self.rows[j].show_item(mine)
        moved = self.rows[j]
        (moved.up if step < 0 and j > 0 else moved.down if j < len(self.rows) - 1 else moved.up).setFocus()
        self._touched()

    def remove_item(self, row: _ItemRow) -> None:
        i = self.rows.index(row)
        self.rows.remove(row)
        self.table.removeRow(i)
        self._renumber()
        if self.rows:
            self.rows[min(i, len(self.rows) - 1)].question.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self._touched()

    def _renumber(self) -> None:
        for n, r in enumerate(self.rows, 1):
            for widget, words in ((r.department, self.tr("Question {n} department")),
                                  (r.question, self.tr("Question {n}")), (r.help, self.tr("Question {n} hint")),
                                  (r.mandatory, self.tr("Question {n} is mandatory")),
                                  (r.up, self.tr("Move question {n} up")), (r.down, self.tr("Move question {n} down")),
                                  (r.remove, self.tr("Remove question {n}"))):
                widget.setAccessibleName(words.format(n=n))
            r.up.setEnabled(n > 1)
            r.down.setEnabled(n < len(self.rows))
        rows = max(3, min(len(self.rows), 12))
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                  + rows * self.table.verticalHeader().defaultSectionSize() + 4)

    def _touched(self) -> None:
        self.dirty = True
        self._show_state()

    def _show_state(self, text: str = "", hue: str | None = None) -> None:
        if not text:
            text, hue = (self.tr("Unsaved changes to this template"), theme.WARNING_HUE) if self.dirty else ("", None)
        self.state.setText(text)
        pal = self.state.palette()
        pal.setColor(self.state.foregroundRole(), theme.accent_text(hue) if hue else theme.muted_text())
        self.state.setPalette(pal)
