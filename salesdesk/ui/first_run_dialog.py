"""The welcome dialog on the first run: who are you, and start empty or with demo data?"""

from __future__ import annotations

from PySide6.QtCore import QSettings
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
from salesdesk.domain.model import DEFAULT_DEPARTMENTS, TeamMember
from salesdesk.services.app import Services
from salesdesk.ui.first_run import (
    DEMO_DEALS,
    Introduction,
    database_is_empty,
    demo_available,
    fill_demo,
    introduce,
)
from salesdesk.ui.icons import app_icon
from salesdesk.ui.progress import run_with_progress
from salesdesk.ui.widgets.fields import ErrorLabel, FieldErrors, add_row, hint_label, section_title


class FirstRunDialog(QDialog):
    def __init__(self, services: Services, prefs: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.prefs = services, prefs
        self.member: TeamMember | None = None
        self.setWindowTitle(self.tr("Welcome to SalesDesk"))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(520)
        members = services.team.list_members()

        layout = QVBoxLayout(self)
        welcome = section_title(self.tr("Welcome to SalesDesk"))
        layout.addWidget(welcome)
        layout.addWidget(hint_label(self.tr("Promise only what the team can deliver, and put it in writing. "
                                            "SalesDesk records who changed what, so first: who are you?")))
        self.existing = QRadioButton(self.tr("I am on the &team:"))
        self.member_combo = QComboBox()
        self.member_combo.setAccessibleName(self.tr("Team member"))
        for m in members:
            self.member_combo.addItem(f"{m.name} — {m.department}", m.uid)
        self.newcomer = QRadioButton(self.tr("I am &new here:"))
        who = QButtonGroup(self)
        who.addButton(self.existing)
        who.addButton(self.newcomer)
        if members:
            layout.addWidget(self.existing)
            layout.addWidget(self.member_combo)
            layout.addWidget(self.newcomer)
        self.name = QLineEdit()
        self.department = QComboBox()
        self.department.setEditable(True)
        self.department.addItems(list(DEFAULT_DEPARTMENTS))
        self.role = QLineEdit()
        self.role.setPlaceholderText(self.tr("e.g. Sales rep"))
        self.errors = FieldErrors(ErrorLabel())
        self.new_form = QWidget()
        form = QFormLayout(self.new_form)
        form.setContentsMargins(24, 0, 0, 0)
        add_row(form, self.errors, "name", self.tr("Your &name"), self.name)
        add_row(form, self.errors, "department", self.tr("&Department"), self.department)
        add_row(form, self.errors, "role", self.tr("&Role"), self.role)
        layout.addWidget(self.new_form)

        self.empty_start = QRadioButton(self.tr("&Empty, ready for my own customers and deals"))
        self.demo_start = QRadioButton(self.tr("With &demo data: a sample company with {n} deals in every stage, "
                                               "to try things out").format(n=DEMO_DEALS))
        start = QButtonGroup(self)
        start.addButton(self.empty_start)
        start.addButton(self.demo_start)
        self.empty_start.setChecked(True)
        self.offer_demo = database_is_empty(services) and demo_available()
        if self.offer_demo:
            layout.addSpacing(8)
            layout.addWidget(QLabel(self.tr("How do you want to start?")))
            layout.addWidget(self.empty_start)
            layout.addWidget(self.demo_start)
        layout.addWidget(self.errors.general)  # type: ignore[arg-type]
        buttons = QDialogButtonBox()
        self.start_button = buttons.addButton(self.tr("Start SalesDesk"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.existing.toggled.connect(self._who_changed)
        (self.existing if members else self.newcomer).setChecked(True)
        self._who_changed()

    def _who_changed(self, *_args: object) -> None:
        self.member_combo.setEnabled(self.existing.isChecked())
        self.new_form.setEnabled(self.newcomer.isChecked())
        (self.member_combo if self.existing.isChecked() else self.name).setFocus()

    def answer(self) -> Introduction:
        return Introduction(
            member_uid=self.member_combo.currentData() if self.existing.isChecked() else None,
            name=self.name.text(), department=self.department.currentText(), role=self.role.text(),
            fill_demo=self.offer_demo and self.demo_start.isChecked(),
        )

    def accept(self) -> None:
        answer = self.answer()
        try:
            self.member = introduce(self.services, self.prefs, answer)
            if answer.fill_demo:
                run_with_progress(self, self.tr("Filling the demo database…"),
                                  lambda progress: fill_demo(self.services, progress))
        except SalesDeskError as exc:
            self.errors.show(exc)
            return
        super().accept()

    @classmethod
    def ask(cls, services: Services, prefs: QSettings, parent: QWidget | None = None) -> TeamMember | None:
        """The member who is using the app, or None if they chose Quit."""
        dialog = cls(services, prefs, parent)
        dialog.exec()
        return dialog.member
