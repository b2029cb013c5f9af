"""The Yardstick page: promises kept — on-time rates, breakdowns, estimate accuracy, calibrated buffer
factors, deals declined and successes — for a period, one owner or one department.

The yardstick service computes every figure; here they are shown. The computation runs on a worker
thread (only the newest request's figures arrive), so changing a filter never blocks the window.
Figures export as CSV (one file per table) and each chart as PNG, into a folder the user picks.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.errors import SalesDeskError, ValidationError
from salesdesk.domain.yardstick import Period, Yardstick
from salesdesk.ui import dialogs
from salesdesk.ui.context import UiContext
from salesdesk.ui.progress import run_with_progress
from salesdesk.ui.text import format_date
from salesdesk.ui.widgets.fields import ErrorLabel, hint_label, section_title
from salesdesk.ui.workers import LatestOnly
from salesdesk.ui.yardstick_charts import (
    ChartCard,
    accuracy_chart,
    breakdowns_by_department_chart,
    breakdowns_by_month_chart,
    on_time_by_department_chart,
    on_time_by_month_chart,
)
from salesdesk.ui.yardstick_lists import CalibrationTable, DeclinedList, Headlines, SuccessPanel
from salesdesk.ui.yardstick_tables import figure_tables, file_prefix, write_csv

REFRESH_DELAY_MS = 250
FOLDER_PREF = "yardstick/export_folder"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class YardstickPage(QWidget):
    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.service = ui.services.yardstick
        self.figures: Yardstick | None = None
        self.loader = LatestOnly(self)
        self.loader.finished.connect(self.show_figures)
        self.loader.failed.connect(self._failed)
        self.loader.busy_changed.connect(self._busy)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)

        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(24, 12, 24, 24)
        column.setSpacing(8)
        heading = section_title(self.tr("Yardstick: promises kept"))
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        self.status = hint_label(self.tr("Working out the figures…"))
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(12)
        top.addWidget(self.status, 1, Qt.AlignmentFlag.AlignBottom)
        column.addLayout(top)
        column.addLayout(self._filters())
        self.error = ErrorLabel()
        column.addWidget(self.error)
        self.headlines = Headlines()
        column.addWidget(self.headlines)

        self.cards = [
            ChartCard("on-time-by-month", self.tr("Promises kept, month by month"),
                      self.tr("Share of finished work items and delivered deals that kept the promised date; dashed: "
                              "deals that met the date the customer asked for."),
                      self.tr("Nothing was due in this period."), on_time_by_month_chart),
            ChartCard("on-time-by-department", self.tr("Work items on time, by department"),
                      self.tr("In brackets: how many items were measured."),
                      self.tr("No work item with a promised date was finished in this period."),
                      on_time_by_department_chart),
            ChartCard("breakdowns-by-month", self.tr("Breakdowns, month by month"),
                      self.tr("What went wrong for customers, by kind."),
                      self.tr("No breakdowns in this period."), breakdowns_by_month_chart),
            ChartCard("breakdowns-by-department", self.tr("Breakdowns, by department"),
                      self.tr("Where things went wrong, by kind."),
                      self.tr("No breakdowns in this period."), breakdowns_by_department_chart),
            ChartCard("estimate-accuracy", self.tr("Estimate accuracy: actual working days ÷ raw estimate"),
                      self.tr("Boxes hold the middle half of the finished items, the line is the median, whiskers "
                              "reach the 10th and 90th percentile. Above 1.0 the work took longer than estimated."),
                      self.tr("No finished work item with its actual dates in this period."), accuracy_chart),
        ]
        column.addWidget(section_title(self.tr("On-time rate")))
        column.addLayout(self._pair(self.cards[0], self.cards[1]))
        column.addWidget(section_title(self.tr("Breakdowns")))
        column.addWidget(self.cards[2])
        column.addWidget(self.cards[3])
        column.addWidget(section_title(self.tr("Estimates and buffer factors")))
        column.addWidget(self.cards[4])
        column.addWidget(hint_label(self.tr(
            "From each department's last finished work items, the smallest buffer factor that would have kept the "
            "target share of its promises. Using it changes the department's factor in Settings (recorded in the "
            "history); dates already promised stay as they are.")))
        self.calibration = CalibrationTable()
        self.calibration.use_requested.connect(self.use_factor)
        column.addWidget(self.calibration)
        self.successes = SuccessPanel()
        self.declined = DeclinedList()
        column.addWidget(section_title(self.tr("Successes")))
        column.addWidget(self.successes)
        column.addWidget(section_title(self.tr("Deals declined")))
        column.addWidget(self.declined)
        column.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self._set_exports_enabled(False)

    # --- layout ------------------------------------------------------------------------------

    def _filters(self) -> QHBoxLayout:
        default = Period.last_months(date.today())
        self.start = self._date_edit(default.start, self.tr("From"))
        self.end = self._date_edit(default.end, self.tr("To"))
        self.owner = QComboBox()
        self.owner.setAccessibleName(self.tr("Owner"))
        self.department = QComboBox()
        self.department.setAccessibleName(self.tr("Department"))
        self._fill_filters()
        self.csv_button = QPushButton(self.tr("Export figures (&CSV)…"))
        self.png_button = QPushButton(self.tr("Save charts (&PNG)…"))
        self.csv_button.clicked.connect(self.export_csv)
        self.png_button.clicked.connect(self.export_png)
        row = QHBoxLayout()
        row.setSpacing(6)
        for text, widget in ((self.tr("&From"), self.start), (self.tr("&To"), self.end),
                             (self.tr("O&wner"), self.owner), (self.tr("De&partment"), self.department)):
            label = QLabel(text)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget)
            row.addSpacing(8)
        row.addStretch(1)
        row.addWidget(self.csv_button)
        row.addWidget(self.png_button)
        self.owner.activated.connect(lambda _i: self.refresh())
        self.department.activated.connect(lambda _i: self.refresh())
        return row

    def _date_edit(self, day: date, name: str) -> QDateEdit:
        edit = QDateEdit(_qdate(day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setAccessibleName(name)
        edit.dateChanged.connect(lambda _d: self._timer.start())
        return edit

    def _fill_filters(self) -> None:
        owner, department = self.owner.currentData(), self.department.currentData()
        self.owner.clear()
        self.owner.addItem(self.tr("Everyone"), None)
        for m in self.ui.services.team.list_members(include_inactive=True):
            self.owner.addItem(m.name if m.active else self.tr("{name} (former)").format(name=m.name), m.uid)
        self.owner.setCurrentIndex(max(0, self.owner.findData(owner)))
        self.department.clear()
        self.department.addItem(self.tr("All departments"), None)
        for d in self.ui.services.settings.load().departments:
            self.department.addItem(d.name, d.name)
        self.department.setCurrentIndex(max(0, self.department.findData(department)))

    @staticmethod
    def _pair(left: QWidget, right: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addWidget(left, 1)
        row.addWidget(right, 1)
        return row

    # --- figures in --------------------------------------------------------------------------

    def entered(self) -> None:
        """Shown: people and departments may have changed elsewhere, and so may the figures."""
        self._fill_filters()
        self.refresh()

    def refresh(self) -> None:
        """Compute the figures for the filters on a worker; only the newest request's figures arrive."""
        self._timer.stop()
        self.error.clear_message()
        start, end = _day(self.start.date()), _day(self.end.date())
        owner, department = self.owner.currentData(), self.department.currentData()
        if end < start:
            self._failed(ValidationError(self.tr("The period ends before it starts."),
                                         self.tr("Choose a “To” date after the “From” date.")))
            return
        service = self.service
        self.loader.submit(lambda: service.compute(start=start, end=end, owner=owner, department=department))

    def _busy(self, busy: bool) -> None:
        if busy:
            self.status.setText(self.tr("Working out the figures…"))

    def _failed(self, exc: object) -> None:
        if not isinstance(exc, SalesDeskError):
            raise exc  # type: ignore[misc]  # an unexpected error: the app's error dialog takes it
        self.loader.cancel()
        self.error.show_message(exc.message, exc.hint)
        self.status.setText("")

    def show_figures(self, y: Yardstick) -> None:
        self.figures = y
        currency = self.ui.services.settings.load().currency
        who = [w for w in (y.owner and self.tr("deals owned by {name}").format(name=y.owner),
                           y.department and self.tr("{department} only").format(department=y.department)) if w]
        self.status.setText(self.tr("{start} – {end}{who} · {items} work items finished · {deals} deals delivered")
                            .format(start=format_date(y.period.start), end=format_date(y.period.end),
                                    who=(" · " + ", ".join(who)) if who else "", items=f"{y.items.done:,}",
                                    deals=f"{y.deals.delivered:,}"))
        self.headlines.show_figures(y, currency)
        for card in self.cards:
            card.show_figures(y)
        self.calibration.show_calibration(list(y.calibration.values()))
        self.successes.show_successes(y.successes)
        self.declined.show_declined(y.declined)
        self._set_exports_enabled(True)

    def _set_exports_enabled(self, on: bool) -> None:
        self.csv_button.setEnabled(on)
        self.png_button.setEnabled(on)

    # --- actions -----------------------------------------------------------------------------

    def use_factor(self, department: str) -> None:
        """Use the suggested buffer factor for ``department`` from now on (after asking)."""
        calib = self.figures.calibration.get(department) if self.figures else None
        if calib is None or calib.suggested is None:
            return
        question = self.tr("Pad {department}'s estimates by ×{new} from now on (instead of ×{old})?\n\nIts last "
                           "{n} finished items suggest it. Dates already promised stay as they are.").format(
            department=department, new=calib.suggested, old=calib.current, n=calib.sample)
        if not dialogs.confirm(self, self.tr("Use the suggested factor"), question,
                               yes=self.tr("Use ×{factor}").format(factor=calib.suggested), no=self.tr("Keep ×{factor}")
                               .format(factor=calib.current)):
            return
        service = self.service
        try:
            run_with_progress(self, self.tr("Changing the buffer factor…"),
                              lambda _p: service.apply_suggested_factor(department))
        except SalesDeskError as exc:
            dialogs.show_problem(self, exc, self.tr("Use the suggested factor"))
        self.refresh()

    def _export_folder(self, title: str) -> Path | None:
        start = str(self.ui.prefs.value(FOLDER_PREF, "") or self.ui.services.settings.load().shared_folder)
        chosen = dialogs.choose_folder(self, title, start)
        if not chosen:
            return None
        self.ui.prefs.setValue(FOLDER_PREF, chosen)
        return Path(chosen)

    def export_csv(self) -> None:
        """One CSV file per table of figures, into a folder the user picks (written off the UI thread)."""
        y = self.figures
        if y is None:
            return
        folder = self._export_folder(self.tr("Export the figures as CSV into…"))
        if folder is None:
            return
        tables, prefix = figure_tables(y), file_prefix(y)
        try:
            written = run_with_progress(self, self.tr("Writing the figures…"),
                                        lambda _p: write_csv(folder, prefix, tables))
        except OSError as exc:
            dialogs.show_problem(self, SalesDeskError(
                self.tr("The figures could not be written to {folder}: {problem}.").format(
                    folder=folder, problem=exc.strerror or exc),
                self.tr("Check that the folder exists and that you may write there, or choose another.")),
                self.tr("Export figures"))
            return
        dialogs.inform(self, self.tr("Export figures"), self.tr("{n} CSV files written to {folder}.").format(
            n=len(written), folder=folder))

    def export_png(self) -> None:
        """Each chart as drawn, as a PNG file in a folder the user picks."""
        y = self.figures
        if y is None:
            return
        folder = self._export_folder(self.tr("Save the charts as PNG into…"))
        if folder is None:
            return
        prefix = file_prefix(y)
        saved = [card.key for card in self.cards if card.save_png(folder / f"{prefix}-{card.key}.png")]
        missing = [card.key for card in self.cards if card.has_chart and card.key not in saved]
        if missing:
            dialogs.show_problem(self, SalesDeskError(
                self.tr("{n} charts could not be saved in {folder}.").format(n=len(missing), folder=folder),
                self.tr("Check that you may write there, or choose another folder.")), self.tr("Save charts"))
            return
        dialogs.inform(self, self.tr("Save charts"), self.tr("{n} charts saved in {folder}.").format(
            n=len(saved), folder=folder))
