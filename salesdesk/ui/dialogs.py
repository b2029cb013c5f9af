"""Small dialogs behind plain functions, so tests replace them with a monkeypatch.

Pages call ``confirm(...)``, ``ConflictDialog.ask(...)``, ``choose_png(...)`` and never build
message boxes themselves. (The Qt dialog classes load when first used: the main window's frame
imports this module before it shows.)
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from salesdesk.ui.text import tr

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from salesdesk.domain.errors import ConflictError, SalesDeskError


def confirm(parent: QWidget | None, title: str, text: str, *, yes: str = "", no: str = "") -> bool:
    """Ask a yes/no question; True when the user chose ``yes``."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    ok = box.addButton(yes or tr("OK"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no or tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(ok)
    box.exec()
    return box.clickedButton() is ok


def show_problem(parent: QWidget | None, exc: SalesDeskError, title: str = "") -> None:
    """What went wrong and what to do, in the rep's words."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, title or tr("SalesDesk"), exc.message, QMessageBox.StandardButton.Ok,
                      parent)
    if exc.hint:
        box.setInformativeText(exc.hint)
    box.exec()


def inform(parent: QWidget | None, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.information(parent, title, text)


def choose_png(parent: QWidget | None, start: str = "") -> str | None:
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getOpenFileName(parent, tr("Choose the letterhead logo"), start, tr("PNG images (*.png)"))
    return path or None


def choose_folder(parent: QWidget | None, title: str, start: str = "") -> str | None:
    from PySide6.QtWidgets import QFileDialog

    path = QFileDialog.getExistingDirectory(parent, title, start)
    return path or None


class ConflictChoice(StrEnum):
    RELOAD = "reload"
    KEEP_EDITING = "keep"


class ConflictDialog:
    """Someone else saved the same record: take their version, or keep what you typed."""

    @classmethod
    def ask(cls, parent: QWidget | None, exc: ConflictError) -> ConflictChoice:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, tr("Changed by someone else"), exc.message,
                          QMessageBox.StandardButton.NoButton, parent)
        detail = tr("Reload shows their version and drops your unsaved changes. "
                    "Keep editing leaves your text on screen; nothing is saved until you choose "
                    "to save over their version.")
        if exc.fields:
            changed = ", ".join(f.replace("_", " ") for f in exc.fields[:8])
            detail = tr("They changed: {fields}.").format(fields=changed) + "\n\n" + detail
        box.setInformativeText(detail)
        reload_button = box.addButton(tr("Reload (their version)"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(tr("Keep editing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return ConflictChoice.RELOAD if box.clickedButton() is reload_button else ConflictChoice.KEEP_EDITING
