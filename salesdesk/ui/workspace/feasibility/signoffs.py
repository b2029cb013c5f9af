"""Each involved department's sign-off at a glance: not signed, feasible, with conditions, not feasible
or STALE (with what changed), who signed when — and a "Sign off…" button per department."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QWidget

from salesdesk.domain.feasibility import DepartmentStatus, first_few, quoted
from salesdesk.domain.model import Verdict
from salesdesk.ui.widgets.fields import hint_label
from salesdesk.ui.widgets.pill import Pill
from salesdesk.ui.workspace.feasibility.words import signoff_pill, verdict_text, when


class SignOffPanel(QWidget):
    sign_requested = Signal(str)  # department

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(8)
        self.grid.setColumnStretch(2, 1)
        self.pills: dict[str, Pill] = {}
        self.details: dict[str, QLabel] = {}
        self.buttons: dict[str, QPushButton] = {}
        self._row_widgets: list[QWidget] = []
        self._shown: tuple[str, ...] = ()
        self.empty = hint_label(self.tr("No department is involved yet: the deal has no checklist and no work items."))
        self.grid.addWidget(self.empty, 0, 0, 1, 4)

    def show_statuses(self, statuses: Sequence[DepartmentStatus], names: dict[str, str], can_sign: bool,
                      why_not: str) -> None:
        departments = tuple(s.department for s in statuses)
        if departments != self._shown:
            self._rebuild(departments)
        for status in statuses:
            words, hue = signoff_pill(status)
            pill = self.pills[status.department]
            pill.set_pill(words, hue)
            detail = self._detail(status, names)
            self.details[status.department].setText(detail)
            pill.setAccessibleName(f"{status.department}: {words}")
            pill.setToolTip(detail)
            button = self.buttons[status.department]
            button.setEnabled(can_sign)
            button.setToolTip("" if can_sign else why_not)
            again = status.current_signoff is not None
            button.setText(self.tr("Sign again…") if again else self.tr("Sign off…"))
        self.empty.setVisible(not statuses)

    def _rebuild(self, departments: tuple[str, ...]) -> None:
        for w in self._row_widgets:
            self.grid.removeWidget(w)
            w.deleteLater()
        self._row_widgets.clear()
        for widgets in (self.pills, self.details, self.buttons):
            widgets.clear()
        for row, department in enumerate(departments, 1):
            name = QLabel(department)
            font = name.font()
            font.setBold(True)
            name.setFont(font)
            pill = Pill()
            detail = QLabel()
            detail.setWordWrap(True)
            detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            button = QPushButton(self.tr("Sign off…"))
            button.setAccessibleName(self.tr("Sign off for {department}").format(department=department))
            button.clicked.connect(lambda _c=False, d=department: self.sign_requested.emit(d))
            self.grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(pill, row, 1, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(detail, row, 2)
            self.grid.addWidget(button, row, 3, Qt.AlignmentFlag.AlignTop)
            self.pills[department], self.details[department], self.buttons[department] = pill, detail, button
            self._row_widgets += [name, pill, detail, button]
        self._shown = departments

    def _detail(self, status: DepartmentStatus, names: dict[str, str]) -> str:
        parts: list[str] = []
        signoff = status.current_signoff
        if signoff is not None:
            who = names.get(signoff.member_uid, self.tr("someone no longer in the team"))
            parts.append(self.tr("Signed by {who} on {when}.").format(who=who, when=when(signoff.signed_at)))
            if status.stale:
                parts.append(self.tr("They said: {verdict}.").format(verdict=verdict_text(signoff.verdict).lower()))
            if status.stale:
                parts.append(self.tr("Changed since: {what}. Must sign again.").format(
                    what=first_few(list(status.what_changed), "change") or self.tr("the deal")))
            if signoff.conditions:
                label = self.tr("Why not") if signoff.verdict is Verdict.NOT_FEASIBLE else self.tr("Conditions")
                parts.append(f"{label}: {signoff.conditions}")
        else:
            parts.append(self.tr("Waiting for {department} to review and sign off.").format(
                department=status.department))
        if status.open_mandatory:
            parts.append(self.tr("Mandatory still unanswered: {questions}.").format(
                questions=first_few([quoted(q, 50) for q in status.open_mandatory], "question")))
        return " ".join(parts)
