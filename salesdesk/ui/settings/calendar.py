"""Settings: the working calendar — work week, public holidays, the company's own closure days."""

from __future__ import annotations

from dataclasses import replace

import holidays
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QWidget

from salesdesk.domain.errors import ValidationError
from salesdesk.domain.model import ClosureDay, Settings
from salesdesk.services import validation
from salesdesk.ui.settings.section import SettingsSection
from salesdesk.ui.widgets.editable_table import EditableTable
from salesdesk.ui.widgets.fields import FieldErrors, add_row, hint_label, with_error


def country_name(code: str) -> str:
    territory = QLocale.codeToTerritory(code)
    name = QLocale.territoryToString(territory) if territory != QLocale.Country.AnyTerritory else ""
    return f"{code} — {name}" if name else code


class CalendarSection(SettingsSection):
    def __init__(self, errors: FieldErrors, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Working calendar"), self.tr(
            "Due dates count working days only: the days ticked below, minus public holidays and closure days."),
            errors, parent)
        self._supported = holidays.list_supported_countries()
        days = QWidget()
        row = QHBoxLayout(days)
        row.setContentsMargins(0, 0, 0, 0)
        self.workdays: list[QCheckBox] = []
        for day in range(7):
            box = QCheckBox(QLocale().dayName(day + 1, QLocale.FormatType.ShortFormat))
            box.setAccessibleName(self.tr("{day} is a working day").format(day=QLocale().dayName(day + 1)))
            box.toggled.connect(lambda _on: self.edited.emit())
            self.workdays.append(box)
            row.addWidget(box)
        row.addStretch(1)
        add_row(self.form, errors, "weekend_days", self.tr("Work &week"), days)

        self.country = QComboBox()
        self.country.addItem(self.tr("No public holidays"), None)
        for code in sorted(self._supported):
            self.country.addItem(country_name(code), code)
        self.subdivision = QComboBox()
        for combo in (self.country, self.subdivision):
            combo.setMaximumWidth(360)
        add_row(self.form, errors, "holiday_country", self.tr("Public holidays of"), self.country)
        add_row(self.form, errors, "holiday_subdivision", self.tr("&Region"), self.subdivision)
        self.closures = EditableTable([self.tr("From (YYYY-MM-DD)"), self.tr("To (YYYY-MM-DD)"), self.tr("Reason")],
                                      self.tr("Add closure"), self.tr("Closure days"))
        self.box.addWidget(hint_label(self.tr("Closure days — when the company is closed (works holidays, "
                                              "stock-taking):")))
        self.box.addWidget(with_error(self.closures, errors, "closures"))
        self.country.currentIndexChanged.connect(lambda _i: self._fill_regions(None))
        self.country.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self.subdivision.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self.closures.edited.connect(self.edited)

    def _fill_regions(self, selected: str | None) -> None:
        self.subdivision.clear()
        self.subdivision.addItem(self.tr("The whole country"), None)
        for code in self._supported.get(self.country.currentData() or "", []):
            self.subdivision.addItem(code, code)
        self.subdivision.setCurrentIndex(max(0, self.subdivision.findData(selected)))
        self.subdivision.setEnabled(self.subdivision.count() > 1)

    def show_settings(self, st: Settings) -> None:
        for day, box in enumerate(self.workdays):
            box.setChecked(day not in st.weekend_days)
        self.country.setCurrentIndex(max(0, self.country.findData(st.holiday_country)))
        self._fill_regions(st.holiday_subdivision)
        self.closures.set_rows([[c.start.isoformat(), c.end.isoformat(), c.reason] for c in st.closures])

    def apply(self, st: Settings) -> Settings:
        closures = []
        for start, end, reason in self.closures.rows():
            if not (start or end or reason):
                continue
            first = validation.parse_date(start, self.tr("Closure start"), field="closures")
            if first is None:
                raise ValidationError(self.tr("A closure needs its first day."),
                                      self.tr("Write it as YYYY-MM-DD, e.g. 2026-12-24."),
                                      field="closures")
            last = validation.parse_date(end, self.tr("Closure end"), field="closures") or first
            closures.append(ClosureDay(first, last, reason))
        return replace(
            st,
            weekend_days=tuple(day for day, box in enumerate(self.workdays) if not box.isChecked()),
            holiday_country=self.country.currentData(),
            holiday_subdivision=self.subdivision.currentData(),
            closures=tuple(closures),
        )
