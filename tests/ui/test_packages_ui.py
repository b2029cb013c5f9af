"""File ▸ packages and backups through the UI's own functions (file and choice dialogs answered by the
test): export a deal and import it on another computer, settle a conflict, export many deals and stop
between them, back up and restore, and a damaged database at start."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QPushButton

from salesdesk.domain.errors import StoreError
from salesdesk.domain.model import Stage
from salesdesk.services.app import Services
from salesdesk.ui import dialogs as ui_dialogs
from salesdesk.ui import packages, packages_dialogs
from salesdesk.ui.packages_dialogs import ImportConflictDialog, RestoreDialog


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder the user picks whenever they are asked for one."""
    folder = tmp_path / "shared drive"
    folder.mkdir()
    monkeypatch.setattr(ui_dialogs, "choose_folder", lambda *_a: str(folder))
    return folder


@pytest.fixture
def deal(services: Any, rep: Any) -> Any:
    customer = services.customers.add("Northwind Plastics Ltd")
    return services.deals.create(customer.uid, "Packaging line upgrade", owner_uid=rep.uid)


@pytest.fixture
def other_computer(qtbot: Any, tmp_path: Path, migrated_db: Path) -> Iterator[Any]:
    """A second laptop: its own database and main window."""
    from salesdesk.ui.context import UiContext
    from salesdesk.ui.main_window import MainWindow
    from salesdesk.ui.prefs import open_prefs
    from salesdesk.ui.workers import wait_for_workers

    shutil.copy(migrated_db, tmp_path / "other.db")
    services = Services.open(f"sqlite:///{tmp_path / 'other.db'}", actor="test")
    member = services.team.add("Olga Operations", "Operations", "Operations lead")
    services.set_actor(member.name)
    window = MainWindow(UiContext(services, member, open_prefs()))
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()
    wait_for_workers()
    services.close()


def export_open_deal(window: Any, deal: Any) -> Path:
    window.open_deal(deal.uid)
    folder = window.packages.export_deal()
    assert folder is not None and (folder / "deal.json").is_file()
    return folder


def test_a_deal_exported_here_is_imported_on_another_computer(window: Any, other_computer: Any, services: Any,
                                                              deal: Any, shared: Path) -> None:
    folder = export_open_deal(window, deal)
    assert folder.parent == shared and folder.name == "Northwind Plastics Ltd — " + deal.ref
    assert {"deal.json", "terms.html", "action-items.csv", "action-items.ics"} <= {p.name for p in folder.iterdir()}

    result = other_computer.packages.import_package(folder / "deal.json")
    assert result is not None and result.action == "added"
    there = other_computer.ui.services.deals.get(deal.uid)
    assert (there.ref, there.title, there.customer_name) == (deal.ref, "Packaging line upgrade",
                                                             "Northwind Plastics Ltd")
    workspace = other_computer.current_workspace()
    assert workspace is not None and workspace.deal.uid == deal.uid, "the imported deal opens in its tab"

    again = other_computer.packages.import_package(folder)
    assert again is not None and again.action == "unchanged"


