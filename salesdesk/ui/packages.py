"""File ▸ deal packages and backups: export the open deal (or all deals, or those changed since
their last export) to the shared folder, import a package, back up now, restore a backup — and, at
start, offer the latest good backup when the database cannot be used.

The package and backup services do the work, on a worker thread behind a progress dialog; this
module asks the questions (which folder, which copy wins, which backup) and tells what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from salesdesk import paths
from salesdesk.domain.errors import ConflictError, SalesDeskError, StoreError
from salesdesk.ui import dialogs
from salesdesk.ui.shortcuts import set_shortcut
from salesdesk.ui.text import tr

if TYPE_CHECKING:
    from salesdesk.services.app import Services
    from salesdesk.services.backup import BackupInfo, BackupService
    from salesdesk.services.package import PackageService
    from salesdesk.services.package_import import ImportResult, Resolution
    from salesdesk.ui.context import UiContext
    from salesdesk.ui.main_window import MainWindow
    from salesdesk.ui.packages_dialogs import StepsDone, StepsProgress
    from salesdesk.ui.workspace.workspace import DealWorkspace

# The core and the dialogs load when first used, not with the menu: the window shows before the database opens.


class PackageActions(QObject):
    """The File menu's package and backup actions of one main window."""

    def __init__(self, window: MainWindow, deals_changed: Callable[[], None]) -> None:
        super().__init__(window)
        self.window, self.deals_changed = window, deals_changed
        self.progress: StepsProgress | None = None  # while an export of many deals runs
        self.export_action = self._action(self.tr("&Export deal package"), "Ctrl+E", self.export_deal)
        self.export_to_action = self._action(self.tr("Export deal package &to…"), "", lambda: self.export_deal(True))
        self.export_all_action = self._action(self.tr("Export &all deals…"), "", self.export_all)
        self.export_changed_action = self._action(self.tr("Export deals c&hanged since last export…"), "",
                                                  lambda: self.export_all(changed_only=True))
        self.import_action = self._action(self.tr("&Import package…"), "Ctrl+I", self.import_package)
        self.backup_action = self._action(self.tr("&Back up now"), "", self.backup_now)
        self.restore_action = self._action(self.tr("&Restore a backup…"), "", self.restore_backup)
        self.export_action.setToolTip(self.tr("Write the open deal's package into the shared folder (Ctrl+E)"))

    def _action(self, text: str, shortcut: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self.window)
        set_shortcut(action, shortcut)
        action.triggered.connect(lambda _on=False: slot())
        self.window.addAction(action)
        return action

    def actions(self) -> list[QAction | None]:
        """The actions in menu order; None where a separator goes."""
        return [self.export_action, self.export_to_action, self.export_all_action, self.export_changed_action,
                self.import_action, None, self.backup_action, self.restore_action]

    @property
    def ui(self) -> UiContext:
        return self.window.ui

    @property
    def services(self) -> Services:
        return self.ui.services

    @property
    def packages(self) -> PackageService:
        return self.services.packages

    @property
    def backups(self) -> BackupService:
        return self.services.backups

    # --- export ------------------------------------------------------------------------------

    def _folder(self, title: str, *, choose: bool = False) -> Path | None:
        """The shared folder from Settings; or, when there is none (or the user asked), one they pick."""
        shared = self.services.settings.load().shared_folder.strip()
        if shared and not choose:
            return Path(shared).expanduser()
        chosen = dialogs.choose_folder(self.window, title, shared)
        return Path(chosen) if chosen else None

    def export_deal(self, choose: bool = False) -> Path | None:
        """Write the open deal's package; the folder it went to (None: nothing was written)."""
        from salesdesk.ui.progress import run_with_progress

        workspace = self.window.current_workspace()
        if workspace is None:
            dialogs.inform(self.window, self.tr("Export deal package"),
                           self.tr("Open a deal first: its package is what gets exported."))
            return None
        if not workspace.editor.flush():
            dialogs.show_problem(self.window, SalesDeskError(
                self.tr("This deal has a change that cannot be saved, so it was not exported."),
                self.tr("Fix what the deal's header says, then export again.")), self.tr("Export deal package"))
            return None
        ref = workspace.deal.ref
        folder = self._folder(self.tr("Export {ref} into…").format(ref=ref), choose=choose)
        if folder is None:
            return None
        packages = self.packages
        try:
            written = run_with_progress(self.window, self.tr("Exporting {ref}…").format(ref=ref),
                                        lambda _p: packages.export_deal(ref, folder))
        except SalesDeskError as exc:
            dialogs.show_problem(self.window, exc, self.tr("Export deal package"))
            return None
        dialogs.inform(self.window, self.tr("Export deal package"),
                       self.tr("{ref} exported to {folder}").format(ref=ref, folder=written))
        return written

    def export_all(self, changed_only: bool = False) -> StepsDone | None:
        """Export every deal (or those changed since their last export), cancellable between deals."""
        from salesdesk.ui.packages_dialogs import StepsProgress

        title = self.tr("Export changed deals") if changed_only else self.tr("Export all deals")
        for workspace in self._workspaces():
            workspace.editor.flush()
        folder = self._folder(self.tr("Export the deals into…"))
        if folder is None:
            return None
        packages = self.packages
        self.progress = StepsProgress(self.window, title, self.tr("Exporting deal packages to {folder}…").format(
            folder=folder))
        try:
            outcome = self.progress.run(lambda: packages.export_all(folder, changed_since_last=changed_only))
        finally:
            self.progress = None
        done = self.tr("{done:,} of {total:,} deals exported to {folder}.").format(
            done=outcome.done, total=outcome.total, folder=folder)
        if outcome.error is not None:
            if not isinstance(outcome.error, SalesDeskError):
                raise outcome.error
            dialogs.show_problem(self.window, SalesDeskError(
                outcome.error.message, f"{outcome.error.hint} {done}".strip()), title)
        elif outcome.cancelled:
            dialogs.inform(self.window, title, self.tr("Stopped. {done} Each of them is complete; run the export "
                                                       "again for the rest.").format(done=done))
        elif not outcome.total:
            dialogs.inform(self.window, title, self.tr("Nothing to export: every deal is exported as it is now.")
                           if changed_only else self.tr("There are no deals to export yet."))
        else:
            dialogs.inform(self.window, title, done)
        self.deals_changed()
        return outcome

    # --- import ------------------------------------------------------------------------------

    def import_package(self, path: str | Path | None = None) -> ImportResult | None:
        """Import a package (its folder or its deal.json); on a conflict the user says which copy wins."""
        from salesdesk.ui.packages_dialogs import ImportConflictDialog, choose_package
        from salesdesk.ui.progress import run_with_progress

        title = self.tr("Import package")
        if path is None:
            path = choose_package(self.window, self.services.settings.load().shared_folder)
            if not path:
                return None
        packages = self.packages
        resolution: Resolution | None = None
        while True:
            def work(_progress: object, how: Resolution | None = resolution) -> ImportResult:
                return packages.import_package(path, resolution=how)

            try:
                result = run_with_progress(self.window, self.tr("Importing the package…"), work)
            except ConflictError as exc:
                if resolution is not None:
                    dialogs.show_problem(self.window, exc, title)
                    return None
                resolution = ImportConflictDialog.ask(self.window, exc)  # type: ignore[assignment]
                if resolution is None:
                    dialogs.inform(self.window, title, self.tr("Nothing was imported."))
                    return None
                continue
            except SalesDeskError as exc:
                dialogs.show_problem(self.window, exc, title)
                return None
            break
        self._show_imported(result)
        dialogs.inform(self.window, title, result.message)
        return result

    def _show_imported(self, result: ImportResult) -> None:
        self.deals_changed()
        for workspace in self._workspaces():
            if workspace.deal.uid == result.uid and not workspace.editor.dirty:
                workspace.editor.reload()  # its tab shows what came in
        if result.action in ("added", "updated", "copied"):
            self.window.open_deal(result.uid)

    def _workspaces(self) -> list[DealWorkspace]:
        return self.window.deal_tabs.workspaces() if "deals" in self.window.pages else []

    # --- backups -----------------------------------------------------------------------------

    def backup_now(self) -> Path | None:
        from salesdesk.ui.progress import run_with_progress

        title = self.tr("Back up now")
        for workspace in self._workspaces():
            workspace.editor.flush()
        backups = self.backups
        try:
            made = run_with_progress(self.window, self.tr("Backing up the database…"),
                                     lambda _p: backups.backup_now(automatic=False))
        except SalesDeskError as exc:
            dialogs.show_problem(self.window, exc, title)
            return None
        dialogs.inform(self.window, title, self.tr("Backed up to {path}").format(path=made))
        return made

    def restore_backup(self) -> bool:
        """Pick a backup, see what it holds, confirm, restore it — the current database is kept aside."""
        from salesdesk.services.backup import describe_backup
        from salesdesk.ui.packages_dialogs import RestoreDialog, when_taken
        from salesdesk.ui.progress import run_with_progress

        title = self.tr("Restore a backup")
        backups = self.backups
        try:
            found = backups.list_backups()
        except SalesDeskError as exc:
            dialogs.show_problem(self.window, exc, title)
            return False
        info = RestoreDialog.ask(self.window, found, describe_backup)
        if info is None:
            return False
        question = self.tr("Replace everything in SalesDesk on this computer with the backup taken {when} "
                           "({deals} deals)?\n\nChanges made since then are set aside with the current database, "
                           "which is kept as a backup first.").format(when=when_taken(info), deals=f"{info.deals:,}")
        if not dialogs.confirm(self.window, title, question, yes=self.tr("Restore"), no=self.tr("Cancel")):
            return False
        if "deals" in self.window.pages and not self.window.deal_tabs.close_all():
            return False
        store = self.services.store
        url, database = store.url, store.sqlite_path
        try:
            kept = run_with_progress(self.window, self.tr("Restoring the backup…"),
                                     lambda _p: backups.restore(info.path))
        except SalesDeskError as exc:
            dialogs.show_problem(self.window, exc, title)
            self._reopen(url, database)
            return False
        if not self._reopen(url, database):
            return False
        self._rebuild_pages()
        dialogs.inform(self.window, title, self.tr("Restored the backup taken {when}.").format(when=when_taken(info))
                       + ("\n\n" + self.tr("The database you had is kept at {path}").format(path=kept) if kept else ""))
        return True

    def _reopen(self, url: str, database: Path | None) -> bool:
        """Open the (restored) database again in place of the closed one; it may need migrating."""
        from salesdesk.store.engine import open_store

        folder = paths.backup_dir() if database == paths.default_database_path() else None
        try:
            self.services.ctx.store = open_store(url, backup_folder=folder)
        except StoreError as exc:
            dialogs.show_problem(self.window, SalesDeskError(exc.message, self.tr(
                "Close SalesDesk and start it again; if it still cannot open, restore another backup.")),
                self.tr("Restore a backup"))
            return False
        return True

    def _rebuild_pages(self) -> None:
        """Every page shows the restored data: they are built again when next shown."""
        window = self.window
        for page in list(window.pages.values()):
            window.stack.removeWidget(page)
            page.deleteLater()
        window.pages.clear()
        window.show_place("today")


