"""Delivery: work and action items marked done with their actual dates, breakdowns logged.

Every change goes through ``DealService.save``, so it is validated, version-checked and written
to the audit log like any other edit of the deal. A work item finished after its promised date
logs a "missed delivery date" breakdown by itself — one per item, however often it is re-marked.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from salesdesk.domain.errors import NotFoundError, RefusedError, ValidationError
from salesdesk.domain.model import (
    BREAKDOWN_LABELS,
    Breakdown,
    BreakdownCategory,
    Deal,
    ItemStatus,
    Stage,
    WorkItem,
)
from salesdesk.services import validation as v
from salesdesk.services.context import Context
from salesdesk.services.deals import DealService
from salesdesk.services.promise import calendar_from_settings, deal_schedule
from salesdesk.services.settings import SettingsService
from salesdesk.services.team import TeamService
from salesdesk.store.schema import WorkItemRow

#: Stages in which work is being delivered (or was, for corrections after delivery).
DELIVERY_STAGES = frozenset({Stage.AGREED, Stage.KICKED_OFF, Stage.DELIVERING, Stage.DELIVERED})
#: Longest text of a breakdown's description, customer impact or resolution.
MAX_BREAKDOWN_TEXT = 2000
_BREAKDOWN_FIELDS = frozenset({"category", "department", "occurred_on", "description", "customer_impact", "cost",
                               "resolution", "logged_by"})
# Automatic breakdowns get an id derived from their work item's, so there is only ever one.
_MISSED_DATE_NAMESPACE = uuid.UUID("6f1d2c3e-8b4a-4e57-9a61-5d0c7e2b9f10")


@dataclass(frozen=True)
class ItemDone:
    """What marking an item done did: the saved deal, and for a work item how it went."""

    deal: Deal
    working_days: int | None  # working days the work item took; None for an action item
    late_by: int  # working days after the promised date; 0 when on time
    breakdown: Breakdown | None  # the automatic missed-delivery-date breakdown, when late


def missed_date_breakdown_uid(work_item_uid: str) -> str:
    """The id of the automatic breakdown of a work item (the same every time)."""
    return str(uuid.uuid5(_MISSED_DATE_NAMESPACE, work_item_uid))


class DeliveryService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.deals = DealService(ctx)
        self.settings = SettingsService(ctx)

    # --- items done and reopened ---------------------------------------------------------------

    def mark_done(
        self, ref: str, item_uid: str, done_on: date, *, started_on: date | None = None, today: date | None = None,
    ) -> ItemDone:
        """Mark a work item or an action item done on ``done_on``.

        A work item's actual start defaults to its planned start; the working days it took are
        counted with the team calendar. When every work and action item is done, a deal that was
        kicked off or delivering becomes Delivered.
        """
        deal = self.deals.get(ref)
        _check_delivery_stage(deal)
        done_on = _actual_date(done_on, "The date it was done", today)
        work = next((w for w in deal.work_items if w.uid == item_uid), None)
        if work is None:
            action = next((a for a in deal.action_items if a.uid == item_uid), None)
            if action is None:
                raise NotFoundError(f"{deal.ref} has no work or action item with id {item_uid}.",
                                    "Reload the deal and pick the item again.")
            if started_on is not None:
                raise ValidationError("An action item has no start date.", "Give only the date it was done.",
                                      field="started_on")
            actions = tuple(replace(a, status=ItemStatus.DONE, done_on=done_on) if a.uid == item_uid else a
                            for a in deal.action_items)
            saved = self.deals.save(_settle_stage(replace(deal, action_items=actions)))
            return ItemDone(saved, None, 0, None)
        st = self.settings.load()
        if started_on is not None:
            began = _actual_date(started_on, "The actual start", today)
            v.date_order(began, done_on, "Actual start", "Date it was done", field="done_on")
        else:
            began = self._planned_start(deal, work)
            if began > done_on:
                raise ValidationError(
                    f"'{work.task}' was planned to start on {began.isoformat()}, after {done_on.isoformat()}.",
                    "Give the date the work actually started as well.", field="started_on")
        calendar = calendar_from_settings(st)
        finished = replace(work, status=ItemStatus.DONE, actual_start=began, actual_done=done_on)
        breakdowns, breakdown = _missed_date(deal, finished, calendar.working_days_between)
        items = tuple(finished if w.uid == item_uid else w for w in deal.work_items)
        saved = self.deals.save(_settle_stage(replace(deal, work_items=items, breakdowns=breakdowns)), settings=st)
        late = work.promised_due is not None and done_on > work.promised_due
        late_by = calendar.working_days_between(work.promised_due, done_on) if late and work.promised_due else 0
        return ItemDone(saved, calendar.working_days_between(began, done_on), late_by, breakdown)

    def reopen(self, ref: str, item_uid: str) -> Deal:
        """Undo "done" on a work or action item; a delivered deal goes back to Delivering.

        An automatic breakdown stays: it is updated or removed when the item is marked done again.
        """
        deal = self.deals.get(ref)
        _check_delivery_stage(deal)
        if any(w.uid == item_uid for w in deal.work_items):
            items = tuple(replace(w, status=ItemStatus.OPEN, actual_start=None, actual_done=None)
                          if w.uid == item_uid else w for w in deal.work_items)
            deal = replace(deal, work_items=items)
        elif any(a.uid == item_uid for a in deal.action_items):
            actions = tuple(replace(a, status=ItemStatus.OPEN, done_on=None) if a.uid == item_uid else a
                            for a in deal.action_items)
            deal = replace(deal, action_items=actions)
        else:
            raise NotFoundError(f"{deal.ref} has no work or action item with id {item_uid}.",
                                "Reload the deal and pick the item again.")
        return self.deals.save(_settle_stage(deal))

    def _planned_start(self, deal: Deal, work: WorkItem) -> date:
        with self.ctx.store.read() as s:
            planned = s.scalar(select(WorkItemRow.planned_start).where(WorkItemRow.uid == work.uid))
        if planned is not None:
            return planned
        return deal_schedule(deal, self.settings.load()).item(work.uid).start

    # --- lost ----------------------------------------------------------------------------------

    def mark_lost(self, ref: str, reason: str) -> Deal:
        """Record that the customer walked away, and why."""
        deal = self.deals.get(ref)
        if deal.stage in (Stage.DELIVERED, Stage.DECLINED, Stage.LOST):
            raise RefusedError(f"{deal.ref} is {deal.stage.label.lower()}; it cannot be marked lost.",
                               "Only a deal still in progress can be lost.")
        reason = v.text(reason, "The reason the deal was lost", required=True, limit=MAX_BREAKDOWN_TEXT,
                        field="lost_reason").strip()
        return self.deals.save(replace(deal, stage=Stage.LOST, lost_reason=reason))

    # --- breakdowns ----------------------------------------------------------------------------

    def log_breakdown(
        self,
        ref: str,
        category: BreakdownCategory | str,
        department: str,
        occurred_on: date | str,
        description: str,
        customer_impact: str = "",
        cost: Decimal | int | str = Decimal("0"),
        resolution: str = "",
        logged_by: str | None = None,
        *,
        today: date | None = None,
    ) -> Breakdown:
        """Log a breakdown on a deal; every field is checked before anything is saved."""
        deal = self.deals.get(ref)
        draft = Breakdown(str(uuid.uuid4()), BreakdownCategory.OTHER, department, date.min, description)
        breakdown = self._validated(deal, draft, dict(
            category=category, department=department, occurred_on=occurred_on, description=description,
            customer_impact=customer_impact, cost=cost, resolution=resolution, logged_by=logged_by), today)
        saved = self.deals.save(replace(deal, breakdowns=(*deal.breakdowns, breakdown)))
        return _find_breakdown(saved, breakdown.uid)

    def edit_breakdown(self, ref: str, breakdown_uid: str, *, today: date | None = None, **changes: Any) -> Breakdown:
        """Change some fields of a logged breakdown (the same checks as when logging it)."""
        unknown = set(changes) - _BREAKDOWN_FIELDS
        if unknown:
            raise ValidationError(f"A breakdown has no field {', '.join(sorted(unknown))}.",
                                  f"Change one of: {', '.join(sorted(_BREAKDOWN_FIELDS))}.")
        deal = self.deals.get(ref)
        current = _find_breakdown(deal, breakdown_uid)
        values = {name: getattr(current, name) for name in _BREAKDOWN_FIELDS} | changes
        edited = self._validated(deal, current, values, today)
        breakdowns = tuple(edited if b.uid == breakdown_uid else b for b in deal.breakdowns)
        return _find_breakdown(self.deals.save(replace(deal, breakdowns=breakdowns)), breakdown_uid)

    def remove_breakdown(self, ref: str, breakdown_uid: str) -> Deal:
        """Remove a breakdown logged by mistake (the audit log keeps what it said)."""
        deal = self.deals.get(ref)
        _find_breakdown(deal, breakdown_uid)
        return self.deals.save(replace(deal, breakdowns=tuple(b for b in deal.breakdowns if b.uid != breakdown_uid)))

    def _validated(self, deal: Deal, base: Breakdown, values: dict[str, Any], today: date | None) -> Breakdown:
        category = _category(values["category"])
        department = self._known_department(deal, values["department"])
        occurred = v.parse_date(values["occurred_on"], "The date of the breakdown", field="occurred_on")
        if occurred is None:
            raise ValidationError("A breakdown needs the date it happened.", "Enter it as YYYY-MM-DD.",
                                  field="occurred_on")
        occurred = _actual_date(occurred, "The date of the breakdown", today)
        cost = v.decimal(values["cost"], "The cost of the breakdown", field="cost")
        if cost != cost.quantize(Decimal("0.01")):
            raise ValidationError(f"The cost {cost} has more than two decimals.", "Round it to cents, e.g. 120.50.",
                                  field="cost")
        logged_by = values["logged_by"] or None
        if logged_by is not None:
            TeamService(self.ctx).get(logged_by)
        return replace(
            base,
            category=category,
            department=department,
            occurred_on=occurred,
            description=v.text(values["description"], "What went wrong", required=True, limit=MAX_BREAKDOWN_TEXT,
                               field="description").strip(),
            customer_impact=v.text(values["customer_impact"], "The impact on the customer", limit=MAX_BREAKDOWN_TEXT,
                                   field="customer_impact").strip(),
            cost=cost.quantize(Decimal("0.01")),
            resolution=v.text(values["resolution"], "The resolution", limit=MAX_BREAKDOWN_TEXT,
                              field="resolution").strip(),
            logged_by=logged_by,
        )

    def _known_department(self, deal: Deal, department: str | None) -> str:
        name = v.name(department, "Department", field="department")
        known = [d.name for d in self.settings.load().departments]
        known += [w.department for w in deal.work_items if w.department not in known]
        for candidate in known:
            if candidate.casefold() == name.casefold():
                return candidate
        raise ValidationError(f"There is no department '{name}'.", f"Use one of: {', '.join(known)}.",
                              field="department")


def _check_delivery_stage(deal: Deal) -> None:
    if deal.stage not in DELIVERY_STAGES:
        raise RefusedError(
            f"{deal.ref} is at the {deal.stage.label} stage: nothing is being delivered yet.",
            "Items are marked done once the agreement is signed.",
        )


def _actual_date(value: date, label: str, today: date | None) -> date:
    if not isinstance(value, date):
        raise ValidationError(f"{label} must be a date.", "Enter it as YYYY-MM-DD.")
    limit = today or date.today()
    if value > limit:
        raise ValidationError(f"{label} ({value.isoformat()}) is in the future.",
                              "Record what has happened; enter today's date or an earlier one.")
    return value


def _settle_stage(deal: Deal) -> Deal:
    """Kicked off → Delivering once work is done; → Delivered when everything is; and back."""
    items = [w.status for w in deal.work_items] + [a.status for a in deal.action_items]
    every = bool(items) and all(s == ItemStatus.DONE for s in items)
    some = any(s == ItemStatus.DONE for s in items)
    if deal.stage in (Stage.KICKED_OFF, Stage.DELIVERING) and every:
        return replace(deal, stage=Stage.DELIVERED)
    if deal.stage == Stage.KICKED_OFF and some:
        return replace(deal, stage=Stage.DELIVERING)
    if deal.stage == Stage.DELIVERED and not every:
        return replace(deal, stage=Stage.DELIVERING)
    return deal


def _is_automatic_for(b: Breakdown, work: WorkItem) -> bool:
    if b.uid == missed_date_breakdown_uid(work.uid):
        return True
    # Delivery histories written before the id was derived (the demo data) name the task first.
    return (b.automatic and b.category == BreakdownCategory.MISSED_DELIVERY_DATE and b.department == work.department
            and b.description.startswith(f"'{work.task}' finished"))


def _untouched(b: Breakdown) -> bool:
    """Nobody added anything to an automatic breakdown (so it may go when the item is on time)."""
    return (b.automatic and not b.resolution and b.cost == 0 and b.logged_by is None
            and b.customer_impact in ("", "Later than promised."))


def _missed_date(deal: Deal, work: WorkItem, working_days: Any) -> tuple[tuple[Breakdown, ...], Breakdown | None]:
    """The deal's breakdowns with the work item's automatic one added, updated or removed."""
    existing = next((b for b in deal.breakdowns if _is_automatic_for(b, work)), None)
    due, done = work.promised_due, work.actual_done
    if due is None or done is None or done <= due:
        if existing is not None and _untouched(existing):
            return tuple(b for b in deal.breakdowns if b is not existing), None
        return deal.breakdowns, None
    late = working_days(due, done)
    description = (f"'{work.task}' finished {done.isoformat()}, promised {due.isoformat()}: "
                   f"{late} working day{'s' if late != 1 else ''} late.")
    if existing is not None:
        updated = replace(existing, occurred_on=done, description=description)
        return tuple(updated if b is existing else b for b in deal.breakdowns), updated
    created = Breakdown(missed_date_breakdown_uid(work.uid), BreakdownCategory.MISSED_DELIVERY_DATE, work.department,
                        done, description, automatic=True)
    return (*deal.breakdowns, created), created


def _category(value: BreakdownCategory | str | None) -> BreakdownCategory:
    if isinstance(value, BreakdownCategory):
        return value
    wanted = (value or "").strip().casefold()
    for category, label in BREAKDOWN_LABELS.items():
        if wanted in (category.value, label.casefold()):
            return category
    raise ValidationError(
        f"'{value}' is not a kind of breakdown SalesDesk knows.",
        f"Use one of: {', '.join(BREAKDOWN_LABELS.values())}.",
        field="category",
    )


def _find_breakdown(deal: Deal, uid: str) -> Breakdown:
    found = next((b for b in deal.breakdowns if b.uid == uid), None)
    if found is None:
        raise NotFoundError(f"{deal.ref} has no breakdown with id {uid}.", "Reload the deal and pick it again.")
    return found
