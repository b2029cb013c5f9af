"""Schedule: the padded schedule as the customer will be promised it, the requested date and the gap,
and the deal's own buffer factor (with the reason for it)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.model import Deal
from salesdesk.services.feasibility_status import FeasibilityStatus
from salesdesk.ui import theme
from salesdesk.ui.text import format_date
from salesdesk.ui.widgets.fields import add_row, align_form_labels, hint_label, section_title
from salesdesk.ui.widgets.inputs import GrowingTextEdit
from salesdesk.ui.workspace.feasibility.form import labelled_row
from salesdesk.ui.workspace.feasibility.gap import gap_sentence
from salesdesk.ui.workspace.feasibility.review import ReviewActions
from salesdesk.ui.workspace.feasibility.timeline import ScheduleTimeline
from salesdesk.ui.workspace.feasibility.words import days, gap_text
from salesdesk.ui.workspace.steps import StepContext, StepPage, register_step

CONTENT_WIDTH = 1100


def big_label() -> QLabel:
    label = QLabel()
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.35)
    font.setBold(True)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ScheduleStep(StepPage):
    fields = frozenset({"factor_override", "factor_override_reason", "factor"})

    def __init__(self, ctx: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.review = ReviewActions(ctx.ui.services, self.editor, ctx.ui.user)
        self.status: FeasibilityStatus | None = None
        body = QWidget()
        body.setMaximumWidth(CONTENT_WIDTH)
        column = QVBoxLayout(body)
        column.setContentsMargins(24, 8, 24, 24)
        column.setSpacing(6)

        column.addWidget(section_title(self.tr("What we promise")))
        self.promised = big_label()
        self.promised.setAccessibleName(self.tr("Promised date"))
        self.dates = QLabel()
        self.dates.setWordWrap(True)
        self.dates.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.gap = QLabel()
        self.gap.setWordWrap(True)
        self.gap.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.promised)
        column.addWidget(self.dates)
        column.addWidget(self.gap)

        column.addWidget(section_title(self.tr("The padded schedule")))
        column.addWidget(hint_label(self.tr(
            "Each item is due its padded number of working days after it starts, skipping weekends, public "
            "holidays and closure days. Raw days are shown for the team only: the quote and the agreement never "
            "show them.")))
        self.timeline = ScheduleTimeline()
        column.addWidget(self.timeline)
        self.table = QTreeWidget()
        self.table.setAccessibleName(self.tr("Padded schedule"))
        self.table.setHeaderLabels([self.tr("Department"), self.tr("Task"), self.tr("Start"), self.tr("Due"),
                                    self.tr("Padded days"), self.tr("Raw days (internal)")])
        self.table.headerItem().setToolTip(5, self.tr("The department's own estimate: internal, never promised"))
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setUniformRowHeights(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        column.addWidget(self.table)
        self.empty = hint_label(self.tr("No work items yet: the departments estimate them on the Feasibility step."))
        column.addWidget(self.empty)

        column.addWidget(section_title(self.tr("Buffer factor for this deal")))
        column.addWidget(hint_label(self.tr(
            "Normally each department's factor applies (else the default). Pad this deal differently only for a "
            "reason, e.g. legacy equipment at the customer; the change is recorded in the history and the "
            "departments must sign off again.")))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.use_override = QCheckBox(self.tr("&Use its own buffer factor"))
        self.factor = QDoubleSpinBox()
        self.factor.setRange(1.0, 5.0)
        self.factor.setDecimals(2)
        self.factor.setSingleStep(0.1)
        self.factor.setPrefix("× ")
        self.factor.setMaximumWidth(120)
        factor_row = QWidget()
        row = QHBoxLayout(factor_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.use_override)
        row.addWidget(self.factor)
        row.addStretch(1)
        _label, factor_error = labelled_row(form, self.errors, "factor_override", self.tr("Bu&ffer factor"),
                                            factor_row)
        self.factor.setAccessibleName(self.tr("Buffer factor for this deal"))
        self.errors.register("factor", factor_error, self.factor)
        self.reason = GrowingTextEdit(min_lines=2, max_lines=6)
        self.reason.setPlaceholderText(self.tr("Why this deal is padded differently"))
        add_row(form, self.errors, "factor_override_reason", self.tr("&Reason"), self.reason)
        column.addLayout(form)
        column.addStretch(1)
        align_form_labels(body)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.use_override.toggled.connect(self._override_toggled)
        self.factor.valueChanged.connect(lambda _v: self._factor_edited())
        self.reason.textChanged.connect(lambda: self.editor.set_field("factor_override_reason", self.reason.text()))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh)
        self.editor.changed.connect(lambda _d: self._timer.start() if self.isVisible() else None)

    # --- the deal in -----------------------------------------------------------------------

    def show_deal(self, deal: Deal) -> None:
        for w in (self.use_override, self.factor):
            w.blockSignals(True)
        self.use_override.setChecked(deal.factor_override is not None)
        self.factor.setValue(float(deal.factor_override or Decimal("2")))
        for w in (self.use_override, self.factor):
            w.blockSignals(False)
        self.reason.blockSignals(True)
        self.reason.set_text(deal.factor_override_reason)
        self.reason.blockSignals(False)
        self.refresh()

    def entered(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self._timer.stop()
        deal = self.editor.deal
        status = self.status = self.review.status()
        editable = self.review.work_editable(deal)
        for w in (self.use_override, self.reason):
            w.setEnabled(editable)
        self.factor.setEnabled(editable and deal.factor_override is not None)
        self.promised.setText(self.tr("Promised for {date}").format(date=format_date(deal.promised_date))
                              if deal.promised_date else self.tr("No promised date yet"))
        facts = [self.tr("Requested by the customer: {date}").format(date=format_date(deal.requested_date,
                                                                                     self.tr("no date"))),
                 self.tr("Work starts: {date}").format(date=format_date(deal.start_date, self.tr("when agreed"))),
                 self.tr("Padded schedule ends: {date}").format(date=format_date(status.padded_date))]
        self.dates.setText("   ·   ".join(facts))
        text, problem = gap_sentence(status)
        if status.gap_handling is not None:
            text += " " + self.tr("Handled: {how}.").format(how=gap_text(status.gap_handling).lower())
            if status.gap_reason:
                text += " " + self.tr("Reason: {reason}").format(reason=status.gap_reason)
        elif problem and status.gap_working_days:
            text += " " + self.tr("Record how it is handled on the Feasibility step.")
        self.gap.setText(text)
        pal = self.gap.palette()
        pal.setColor(self.gap.foregroundRole(), theme.accent_text(theme.WARNING_HUE) if problem
                     else self.palette().color(self.foregroundRole()))
        self.gap.setPalette(pal)
        self._fill_table(status)

    def _fill_table(self, status: FeasibilityStatus) -> None:
        self.table.clear()
        muted = theme.muted_text()
        for item in status.schedule:
            row = QTreeWidgetItem([item.department, item.task, format_date(item.start), format_date(item.due),
                                   str(item.padded_days), days(item.raw_days)])
            for col in (4, 5):
                row.setTextAlignment(col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            row.setForeground(5, muted)
            font = row.font(3)
            font.setBold(True)
            row.setFont(3, font)
            row.setData(0, Qt.ItemDataRole.AccessibleTextRole, self.tr(
                "{task} ({department}) from {start}, due {due}; {padded} padded working days").format(
                task=item.task, department=item.department, start=format_date(item.start),
                due=format_date(item.due), padded=item.padded_days))
            self.table.addTopLevelItem(row)
        line = self.table.sizeHintForRow(0) if status.schedule else 0
        height = self.table.header().sizeHint().height() + len(status.schedule) * line + 2 * self.table.frameWidth()
        self.table.setFixedHeight(min(height, 420))
        self.table.setVisible(bool(status.schedule))
        self.empty.setVisible(not status.schedule)
        self.timeline.show_schedule(status.schedule, status.requested_date, self.editor.deal.promised_date)

    # --- edits -----------------------------------------------------------------------------

    def _override_toggled(self, on: bool) -> None:
        self.factor.setEnabled(on)
        self.editor.set_field("factor_override", Decimal(f"{self.factor.value():.2f}") if on else None)
        if on:
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)

    def _factor_edited(self) -> None:
        if self.use_override.isChecked():
            self.editor.set_field("factor_override", Decimal(f"{self.factor.value():.2f}"))


register_step("schedule", ScheduleStep)
