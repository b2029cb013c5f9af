"""Settings: the company as it appears on the letterhead, and its logo."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from salesdesk.domain.errors import ValidationError
from salesdesk.domain.model import Settings
from salesdesk.ui import dialogs
from salesdesk.ui.settings.section import SettingsSection
from salesdesk.ui.widgets.fields import FieldErrors, add_row
from salesdesk.ui.widgets.inputs import GrowingTextEdit


class CompanySection(SettingsSection):
    def __init__(self, errors: FieldErrors, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Company and letterhead"),
                         self.tr("Printed at the top of every agreement, quote and action plan."), errors, parent)
        self.logo_png: bytes | None = None
        self.name = QLineEdit()
        self.address = GrowingTextEdit(min_lines=2, max_lines=5)
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.website = QLineEdit()
        add_row(self.form, errors, "company_name", self.tr("Company &name"), self.name)
        add_row(self.form, errors, "company_address", self.tr("&Address"), self.address)
        add_row(self.form, errors, "company_phone", self.tr("&Phone"), self.phone)
        add_row(self.form, errors, "company_email", self.tr("&E-mail"), self.email)
        add_row(self.form, errors, "company_website", self.tr("&Website"), self.website)

        self.preview = QLabel()
        self.preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFixedSize(220, 80)
        self.preview.setAccessibleName(self.tr("Logo preview"))
        self.choose = QPushButton(self.tr("&Choose PNG…"))
        self.remove = QPushButton(self.tr("Remove logo"))
        buttons = QVBoxLayout()
        buttons.addWidget(self.choose)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)
        logo = QWidget()
        row = QHBoxLayout(logo)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.preview)
        row.addLayout(buttons)
        row.addStretch(1)
        add_row(self.form, errors, "logo_png", self.tr("Letterhead &logo"), logo)
        self.choose.setAccessibleName(self.tr("Choose the letterhead logo"))

        for edit in (self.name, self.phone, self.email, self.website):
            edit.textEdited.connect(self.edited)
        self.address.textChanged.connect(self.edited)
        self.choose.clicked.connect(self.choose_logo)
        self.remove.clicked.connect(lambda: self._set_logo(None))

    def show_settings(self, st: Settings) -> None:
        self.name.setText(st.company_name)
        self.address.set_text(st.company_address)
        self.phone.setText(st.company_phone)
        self.email.setText(st.company_email)
        self.website.setText(st.company_website)
        self._show_logo(st.logo_png)

    def apply(self, st: Settings) -> Settings:
        return replace(st, company_name=self.name.text(), company_address=self.address.text(),
                       company_phone=self.phone.text(), company_email=self.email.text().strip(),
                       company_website=self.website.text().strip(), logo_png=self.logo_png)

    def choose_logo(self) -> None:
        path = dialogs.choose_png(self)
        if not path:
            return
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            self.errors.show(ValidationError(self.tr("The file could not be read: {reason}.").format(
                reason=exc.strerror), self.tr("Choose another PNG file."), field="logo_png"))
            return
        self._set_logo(data)

    def _set_logo(self, data: bytes | None) -> None:
        self._show_logo(data)
        self.edited.emit()

    def _show_logo(self, data: bytes | None) -> None:
        self.logo_png = data
        self.remove.setEnabled(data is not None)
        pixmap = QPixmap()
        if data and pixmap.loadFromData(QByteArray(data)):
            self.preview.setPixmap(pixmap.scaled(self.preview.size() * 0.9, Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation))
        else:
            self.preview.setPixmap(QPixmap())
            self.preview.setText(self.tr("No logo") if not data else self.tr("Not a picture"))