def test_a_conflict_asks_which_copy_wins_and_copy_imports_it_as_a_separate_deal(
        window: Any, other_computer: Any, services: Any, deal: Any, shared: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = export_open_deal(window, deal)
    assert other_computer.packages.import_package(folder).action == "added"
    theirs = other_computer.ui.services
    theirs.deals.save(replace(theirs.deals.get(deal.uid), needs_identified="A faster line, asked by operations"))
    window.deal_tabs.close_all()
    services.deals.save(replace(services.deals.get(deal.uid), needs_identified="Less downtime, asked by the owner"))
    export_open_deal(window, deal)

    asked: list[Any] = []

    def choose(_parent: Any, exc: Any) -> str | None:
        asked.append(exc)
        return None if len(asked) == 1 else ImportConflictDialog.COPY

    monkeypatch.setattr(ImportConflictDialog, "ask", classmethod(lambda cls, parent, exc: choose(parent, exc)))
    assert other_computer.packages.import_package(folder) is None, "Cancel imports nothing"
    assert asked and "needs identified" in ", ".join(f.replace("_", " ") for f in asked[0].fields)
    assert theirs.deals.get(deal.uid).needs_identified == "A faster line, asked by operations"

    result = other_computer.packages.import_package(folder)
    assert result is not None and result.action == "copied" and result.uid != deal.uid
    copy = theirs.deals.get(result.uid)
    assert copy.ref != deal.ref and copy.needs_identified == "Less downtime, asked by the owner"
    assert theirs.deals.get(deal.uid).needs_identified == "A faster line, asked by operations", "ours is kept"
    assert other_computer.current_workspace().deal.uid == result.uid


def test_keep_theirs_replaces_this_computers_deal(window: Any, other_computer: Any, services: Any, deal: Any,
                                                 shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = export_open_deal(window, deal)
    other_computer.packages.import_package(folder)
    theirs = other_computer.ui.services
    theirs.deals.save(replace(theirs.deals.get(deal.uid), exclusions="Civil works"))
    window.deal_tabs.close_all()
    services.deals.save(replace(services.deals.get(deal.uid), exclusions="Power supply"))
    export_open_deal(window, deal)
    monkeypatch.setattr(ImportConflictDialog, "ask", classmethod(lambda cls, parent, exc: ImportConflictDialog.THEIRS))
    assert other_computer.packages.import_package(folder).action == "updated"
    assert theirs.deals.get(deal.uid).exclusions == "Power supply"


def test_export_all_writes_every_deal_and_changed_only_skips_the_unchanged(window: Any, services: Any, rep: Any,
                                                                           shared: Path, dialogs: Any) -> None:
    customer = services.customers.add("Acme Bottling")
    for n in range(3):
        services.deals.create(customer.uid, f"Line {n}", owner_uid=rep.uid)
    outcome = window.packages.export_all()
    assert outcome is not None and (outcome.done, outcome.total, outcome.cancelled) == (3, 3, False)
    assert len([p for p in shared.iterdir() if p.is_dir()]) == 3
    nothing = window.packages.export_all(changed_only=True)
    assert nothing is not None and nothing.total == 0


def test_export_all_stops_between_deals_when_cancelled(window: Any, qtbot: Any, services: Any, rep: Any,
                                                       shared: Path) -> None:
    customer = services.customers.add("Acme Bottling")
    for n in range(8):
        services.deals.create(customer.uid, f"Line {n}", owner_uid=rep.uid)
    watcher = QTimer()
    watcher.setInterval(1)

    def cancel_after_the_first() -> None:
        progress = window.packages.progress
        if progress is not None and progress.dialog.value() >= 1:
            qtbot.mouseClick(progress.dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
            watcher.stop()

    watcher.timeout.connect(cancel_after_the_first)
    watcher.start()
    outcome = window.packages.export_all()
    watcher.stop()
    assert outcome is not None and outcome.cancelled and 1 <= outcome.done < 8
    written = [p for p in shared.iterdir() if p.is_dir()]
    assert len(written) == outcome.done
    assert all((p / "deal.json").is_file() for p in written), "every deal written is complete"


def test_back_up_now_then_restore_it_after_a_preview(window: Any, qtbot: Any, services: Any, deal: Any,
                                                     monkeypatch: pytest.MonkeyPatch, dialogs: Any) -> None:
    made = window.packages.backup_now()
    assert made is not None and made.is_file()
    services.deals.set_stage(deal.ref, Stage.FEASIBILITY)
    services.customers.add("Added after the backup")

    preview = RestoreDialog(window.packages.backups.list_backups(), packages_describe())
    qtbot.addWidget(preview)
    qtbot.waitUntil(lambda: preview.info is not None, timeout=5000)
    assert preview.restore_button.isEnabled()
    assert "1 customers, 1 deals" in preview.preview.text() and "Discovery 1" in preview.preview.text()

    monkeypatch.setattr(RestoreDialog, "ask", classmethod(lambda cls, parent, found, read: read(found[0])))
    window.open_deal(deal.uid)
    assert window.packages.restore_backup()
    assert dialogs.confirms and "Replace everything" in dialogs.confirms[-1]
    assert [c.name for c in services.customers.list_customers()] == ["Northwind Plastics Ltd"]
    assert services.deals.get(deal.uid).stage is Stage.DISCOVERY
    assert window.current_place() == "today" and "deals" not in window.pages, "every page shows the restored data"
    kept = [p for p in made.parent.iterdir() if "before-restore" in p.name]
    assert kept, "the database that was replaced is kept aside"


def packages_describe() -> Any:
    from salesdesk.services.backup import describe_backup

    return describe_backup


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _damaged_database(tmp_path: Path) -> tuple[str, Path]:
    """A database with one customer and a backup of it; then the file is overwritten with garbage."""
    from salesdesk.services.backup import BackupService

    database = tmp_path / "start.db"
    url = f"sqlite:///{database}"
    sv = Services.open(url, actor="test")
    sv.customers.add("Kept in the backup")
    BackupService(sv.ctx).backup_now()
    sv.close()
    for suffix in ("-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    database.write_bytes(b"\x00not a database any more\x00" * 4096)
    return url, database


def test_a_damaged_database_at_start_offers_the_latest_good_backup(services: Any, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    url, database = _damaged_database(tmp_path)
    damaged = _digest(database)
    offered: list[Any] = []
    monkeypatch.setattr(packages_dialogs, "offer_backup_at_start",
                        lambda error, info: offered.append((error, info)) or True)
    opened = packages.open_services(url, actor="test")
    try:
        assert offered and offered[0][1].customers == 1
        assert [c.name for c in opened.customers.list_customers()] == ["Kept in the backup"]
    finally:
        opened.close()
    kept = [p for p in database.parent.rglob("*") if p.is_file() and p != database and _digest(p) == damaged]
    assert kept, "the damaged file is kept, byte for byte"


def test_a_declined_backup_leaves_the_damaged_database_untouched(services: Any, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    url, database = _damaged_database(tmp_path)
    damaged = _digest(database)
    monkeypatch.setattr(packages_dialogs, "offer_backup_at_start", lambda error, info: False)
    with pytest.raises(StoreError):
        packages.open_services(url, actor="test")
    assert _digest(database) == damaged
