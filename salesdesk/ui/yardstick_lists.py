"""The Yardstick's lists: the headline figures, the calibration table with its "Use this factor"
buttons, the deals we declined and why, and the successes worth celebrating."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.model import Stage
from salesdesk.domain.steps import StepStatus
from salesdesk.domain.yardstick import MIN_HISTORY, Calibration, Declined, Successes, Yardstick
from salesdesk.ui import theme
from salesdesk.ui.text import format_date, format_money
from salesdesk.ui.widgets.fields import hint_label
from salesdesk.ui.yardstick_charts import percent


def fit_height(view: QTableWidget | QTreeWidget, rows: int, row_height: int) -> None:
    """As tall as ``rows`` rows: the page scrolls, not the list."""
    header = view.horizontalHeader() if isinstance(view, QTableWidget) else view.header()
    view.setFixedHeight(header.sizeHint().height() + max(rows, 1) * row_height + 2 * view.frameWidth() + 2)


def _tree(columns: Sequence[str], name: str, stretch: int) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setAccessibleName(name)
    tree.setHeaderLabels(list(columns))
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return tree


def _fill_tree(tree: QTreeWidget, rows: Sequence[Sequence[str]], most: int = 12) -> None:
    tree.clear()
    for cells in rows:
        item = QTreeWidgetItem(list(cells))
        for c, text in enumerate(cells):
            item.setToolTip(c, text)
        tree.addTopLevelItem(item)
    fit_height(tree, min(len(rows), most), tree.sizeHintForRow(0) if rows else 22)


class Figure(QFrame):
    """One headline number with what it counts."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel("—")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.value.setFont(font)
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        self.detail = hint_label("")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(0)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        layout.addWidget(self.detail)
        layout.addStretch(1)

    def set_figure(self, value: str, detail: str, hue: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        pal = self.value.palette()
        pal.setColor(QPalette.ColorRole.WindowText, theme.accent_text(hue) if hue else
                     self.palette().color(QPalette.ColorRole.WindowText))
        self.value.setPalette(pal)
        self.setAccessibleName(f"{self.caption.text()}: {value}. {detail}")


class Headlines(QWidget):
    """The figures a manager reads first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items = Figure(self.tr("Work items on time"))
        self.deals = Figure(self.tr("Deals on the promised date"))
        self.requested = Figure(self.tr("Deals on the date asked for"))
        self.breakdowns = Figure(self.tr("Breakdowns"))
        self.declined = Figure(self.tr("Deals we said no to"))
        self.items.setToolTip(self.tr("Finished work items that kept their promised (padded) due date"))
        self.deals.setToolTip(self.tr("Delivered deals whose last work item was finished by the promised date"))
        self.requested.setToolTip(self.tr("Delivered deals that also met the date the customer asked for"))
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        for n, figure in enumerate((self.items, self.deals, self.requested, self.breakdowns, self.declined)):
            grid.addWidget(figure, 0, n)
            grid.setColumnStretch(n, 1)

    def show_figures(self, y: Yardstick, currency: str) -> None:
        def hue(rate: float | None) -> str:
            if rate is None:
                return ""
            target = float(next(iter(y.calibration.values())).target) if y.calibration else 0.95
            return theme.STEP_HUES[StepStatus.DONE] if rate >= target else theme.WARNING_HUE

        items, deals = y.items.on_time, y.deals
        self.items.set_figure(percent(items.rate), self.tr("{kept} of {n}").format(
            kept=f"{items.kept:,}", n=f"{items.measured:,}"), hue(items.rate))
        self.deals.set_figure(percent(deals.promised.rate), self.tr("{kept} of {n}").format(
            kept=f"{deals.promised.kept:,}", n=f"{deals.promised.measured:,}"), hue(deals.promised.rate))
        self.requested.set_figure(percent(deals.requested.rate), self.tr("{kept} of {n}").format(
            kept=f"{deals.requested.kept:,}", n=f"{deals.requested.measured:,}"))
        self.breakdowns.set_figure(f"{y.breakdowns.total:,}", self.tr("cost {cost}").format(
            cost=format_money(y.breakdowns.cost, currency, cents=False)) if y.breakdowns.cost else
            self.tr("nothing went wrong") if not y.breakdowns.total else self.tr("no cost recorded"),
            theme.PROBLEM_HUE if y.breakdowns.total else theme.STEP_HUES[StepStatus.DONE])
        self.declined.set_figure(f"{y.declined.count:,}", self.tr("when to say no"),
                                 theme.STAGE_HUES[Stage.DECLINED] if y.declined.count else "")


class CalibrationTable(QTableWidget):
    """Per department: the buffer factor in use, the one its history suggests, and a button to use it."""

    use_requested = Signal(str)  # department

    COLUMNS = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, self.COLUMNS, parent)
        self.setHorizontalHeaderLabels([self.tr("Department"), self.tr("Factor in use"), self.tr("Suggested"),
                                        self.tr("Promises it would have kept"), self.tr("Learned from"), ""])
        self.setAccessibleName(self.tr("Buffer factor calibration"))
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAlternatingRowColors(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setDefaultSectionSize(QPushButton("×").sizeHint().height() + 6)
        self.buttons: dict[str, QPushButton] = {}

    def show_calibration(self, calibration: Sequence[Calibration]) -> None:
        self.clearContents()
        self.buttons = {}
        self.setRowCount(len(calibration))
        for r, c in enumerate(calibration):
            in_use = f"×{c.current}" + ("" if c.current_source == "department" else " " + self.tr("(default)"))
            if c.suggested is None:
                suggested = self.tr("not enough history")
                kept = percent(c.kept_at_current) if c.kept_at_current is not None else "—"
                learned = self.tr("{n} items ({m} needed)").format(n=c.sample, m=MIN_HISTORY)
            else:
                suggested = f"×{c.suggested}"
                if not c.reaches_target:
                    suggested += " " + self.tr("(still short of {target})").format(target=percent(float(c.target)))
                kept = f"{percent(c.kept_at_current)} → {percent(c.kept_at_suggested)}"
                learned = self.tr("last {n} items").format(n=c.sample)
            cells = [QTableWidgetItem(text) for text in (c.department, in_use, suggested, kept, learned)]
            for col, item in enumerate(cells):
                item.setToolTip(item.text())
                self.setItem(r, col, item)
            if c.suggested is None:
                cells[2].setForeground(theme.muted_text())
            elif c.suggested != c.current:
                cells[2].setForeground(theme.accent_text(theme.WARNING_HUE if c.suggested > c.current
                                                         else theme.STEP_HUES[StepStatus.DONE]))
            button = QPushButton(self.tr("Use ×{factor}").format(factor=c.suggested) if c.suggested is not None
                                 and c.suggested != c.current else self.tr("Use this factor"))
            button.setAccessibleName(self.tr("Use the suggested factor for {department}").format(
                department=c.department))
            usable = c.suggested is not None and not (c.suggested == c.current and c.current_source == "department")
            button.setEnabled(usable)
            button.setToolTip(self.tr("From now on, {department}'s estimates are padded by ×{factor}.").format(
                department=c.department, factor=c.suggested) if usable else
                self.tr("In use already.") if c.suggested is not None else
                self.tr("Suggested once {m} of {department}'s work items are finished with their dates.").format(
                    m=MIN_HISTORY, department=c.department))
            button.clicked.connect(lambda _on=False, d=c.department: self.use_requested.emit(d))
            self.buttons[c.department] = button
            self.setCellWidget(r, 5, button)
        fit_height(self, len(calibration), self.verticalHeader().defaultSectionSize())


class DeclinedList(QWidget):
    """Deals we said no to, with the reasons given and the departments that said "not feasible"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = hint_label("")
        self.reasons = _tree([self.tr("Why we said no"), self.tr("Deals")], self.tr("Deals declined and why"), 0)
        self.departments = hint_label("")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.reasons)
        layout.addWidget(self.departments)

    def show_declined(self, declined: Declined) -> None:
        _fill_tree(self.reasons, [(reason, f"{n:,}") for reason, n in declined.reasons], most=8)
        self.reasons.setVisible(bool(declined.reasons))
        self.summary.setText(self.tr("No deal was declined in this period.") if not declined.count else
                             self.tr("Saying no in time is a promise kept too."))
        said_no = ", ".join(f"{name} ({n})" for name, n in declined.by_department)
        self.departments.setText(self.tr("Who said \"not feasible\": {departments}").format(departments=said_no)
                                 if said_no else "")
        self.departments.setVisible(bool(said_no))


