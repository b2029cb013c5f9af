"""Automatic backups run off the UI thread and only when one is due."""

from __future__ import annotations

from typing import Any

from salesdesk.ui.auto_backup import AutoBackup


def test_an_automatic_backup_is_made_when_due_and_not_again_right_after(qtbot: Any, services: Any) -> None:
    auto = AutoBackup(services)
    try:
        assert services.backups.list_backups() == []
        auto.check()
        qtbot.waitUntil(lambda: not auto.worker.busy, timeout=10_000)
        backups = services.backups.list_backups()
        assert len(backups) == 1 and backups[0].stat().st_size > 0
        auto.check()
        qtbot.waitUntil(lambda: not auto.worker.busy, timeout=10_000)
        assert len(services.backups.list_backups()) == 1  # the next one is due in 24 hours
    finally:
        auto.timer.stop()
