"""What the Agreement step says about the record: a banner when the deal moved on (superseded or an
outdated draft), and the frozen revision — who signed, when, and the SHA-256 of the signed PDF."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale, Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from salesdesk.domain.model import AgreementRevision, Side
from salesdesk.ui import theme
from salesdesk.ui.text import format_date
from salesdesk.ui.widgets.fields import hint_label
from salesdesk.ui.widgets.pill import Pill


def when(moment: object) -> str:
    """An instant in the rep's local time, e.g. "4 Dec 2026  15:02"."""
    stamp = QDateTime.fromSecsSinceEpoch(int(moment.timestamp())).toLocalTime()  # type: ignore[attr-defined]
    return QLocale().toString(stamp, "d MMM yyyy  HH:mm")


class Banner(QFrame):
    """A coloured box: what happened, what changed, and the one button that fixes it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.headline.font()
        font.setBold(True)
        self.headline.setFont(font)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QPushButton()
        self.action.hide()
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.headline)
        text.addWidget(self.detail)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        row.addLayout(text, 1)
        row.addWidget(self.action, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def show_message(self, hue: str, headline: str, detail: str = "", action: str = "") -> None:
        fill, ink = theme.pill_colours(hue)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, fill)
        pal.setColor(QPalette.ColorRole.WindowText, ink)
        self.setPalette(pal)
        self.headline.setText(headline)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self.setAccessibleName(headline)
        self.show()


class FrozenPanel(QFrame):
    """The signed revision as kept: signers, dates, the PDF's fingerprint, and the deal's stage."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.signers = QLabel()
        self.signers.setWordWrap(True)
        self.signers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.frozen_at = hint_label("")
        self.hash_caption = hint_label(self.tr("SHA-256 of the signed PDF (what File → Verify a PDF… checks):"))
        self.hash = QLabel()
        self.hash.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.hash.setWordWrap(True)
        self.hash.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.hash.setAccessibleName(self.tr("SHA-256 of the signed PDF"))
        self.copy = QPushButton(self.tr("&Copy SHA-256"))
        self.stage = Pill()
        self.stage_label = QLabel(self.tr("Deal stage:"))
        stage_row = QHBoxLayout()
        stage_row.addWidget(self.stage_label)
        stage_row.addWidget(self.stage)
        stage_row.addStretch(1)
        stage_row.addWidget(self.copy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.signers)
        layout.addWidget(self.frozen_at)
        layout.addWidget(self.hash_caption)
        layout.addWidget(self.hash)
        layout.addLayout(stage_row)
        self._sha = ""
        self.copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self._sha))
        self.hide()

    def show_revision(self, revision: AgreementRevision, organisations: dict[Side, str], stage: str, hue: str,
                      superseded: bool) -> None:
        if superseded:
            self.title.setText(self.tr("Revision {n} ({doc_id}) was signed by both sides — superseded since").format(
                n=revision.number, doc_id=revision.doc_id))
        else:
            self.title.setText(self.tr("Revision {n} ({doc_id}) is signed by both sides and frozen").format(
                n=revision.number, doc_id=revision.doc_id))
        lines = []
        for sig in sorted(revision.signatures, key=lambda s: s.side is not Side.OURS):
            how = self.tr("on paper") if sig.method == "paper" else self.tr("on screen")
            lines.append(self.tr("For {organisation}: <b>{name}</b>, {day} ({how})").format(
                organisation=_escape(organisations.get(sig.side, "")), name=_escape(sig.signer_name),
                day=format_date(sig.signed_on), how=how))
        self.signers.setText("<br>".join(lines))
        self.frozen_at.setText(self.tr("Frozen on {moment}. This copy never changes.").format(
            moment=when(revision.signed_at)) if revision.signed_at else "")
        self._sha = revision.pdf_sha256
        self.hash.setText(" ".join(self._sha[i:i + 16] for i in range(0, len(self._sha), 16)))
        self.stage.set_pill(stage, hue)
        self.show()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