class SuccessPanel(QWidget):
    """Deals delivered on time, and everyone on our side who made them happen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cheer = QLabel()
        self.cheer.setWordWrap(True)
        font = self.cheer.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.cheer.setFont(font)
        self.people = _tree([self.tr("Who made it happen"), self.tr("Department"), self.tr("Deals on time")],
                            self.tr("People in deals delivered on time"), 0)
        self.recent = _tree([self.tr("Latest deals delivered on time"), self.tr("Customer"), self.tr("Delivered"),
                             self.tr("Team")], self.tr("Recent deals delivered on time"), 3)
        for tree in (self.people, self.recent):
            tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.recent.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.recent.header().resizeSection(0, 300)
        self.people.setMaximumWidth(620)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.cheer)
        layout.addWidget(self.recent)
        layout.addWidget(self.people)

    def show_successes(self, successes: Successes) -> None:
        pal = self.cheer.palette()
        pal.setColor(QPalette.ColorRole.WindowText, theme.accent_text(theme.STEP_HUES[StepStatus.DONE]))
        self.cheer.setPalette(pal)
        if successes.count:
            self.cheer.setText(self.tr("★ {n} deals delivered on time — well done, everyone!").format(
                n=f"{successes.count:,}") if successes.count != 1 else
                self.tr("★ 1 deal delivered on time — well done, everyone!"))
        else:
            self.cheer.setText(self.tr("No deal was delivered on time in this period yet."))
        _fill_tree(self.people, [(p.name, p.department, f"{p.deals:,}") for p in successes.people], most=10)
        _fill_tree(self.recent, [(f"{s.ref} · {s.title}", s.customer, format_date(s.delivered_on),
                                  ", ".join(s.people)) for s in successes.recent], most=10)
        for row, s in enumerate(successes.recent):
            item = self.recent.topLevelItem(row)
            if item is not None:
                item.setToolTip(2, self.tr("Promised for {day}").format(day=format_date(s.promised_date)))
        for widget in (self.people, self.recent):
            widget.setVisible(bool(successes.count))
