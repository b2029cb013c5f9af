"""The Settings page: company and letterhead, promises and prices, calendar, where data lives.

Every field is checked by the settings service when the page is saved; a refused value is shown
next to its field and nothing is saved.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import Settings
from salesdesk.services.app import database_url, remember_database_url
from salesdesk.ui import theme
from salesdesk.ui.context import UiContext
from salesdesk.ui.settings.calendar import CalendarSection
from salesdesk.ui.settings.company import CompanySection
from salesdesk.ui.settings.promises import PromisesSection
from salesdesk.ui.settings.section import SettingsSection
from salesdesk.ui.settings.storage import StorageSection
from salesdesk.ui.settings.templates_section import TemplatesSection
from salesdesk.ui.settings.terms_section import TermsSection
from salesdesk.ui.widgets.fields import ErrorLabel, FieldErrors, align_form_labels


def remembered_database_url() -> str:
    """The URL saved from this page earlier (not --db or the environment, which win over it)."""
    return database_url(None, {}) or ""


class SettingsPage(QWidget):
    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.settings: Settings = ui.services.settings.load()
        self.errors = FieldErrors(ErrorLabel())
        self.storage = StorageSection(self.errors, ui.services.store.display_name)
        self.sections: list[SettingsSection] = [
            CompanySection(self.errors), PromisesSection(self.errors), CalendarSection(self.errors),
            TemplatesSection(ui.services.templates),
            TermsSection(self.errors, ui.services),  # saves the library once the fields above are read
            self.storage,
        ]
        body = QWidget()
        body.setMaximumWidth(880)
        column = QVBoxLayout(body)
        column.setContentsMargins(24, 8, 24, 16)
        for section in self.sections:
            column.addWidget(section)
            section.edited.connect(self._edited)
        column.addStretch(1)
        align_form_labels(body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        self.state = QLabel()
        self.save_button = QPushButton(self.tr("&Save settings"))
        self.save_button.setDefault(True)
        self.revert_button = QPushButton(self.tr("&Revert"))
        bar = QHBoxLayout()
        bar.setContentsMargins(24, 8, 24, 8)
        bar.addWidget(self.errors.general, 1)  # type: ignore[arg-type]
        bar.addStretch(1)
        bar.addWidget(self.state)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(scroll, 1)
        layout.addWidget(line)
        layout.addLayout(bar)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.revert()

    def revert(self) -> None:
        self.settings = self.ui.services.settings.load()
        for section in self.sections:
            section.show_settings(self.settings)
        self.storage.show_database_url(remembered_database_url())
        self.errors.clear()
        self._show_state(self.tr("All settings saved."), None)

    def save(self) -> bool:
        try:
            draft = self.settings
            for section in self.sections:
                draft = section.apply(draft)
            saved = self.ui.services.settings.save(draft)
        except SalesDeskError as exc:
            self.errors.show(exc)
            self._show_state(self.tr("Not saved: see the message next to the field."), theme.PROBLEM_HUE)
            return False
        url = self.storage.database_url.text().strip()
        restart = url != self.storage.saved_url
        if restart:
            remember_database_url(url)
        self.settings = saved
        for section in self.sections:
            section.show_settings(saved)
        self.storage.show_database_url(url)
        self.errors.clear()
        self._show_state(self.tr("Saved. The database change applies when SalesDesk restarts.") if restart
                         else self.tr("All settings saved."), None)
        return True

    def _edited(self) -> None:
        self._show_state(self.tr("Unsaved changes"), theme.WARNING_HUE)

    def _show_state(self, text: str, hue: str | None) -> None:
        self.state.setText(text)
        pal = self.state.palette()
        pal.setColor(self.state.foregroundRole(), theme.accent_text(hue) if hue else theme.muted_text())
        self.state.setPalette(pal)
        self.state.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
