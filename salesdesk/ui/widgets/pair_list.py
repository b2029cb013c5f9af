"""An editable list of two-part entries (question and answer, objection and response).

Entries are edited in place; each can be moved up or down or removed with its buttons (all
reachable with Tab). Each entry keeps its uid, so the deal's history records edits, not
remove-and-add.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

from salesdesk.ui.icons import icon
from salesdesk.ui.widgets.inputs import GrowingTextEdit


@dataclass(frozen=True)
class Pair:
    uid: str
    first: str
    second: str = ""


class _PairRow(QFrame):
    def __init__(self, owner: PairListEditor, pair: Pair) -> None:
        super().__init__()
        self.uid = pair.uid
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.number = QLabel()
        self.first = GrowingTextEdit(min_lines=1, max_lines=4)
        self.first.setPlaceholderText(owner.first_label)
        self.first.set_text(pair.first)
        font = self.first.font()
        font.setWeight(font.Weight.DemiBold)
        self.first.setFont(font)
        self.second = GrowingTextEdit(min_lines=2, max_lines=10)
        self.second.setPlaceholderText(owner.second_label)
        self.second.set_text(pair.second)
        self.up, self.down, self.remove = QToolButton(), QToolButton(), QToolButton()
        for button, name, tip in ((self.up, "up", owner.tr("Move up")), (self.down, "down", owner.tr("Move down")),
                                  (self.remove, "remove", owner.tr("Remove"))):
            button.setIcon(icon(name))
            button.setToolTip(tip)
            button.setAutoRaise(True)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 6, 6)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.number, 0, 0)
        grid.addWidget(self.first, 0, 1)
        grid.addWidget(self.second, 1, 1)
        buttons = QVBoxLayout()
        buttons.setSpacing(0)
        for b in (self.up, self.down, self.remove):
            buttons.addWidget(b)
        buttons.addStretch(1)
        grid.addLayout(buttons, 0, 2, 2, 1)
        grid.setColumnStretch(1, 1)

    def set_number(self, n: int, count: int, owner: PairListEditor) -> None:
        self.number.setText(f"{n}.")
        self.first.setAccessibleName(f"{owner.first_label} {n}")
        self.second.setAccessibleName(f"{owner.second_label} {n}")
        self.up.setAccessibleName(owner.tr("Move {noun} {n} up").format(noun=owner.noun, n=n))
        self.down.setAccessibleName(owner.tr("Move {noun} {n} down").format(noun=owner.noun, n=n))
        self.remove.setAccessibleName(owner.tr("Remove {noun} {n}").format(noun=owner.noun, n=n))
        self.up.setEnabled(n > 1)
        self.down.setEnabled(n < count)

    def pair(self) -> Pair:
        return Pair(self.uid, self.first.text(), self.second.text())


class PairListEditor(QWidget):
    edited = Signal()

    def __init__(self, first_label: str, second_label: str, add_text: str, noun: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first_label, self.second_label, self.noun = first_label, second_label, noun
        self._rows: list[_PairRow] = []
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(6)
        self.empty = QLabel(self.tr("None yet."))
        self.add_button = QPushButton(icon("plus"), add_text)
        self.add_button.clicked.connect(lambda: self.add_pair(focus=True))
        bar = QWidget()
        bar_layout = QGridLayout(bar)
        bar_layout.setContentsMargins(0, 0, 0, 0)
        bar_layout.addWidget(self.add_button, 0, 0)
        bar_layout.setColumnStretch(10, 1)
        self.bar = bar_layout
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addLayout(self.rows_box)
        layout.addWidget(bar)

    def add_bar_widget(self, widget: QWidget) -> None:
        """Another button next to "Add …" (e.g. "Add from template")."""
        self.bar.addWidget(widget, 0, self.bar.count())

    # --- content ---------------------------------------------------------------------------

    def set_pairs(self, pairs: list[Pair]) -> None:
        for row in self._rows:
            row.deleteLater()
        self._rows = []
        for pair in pairs:
            self._append(pair)
        self._renumber()

    def pairs(self) -> list[Pair]:
        return [row.pair() for row in self._rows]

    def add_pair(self, first: str = "", second: str = "", *, focus: bool = False) -> None:
        row = self._append(Pair(str(uuid.uuid4()), first, second))
        self._renumber()
        self.edited.emit()
        if focus:
            (row.second if first else row.first).setFocus()

    # --- rows ------------------------------------------------------------------------------

    def _append(self, pair: Pair) -> _PairRow:
        row = _PairRow(self, pair)
        row.first.textChanged.connect(self.edited)
        row.second.textChanged.connect(self.edited)
        row.up.clicked.connect(lambda: self._move(row, -1))
        row.down.clicked.connect(lambda: self._move(row, +1))
        row.remove.clicked.connect(lambda: self._remove(row))
        self._rows.append(row)
        self.rows_box.addWidget(row)
        return row

    def _move(self, row: _PairRow, step: int) -> None:
        i = self._rows.index(row)
        j = i + step
        if not 0 <= j < len(self._rows):
            return
        self._rows[i], self._rows[j] = self._rows[j], self._rows[i]
        self.rows_box.removeWidget(row)
        self.rows_box.insertWidget(j, row)
        self._renumber()
        (row.up if step < 0 and j > 0 else row.down if j < len(self._rows) - 1 else row.up).setFocus()
        self.edited.emit()

    def _remove(self, row: _PairRow) -> None:
        i = self._rows.index(row)
        self._rows.remove(row)
        self.rows_box.removeWidget(row)
        row.deleteLater()
        self._renumber()
        if self._rows:
            self._rows[min(i, len(self._rows) - 1)].first.setFocus()
        else:
            self.add_button.setFocus()
        self.edited.emit()

    def _renumber(self) -> None:
        for n, row in enumerate(self._rows, 1):
            row.set_number(n, len(self._rows), self)
        self.empty.setVisible(not self._rows)
