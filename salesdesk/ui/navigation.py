"""The sidebar: the app's places, with icons; Ctrl+1 … Ctrl+6 jump to them."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
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

from salesdesk.ui.colours import mix
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
        shade = mix(pal.color(QPalette.ColorRole.WindowText), window, 0.05)
        pal.setColor(QPalette.ColorRole.Window, shade)
        pal.setColor(QPalette.ColorRole.Base, shade)  # the list's background: the sidebar's shade
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
        for n, (_key, icon_name, label) in enumerate(PLACES, 1):
            item = QListWidgetItem(icon(icon_name), self.tr(label))
            item.setToolTip(self.tr("{place} (Ctrl+{n})").format(place=self.tr(label), n=n))
            item.setSizeHint(QSize(160, self.fontMetrics().height() + 18))
            self.list.addItem(item)
        self.list.currentRowChanged.connect(self._row_chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.addWidget(top)
        layout.addWidget(self.list, 1)

    def _row_chosen(self, row: int) -> None:
        if 0 <= row < len(PLACES):
            self.place_chosen.emit(PLACES[row][0])

    def select(self, key: str) -> None:
        keys = [place[0] for place in PLACES]
        if key in keys:
            self.list.setCurrentRow(keys.index(key))
