"""The sidebar: the app's places, with icons; Ctrl+1 … Ctrl+6 jump to them."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from salesdesk.ui import theme
from salesdesk.ui.icons import app_icon, icon

#: (key, icon, label) of every place, in sidebar order.
PLACES: tuple[tuple[str, str, str], ...] = (
    ("today", "today", "Today"),
    ("deals", "deals", "Deals"),
    ("customers", "customers", "Customers"),
    ("team", "team", "Team"),
    ("yardstick", "yardstick", "Yardstick"),
    ("settings", "settings", "Settings"),
)


class Sidebar(QFrame):
    place_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setFixedWidth(176)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAutoFillBackground(True)
        pal = self.palette()
        window = pal.color(QPalette.ColorRole.Window)
        pal.setColor(QPalette.ColorRole.Window, theme.mix(pal.color(QPalette.ColorRole.WindowText), window, 0.05))
        self.setPalette(pal)
        brand = QLabel()
        brand.setPixmap(app_icon().pixmap(QSize(28, 28)))
        name = QLabel(self.tr("SalesDesk"))
        font = QFont(name.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        name.setFont(font)
        top = QWidget()
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(14, 12, 8, 10)
        top_layout.addWidget(brand)
        top_layout.addWidget(name, 1)

        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Navigation"))
        self.list.setIconSize(QSize(20, 20))
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setSpacing(2)
        self.list.viewport().setAutoFillBackground(False)
        self.list.setAutoFillBackground(False)
        for n, (key, icon_name, label) in enumerate(PLACES, 1):
            item = QListWidgetItem(icon(icon_name), self.tr(label))
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(self.tr("{place} (Ctrl+{n})").format(place=self.tr(label), n=n))
            item.setSizeHint(QSize(160, self.fontMetrics().height() + 18))
            self.list.addItem(item)
        self.list.currentItemChanged.connect(self._item_chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.addWidget(top)
        layout.addWidget(self.list, 1)

    def _item_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            self.place_chosen.emit(item.data(Qt.ItemDataRole.UserRole))

    def select(self, key: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == key:
                self.list.setCurrentRow(i)
                return
