"""What the window shows while the database opens (a large one takes a moment).

A moving bar appears only when opening takes longer than a second (a check, a migration):
drawing it costs the UI thread time the opening itself could use.

Part of the window's frame, so it keeps to what the frame imports (see ``main_window``).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from salesdesk.ui.colours import muted_text
from salesdesk.ui.icons import app_icon


def _centred(widget: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(widget)
    row.addStretch(1)
    return row


BUSY_AFTER_MS = 1000


class OpeningPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(QSize(64, 64)))
        self.title = QLabel(self.tr("Opening the database…"))
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.title.setFont(font)
        self.hint = QLabel(self.tr("SalesDesk checks the database before it shows your deals."))
        pal = self.hint.palette()
        pal.setColor(QPalette.ColorRole.WindowText, muted_text())
        self.hint.setPalette(pal)
        self.busy = QProgressBar()
        self.busy.setRange(0, 1)
        self.busy.setTextVisible(False)
        self.busy.setFixedWidth(240)
        self.busy.setAccessibleName(self.tr("Opening the database"))
        keep_room = self.busy.sizePolicy()
        keep_room.setRetainSizeWhenHidden(True)  # nothing moves when it appears
        self.busy.setSizePolicy(keep_room)
        self.busy.hide()
        self._busy_after = QTimer(self)  # the page's own: it goes when the page goes
        self._busy_after.setSingleShot(True)
        self._busy_after.timeout.connect(self._still_busy)
        self._busy_after.start(BUSY_AFTER_MS)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        for widget in (logo, self.title, self.hint):
            layout.addLayout(_centred(widget))
        layout.addSpacing(8)
        layout.addLayout(_centred(self.busy))
        layout.addStretch(3)

    def _still_busy(self) -> None:
        self.busy.setRange(0, 0)  # no end known: it moves to show that something is happening
        self.busy.show()
