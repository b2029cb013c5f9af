"""A labelled form row whose label and error label the view keeps (to retitle them, or show a message)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from salesdesk.ui.widgets.fields import ErrorLabel, FieldErrors, add_row


def labelled_row(form: QFormLayout, errors: FieldErrors, key: str, text: str,
                 widget: QWidget) -> tuple[QLabel, ErrorLabel]:
    """``add_row``, handing back the row's label and the error label under the field."""
    add_row(form, errors, key, text, widget)
    box = widget.parentWidget()
    label = form.labelForField(box) if box is not None else None
    error = box.findChild(ErrorLabel) if box is not None else None
    assert isinstance(label, QLabel) and error is not None, "add_row lays out a label and an error label"
    return label, error
