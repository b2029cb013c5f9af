"""The quote's lines (description, quantity, unit, unit price, line total) and the totals under them:
subtotal, the allowance for the unexpected as its own line, and the total."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.model import DealLine
from salesdesk.domain.pricing import contingency_amount
from salesdesk.ui.icons import icon
from salesdesk.ui.text import format_money, tr

COL_DESCRIPTION, COL_QUANTITY, COL_UNIT, COL_PRICE, COL_TOTAL, COL_REMOVE = range(6)
MAX_AMOUNT = 999_999_999.0


class AmountSpin(QDoubleSpinBox):
    """A number without the trailing zeros (2 rather than 2.000), Decimal in and out."""

    def __init__(self, decimals: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(decimals)
        self.setRange(0, MAX_AMOUNT)
        self.setGroupSeparatorShown(True)
        self.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setKeyboardTracking(True)

    def textFromValue(self, value: float) -> str:
        text = QLocale().toString(value, "f", self.decimals())
        point = QLocale().decimalPoint()
        if point in text and self.decimals() > 2:
            text = text.rstrip("0").rstrip(point)
        return text

    def decimal(self) -> Decimal:
        return Decimal(f"{self.value():.{self.decimals()}f}")

    def set_decimal(self, value: Decimal) -> None:
        self.setValue(float(value))


class _Line:
    def __init__(self, line: DealLine) -> None:
        self.line = line
        self.description = QLineEdit(line.description)
        self.description.setCursorPosition(0)
        self.description.setPlaceholderText(tr("What is being sold", "Quote"))
        self.quantity = AmountSpin(3)
        self.quantity.set_decimal(line.quantity)
        self.unit = QLineEdit(line.unit)
        self.unit.setMaxLength(20)
        self.unit.setMaximumWidth(70)
        self.price = AmountSpin(2)
        self.price.set_decimal(line.unit_price)
        self.remove = QToolButton()
        self.remove.setIcon(icon("remove"))
        self.remove.setAutoRaise(True)

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.description, self.quantity, self.unit, self.price, self.remove)

    def value(self) -> DealLine:
        return replace(self.line, description=self.description.text().strip(), quantity=self.quantity.decimal(),
                       unit=self.unit.text().strip(), unit_price=self.price.decimal())


class QuoteLinesEditor(QWidget):
    edited = Signal(object)  # tuple[DealLine, ...]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: list[_Line] = []
        self.currency = ""
        self.contingency_percent = Decimal("10")
        self._editable = True
        self.table = QTableWidget(0, 6)
        self.table.setAccessibleName(self.tr("Quote lines"))
        self.table.setHorizontalHeaderLabels([self.tr("Description"), self.tr("Quantity"), self.tr("Unit"),
                                              self.tr("Unit price"), self.tr("Line total"), ""])
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().setDefaultSectionSize(34)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_QUANTITY, 90), (COL_PRICE, 120), (COL_TOTAL, 130)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, width)
        self.add_button = QPushButton(icon("plus"), self.tr("Add &line"))
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addStretch(1)

        self.subtotal = QLabel()
        self.contingency_label = QLabel()
        self.contingency = QLabel()
        self.total_label = QLabel(self.tr("Total"))
        self.total = QLabel()
        bold = self.total.font()
        bold.setBold(True)
        self.total.setFont(bold)
        self.total_label.setFont(bold)
        totals = QGridLayout()
        totals.setColumnStretch(0, 1)
        totals.setHorizontalSpacing(24)
        for row, (label, value) in enumerate(((QLabel(self.tr("Subtotal")), self.subtotal),
                                              (self.contingency_label, self.contingency),
                                              (self.total_label, self.total))):
            label.setAlignment(Qt.AlignmentFlag.AlignRight)
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            value.setMinimumWidth(140)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            totals.addWidget(label, row, 1)
            totals.addWidget(value, row, 2)
        self.subtotal.setAccessibleName(self.tr("Subtotal"))
        self.contingency.setAccessibleName(self.tr("Allowance for the unexpected"))
        self.total.setAccessibleName(self.tr("Total"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(bar)
        layout.addLayout(totals)
        self.add_button.clicked.connect(self.add_line)
        self._fit()

    # --- content ---------------------------------------------------------------------------

    def set_prices(self, currency: str, contingency_percent: Decimal) -> None:
        self.currency, self.contingency_percent = currency, contingency_percent
        self._totals()

    def set_lines(self, lines: Sequence[DealLine]) -> None:
        if [r.value() for r in self.lines] == list(lines):
            return
        self.table.setRowCount(0)
        self.lines = []
        for line in lines:
            self._append(line)
        self._renumber()
        self._fit()
        self._totals()

    def values(self) -> tuple[DealLine, ...]:
        return tuple(r.value() for r in self.lines)

    def set_editable(self, editable: bool, why: str = "") -> None:
        self._editable = editable
        self.add_button.setEnabled(editable)
        self.add_button.setToolTip("" if editable else why)
        for r in self.lines:
            for w in r.widgets():
                w.setEnabled(editable)

    # --- rows ------------------------------------------------------------------------------

    def add_line(self) -> None:
        row = self._append(DealLine(str(uuid.uuid4()), "", Decimal(1), Decimal(0)))
        self._renumber()
        self._fit()
        self._changed()
        row.description.setFocus(Qt.FocusReason.OtherFocusReason)

    def _append(self, line: DealLine) -> _Line:
        row = _Line(line)
        i = self.table.rowCount()
        self.table.insertRow(i)
        for col, widget in ((COL_DESCRIPTION, row.description), (COL_QUANTITY, row.quantity), (COL_UNIT, row.unit),
                            (COL_PRICE, row.price), (COL_REMOVE, row.remove)):
            self.table.setCellWidget(i, col, widget)
        total = QTableWidgetItem()
        total.setFlags(Qt.ItemFlag.ItemIsEnabled)
        total.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(i, COL_TOTAL, total)
        row.description.textEdited.connect(lambda _t: self._changed())
        row.unit.textEdited.connect(lambda _t: self._changed())
        row.quantity.valueChanged.connect(lambda _v: self._changed())
        row.price.valueChanged.connect(lambda _v: self._changed())
        row.remove.clicked.connect(lambda: self._remove(row))
        for w in row.widgets():
            w.setEnabled(self._editable)
        self.lines.append(row)
        return row

    def _remove(self, row: _Line) -> None:
        i = self.lines.index(row)
        self.lines.remove(row)
        self.table.removeRow(i)
        self._renumber()
        self._fit()
        self._changed()
        if self.lines:
            self.lines[min(i, len(self.lines) - 1)].description.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _renumber(self) -> None:
        for n, r in enumerate(self.lines, 1):
            for widget, words in ((r.description, self.tr("Line {n} description")),
                                  (r.quantity, self.tr("Line {n} quantity")), (r.unit, self.tr("Line {n} unit")),
                                  (r.price, self.tr("Line {n} unit price")), (r.remove, self.tr("Remove line {n}"))):
                widget.setAccessibleName(words.format(n=n))
            r.remove.setToolTip(self.tr("Remove this line"))

    def _changed(self) -> None:
        self._totals()
        self.edited.emit(self.values())

    def _totals(self) -> None:
        subtotal = Decimal("0.00")
        for i, r in enumerate(self.lines):
            line_total = r.value().total
            subtotal += line_total
            cell = self.table.item(i, COL_TOTAL)
            if cell is not None:
                cell.setText(format_money(line_total))
        contingency = contingency_amount(subtotal, self.contingency_percent)
        self.subtotal.setText(format_money(subtotal, self.currency))
        self.contingency_label.setText(self.tr("{label} ({percent} %)").format(
            label=self.tr("Allowance for the unexpected"), percent=format(self.contingency_percent.normalize(), "f")))
        self.contingency.setText(format_money(contingency, self.currency))
        self.total.setText(format_money(subtotal + contingency, self.currency))

    def _fit(self) -> None:
        rows = max(2, min(len(self.lines), 12))
        height = (self.table.horizontalHeader().sizeHint().height()
                  + rows * self.table.verticalHeader().defaultSectionSize() + 2 * self.table.frameWidth() + 2)
        self.table.setFixedHeight(height)
