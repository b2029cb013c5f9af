"""A table of a deal's rows (parties, action items…) edited in place, with Add and Remove.

Each row is a frozen dataclass; each ``Column`` says how a row shows in that column and, when the
column can be edited, which editor it takes (text, a choice, a date) and how an edited value makes
a new row. The model only swaps rows, so the step reads back plain domain values.

Keyboard: arrows move between cells, F2 / Enter or typing edits, Tab leaves the table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from salesdesk.ui import theme
from salesdesk.ui.icons import icon
from salesdesk.ui.widgets.inputs import OptionalDateEdit
from salesdesk.ui.widgets.pill import paint_pill, pill_size

_Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class Kind(StrEnum):
    READ_ONLY = "read_only"
    TEXT = "text"
    CHOICE = "choice"  # pick one of ``choices``
    TEXT_CHOICE = "text_choice"  # type anything, or pick one of ``choices``
    DATE = "date"


@dataclass
class Column:
    """One column: what a row shows in it and, if editable, how an edit makes a new row."""

    title: str
    show: Callable[[Any], str]
    kind: Kind = Kind.READ_ONLY
    value: Callable[[Any], Any] | None = None  # what the editor starts from (default: ``show``)
    apply: Callable[[Any, Any], Any] | None = None  # (row, edited value) -> new row
    choices: Callable[[Any], Sequence[tuple[str, Any]]] | None = None  # (label, value) pairs
    width: int = 0  # 0: the column takes the remaining width
    pill: Callable[[Any], str | None] | None = None  # a hue: show the text as a badge in that colour
    tip: Callable[[Any], str] | None = None
    editable: Callable[[Any], bool] | None = None  # per row (default: always, if the kind is editable)
    muted: Callable[[Any], bool] | None = None


class RowsModel(QAbstractTableModel):
    edited = Signal()

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[Any] = []

    # --- rows --------------------------------------------------------------------------------

    def rows(self) -> list[Any]:
        return list(self._rows)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def append(self, row: Any) -> int:
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append(row)
        self.endInsertRows()
        self.edited.emit()
        return n

    def remove(self, numbers: Sequence[int]) -> None:
        for n in sorted(set(numbers), reverse=True):
            if 0 <= n < len(self._rows):
                self.beginRemoveRows(QModelIndex(), n, n)
                del self._rows[n]
                self.endRemoveRows()
        self.edited.emit()

    def replace_row(self, n: int, row: Any) -> None:
        if self._rows[n] != row:
            self._rows[n] = row
            self.dataChanged.emit(self.index(n, 0), self.index(n, len(self.columns) - 1))
            self.edited.emit()

    def refresh(self) -> None:
        """Derived cells (names, resolved dates) changed outside the rows: repaint them."""
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1))

    # --- Qt model ----------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.show(row)
        if role == Qt.ItemDataRole.EditRole:
            return column.value(row) if column.value else column.show(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tip(row) if column.tip else None
        if role == Qt.ItemDataRole.ForegroundRole and column.muted and column.muted(row):
            return theme.muted_text()
        if role == ROW_ROLE:
            return row
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and self.can_edit(index.row(), index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def can_edit(self, n: int, c: int) -> bool:
        column = self.columns[c]
        if column.kind == Kind.READ_ONLY or column.apply is None:
            return False
        return column.editable(self._rows[n]) if column.editable else True

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.can_edit(index.row(), index.column()):
            return False
        column = self.columns[index.column()]
        assert column.apply is not None
        self.replace_row(index.row(), column.apply(self._rows[index.row()], value))
        return True


class RowsDelegate(QStyledItemDelegate):
    """Editors by column kind; badge columns painted as pills."""

    def __init__(self, model: RowsModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = model

    def _column(self, index: _Index) -> Column:
        return self.model.columns[index.column()]

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        column, row = self._column(index), index.data(ROW_ROLE)
        name = f"{column.title} {index.row() + 1}"
        if column.kind in (Kind.CHOICE, Kind.TEXT_CHOICE):
            combo = QComboBox(parent)
            combo.setEditable(column.kind == Kind.TEXT_CHOICE)
            for label, value in (column.choices(row) if column.choices else ()):
                combo.addItem(label, value)
            combo.activated.connect(lambda _i, c=combo: self._commit(c))  # a choice picked: done
            if column.kind == Kind.TEXT_CHOICE:
                combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
                line = combo.lineEdit()
                assert line is not None
                line.returnPressed.connect(lambda c=combo: self._commit(c))  # typed, then Enter
            combo.setAccessibleName(name)
            return combo
        if column.kind == Kind.DATE:
            edit = OptionalDateEdit(parent)
            edit.setAccessibleName(name)
            return edit
        line = QLineEdit(parent)
        line.setAccessibleName(name)
        return line

    def _commit(self, editor: QWidget) -> None:
        if not editor.isVisible():
            return  # already committed and closed (Enter is seen by both the combo and the view)
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            found = editor.findData(value)
            if found >= 0:
                editor.setCurrentIndex(found)
            elif editor.isEditable():
                editor.setCurrentText("" if value is None else str(value))
        elif isinstance(editor, OptionalDateEdit):
            editor.set_value(value if isinstance(value, date) else None)
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))

    def setModelData(self, editor: QWidget, model: Any, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            if editor.isEditable():
                text = editor.currentText().strip()
                found = editor.findText(text)
                value = editor.itemData(found) if found >= 0 and editor.itemData(found) is not None else text
            else:
                value = editor.currentData()
        elif isinstance(editor, OptionalDateEdit):
            value = editor.value()
        elif isinstance(editor, QLineEdit):
            value = editor.text().strip()
        else:
            return
        model.setData(index, value, Qt.ItemDataRole.EditRole)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        column = self._column(index)
        hue = column.pill(index.data(ROW_ROLE)) if column.pill else None
        if not hue:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        paint_pill(painter, opt.rect.adjusted(4, 3, -4, -3), text, hue)

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        hint = super().sizeHint(option, index)
        column = self._column(index)
        if column.pill and column.pill(index.data(ROW_ROLE)):
            size = pill_size(str(index.data()), option.font)
            return QSize(max(hint.width(), size.width() + 10), max(hint.height(), size.height() + 8))
        return hint


class RowsTable(QWidget):
    """A RowsModel in a table, with buttons to add rows and remove the selected ones."""

    edited = Signal()

    def __init__(self, columns: Sequence[Column], accessible_name: str, *, min_rows: int = 2, max_rows: int = 10,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.min_rows, self.max_rows = min_rows, max_rows
        self.model = RowsModel(columns, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(RowsDelegate(self.model, self.view))
        self.view.setAccessibleName(accessible_name)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.SelectedClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between cells
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        for c, column in enumerate(columns):
            if column.width:
                header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
                self.view.setColumnWidth(c, column.width)
            else:
                header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)
        self.remove_button = QPushButton(icon("remove"), self.tr("Remove selected"))
        self.remove_button.setAccessibleName(self.tr("Remove the selected rows of {table}").format(
            table=accessible_name.lower()))
        self.buttons = QHBoxLayout()
        self.buttons.setContentsMargins(0, 0, 0, 0)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addLayout(self.buttons)
        self.remove_button.clicked.connect(self.remove_selected)
        self.model.edited.connect(self.edited)
        self.model.modelReset.connect(self._fit)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        self._fit()
        self._selection_changed()

    def add_button(self, text: str, make_row: Callable[[], Any], *, edit_column: int = 0) -> QPushButton:
        """A button before "Remove selected" that adds the row ``make_row()`` and starts editing it."""
        button = QPushButton(icon("plus"), text)
        button.clicked.connect(lambda: self.add_row(make_row(), edit_column=edit_column))
        self.buttons.insertWidget(self.buttons.count() - 2, button)
        return button

    def add_widget(self, widget: QWidget) -> None:
        self.buttons.insertWidget(self.buttons.count() - 2, widget)

    def rows(self) -> list[Any]:
        return self.model.rows()

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.model.set_rows(rows)

    def add_row(self, row: Any, *, edit_column: int | None = 0) -> None:
        n = self.model.append(row)
        self._fit()
        index = self.model.index(n, edit_column or 0)
        self.view.setCurrentIndex(index)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        if edit_column is not None and self.model.can_edit(n, edit_column):
            self.view.edit(index)

    def remove_selected(self) -> None:
        rows = {i.row() for i in self.view.selectionModel().selectedRows()}
        if not rows and self.view.currentIndex().isValid():
            rows = {self.view.currentIndex().row()}
        if rows:
            self.model.remove(sorted(rows))
            self._fit()

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(self.view.selectionModel().hasSelection())

    def _fit(self) -> None:
        rows = max(self.min_rows, min(self.model.rowCount(), self.max_rows))
        height = (self.view.horizontalHeader().sizeHint().height()
                  + rows * self.view.verticalHeader().defaultSectionSize() + 2 * self.view.frameWidth() + 2)
        self.view.setFixedHeight(height)