# --- at start ------------------------------------------------------------------------------------

class DamagedDatabase(NamedTuple):
    """The database cannot be used, but a good backup could take its place."""

    error: StoreError
    database: Path
    backup: Path
    info: BackupInfo


def open_or_find_backup(url: str | None, *, actor: str, offer_backup: bool = True) -> Services | DamagedDatabase:
    """Open the database for the app; asks nothing, so it runs off the UI thread.

    A database that is damaged or unreadable is never touched: when a good backup exists (and
    ``offer_backup``), what to offer comes back instead. Raises the StoreError when nothing can be opened.
    """
    from salesdesk.services.app import Services
    from salesdesk.services.backup import database_file, describe_backup, open_or_offer_backup

    outcome = open_or_offer_backup(url, backup_folder=paths.backup_dir() if url is None else None)
    if outcome.store is not None:
        outcome.store.dispose()
        return Services.open(url, actor=actor)
    error = outcome.error or StoreError(tr("The database cannot be opened."))
    database = database_file(url)
    if outcome.backup is None or database is None or not offer_backup:
        raise error
    try:
        info = describe_backup(outcome.backup)
    except SalesDeskError:
        raise error from None
    return DamagedDatabase(error, database, outcome.backup, info)


def restore_and_open(damaged: DamagedDatabase, url: str | None, *, actor: str) -> tuple[Services, Path | None]:
    """Keep the damaged file aside, put the backup in its place and open it (off the UI thread);
    the services and where the damaged file is kept."""
    from salesdesk.services.app import Services
    from salesdesk.services.backup import restore_file

    kept = restore_file(damaged.database, damaged.backup)
    return Services.open(url, actor=actor), kept


