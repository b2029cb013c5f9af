"""The customer's requested date against the padded one, and how a gap between them was handled."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import GapHandling
from salesdesk.services.feasibility_status import FeasibilityStatus
from salesdesk.ui import theme
from salesdesk.ui.text import format_date, tr
from salesdesk.ui.widgets.fields import ErrorLabel, FieldErrors, add_row
from salesdesk.ui.widgets.inputs import GrowingTextEdit
from salesdesk.ui.workspace.feasibility.form import labelled_row
from salesdesk.ui.workspace.feasibility.words import GAP_HANDLINGS, gap_text, working_days

GapCall = Callable[[GapHandling | None, str], SalesDeskError | None]


def gap_sentence(status: FeasibilityStatus) -> tuple[str, bool]:
    """What the dates say, and whether it is a problem still to handle."""
    requested, padded = status.requested_date, status.padded_date
    if status.schedule_problem:
        return tr("No padded schedule: {problem}", "Feasibility").format(problem=status.schedule_problem), True
    if padded is None:
        return tr("No work items estimated yet, so there is no date to promise.", "Feasibility"), False
    if requested is None:
        return tr("The customer has not asked for a date. The padded schedule gives {padded}.",
                  "Feasibility").format(padded=format_date(padded)), False
    if not status.gap_working_days:
        return tr("The padded schedule ({padded}) meets the customer's requested date, {requested}.",
                  "Feasibility").format(padded=format_date(padded), requested=format_date(requested)), False
    text = tr("The customer asked for {requested}, but the padded schedule gives {padded}: {gap} later.",
              "Feasibility").format(requested=format_date(requested), padded=format_date(padded),
                                    gap=working_days(status.gap_working_days))
    return text, status.gap_handling is None


class GapPanel(QWidget):
    def __init__(self, record: GapCall, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._record = record
        self._stored: tuple[GapHandling | None, str] | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.errors = FieldErrors(ErrorLabel())
        self.handling = QComboBox()
        for value, _words in GAP_HANDLINGS:
            self.handling.addItem(gap_text(value), value)
        self.reason = GrowingTextEdit(min_lines=1, max_lines=4)
        self.reason.setPlaceholderText(self.tr("Why — required for a scope change or an override"))
        self.record_button = QPushButton(self.tr("&Record how it is handled"))
        self.form_box = QWidget()
        form = QFormLayout(self.form_box)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add_row(form, self.errors, "gap_handling", self.tr("&Handled by"), self.handling)
        _label, self.reason_error = labelled_row(form, self.errors, "gap_reason", self.tr("R&eason"), self.reason)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        form.addRow("", buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.form_box)
        layout.addWidget(self.errors.general)  # type: ignore[arg-type]
        self.record_button.clicked.connect(self.record)

    def show_status(self, status: FeasibilityStatus, editable: bool, why_not: str) -> None:
        text, problem = gap_sentence(status)
        if status.gap_handling is not None:
            text += " " + self.tr("Handled: {how}.").format(how=gap_text(status.gap_handling).lower())
            if status.gap_reason:
                text += " " + self.tr("Reason: {reason}").format(reason=status.gap_reason)
        elif problem and status.gap_working_days:
            text += " " + self.tr("Record how this is handled: the deal cannot be quoted until you do.")
        self.summary.setText(text)
        pal = self.summary.palette()
        pal.setColor(QPalette.ColorRole.WindowText, theme.accent_text(theme.WARNING_HUE) if problem
                     else self.palette().color(QPalette.ColorRole.WindowText))
        self.summary.setPalette(pal)
        self.form_box.setVisible(bool(status.gap_working_days) or status.gap_handling is not None)
        stored = (status.gap_handling, status.gap_reason)
        if stored != self._stored:
            self._stored = stored
            self.handling.setCurrentIndex(max(0, self.handling.findData(status.gap_handling)))
            self.reason.set_text(status.gap_reason)
        for w in (self.handling, self.reason, self.record_button):
            w.setEnabled(editable)
            w.setToolTip("" if editable else why_not)

    def record(self) -> None:
        chosen = self.handling.currentData()
        problem = self._record(GapHandling(chosen) if chosen else None, self.reason.text().strip())
        if problem is None:
            self.errors.clear()
        else:
            self.errors.show(problem)
