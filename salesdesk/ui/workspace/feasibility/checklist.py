"""The feasibility checklist, grouped by department: each question, its hint, whether it is mandatory,
the answer and notes, and who answered when.

Choosing an answer or leaving the notes saves it at once, as the current user's answer (through
``answer``, which returns the service's error to show under the item). "With conditions" waits
for the conditions to be written in the notes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import Answer, ChecklistItem
from salesdesk.ui import theme
from salesdesk.ui.widgets.fields import ErrorLabel, hint_label
from salesdesk.ui.widgets.pill import Pill
from salesdesk.ui.workspace.feasibility.words import ANSWERS, answer_text, when

SETTLE_MS = 400

AnswerCall = Callable[[str, Answer | None, str], SalesDeskError | None]


class ChecklistRow(QFrame):
    """One question and its answer."""

    def __init__(self, item: ChecklistItem, number: int, answer: AnswerCall, names: dict[str, str]) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.item = item
        self._answer = answer
        self._names = names
        self.pending = False  # the widgets hold an answer not saved yet (conditions still to write)

        self.question = QLabel(item.question)
        self.question.setWordWrap(True)
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.question.font()
        font.setWeight(font.Weight.DemiBold)
        self.question.setFont(font)
        self.mandatory = Pill()
        self.mandatory.set_pill(self.tr("Mandatory"), theme.WARNING_HUE)
        self.mandatory.setToolTip(self.tr("Must be answered before the deal can be cleared."))
        self.mandatory.setVisible(item.mandatory)
        self.help_button = QToolButton()
        self.help_button.setText("?")
        self.help_button.setCheckable(True)
        self.help_button.setAutoRaise(True)
        self.help_button.setToolTip(item.help_text)
        self.help_button.setAccessibleName(self.tr("Show the hint to question {n}").format(n=number))
        self.help_button.setVisible(bool(item.help_text))
        self.help = hint_label(item.help_text)
        self.help.hide()
        self.question.setToolTip(item.help_text)

        self.answer_box = QComboBox()
        for value, _words in ANSWERS:
            self.answer_box.addItem(answer_text(value), value)
        self.answer_box.setAccessibleName(self.tr("Answer to question {n}").format(n=number))
        self.answer_box.setMinimumContentsLength(14)
        self.notes = QLineEdit()
        self.notes.setPlaceholderText(self.tr("Notes — the conditions, if any"))
        self.notes.setAccessibleName(self.tr("Notes to question {n}").format(n=number))
        self.answered = hint_label("")
        self.error = ErrorLabel()

        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self.question, 1)
        top.addWidget(self.mandatory, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.help_button, 0, Qt.AlignmentFlag.AlignTop)
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        grid.addLayout(top, 0, 0, 1, 2)
        grid.addWidget(self.help, 1, 0, 1, 2)
        grid.addWidget(self.answer_box, 2, 0)
        grid.addWidget(self.notes, 2, 1)
        grid.addWidget(self.answered, 3, 0, 1, 2)
        grid.addWidget(self.error, 4, 0, 1, 2)
        grid.setColumnStretch(1, 1)

        # Arrowing through the choices is not answering each of them: the choice is saved a moment
        # after the last key (or at once when the answer box loses focus).
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.submit)
        self.help_button.toggled.connect(self.help.setVisible)
        self.answer_box.activated.connect(lambda _i: self._settle.start())
        self.answer_box.installEventFilter(self)
        self.notes.editingFinished.connect(self.submit)
        self.show_item(item)

    def show_item(self, item: ChecklistItem) -> None:
        """Show the stored answer (an answer still waiting for its conditions stays on screen)."""
        self.item = item
        choosing = self.pending or self._settle.isActive()
        if not choosing:
            self.answer_box.setCurrentIndex(max(0, self.answer_box.findData(item.answer)))
        if not choosing and not self.notes.hasFocus() and self.notes.text() != item.notes:
            self.notes.setText(item.notes)
        if item.answer is not None and item.answered_by:
            who = self._names.get(item.answered_by, self.tr("someone no longer in the team"))
            self.answered.setText(self.tr("Answered by {who} · {when}").format(who=who, when=when(item.answered_at)))
        elif item.answer is not None:
            self.answered.setText(self.tr("Answered (who answered was not recorded)"))
        else:
            self.answered.setText(self.tr("Not answered yet"))
        self._tint()

    def set_editable(self, editable: bool, why: str = "") -> None:
        for w in (self.answer_box, self.notes):
            w.setEnabled(editable)
            w.setToolTip("" if editable else why)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.answer_box and event.type() == QEvent.Type.FocusOut and self._settle.isActive():
            self.submit()
        return super().eventFilter(watched, event)

    def submit(self) -> None:
        self._settle.stop()
        chosen = self.answer_box.currentData()
        answer = Answer(chosen) if chosen else None
        notes = self.notes.text().strip()
        if (answer, notes) == (self.item.answer, self.item.notes):
            self.pending = False
            self.error.clear_message()
            return
        if answer is Answer.WITH_CONDITIONS and not notes:
            self.pending = True
            self.error.show_message(self.tr("Write the conditions in the notes; the answer is saved when you "
                                            "leave the notes."))
            self.notes.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.pending = False
        problem = self._answer(self.item.uid, answer, notes)
        if problem is not None:
            self.pending = True
            self.error.show_message(problem.message, problem.hint)
            if problem.field == "notes":
                self.notes.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.error.clear_message()

    def _tint(self) -> None:
        open_mandatory = self.item.mandatory and self.item.answer is None
        pal = self.answered.palette()
        colour = theme.accent_text(theme.WARNING_HUE) if open_mandatory else theme.muted_text()
        pal.setColor(QPalette.ColorRole.WindowText, colour)
        self.answered.setPalette(pal)


class ChecklistView(QWidget):
    """Every checklist item under its department's heading."""

    def __init__(self, answer: AnswerCall, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._answer = answer
        self.rows: dict[str, ChecklistRow] = {}
        self._order: list[str] = []
        self._headings: dict[str, QLabel] = {}
        self.names: dict[str, str] = {}
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(6)
        self.empty = hint_label(self.tr("This deal has no checklist. New deals copy theirs from the product line's "
                                        "template (Settings → Checklist templates)."))
        self.box.addWidget(self.empty)

    def show_items(self, items: Sequence[ChecklistItem], names: dict[str, str]) -> None:
        """Update the rows in place when the same questions are shown again, else lay them out anew."""
        self.names.clear()
        self.names.update(names)
        if [i.uid for i in items] == self._order:
            for item in items:
                self.rows[item.uid].show_item(item)
        else:
            self._rebuild(items)
        self._count(items)

    def _rebuild(self, items: Sequence[ChecklistItem]) -> None:
        while self.box.count() > 1:
            taken = self.box.takeAt(1)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.rows.clear()
        self._headings.clear()
        self._order = [i.uid for i in items]
        by_department: dict[str, list[ChecklistItem]] = {}
        for item in items:
            by_department.setdefault(item.department, []).append(item)
        number = 0
        for department, group in by_department.items():
            heading = QLabel()
            heading.setContentsMargins(0, 8, 0, 0)
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            self._headings[department] = heading
            self.box.addWidget(heading)
            for item in group:
                number += 1
                row = ChecklistRow(item, number, self._answer, self.names)
                self.rows[item.uid] = row
                self.box.addWidget(row)
        self.empty.setVisible(not items)

    def _count(self, items: Sequence[ChecklistItem]) -> None:
        for department, heading in self._headings.items():
            mine = [i for i in items if i.department == department]
            answered = sum(1 for i in mine if i.answer is not None)
            open_mandatory = sum(1 for i in mine if i.mandatory and i.answer is None)
            text = self.tr("{department} — {answered} of {total} answered").format(
                department=department, answered=answered, total=len(mine))
            if open_mandatory:
                text += self.tr(", {n} mandatory still open").format(n=open_mandatory)
            heading.setText(text)

    def set_editable(self, editable: bool, why: str = "") -> None:
        for row in self.rows.values():
            row.set_editable(editable, why)
