"""One term of a deal as a card: its title and text, whether it is standard, and who approved it.

A term from the library stays standard while its words are the library's; change them and it is
flagged non-standard. A term written for the deal is non-standard unless the rep says otherwise.
A non-standard term names who approved it, or shows "Approval pending". Conditions from a
department's feasibility sign-off are shown read-only: they are changed by signing off again.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from salesdesk.domain.model import DealTerm, StandardTerm, TeamMember
from salesdesk.ui import theme
from salesdesk.ui.icons import icon
from salesdesk.ui.widgets.fields import hint_label
from salesdesk.ui.widgets.inputs import GrowingTextEdit
from salesdesk.ui.widgets.pill import Pill

STANDARD_HUE = "#2e7d32"
APPROVED_HUE = "#5b7db1"


def approver_label(member: TeamMember | None) -> str:
    if member is None:
        return ""
    return f"{member.name}, {member.role}" if member.role else member.name


class TermCard(QFrame):
    changed = Signal()
    remove_requested = Signal(object)  # the card

    def __init__(self, term: DealTerm, library: StandardTerm | None, members: dict[str, TeamMember],
                 approvers: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._term, self.library, self.members = term, library, members
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.read_only = term.source == "signoff"
        self.number = QLabel()
        self.title = QLineEdit(term.title)
        font = self.title.font()
        font.setWeight(font.Weight.DemiBold)
        self.title.setFont(font)
        self.title.setPlaceholderText(self.tr("Title, e.g. Payment"))
        self.kind = Pill()
        self.approval = Pill()
        self.remove = QToolButton()
        self.remove.setIcon(icon("remove"))
        self.remove.setAutoRaise(True)
        self.remove.setToolTip(self.tr("Remove this term from the deal"))
        self.body = GrowingTextEdit(min_lines=2, max_lines=10)
        self.body.set_text(term.body)
        self.body.setPlaceholderText(self.tr("What both sides agree"))
        self.non_standard = QCheckBox(self.tr("Non-standard — negotiated outside the standard program"))
        self.non_standard.setChecked(term.non_standard)
        self.approver = QComboBox()
        self.approver.addItem(self.tr("— approval pending —"), None)
        for label, uid in approvers:
            self.approver.addItem(label, uid)
        if term.approved_by and self.approver.findData(term.approved_by) < 0:
            former = members.get(term.approved_by)  # someone who has left the team since approving it
            self.approver.addItem(former.name if former else self.tr("A former team member"), term.approved_by)
        self.approver.setCurrentIndex(max(0, self.approver.findData(term.approved_by)))
        self.approver_label = QLabel(self.tr("Approved by"))
        self.approver_label.setBuddy(self.approver)
        self.source = hint_label(self._source_text())

        head = QHBoxLayout()
        head.setSpacing(8)
        head.addWidget(self.title, 1)
        head.addWidget(self.kind)
        head.addWidget(self.approval)
        head.addWidget(self.remove)
        foot = QHBoxLayout()
        foot.addWidget(self.non_standard)
        foot.addWidget(self.source, 1)
        foot.addStretch(0)  # pushes the approver right when the source line is hidden
        foot.addWidget(self.approver_label)
        foot.addWidget(self.approver)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 6, 6)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.number, 0, 0)
        grid.addLayout(head, 0, 1)
        grid.addWidget(self.body, 1, 1)
        grid.addLayout(foot, 2, 1)
        grid.setColumnStretch(1, 1)

        # Written terms: the rep says whether they are standard. Library terms and sign-off conditions: it follows.
        chosen_by_rep = not self.read_only and term.source != "library"
        self.non_standard.setVisible(chosen_by_rep)
        self.source.setVisible(not chosen_by_rep)
        if self.read_only:
            self.title.setReadOnly(True)
            self.body.setReadOnly(True)
            self.remove.hide()
        for first, second in ((self.title, self.body), (self.body, self.non_standard),
                              (self.non_standard, self.approver), (self.approver, self.remove)):
            QWidget.setTabOrder(first, second)  # down the card, then its Remove button
        self._reworded = False  # until the rep changes the words, a library term keeps its flag as stored
        self.title.textEdited.connect(self._reword)
        self.body.textChanged.connect(self._reword)
        self.non_standard.toggled.connect(self._edited)
        self.approver.activated.connect(lambda _i: self._edited())
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        self._show_state()

    def _source_text(self) -> str:
        if self.read_only:
            return self.tr("A condition from a department's feasibility sign-off: it changes when they sign off "
                           "again.")
        if self.library is not None:
            return self.tr("From the standard terms library ({code}); change its words and it becomes "
                           "non-standard.").format(code=self.library.code)
        if self._term.source == "library":
            return self.tr("From the standard terms library (no longer offered).")
        return self.tr("Written for this deal.")

    def set_number(self, n: int) -> None:
        self.number.setText(f"{n}.")
        self.title.setAccessibleName(self.tr("Term {n} title").format(n=n))
        self.body.setAccessibleName(self.tr("Term {n} text").format(n=n))
        self.non_standard.setAccessibleName(self.tr("Term {n} is non-standard").format(n=n))
        self.approver.setAccessibleName(self.tr("Term {n} approved by").format(n=n))
        self.remove.setAccessibleName(self.tr("Remove term {n}").format(n=n))

    def term(self) -> DealTerm:
        """The term as shown on the card."""
        title, body = self.title.text().strip(), self.body.text()
        non_standard = self.non_standard.isChecked()
        if self.library is not None and not self.read_only and self._reworded:
            non_standard = (title, body.strip()) != (self.library.title.strip(), self.library.body.strip())
        return replace(self._term, title=title, body=body, non_standard=non_standard,
                       approved_by=self.approver.currentData() if not self.read_only else self._term.approved_by)

    def _reword(self, *_args: object) -> None:
        self._reworded = True
        self._edited()

    def _edited(self) -> None:
        if self.library is not None and not self.read_only:
            self.non_standard.blockSignals(True)
            self.non_standard.setChecked(self.term().non_standard)
            self.non_standard.blockSignals(False)
        self._show_state()
        self.changed.emit()

    def _show_state(self) -> None:
        term = self.term()
        if not term.non_standard:
            self.kind.set_pill(self.tr("Standard"), STANDARD_HUE)
            self.approval.hide()
            self.approver.setVisible(False)
            self.approver_label.setVisible(False)
            return
        self.kind.set_pill(self.tr("Non-standard"), theme.WARNING_HUE)
        self.approver.setVisible(not self.read_only)
        self.approver_label.setVisible(not self.read_only)
        member = self.members.get(term.approved_by or "")
        if member is None:
            self.approval.set_pill(self.tr("Approval pending"), theme.PROBLEM_HUE)
        else:
            self.approval.set_pill(self.tr("Approved by {name}").format(name=approver_label(member)), APPROVED_HUE)
        self.approval.show()
