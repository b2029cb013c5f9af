"""Set or change a team member's signing PIN (typed twice, never shown)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from salesdesk.domain.errors import SalesDeskError, ValidationError
from salesdesk.ui.widgets.fields import ErrorLabel, FieldErrors, add_row, hint_label


class PinDialog(QDialog):
    def __init__(self, name: str, save: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.save = save
        self.done_ok = False
        self.setWindowTitle(self.tr("Signing PIN for {name}").format(name=name))
        self.pin = QLineEdit()
        self.repeat = QLineEdit()
        for edit in (self.pin, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setValidator(QRegularExpressionValidator(r"\d{0,12}", edit))
        self.errors = FieldErrors(ErrorLabel())
        form = QFormLayout()
        add_row(form, self.errors, "pin", self.tr("New &PIN"), self.pin)
        add_row(form, self.errors, "repeat", self.tr("&Repeat it"), self.repeat)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label(self.tr("4 to 12 digits. It is asked for before {name} signs an agreement; "
                                            "SalesDesk keeps only a salted hash of it.").format(name=name)))
        layout.addLayout(form)
        layout.addWidget(self.errors.general)  # type: ignore[arg-type]
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            if self.pin.text() != self.repeat.text():
                raise ValidationError(self.tr("The two PINs are different."), self.tr("Type the same PIN twice."),
                                      field="repeat")
            self.save(self.pin.text())
        except SalesDeskError as exc:
            self.errors.show(exc)
            return
        self.done_ok = True
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, name: str, save: Callable[[str], None]) -> bool:
        """True when a PIN was set (``save`` stored it)."""
        dialog = cls(name, save, parent)
        dialog.exec()
        return dialog.done_ok
