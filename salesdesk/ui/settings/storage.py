"""Settings: where data lives — the shared folder for exports, and the database (applies on restart)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from salesdesk.domain.errors import ValidationError
from salesdesk.domain.model import Settings
from salesdesk.ui import dialogs
from salesdesk.ui.settings.section import SettingsSection
from salesdesk.ui.text import tr
from salesdesk.ui.widgets.fields import FieldErrors, add_row, hint_label


def checked_database_url(text: str) -> str:
    """The URL as typed, refused when SalesDesk could not read it as a database address."""
    from salesdesk.store.engine import normalise_url

    text = text.strip()
    if text:
        try:
            make_url(normalise_url(text))
        except ArgumentError:
            raise ValidationError(tr("'{url}' is not a database address SalesDesk understands.").format(url=text),
                                  tr("Use a file path, sqlite:///path/to/file.db or postgresql://user@host/dbname."),
                                  field="database_url") from None
    return text


class StorageSection(SettingsSection):
    def __init__(self, errors: FieldErrors, current_database: str, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Where data lives"), "", errors, parent)
        self.shared_folder = QLineEdit()
        self.shared_folder.setPlaceholderText(self.tr("A folder everyone can read, e.g. on the shared drive"))
        browse = QPushButton(self.tr("&Browse…"))
        browse.setAccessibleName(self.tr("Choose the shared folder"))
        folder = QWidget()
        row = QHBoxLayout(folder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.shared_folder, 1)
        row.addWidget(browse)
        add_row(self.form, errors, "shared_folder", self.tr("&Shared folder"), folder)
        self.shared_folder.setAccessibleName(self.tr("Shared folder"))
        self.database_url = QLineEdit()
        self.database_url.setPlaceholderText(current_database)
        add_row(self.form, errors, "database_url", self.tr("&Database"), self.database_url)
        self.form.addRow("", hint_label(self.tr(
            "Empty: this laptop's own database file. A PostgreSQL address (postgresql://user@server/salesdesk) shares "
            "deals between laptops. A change applies the next time SalesDesk starts.")))
        self.saved_url = ""
        browse.clicked.connect(self.choose_folder)
        self.shared_folder.textEdited.connect(self.edited)
        self.database_url.textEdited.connect(self.edited)

    def choose_folder(self) -> None:
        path = dialogs.choose_folder(self, self.tr("Choose the shared folder"), self.shared_folder.text())
        if path:
            self.shared_folder.setText(path)
            self.edited.emit()

    def show_settings(self, st: Settings) -> None:
        self.shared_folder.setText(st.shared_folder)

    def show_database_url(self, url: str) -> None:
        self.saved_url = url
        self.database_url.setText(url)

    def apply(self, st: Settings) -> Settings:
        checked_database_url(self.database_url.text())
        return replace(st, shared_folder=self.shared_folder.text().strip())
