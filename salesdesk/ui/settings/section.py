"""What every part of the Settings page does: show the settings, read its fields back into them."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QVBoxLayout, QWidget

from salesdesk.domain.errors import ValidationError
from salesdesk.domain.model import Settings
from salesdesk.services import validation
from salesdesk.services.settings import validate_factor
from salesdesk.ui.widgets.fields import FieldErrors, hint_label, section_title


class SettingsSection(QWidget):
    edited = Signal()

    def __init__(self, title: str, hint: str, errors: FieldErrors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors = errors
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 12)
        self.box.addWidget(section_title(title))
        if hint:
            self.box.addWidget(hint_label(hint))
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.box.addLayout(self.form)

    def show_settings(self, st: Settings) -> None:
        """Fill the section's fields from ``st`` (each section overrides this)."""

    def apply(self, st: Settings) -> Settings:
        """``st`` with this section's fields as typed; raises ValidationError for text that is not a number or date."""
        return st


def number(text: str, label: str, field: str) -> Decimal | None:
    """A typed number (empty: None), refused with a message next to ``field``."""
    text = text.strip()
    return validation.decimal(text, label, field=field) if text else None


def factor(text: str, label: str, field: str) -> Decimal | None:
    value = number(text, label, field)
    if value is None:
        return None
    try:
        return validate_factor(value, label)
    except ValidationError as exc:
        raise ValidationError(exc.message, exc.hint, field=field) from None
