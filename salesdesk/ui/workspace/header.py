"""The top of an open deal: ref and customer, title, stage, dates, value, and whether it is saved."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from salesdesk.domain.model import Deal
from salesdesk.ui import theme
from salesdesk.ui.text import format_date, format_money, stage_label
from salesdesk.ui.widgets.fields import hint_label
from salesdesk.ui.widgets.pill import Pill
from salesdesk.ui.workspace.editor import SaveState


class DealHeader(QFrame):
    reload_requested = Signal()
    overwrite_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.kicker = hint_label("")
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stage = Pill()
        self.facts = QLabel()
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_state = QLabel()
        self.save_state.setAccessibleName(self.tr("Save state"))
        self.save_state.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.save_state.setWordWrap(True)
        self.save_state.setMinimumWidth(200)
        self.save_state.setMaximumWidth(380)
        self.overwrite = QPushButton(self.tr("Save mine over theirs"))
        self.overwrite.setToolTip(self.tr("Your changes are saved on top of their version; "
                                          "where you both changed the same thing, yours is kept."))
        self.reload = QPushButton(self.tr("Reload their version"))
        self.overwrite.clicked.connect(self.overwrite_requested)
        self.reload.clicked.connect(self.reload_requested)

        title_row = QHBoxLayout()
        title_row.addWidget(self.title)
        title_row.addSpacing(8)
        title_row.addWidget(self.stage, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addStretch(1)
        left = QVBoxLayout()
        left.setSpacing(2)
        left.addWidget(self.kicker)
        left.addLayout(title_row)
        left.addWidget(self.facts)
        right = QVBoxLayout()
        right.addWidget(self.save_state)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reload)
        buttons.addWidget(self.overwrite)
        right.addLayout(buttons)
        right.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 12, 20, 10)
        row.addLayout(left, 1)
        row.addLayout(right)
        self.show_state(SaveState.SAVED.value)

    def show_deal(self, deal: Deal) -> None:
        self.kicker.setText(f"{deal.ref}  ·  {deal.customer_name}")
        self.title.setText(deal.title)
        self.stage.set_pill(stage_label(deal.stage), theme.STAGE_HUES[deal.stage])
        facts = [
            self.tr("Promised {date}").format(date=format_date(deal.promised_date, self.tr("not yet"))),
            self.tr("Requested {date}").format(date=format_date(deal.requested_date, self.tr("no date"))),
            self.tr("Value {value}").format(value=format_money(deal.value, deal.currency)),
        ]
        self.facts.setText("   ·   ".join(facts))

    def show_state(self, state: str, detail: str = "") -> None:
        words = {
            SaveState.SAVED: (self.tr("All changes saved"), None),
            SaveState.UNSAVED: (self.tr("Unsaved changes…"), theme.WARNING_HUE),
            SaveState.SAVING: (self.tr("Saving…"), None),
            SaveState.INVALID: (self.tr("Not saved: {detail}").format(detail=detail), theme.PROBLEM_HUE),
            SaveState.CONFLICT: (self.tr("Not saved: someone else changed this deal. Your text is kept."),
                                 theme.PROBLEM_HUE),
        }
        text, hue = words[SaveState(state)]
        self.save_state.setText(("● " if hue else "✓ ") + text)
        pal = self.save_state.palette()
        colour = theme.accent_text(hue) if hue else theme.muted_text()
        pal.setColor(self.save_state.foregroundRole(), colour)
        self.save_state.setPalette(pal)
        conflict = state == SaveState.CONFLICT
        self.reload.setVisible(conflict)
        self.overwrite.setVisible(conflict)
