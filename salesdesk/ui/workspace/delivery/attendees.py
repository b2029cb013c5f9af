"""Who attended the kickoff on one side: tick the people SalesDesk knows, or type a name."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

NAME_ROLE = Qt.ItemDataRole.UserRole


class AttendeePicker(QWidget):
    """A list of names with tick boxes (Space ticks) and a field that adds a name typed in."""

    edited = Signal()

    def __init__(self, accessible_name: str, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setAccessibleName(accessible_name)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setMinimumHeight(120)
        self.list.setMaximumHeight(180)
        self.typed = QLineEdit()
        self.typed.setPlaceholderText(placeholder)
        self.typed.setAccessibleName(placeholder)
        self.typed.setClearButtonEnabled(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.list)
        layout.addWidget(self.typed)
        self.typed.returnPressed.connect(self.add_typed)
        self.list.itemChanged.connect(lambda _item: self.edited.emit())

    def set_people(self, offered: Iterable[tuple[str, str]], chosen: Iterable[str]) -> None:
        """``offered``: (label, name) of the people to pick from; ``chosen``: the names ticked."""
        chosen = list(chosen)
        self.list.blockSignals(True)
        self.list.clear()
        known: set[str] = set()
        for label, name in offered:
            if name in known:
                continue
            known.add(name)
            self._append(label, name, name in chosen)
        for name in chosen:
            if name not in known:
                known.add(name)
                self._append(name, name, True)
        self.list.blockSignals(False)

    def _append(self, label: str, name: str, ticked: bool) -> QListWidgetItem:
        item = QListWidgetItem(label)
        item.setData(NAME_ROLE, name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.list.addItem(item)
        return item

    def add_typed(self) -> None:
        """Tick the name typed in (added to the list when it is not there yet)."""
        name = " ".join(self.typed.text().split())
        if not name:
            return
        for i in range(self.list.count()):
            item = self.list.item(i)
            if str(item.data(NAME_ROLE)).casefold() == name.casefold():
                item.setCheckState(Qt.CheckState.Checked)
                break
        else:
            self.list.scrollToItem(self._append(name, name, True))
            self.edited.emit()
        self.typed.clear()

    def tick(self, name: str, ticked: bool = True) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(NAME_ROLE) == name:
                item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def names(self) -> list[str]:
        """The names ticked, in list order (a name still in the field counts too)."""
        ticked = [str(self.list.item(i).data(NAME_ROLE)) for i in range(self.list.count())
                  if self.list.item(i).checkState() == Qt.CheckState.Checked]
        typed = " ".join(self.typed.text().split())
        if typed and typed.casefold() not in {n.casefold() for n in ticked}:
            ticked.append(typed)
        return ticked
