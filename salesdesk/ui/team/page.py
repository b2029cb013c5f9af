"""The Team page: who is on the team, their role and department, who may sign, and signing PINs."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import TeamMember
from salesdesk.ui import dialogs, theme
from salesdesk.ui.context import UiContext
from salesdesk.ui.icons import icon
from salesdesk.ui.team.pin_dialog import PinDialog
from salesdesk.ui.widgets.fields import ErrorLabel, FieldErrors, add_row, hint_label, section_title

MEMBER_ROLE = Qt.ItemDataRole.UserRole


class TeamPage(QWidget):
    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.member: TeamMember | None = None

        self.table = QTreeWidget()
        self.table.setAccessibleName(self.tr("Team members"))
        self.table.setHeaderLabels([self.tr("Name"), self.tr("Role"), self.tr("Department"), self.tr("Signs"),
                                    self.tr("PIN")])
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.header().setStretchLastSection(False)
        self.table.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.show_former = QCheckBox(self.tr("Show &former members"))
        self.new_button = QPushButton(icon("plus"), self.tr("&New member"))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(12, 12, 6, 12)
        left_layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.show_former)
        bottom.addStretch(1)
        bottom.addWidget(self.new_button)
        left_layout.addLayout(bottom)

        self.heading = section_title("")
        self.name = QLineEdit()
        self.role = QLineEdit()
        self.role.setPlaceholderText(self.tr("e.g. Sales rep, Operations lead, Account manager"))
        self.department = QComboBox()
        self.department.setEditable(True)
        self.department.addItems([d.name for d in ui.services.settings.load().departments])
        self.email = QLineEdit()
        self.phone = QLineEdit()
        self.can_sign = QCheckBox(self.tr("May sign agreements for the company"))
        self.active = QCheckBox(self.tr("Active (uncheck when someone leaves; their history stays)"))
        self.errors = FieldErrors(ErrorLabel())
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add_row(form, self.errors, "name", self.tr("&Name"), self.name)
        add_row(form, self.errors, "role", self.tr("&Role"), self.role)
        add_row(form, self.errors, "department", self.tr("&Department"), self.department)
        add_row(form, self.errors, "email", self.tr("&E-mail"), self.email)
        add_row(form, self.errors, "phone", self.tr("&Phone"), self.phone)
        form.addRow("", self.can_sign)
        form.addRow("", self.active)
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setDefault(True)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        self.pin_state = QLabel()
        self.pin_button = QPushButton()
        self.remove_pin_button = QPushButton(self.tr("Remove PIN"))
        pin_row = QHBoxLayout()
        pin_row.addWidget(self.pin_state, 1)
        pin_row.addWidget(self.pin_button)
        pin_row.addWidget(self.remove_pin_button)
        editor = QWidget()
        editor.setMaximumWidth(640)
        right = QVBoxLayout(editor)
        right.setContentsMargins(18, 12, 18, 12)
        right.addWidget(self.heading)
        right.addLayout(form)
        right.addWidget(self.errors.general)  # type: ignore[arg-type]
        right.addLayout(save_row)
        right.addWidget(section_title(self.tr("Signing PIN")))
        right.addWidget(hint_label(self.tr("Members who sign agreements on screen confirm with their PIN.")))
        right.addLayout(pin_row)
        right.addStretch(1)

        split = QSplitter()
        split.addWidget(left)
        split.addWidget(editor)
        split.setStretchFactor(0, 1)
        split.setSizes([560, 560])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

        self.table.currentItemChanged.connect(self._item_chosen)
        self.show_former.toggled.connect(lambda _on: self.reload())
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        self.pin_button.clicked.connect(self.set_pin)
        self.remove_pin_button.clicked.connect(self.remove_pin)
        self.reload(select_uid=ui.user.uid)

    def reload(self, select_uid: str | None = None) -> None:
        members = self.ui.services.team.list_members(include_inactive=self.show_former.isChecked())
        target = select_uid or (self.member.uid if self.member else None)
        self.table.blockSignals(True)
        self.table.clear()
        chosen = None
        for m in members:
            item = QTreeWidgetItem([m.name, m.role, m.department, self.tr("yes") if m.can_sign_agreements else "",
                                    self.tr("set") if m.has_pin else ""])
            item.setData(0, MEMBER_ROLE, m)
            if not m.active:
                item.setToolTip(0, self.tr("Former member"))
                for col in range(5):
                    item.setForeground(col, theme.muted_text())
            self.table.addTopLevelItem(item)
            if m.uid == target:
                chosen = item
        self.table.blockSignals(False)
        if chosen is not None:
            self.table.setCurrentItem(chosen)
            self.show_member(chosen.data(0, MEMBER_ROLE))
        elif members:
            self.table.setCurrentItem(self.table.topLevelItem(0))
        else:
            self.start_new()

    def _item_chosen(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if item is not None:
            self.show_member(item.data(0, MEMBER_ROLE))

    def show_member(self, member: TeamMember | None) -> None:
        self.member = member
        self.errors.clear()
        self.heading.setText(member.name if member else self.tr("New team member"))
        self.name.setText(member.name if member else "")
        self.role.setText(member.role if member else "")
        self.department.setCurrentText(member.department if member else "Sales")
        self.email.setText(member.email if member else "")
        self.phone.setText(member.phone if member else "")
        self.can_sign.setChecked(bool(member and member.can_sign_agreements))
        self.active.setChecked(member.active if member else True)
        self.active.setEnabled(member is not None and member.uid != self.ui.user.uid)
        has_pin = bool(member and member.has_pin)
        self.pin_state.setText(self.tr("A PIN is set.") if has_pin else self.tr("No PIN set."))
        self.pin_button.setText(self.tr("Change PIN…") if has_pin else self.tr("Set PIN…"))
        self.pin_button.setEnabled(member is not None)
        self.remove_pin_button.setVisible(has_pin)

    def start_new(self) -> None:
        self.table.clearSelection()
        self.show_member(None)
        self.name.setFocus()

    def save(self) -> bool:
        team = self.ui.services.team
        values = {"name": self.name.text(), "role": self.role.text(), "department": self.department.currentText(),
                  "email": self.email.text().strip(), "phone": self.phone.text()}
        try:
            if self.member is None:
                saved = team.add(**values, can_sign_agreements=self.can_sign.isChecked())
            else:
                saved = team.update(replace(self.member, **values, can_sign_agreements=self.can_sign.isChecked(),
                                            active=self.active.isChecked()))
        except SalesDeskError as exc:
            self.errors.show(exc)
            return False
        self.reload(select_uid=saved.uid)
        return True

    def set_pin(self) -> None:
        if self.member is None:
            return
        uid = self.member.uid
        if PinDialog.ask(self, self.member.name, lambda pin: self.ui.services.team.set_pin(uid, pin)):
            self.reload(select_uid=uid)

    def remove_pin(self) -> None:
        if self.member is None:
            return
        if dialogs.confirm(self, self.tr("Remove PIN"), self.tr("Remove {name}'s signing PIN?").format(
                name=self.member.name), yes=self.tr("Remove PIN")):
            self.ui.services.team.set_pin(self.member.uid, None)
            self.reload(select_uid=self.member.uid)
