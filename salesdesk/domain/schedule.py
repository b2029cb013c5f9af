"""Scheduling a deal's work items: padded due dates along the chain of dependencies.

Each item starts when the latest of its predecessors is due (or at the deal's start) and is due
its padded number of working days later. Alongside, the same chain is computed with the raw
estimates (rounded up to whole days), so the team can see what the padding bought.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal

from salesdesk.domain.calendar import WorkCalendar
from salesdesk.domain.errors import ScheduleCycleError, ValidationError
from salesdesk.domain.promise import pad_lead_time, validate_factor, validate_raw_days


@dataclass(frozen=True)
class WorkItemSpec:
    """A piece of work a department estimated, and the items that must be done before it."""

    key: str
    department: str
    task: str
    raw_days: Decimal
    predecessors: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScheduledItem:
    """A work item with its padded dates (``start``, ``due``) and its unpadded ``raw_due``."""

    key: str
    department: str
    task: str
    raw_days: Decimal
    factor: Decimal
    padded_days: int
    start: date
    due: date
    raw_due: date


@dataclass(frozen=True)
class Schedule:
    """The scheduled items, in the order they were given."""

    items: tuple[ScheduledItem, ...]

    @property
    def promised_date(self) -> date | None:
        """The date the deal can be promised: the latest padded due date."""
        return max((item.due for item in self.items), default=None)

    @property
    def raw_date(self) -> date | None:
        """The date the raw estimates alone would give; for comparison, never for promising."""
        return max((item.raw_due for item in self.items), default=None)

    def item(self, key: str) -> ScheduledItem:
        """The scheduled item with ``key``."""
        for found in self.items:
            if found.key == key:
                return found
        raise KeyError(key)


def _topological_order(by_key: dict[str, WorkItemSpec]) -> list[str]:
    """Keys ordered so every item comes after its predecessors (Kahn's algorithm)."""
    waiting = {key: len(set(spec.predecessors)) for key, spec in by_key.items()}
    successors: dict[str, list[str]] = {key: [] for key in by_key}
    for key, spec in by_key.items():
        for pred in set(spec.predecessors):
            if pred not in by_key:
                raise ValidationError(
                    f"The work item '{spec.task}' waits for '{pred}', which is not part of this deal.",
                    "Remove that dependency or add the missing work item.",
                    field="predecessors",
                )
            successors[pred].append(key)
    ready = deque(key for key, count in waiting.items() if count == 0)
    order: list[str] = []
    while ready:
        key = ready.popleft()
        order.append(key)
        for succ in successors[key]:
            waiting[succ] -= 1
            if waiting[succ] == 0:
                ready.append(succ)
    if len(order) < len(by_key):
        raise _cycle_error(by_key, {key for key, count in waiting.items() if count > 0})
    return order


def _cycle_error(by_key: dict[str, WorkItemSpec], stuck: set[str]) -> ScheduleCycleError:
    # Every stuck item waits for at least one other stuck item, so walking back through stuck
    # predecessors must revisit an item: the walk from there on is one actual circle.
    seen: dict[str, int] = {}
    path: list[str] = []
    key = min(stuck)
    while key not in seen:
        seen[key] = len(path)
        path.append(key)
        key = min(pred for pred in by_key[key].predecessors if pred in stuck)
    circle = path[seen[key] :]
    circle.reverse()  # walked against the arrows; a rep reads "first → then"
    # Begin with the item the rep listed first, so the same circle always reads the same way.
    position = {k: i for i, k in enumerate(by_key)}
    first = min(range(len(circle)), key=lambda i: position[circle[i]])
    circle = circle[first:] + circle[:first]
    names = " → ".join(by_key[k].task for k in [*circle, circle[0]])
    return ScheduleCycleError(
        f"These work items wait for each other in a circle, so none of them can start: {names}.",
        "Remove one of those dependencies.",
        field="predecessors",
    )


def schedule(
    items: Sequence[WorkItemSpec],
    start: date,
    calendar: WorkCalendar,
    factor_for: Callable[[str], Decimal],
) -> Schedule:
    """Schedule ``items`` from the deal's ``start``; ``factor_for(department)`` gives each buffer factor."""
    by_key: dict[str, WorkItemSpec] = {}
    for spec in items:
        if spec.key in by_key:
            raise ValidationError(
                f"Two work items share the key '{spec.key}'.", "Give each work item its own key."
            )
        by_key[spec.key] = spec
    factors: dict[str, Decimal] = {}
    done: dict[str, ScheduledItem] = {}
    for key in _topological_order(by_key):
        spec = by_key[key]
        raw = validate_raw_days(spec.raw_days)
        if spec.department not in factors:
            factors[spec.department] = validate_factor(factor_for(spec.department))
        factor = factors[spec.department]
        padded = pad_lead_time(raw, factor)
        preds = [done[p] for p in spec.predecessors]
        item_start = max((p.due for p in preds), default=start)
        raw_start = max((p.raw_due for p in preds), default=start)
        raw_whole_days = int(raw.to_integral_value(rounding=ROUND_CEILING))
        done[key] = ScheduledItem(
            key=key,
            department=spec.department,
            task=spec.task,
            raw_days=raw,
            factor=factor,
            padded_days=padded,
            start=item_start,
            due=calendar.add_working_days(item_start, padded),
            raw_due=calendar.add_working_days(raw_start, raw_whole_days),
        )
    return Schedule(tuple(done[spec.key] for spec in items))


def requested_gap(requested: date | None, promised: date | None, calendar: WorkCalendar) -> int | None:
    """Working days by which ``promised`` is later than the customer's ``requested`` date.

    None when either date is unknown; 0 when the promise meets the request.
    """
    if requested is None or promised is None:
        return None
    return max(0, calendar.working_days_between(requested, promised))
