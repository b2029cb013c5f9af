"""The dialogs of deal packages and backups, each behind a replaceable function or classmethod so a
test answers it: choose a package, settle an import conflict, pick a backup (with a preview of what
it holds), accept the latest good backup at start — and a cancellable progress dialog fed by a
generator running on a worker thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, QEventLoop, QLocale, QObject, QRunnable, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.errors import ConflictError, SalesDeskError, StoreError
from salesdesk.ui.text import stage_label, tr
from salesdesk.ui.widgets.fields import ErrorLabel, hint_label
from salesdesk.ui.workers import LatestOnly, pool

if TYPE_CHECKING:
    from salesdesk.services.backup import BackupInfo

PATH_ROLE = Qt.ItemDataRole.UserRole


# --- choosing files ------------------------------------------------------------------------------

def choose_package(parent: QWidget | None, start: str = "") -> str | None:
    """A package's deal.json (the folder it is in is the package)."""
    path, _ = QFileDialog.getOpenFileName(parent, tr("Import a deal package: choose its deal.json"), start,
                                          tr("Deal packages (deal.json);;All files (*)"))
    return path or None


def choose_backup_file(parent: QWidget | None, start: str = "") -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, tr("Choose a SalesDesk backup"), start,
                                          tr("SalesDesk backups (*.db);;All files (*)"))
    return path or None


# --- an import conflict ----------------------------------------------------------------------------

