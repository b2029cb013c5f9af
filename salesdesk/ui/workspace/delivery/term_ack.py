"""A non-standard term as the account manager reviews it: its words, who approved it, and either the
"Acknowledge" button or who acknowledged it and when."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from salesdesk.domain.model import DealTerm
from salesdesk.domain.steps import StepStatus
from salesdesk.ui import theme
from salesdesk.ui.widgets.fields import hint_label
from salesdesk.ui.widgets.pill import Pill
from salesdesk.ui.workspace.agreement.record import when


class TermAcknowledgement(QFrame):
    acknowledge_requested = Signal(str)  # the term's uid

    def __init__(self, term: DealTerm, names: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.term = term
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(term.title or self.tr("(untitled term)"))
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        approver = names.get(term.approved_by or "", "")
        self.approved = hint_label(self.tr("Approved by {name}").format(name=approver) if approver
                                   else self.tr("No approver recorded"))
        self.body = QLabel(term.body)
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = Pill()
        self.button = QPushButton(self.tr("Acknowledge"))
        self.button.setAccessibleName(self.tr("Acknowledge {term}").format(term=term.title))
        self.button.clicked.connect(lambda: self.acknowledge_requested.emit(self.term.uid))
        self.who = QLabel()
        self.who.setWordWrap(True)
        pal = self.who.palette()
        pal.setColor(QPalette.ColorRole.WindowText, theme.accent_text(theme.STEP_HUES[StepStatus.DONE]))
        self.who.setPalette(pal)

        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        heading.addWidget(self.status, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(3)
        text.addLayout(heading)
        text.addWidget(self.approved)
        text.addWidget(self.body)
        text.addWidget(self.who)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        row.addLayout(text, 1)
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)

        if term.acknowledged_by:
            name = names.get(term.acknowledged_by, self.tr("someone no longer in the team"))
            at = when(term.acknowledged_at) if term.acknowledged_at else ""
            self.who.setText(self.tr("✓ Acknowledged by {name} · {at}").format(name=name, at=at).rstrip(" ·"))
            self.status.set_pill(self.tr("Acknowledged"), theme.STEP_HUES[StepStatus.DONE])
            self.button.hide()
        else:
            self.who.hide()
            self.status.set_pill(self.tr("Not acknowledged"), theme.WARNING_HUE)
        self.setAccessibleName(f"{term.title}: {self.status.text()}")

    @property
    def acknowledged(self) -> bool:
        return bool(self.term.acknowledged_by)