def offer_backup(damaged: DamagedDatabase) -> bool:
    """Ask whether to restore the latest good backup of a damaged database (True: restore it)."""
    from salesdesk.ui import packages_dialogs

    return packages_dialogs.offer_backup_at_start(damaged.error, damaged.info)


def tell_backup_restored(parent: QWidget | None, damaged: DamagedDatabase, kept: Path | None) -> None:
    from salesdesk.ui.packages_dialogs import when_taken

    dialogs.inform(parent, tr("Backup restored"), tr(
        "SalesDesk restored the backup taken {when}.{kept}").format(
        when=when_taken(damaged.info), kept=("\n\n" + tr("The damaged database is kept, unchanged, at {path}").format(
            path=kept)) if kept else ""))


def open_services(url: str | None, *, actor: str, ask: bool = True) -> Services:
    """Open the database, all at once on this thread. One that is damaged or unreadable is never
    touched: the latest good backup is offered (``ask``) and, if accepted, restored after the damaged
    file is kept aside. (The app itself does these steps on a worker, see ``startup``.)

    Raises the StoreError when nothing can be opened (no backup, or the user declined).
    """
    found = open_or_find_backup(url, actor=actor, offer_backup=ask)
    if not isinstance(found, DamagedDatabase):
        return found
    if not offer_backup(found):
        raise found.error
    services, kept = restore_and_open(found, url, actor=actor)
    tell_backup_restored(None, found, kept)
    return services