class ImportConflictDialog:
    """Both this computer and the package changed the deal: which copy wins?"""

    THEIRS, OURS, COPY = "theirs", "ours", "copy"

    @classmethod
    def ask(cls, parent: QWidget | None, exc: ConflictError) -> str | None:
        """"theirs", "ours", "copy", or None to import nothing."""
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Changed on both computers"), exc.message,
                          QMessageBox.StandardButton.NoButton, parent)
        changed = ", ".join(f.replace("_", " ") for f in exc.fields[:12]) or tr("some details")
        box.setInformativeText(tr(
            "Both copies changed: {fields}.\n\nKeep theirs replaces this computer's deal with the package's. Keep "
            "ours leaves this computer's deal as it is. Import as a copy adds the package as a separate deal, so "
            "nothing is lost and you can compare them.").format(fields=changed))
        theirs = box.addButton(tr("Keep &theirs"), QMessageBox.ButtonRole.DestructiveRole)
        ours = box.addButton(tr("Keep &ours"), QMessageBox.ButtonRole.AcceptRole)
        copy = box.addButton(tr("Import as a &copy"), QMessageBox.ButtonRole.ActionRole)
        cancel = box.addButton(tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(copy)
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        for button, choice in ((theirs, cls.THEIRS), (ours, cls.OURS), (copy, cls.COPY)):
            if clicked is button:
                return choice
        return None


# --- what a backup holds ---------------------------------------------------------------------------

def when_taken(info: BackupInfo) -> str:
    if info.taken_at is None:
        return tr("an unknown time")
    stamp = QDateTime.fromSecsSinceEpoch(int(info.taken_at.timestamp())).toLocalTime()
    return QLocale().toString(stamp, "d MMM yyyy  HH:mm")


def describe(info: BackupInfo) -> str:
    """What a backup holds, in a few lines a person reads before restoring it."""
    from salesdesk.domain.model import Stage

    lines = [tr("Taken {when}").format(when=when_taken(info)),
             tr("{customers} customers, {deals} deals").format(customers=f"{info.customers:,}",
                                                              deals=f"{info.deals:,}")]
    stages = [f"{stage_label(stage)} {info.deals_by_stage[stage.value]:,}" for stage in Stage
              if info.deals_by_stage.get(stage.value)]
    if stages:
        lines.append(" · ".join(stages))
    if info.newest_deal:
        ref, title, _at = info.newest_deal
        lines.append(tr("Last changed deal: {ref} {title}").format(ref=ref, title=title))
    lines.append(tr("Schema {version} · {size} · {name}").format(
        version=info.schema_version or "—", size=QLocale().formattedDataSize(info.size_bytes), name=info.path.name))
    return "\n".join(lines)


class RestoreDialog(QDialog):
    """Pick a backup from the list (or a file elsewhere) and see what it holds before restoring it."""

    def __init__(self, backups: list[Path], read: Callable[[Path], BackupInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._read = read
        self.info: BackupInfo | None = None
        self.setWindowTitle(self.tr("Restore a backup"))
        self.setMinimumSize(620, 420)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Backups, newest first"))
        for path in backups:
            item = QListWidgetItem(path.name)
            item.setData(PATH_ROLE, str(path))
            self.list.addItem(item)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.preview.setAccessibleName(self.tr("What the backup holds"))
        self.error = ErrorLabel()
        self.other = QPushButton(self.tr("&Other backup file…"))
        self.other.clicked.connect(self._choose_file)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton(self.tr("&Restore this backup…"),
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(self.error)
        body.addLayout(right, 1)
        bar = QHBoxLayout()
        bar.addWidget(self.other)
        bar.addStretch(1)
        bar.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label(self.tr(
            "Restoring replaces everything in SalesDesk on this computer with the backup. The current database is "
            "kept aside first, so nothing is lost.")))
        if not backups:
            layout.addWidget(hint_label(self.tr("No backups in the backups folder yet: choose a backup file.")))
        layout.addLayout(body, 1)
        layout.addLayout(bar)
        self.loader = LatestOnly(self)
        self.loader.finished.connect(self._show)
        self.loader.failed.connect(self._failed)
        self.list.currentItemChanged.connect(lambda item, _prev: self.preview_backup(item.data(PATH_ROLE))
                                             if item is not None else None)
        if backups:
            self.list.setCurrentRow(0)

    def preview_backup(self, path: str | Path) -> None:
        """Read what the backup holds (on a worker: a big backup takes a moment)."""
        self.info = None
        self.restore_button.setEnabled(False)
        self.error.clear_message()
        self.preview.setText(self.tr("Reading {name}…").format(name=Path(path).name))
        read = self._read
        self.loader.submit(lambda: read(Path(path)))

    def _show(self, info: BackupInfo) -> None:
        self.info = info
        self.preview.setText(describe(info))
        self.restore_button.setEnabled(True)

    def _failed(self, exc: object) -> None:
        if not isinstance(exc, SalesDeskError):
            raise exc  # type: ignore[misc]
        self.preview.setText("")
        self.error.show_message(exc.message, exc.hint)

    def _choose_file(self) -> None:
        path = choose_backup_file(self)
        if path:
            item = QListWidgetItem(Path(path).name)
            item.setData(PATH_ROLE, path)
            self.list.insertItem(0, item)
            self.list.setCurrentItem(item)

    @classmethod
    def ask(cls, parent: QWidget | None, backups: list[Path], read: Callable[[Path], BackupInfo]) -> BackupInfo | None:
        """The backup chosen (with what it holds), or None."""
        dialog = cls(backups, read, parent)
        return dialog.info if dialog.exec() == QDialog.DialogCode.Accepted else None


def offer_backup_at_start(error: StoreError, info: BackupInfo) -> bool:
    """The database cannot be used: restore the latest good backup? (True: restore it.)"""
    box = QMessageBox(QMessageBox.Icon.Critical, tr("SalesDesk cannot open its database"), error.message,
                      QMessageBox.StandardButton.NoButton)
    box.setInformativeText(tr(
        "The latest good backup:\n{what}\n\nRestore it? The damaged database is kept aside as it is; it is never "
        "overwritten.").format(what=describe(info)))
    restore = box.addButton(tr("&Restore this backup"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(tr("&Quit"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    return box.clickedButton() is restore


# --- long work that can be stopped between steps ---------------------------------------------------

@dataclass(frozen=True)
class StepsDone:
    """How far the work got: ``done`` of ``total``, stopped by the user, or ended by ``error``."""

    done: int
    total: int
    cancelled: bool
    last: str = ""
    error: BaseException | None = None


class _Relay(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object)


class _Steps(QRunnable):
    def __init__(self, steps: Callable[[], Iterator[tuple[int, int, str]]], relay: _Relay,
                 stop: threading.Event) -> None:
        super().__init__()
        self.steps, self.relay, self.stop = steps, relay, stop

    def run(self) -> None:
        done = total = 0
        last = ""
        try:
            work = self.steps()
            try:
                for done, total, last in work:
                    self.relay.progressed.emit(done, total, last)
                    if self.stop.is_set():
                        break  # the step just finished stays complete; nothing more starts
            finally:
                close = getattr(work, "close", None)
                if close is not None:
                    close()
        except Exception as exc:  # handed to the UI thread, with what was done before it
            self.relay.finished.emit(StepsDone(done, total, self.stop.is_set(), last, exc))
            return
        self.relay.finished.emit(StepsDone(done, total, self.stop.is_set() and done < total, last))


class StepsProgress(QObject):
    """Runs a generator of ``(done, total, what)`` on a worker, fed into a cancellable progress dialog."""

    def __init__(self, parent: QWidget | None, title: str, label: str) -> None:
        super().__init__(parent)
        self.label = label
        self.dialog = QProgressDialog(label, tr("Cancel"), 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.stop = threading.Event()
        self.dialog.canceled.connect(self.cancel)

    def cancel(self) -> None:
        self.stop.set()
        self.dialog.setLabelText(tr("Stopping after the current deal…"))

    def run(self, steps: Callable[[], Iterator[tuple[int, int, str]]]) -> StepsDone:
        """Run to the end, until cancelled or until a step fails (``error``, with what was done before)."""
        relay = _Relay()
        loop = QEventLoop()
        outcome: list[StepsDone] = []

        def progressed(done: int, total: int, what: str) -> None:
            self.dialog.setMaximum(max(total, 1))
            self.dialog.setValue(min(done, max(total, 1)))
            if what and not self.stop.is_set():
                self.dialog.setLabelText(tr("{label}\n{what} ({done:,} of {total:,})").format(
                    label=self.label, what=what, done=done, total=total))

        def finished(result: StepsDone) -> None:
            outcome.append(result)
            loop.quit()

        relay.progressed.connect(progressed)
        relay.finished.connect(finished)
        self.dialog.show()
        pool().start(_Steps(steps, relay, self.stop))
        loop.exec()
        self.dialog.close()
        self.dialog.deleteLater()
        return outcome[0]
