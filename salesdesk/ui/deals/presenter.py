"""The deal list's logic: what to query as the rep types, filters and sorts, and paging.

Queries run on the thread pool (at 100,000 deals a filtered count takes a moment); a newer query
makes older results irrelevant, and they are dropped.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal

from salesdesk.domain.model import DealRow, Stage
from salesdesk.services.app import Services
from salesdesk.services.deals import DealQuery
from salesdesk.ui.deals.table_model import DealTableModel
from salesdesk.ui.workers import LatestOnly

PAGE_SIZE = 200
TYPING_PAUSE_MS = 150

#: Stages a deal is still being worked in (the "Open deals" filter).
OPEN_STAGES: tuple[Stage, ...] = (
    Stage.DISCOVERY, Stage.FEASIBILITY, Stage.CLEARED, Stage.QUOTED, Stage.AGREED, Stage.KICKED_OFF, Stage.DELIVERING,
)


def first_page(services: Services, query: DealQuery) -> list[DealRow]:
    """The first page of ``query`` (runs on a worker; the count is asked for separately)."""
    return services.deals.list_rows(replace(query, offset=0))


class DealListPresenter(QObject):
    """Queries the first page and, separately, the count: the rows show as soon as they are found,
    while counting every match (a full scan at 100,000 deals) finishes in the background."""

    total_changed = Signal(int)
    counting = Signal()
    busy_changed = Signal(bool)
    failed = Signal(object)

    def __init__(self, services: Services, model: DealTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.model = model
        self.query = DealQuery(sort="ref", descending=True, limit=PAGE_SIZE)
        self._first = LatestOnly(self)
        self._first.finished.connect(self._show_first_page)
        self._first.failed.connect(self.failed)
        self._first.busy_changed.connect(self.busy_changed)
        self._count = LatestOnly(self)
        self._count.finished.connect(self.total_changed.emit)
        self._count.failed.connect(self.failed)
        self._more = LatestOnly(self)
        self._more.finished.connect(self._show_more)
        self._more.failed.connect(self.failed)
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.refresh)
        model.more_wanted.connect(self.fetch_more)
        model.sort_requested.connect(self.sort_by)

    @property
    def filtering(self) -> bool:
        """True while a find text, stage or owner narrows the list."""
        return bool(self.query.text.strip() or self.query.stages or self.query.owner_uid)

    # --- what the view tells us ------------------------------------------------------------

    def set_text(self, text: str) -> None:
        """Filter as the rep types; the query waits for a short pause in typing."""
        if text.strip() == self.query.text.strip():
            return
        self.query = replace(self.query, text=text)
        self._typing.start()

    def set_stages(self, stages: tuple[Stage, ...]) -> None:
        self.query = replace(self.query, stages=stages)
        self.refresh()

    def set_owner(self, owner_uid: str | None) -> None:
        self.query = replace(self.query, owner_uid=owner_uid)
        self.refresh()

    def sort_by(self, key: str, descending: bool) -> None:
        if (key, descending) != (self.query.sort, self.query.descending):
            self.query = replace(self.query, sort=key, descending=descending)
            self.refresh()

    # --- querying --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Query the first page again (after a filter change, or when deals changed)."""
        self._typing.stop()
        self._more.cancel()
        query, services = self.query, self.services
        self._first.submit(lambda: first_page(services, query))
        self._count.submit(lambda: services.deals.count(query))
        self.counting.emit()

    def fetch_more(self) -> None:
        query = replace(self.query, offset=self.model.rowCount())
        services = self.services
        self._more.submit(lambda: services.deals.list_rows(query))

    def _full(self, rows: list[DealRow]) -> bool:
        return self.query.limit is not None and len(rows) >= self.query.limit

    def _show_first_page(self, rows: list[DealRow]) -> None:
        self.model.reset_rows(rows, has_more=self._full(rows))
        if not rows:
            self.total_changed.emit(0)

    def _show_more(self, rows: list[DealRow]) -> None:
        self.model.append_rows(rows, has_more=self._full(rows))
