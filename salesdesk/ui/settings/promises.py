"""Settings: how promises are padded and priced — currency, buffer factors, contingency, capacity."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from salesdesk.domain.errors import ValidationError
from salesdesk.domain.model import DepartmentSettings, Settings
from salesdesk.ui.settings.section import SettingsSection, factor, number
from salesdesk.ui.widgets.editable_table import EditableTable
from salesdesk.ui.widgets.fields import FieldErrors, add_row, hint_label, with_error

CURRENCIES = ("EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "CAD", "AUD", "JPY")


class PromisesSection(SettingsSection):
    def __init__(self, errors: FieldErrors, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Promises and prices"), self.tr(
            "Raw estimates are multiplied by a buffer factor before anything is promised: the department's own "
            "factor if it has one, else the default. The contingency is added to every quote as its own line, "
            "\"allowance for the unexpected\"."), errors, parent)
        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.addItems(CURRENCIES)
        self.default_factor = QLineEdit()
        self.default_factor.setPlaceholderText("2.0")
        self.contingency = QLineEdit()
        self.contingency.setPlaceholderText("10")
        for short in (self.currency, self.default_factor, self.contingency):
            short.setMaximumWidth(120)
        add_row(self.form, errors, "currency", self.tr("&Currency"), self.currency)
        add_row(self.form, errors, "default_factor", self.tr("Default &buffer factor"), self.default_factor)
        add_row(self.form, errors, "contingency_percent", self.tr("Con&tingency (%)"), self.contingency)
        self.departments = EditableTable(
            [self.tr("Department"), self.tr("Buffer factor"), self.tr("Weekly capacity (days)")],
            self.tr("Add department"), self.tr("Departments"))
        self.box.addWidget(hint_label(self.tr(
            "Departments — each one's buffer factor (empty: the default) and how many working days of work it can "
            "take on per week (empty: no limit):")))
        self.box.addWidget(with_error(self.departments, errors, "departments"))
        self.currency.editTextChanged.connect(lambda _t: self.edited.emit())
        self.default_factor.textEdited.connect(self.edited)
        self.contingency.textEdited.connect(self.edited)
        self.departments.edited.connect(self.edited)

    def show_settings(self, st: Settings) -> None:
        self.currency.setCurrentText(st.currency)
        self.default_factor.setText(str(st.default_factor))
        self.contingency.setText(str(st.contingency_percent))
        self.departments.set_rows([
            [d.name, "" if d.buffer_factor is None else str(d.buffer_factor),
             "" if d.weekly_capacity is None else str(d.weekly_capacity)] for d in st.departments])

    def apply(self, st: Settings) -> Settings:
        default = factor(self.default_factor.text(), self.tr("The default buffer factor"), "default_factor")
        if default is None:
            raise ValidationError(self.tr("The default buffer factor is empty."),
                                  self.tr("Enter a factor between 1.0 and 5.0, e.g. 2.0."),
                                  field="default_factor")
        contingency = number(self.contingency.text(), self.tr("Contingency"), "contingency_percent")
        if contingency is None:
            raise ValidationError(self.tr("The contingency is empty."), self.tr("Enter a percentage, e.g. 10 (or 0 for none)."),
                                  field="contingency_percent")
        departments = []
        for name, dept_factor, capacity in self.departments.rows():
            if not (name or dept_factor or capacity):
                continue  # an empty row someone added and left
            departments.append(DepartmentSettings(
                name,
                factor(dept_factor, self.tr("The buffer factor of {name}").format(name=name or "?"), "departments"),
                number(capacity, self.tr("The weekly capacity of {name}").format(name=name or "?"), "departments"),
            ))
        return replace(st, currency=self.currency.currentText(), default_factor=default,
                       contingency_percent=contingency,
                       departments=tuple(departments))
