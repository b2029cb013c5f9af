"""The last line of defence: an unexpected error is logged and explained, and the app keeps running."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication

from salesdesk import paths
from salesdesk.domain.errors import SalesDeskError
from salesdesk.ui import dialogs
from salesdesk.ui.text import tr

log = logging.getLogger("salesdesk.ui")


def log_file() -> Path:
    return paths.log_dir() / "salesdesk.log"


def where(tb: TracebackType | None) -> str:
    """The innermost SalesDesk frame, e.g. "deals/presenter.py, line 80 (refresh)"."""
    frames = traceback.extract_tb(tb)
    ours = [f for f in frames if "salesdesk" in f.filename.replace("\\", "/")] or frames
    if not ours:
        return tr("an unknown place")
    last = ours[-1]
    short = "/".join(Path(last.filename).parts[-2:])
    return f"{short}, line {last.lineno} ({last.name})"


def show_unexpected(exc: BaseException, tb: TracebackType | None) -> None:
    """Tell the user what happened, where, and where the details are; replaced in tests."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Critical, tr("Something went wrong"),
                      tr("SalesDesk ran into an unexpected problem: {error}").format(error=exc or type(exc).__name__),
                      QMessageBox.StandardButton.Ok, QApplication.activeWindow())
    box.setInformativeText(
        tr("It happened in {where}. Your saved work is safe and SalesDesk keeps running.\n\n"
           "The details are in the log file:\n{log}").format(where=where(tb), log=log_file())
    )
    box.setDetailedText("".join(traceback.format_exception(type(exc), exc, tb)))
    box.exec()


def handle_exception(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """``sys.excepthook`` while the app runs."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    if isinstance(exc, SalesDeskError):
        log.warning("%s (%s)", exc, where(tb))
        dialogs.show_problem(QApplication.activeWindow(), exc)
        return
    log.error("Unexpected error", exc_info=(kind, exc, tb))
    show_unexpected(exc, tb)


def install() -> None:
    sys.excepthook = handle_exception
