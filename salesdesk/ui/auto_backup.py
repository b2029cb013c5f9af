"""Automatic backups: checked shortly after start and every hour, made off the UI thread."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer

from salesdesk.ui.workers import LatestOnly

log = logging.getLogger(__name__)

FIRST_CHECK_MS = 30_000
EVERY_MS = 60 * 60 * 1000


class AutoBackup(QObject):
    """Asks the backup service whether a backup is due (it keeps the newest N, see Settings)."""

    def __init__(self, services: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.worker = LatestOnly(self)
        self.worker.finished.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(EVERY_MS)
        QTimer.singleShot(FIRST_CHECK_MS, self.check)

    def check(self) -> None:
        if self.services.store.sqlite_path is None or self.worker.busy:
            return
        self.worker.submit(self.services.backups.backup_if_due)

    def _done(self, path: object) -> None:
        if path is not None:
            log.info("Automatic backup written to %s", path)

    def _failed(self, exc: object) -> None:
        # A failed automatic backup must not interrupt the rep; it is logged and tried again later.
        log.warning("Automatic backup failed: %s", exc)
