"""A department's sign-off: who signs, the verdict, the conditions or the reason, and the signer's PIN.

The dialog only collects; ``sign`` (the review's action) checks and stores, and its refusal — a wrong
PIN, a lockout, missing conditions — is shown in the dialog, next to the field it is about.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import TeamMember, Verdict
from salesdesk.ui import theme
from salesdesk.ui.text import count_label
from salesdesk.ui.widgets.fields import ErrorLabel, FieldErrors, add_row, hint_label
from salesdesk.ui.widgets.inputs import GrowingTextEdit
from salesdesk.ui.workspace.feasibility.form import labelled_row
from salesdesk.ui.workspace.feasibility.words import VERDICTS, verdict_text

SignCall = Callable[[str, Verdict, str, str | None], SalesDeskError | None]


class SignOffDialog(QDialog):
    signed = Signal()

    def __init__(self, department: str, signers: Sequence[TeamMember], open_mandatory: Sequence[str],
                 sign: SignCall, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.department = department
        self._sign = sign
        self.setWindowTitle(self.tr("Sign off for {department}").format(department=department))
        self.setMinimumWidth(520)
        self.errors = FieldErrors(ErrorLabel())

        self.signer = QComboBox()
        for m in signers:
            self.signer.addItem(f"{m.name} — {m.role}" if m.role else m.name, m)
        self.verdicts = QButtonGroup(self)
        verdict_box = QWidget()
        column = QVBoxLayout(verdict_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        self.verdict_buttons: dict[Verdict, QRadioButton] = {}
        for verdict, _words in VERDICTS:
            button = QRadioButton(verdict_text(verdict))
            self.verdicts.addButton(button)
            self.verdict_buttons[verdict] = button
            column.addWidget(button)
        self.verdict_buttons[Verdict.FEASIBLE].setChecked(True)
        self.conditions = GrowingTextEdit(min_lines=3, max_lines=8)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setValidator(QRegularExpressionValidator(r"\d{0,12}", self.pin))
        self.pin.setMaximumWidth(160)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add_row(form, self.errors, "member", self.tr("Signed &by"), self.signer)
        add_row(form, self.errors, "verdict", self.tr("&Verdict"), verdict_box)
        self.verdict_buttons[Verdict.FEASIBLE].setAccessibleName(self.tr("Feasible"))
        self.conditions_label, self.conditions_error = labelled_row(form, self.errors, "conditions",
                                                                    self.tr("&Conditions"), self.conditions)
        self.pin_label, self.pin_error = labelled_row(form, self.errors, "pin", self.tr("&PIN"), self.pin)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = self.buttons.addButton(self.tr("&Sign off"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(hint_label(self.tr(
            "You sign off what the deal holds now: its lines, quantities, dates, work items and answers. If any of "
            "them changes later, this sign-off becomes stale and {department} must sign again.").format(
            department=department)))
        if open_mandatory:
            count = count_label(len(open_mandatory), self.tr("{n} mandatory question"),
                                self.tr("{n} mandatory questions"))
            warning = QLabel(self.tr("{department} still has {count} unanswered; answer them before signing off as "
                                     "feasible.").format(count=count, department=department))
            warning.setWordWrap(True)
            pal = warning.palette()
            pal.setColor(warning.foregroundRole(), theme.accent_text(theme.WARNING_HUE))
            warning.setPalette(pal)
            layout.addWidget(warning)
        if not signers:
            layout.addWidget(hint_label(self.tr("Nobody in the team belongs to {department}. Add them on the Team "
                                                "page, then sign off.").format(department=department)))
            self.sign_button.setEnabled(False)
        layout.addLayout(form)
        layout.addWidget(self.errors.general)  # type: ignore[arg-type]
        layout.addWidget(self.buttons)

        self.signer.currentIndexChanged.connect(lambda _i: self._show_pin())
        self.verdicts.buttonToggled.connect(lambda _b, _on: self._show_verdict())
        self._show_pin()
        self._show_verdict()

    def member(self) -> TeamMember | None:
        member = self.signer.currentData()
        return member if isinstance(member, TeamMember) else None

    def verdict(self) -> Verdict:
        return next(v for v, b in self.verdict_buttons.items() if b.isChecked())

    def choose(self, verdict: Verdict) -> None:
        self.verdict_buttons[verdict].setChecked(True)

    def _show_pin(self) -> None:
        member = self.member()
        needs_pin = bool(member and member.has_pin)
        self.pin.setVisible(needs_pin)
        self.pin_label.setVisible(needs_pin)
        self.pin.clear()

    def _show_verdict(self) -> None:
        verdict = self.verdict()
        if verdict is Verdict.NOT_FEASIBLE:
            label, hint = self.tr("&Why not"), self.tr("Why it cannot be done as asked (required)")
        elif verdict is Verdict.FEASIBLE_WITH_CONDITIONS:
            label, hint = self.tr("&Conditions"), self.tr("What must be true for the work to be done as estimated "
                                                          "(required; they become terms of the deal)")
        else:
            label, hint = self.tr("&Conditions"), self.tr("None: feasible as it stands")
        self.conditions_label.setText(label)
        self.conditions.setAccessibleName(label.replace("&", ""))
        self.conditions.setPlaceholderText(hint)
        self.conditions.setEnabled(verdict is not Verdict.FEASIBLE)
        self.sign_button.setText(self.tr("&Say not feasible") if verdict is Verdict.NOT_FEASIBLE
                                 else self.tr("&Sign off"))

    def accept(self) -> None:
        member = self.member()
        if member is None:
            return
        verdict = self.verdict()
        conditions = self.conditions.text().strip() if verdict is not Verdict.FEASIBLE else ""
        pin = self.pin.text() if member.has_pin else None
        problem = self._sign(member.uid, verdict, conditions, pin)
        if problem is not None:
            self.errors.show(problem)
            if problem.field == "pin":
                self.pin.clear()
                self.pin.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.signed.emit()
        super().accept()
