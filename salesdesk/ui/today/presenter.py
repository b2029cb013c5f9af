"""What needs the rep today: action items due, deals waiting for sign-off, stale sign-offs, kickoffs due."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from PySide6.QtCore import QObject, Signal

from salesdesk.domain.model import DealRow, Stage
from salesdesk.services.app import Services
from salesdesk.services.deals import DealQuery
from salesdesk.ui.workers import LatestOnly

UPCOMING_DAYS = 14
LISTED = 100  # deals a Today list shows at most


@dataclass(frozen=True)
class ActionEntry:
    ref: str
    customer: str
    what: str
    due: date | None


@dataclass
class TodayData:
    today: date
    overdue: list[ActionEntry] = field(default_factory=list)
    upcoming: list[ActionEntry] = field(default_factory=list)
    waiting_for_signoff: list[DealRow] = field(default_factory=list)
    waiting_total: int = 0
    stale_signoffs: list[DealRow] = field(default_factory=list)
    kickoffs_due: list[DealRow] = field(default_factory=list)


def load_today(services: Services, today: date | None = None) -> TodayData:
    """Everything the Today page shows (runs on a worker)."""
    day = today or date.today()
    data = TodayData(day)
    horizon = day + timedelta(days=UPCOMING_DAYS)
    for ref, customer, what, due, _status in services.deals.open_action_items():
        entry = ActionEntry(ref, customer, what, due)
        if due is not None and due < day:
            data.overdue.append(entry)
        elif due is not None and due <= horizon:
            data.upcoming.append(entry)
    waiting = DealQuery(stages=(Stage.FEASIBILITY,), sort="updated_at", descending=False, limit=LISTED)
    data.waiting_for_signoff = services.deals.list_rows(waiting)
    data.waiting_total = services.deals.count(waiting)
    # Found by the database among all deals, not by looking through the most recent ones.
    data.stale_signoffs = services.deals.list_rows(
        DealQuery(stale_only=True, sort="updated_at", descending=True, limit=LISTED)
    )
    data.kickoffs_due = services.deals.list_rows(DealQuery(
        kickoff_due_by=services.kickoff.warning_horizon(day), sort="first_shipment_date", descending=False, limit=LISTED
    ))
    return data


class TodayPresenter(QObject):
    loaded = Signal(object)  # TodayData
    failed = Signal(object)

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._loader = LatestOnly(self)
        self._loader.finished.connect(self.loaded)
        self._loader.failed.connect(self.failed)

    @property
    def loading(self) -> bool:
        return self._loader.busy

    def refresh(self) -> None:
        services = self.services
        self._loader.submit(lambda: load_today(services))
