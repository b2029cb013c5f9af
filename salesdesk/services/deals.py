"""Deals: create, load, save (with optimistic locking and the audit trail), list at scale."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from salesdesk.domain.calendar import WorkCalendar
from salesdesk.domain.changes import changed_fields, deal_changes
from salesdesk.domain.errors import ConflictError, NotFoundError, SalesDeskError, ValidationError
from salesdesk.domain.model import (
    ChecklistItem,
    Deal,
    DealRow,
    ItemStatus,
    Settings,
    Stage,
)
from salesdesk.domain.promise import validate_raw_days
from salesdesk.domain.search import like_pattern
from salesdesk.services import validation as v
from salesdesk.services.context import Context, now
from salesdesk.services.kickoff_rules import STAGES_BEFORE_KICKOFF, kickoff_due_soon
from salesdesk.services.promise import calendar_from_settings, deal_schedule
from salesdesk.services.settings import SettingsService, validate_factor
from salesdesk.store.mapping import Lookup, apply_deal, deal_to_domain
from salesdesk.store.schema import (
    ActionItemRow,
    ChecklistTemplateRow,
    CustomerRow,
    DealRowORM,
    KickoffRow,
    SignOffRow,
    TeamMemberRow,
    WorkItemRow,
)

_DEAL_LOAD = (
    selectinload(DealRowORM.customer),
    selectinload(DealRowORM.owner),
    selectinload(DealRowORM.questions),
    selectinload(DealRowORM.objections),
    selectinload(DealRowORM.lines),
    selectinload(DealRowORM.checklist),
    selectinload(DealRowORM.work_items),
    selectinload(DealRowORM.signoffs),
    selectinload(DealRowORM.parties),
    selectinload(DealRowORM.help_contacts),
    selectinload(DealRowORM.terms),
    selectinload(DealRowORM.action_items),
    selectinload(DealRowORM.stakeholders),
    selectinload(DealRowORM.kickoff),
    selectinload(DealRowORM.breakdowns),
)

#: Up to this many text matches are fetched by id and sorted; more are found in sort order.
_FEW = 3000

#: Columns the deal list can sort by.
SORT_COLUMNS = {
    "ref": DealRowORM.ref,
    "customer": CustomerRow.name,
    "title": DealRowORM.title,
    "stage": DealRowORM.stage,
    "owner": TeamMemberRow.name,
    "requested_date": DealRowORM.requested_date,
    "promised_date": DealRowORM.promised_date,
    "value": DealRowORM.value,
    "next_action_due": DealRowORM.next_action_due,
    "first_shipment_date": DealRowORM.first_shipment_date,
    "updated_at": DealRowORM.updated_at,
}

# A current sign-off that no longer matches the deal (ix_signoffs_stale holds exactly these).
_STALE_SIGNOFF = (SignOffRow.current.is_(True), SignOffRow.stale.is_(True))
_KICKOFF_HELD = select(KickoffRow.id).where(KickoffRow.deal_id == DealRowORM.id).exists()


@dataclass(frozen=True)
class DealQuery:
    """What the deal list shows: a text filter, stage and owner filters, a sort and a page."""

    text: str = ""
    stages: tuple[Stage, ...] = ()
    owner_uid: str | None = None
    stale_only: bool = False  # only deals with a stale sign-off
    kickoff_due_by: date | None = None  # only deals without a kickoff whose first shipment is due by then
    sort: str = "ref"
    descending: bool = True
    offset: int = 0
    limit: int | None = 200


def validate_deal(deal: Deal) -> Deal:
    """Clean and check everything a user typed into a deal; raise on the first problem."""
    t = v.text
    deal = replace(
        deal,
        title=t(deal.title, "Deal title", required=True, limit=v.MAX_TITLE, field="title"),
        product_line=v.name(deal.product_line, "Product line", required=False, field="product_line"),
        needs_identified=t(deal.needs_identified, "Need identified", field="needs_identified"),
        needs_clarified=t(deal.needs_clarified, "Need clarified", field="needs_clarified"),
        existing_technology=t(deal.existing_technology, "Existing technology", field="existing_technology"),
        customer_abilities=t(deal.customer_abilities, "Customer's abilities", field="customer_abilities"),
        training_recommendation=t(deal.training_recommendation, "Training recommendation", field="training_recommendation"),
        break_in_period=t(deal.break_in_period, "Break-in period", field="break_in_period"),
        inclusions=t(deal.inclusions, "What is included", field="inclusions"),
        exclusions=t(deal.exclusions, "What is not included", field="exclusions"),
        cost_overrun_handling=t(deal.cost_overrun_handling, "Cost overruns", field="cost_overrun_handling"),
        disagreement_handling=t(deal.disagreement_handling, "Disagreements", field="disagreement_handling"),
        factor_override_reason=t(deal.factor_override_reason, "Reason for the buffer factor", limit=2000,
                                 field="factor_override_reason"),
        gap_reason=t(deal.gap_reason, "Reason", limit=2000, field="gap_reason"),
        decline_reason=t(deal.decline_reason, "Reason for declining", field="decline_reason"),
        lost_reason=t(deal.lost_reason, "Reason the deal was lost", field="lost_reason"),
        kickoff_override_reason=t(deal.kickoff_override_reason, "Reason", limit=2000, field="kickoff_override_reason"),
    )
    v.date_order(deal.start_date, deal.requested_date, "Start date", "Requested date", field="requested_date")
    v.date_order(deal.start_date, deal.first_shipment_date, "Start date", "First shipment date", field="first_shipment_date")
    if deal.factor_override is not None:
        validate_factor(deal.factor_override, "The buffer factor for this deal")
        if not deal.factor_override_reason.strip():
            raise ValidationError(
                "A buffer factor set for this deal needs a reason.",
                "Say why this deal is padded differently, e.g. 'legacy equipment at the client'.",
                field="factor_override_reason",
            )
    for i, q in enumerate(deal.questions, 1):
        t(q.question, f"Question {i}", required=True, field="questions")
        t(q.answer, f"The answer to question {i}", field="questions")
    for i, o in enumerate(deal.objections, 1):
        t(o.objection, f"Objection {i}", required=True, field="objections")
        t(o.response, f"The response to objection {i}", field="objections")
    for i, line in enumerate(deal.lines, 1):
        t(line.description, f"Line {i}'s description", required=True, limit=2000, field="lines")
        v.decimal(line.quantity, f"Line {i}'s quantity", field="lines")
        v.decimal(line.unit_price, f"Line {i}'s unit price", field="lines")
        if line.quantity != line.quantity.quantize(Decimal("0.001")):
            raise ValidationError(f"Line {i}'s quantity has more than 3 decimals.", "Round it to 3 decimals.", field="lines")
        if line.unit_price != line.unit_price.quantize(Decimal("0.0001")):
            raise ValidationError(f"Line {i}'s unit price has more than 4 decimals.", "Round it.", field="lines")
        t(line.unit, f"Line {i}'s unit", limit=20, field="lines")
    uids = {w.uid for w in deal.work_items}
    for i, w in enumerate(deal.work_items, 1):
        t(w.task, f"Work item {i}'s task", required=True, limit=2000, field="work_items")
        v.name(w.department, f"Work item {i}'s department", field="work_items")
        try:
            validate_raw_days(w.raw_days)
        except ValidationError as exc:
            raise ValidationError(f"Work item {i} ('{w.task[:40]}'): {exc.message}", exc.hint, field="work_items") from None
        for p in w.predecessors:
            if p not in uids:
                raise ValidationError(
                    f"Work item {i} waits for an item that is not in this deal.",
                    "Pick its predecessors from this deal's work items.",
                    field="work_items",
                )
        v.date_order(w.actual_start, w.actual_done, "Actual start", "Actual finish", field="work_items")
    for i, a in enumerate(deal.action_items, 1):
        t(a.what, f"Action item {i}", required=True, limit=2000, field="action_items")
        if a.due_work_item_uid and a.due_work_item_uid not in uids:
            raise ValidationError(
                f"Action item {i} is due with a work item that is not in this deal.",
                "Link it to one of this deal's work items or give it a date.",
                field="action_items",
            )
    for i, term in enumerate(deal.terms, 1):
        t(term.title, f"Term {i}'s title", required=True, limit=v.MAX_TITLE, field="terms")
        t(term.body, f"Term {i}", field="terms")
    for i, b in enumerate(deal.breakdowns, 1):
        t(b.description, f"Breakdown {i}'s description", field="breakdowns")
        v.decimal(b.cost, f"Breakdown {i}'s cost", field="breakdowns")
    for i, h in enumerate(deal.help_contacts, 1):
        v.name(h.topic, f"Help contact {i}'s topic", field="help_contacts")
        v.name(h.name, f"Help contact {i}'s name", field="help_contacts")
    return deal


def next_ref(session: Session, year: int) -> str:
    prefix = f"D-{year}-"
    last = session.scalar(
        select(DealRowORM.ref)
        .where(DealRowORM.ref.like(prefix + "%"))
        .order_by(func.length(DealRowORM.ref).desc(), DealRowORM.ref.desc())
        .limit(1)
    )
    number = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{number:04d}"


class DealService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.settings = SettingsService(ctx)

    # --- reading -----------------------------------------------------------------------------

    def _row(self, session: Session, key: str) -> DealRowORM:
        """A deal by uid or ref."""
        row = session.scalar(
            select(DealRowORM).options(*_DEAL_LOAD).where(or_(DealRowORM.uid == key, DealRowORM.ref == key))
        )
        if row is None:
            raise NotFoundError(f"There is no deal '{key}'.", "Check the reference, e.g. D-2026-0001.")
        return row

    def get(self, key: str, *, expected_version: int | None = None) -> Deal:
        """A deal by its uid or its ref (e.g. ``D-2026-0001``).

        With ``expected_version`` (the version on the user's screen), a deal changed since is a conflict.
        """
        with self.ctx.store.read() as s:
            deal = deal_to_domain(self._row(s, key), Lookup(s))
        if expected_version is not None and deal.version != expected_version:
            raise ConflictError(
                f"Someone else changed {deal.ref} since you opened it.",
                "Reload the deal, look at what changed, then try again.",
            )
        return deal

    def product_lines(self) -> list[str]:
        """The product lines that have a feasibility checklist template (for the new-deal form)."""
        with self.ctx.store.read() as s:
            return list(s.scalars(select(ChecklistTemplateRow.product_line).order_by(ChecklistTemplateRow.id)))

    def _filtered(
        self, q: Select, query: DealQuery, *, matching_ids: list[int] | None = None  # type: ignore[type-arg]
    ) -> Select:  # type: ignore[type-arg]
        if matching_ids is not None:
            q = q.where(DealRowORM.id.in_(matching_ids))
        elif query.text.strip():
            # One narrow, indexed, case-folded column instead of three LIKEs over the whole table.
            q = q.where(DealRowORM.search_text.like(like_pattern(query.text), escape="\\"))
        if query.stages:
            q = q.where(DealRowORM.stage.in_([s.value for s in query.stages]))
        if query.owner_uid:
            q = q.where(DealRowORM.owner_id.in_(select(TeamMemberRow.id).where(TeamMemberRow.uid == query.owner_uid)))
        if query.stale_only:
            q = q.where(DealRowORM.id.in_(select(SignOffRow.deal_id).where(*_STALE_SIGNOFF)))
        if query.kickoff_due_by is not None:
            q = q.where(
                DealRowORM.stage.in_([s.value for s in STAGES_BEFORE_KICKOFF]),
                DealRowORM.first_shipment_date <= query.kickoff_due_by,
                DealRowORM.first_shipment_sent_on.is_(None),
                ~_KICKOFF_HELD,
            )
        return q

    def count(self, query: DealQuery = DealQuery()) -> int:
        """How many deals match (no joins: a scan of the narrow filter index at most)."""
        with self.ctx.store.engine.connect() as conn:
            return int(conn.scalar(self._filtered(select(func.count()).select_from(DealRowORM), query)) or 0)

    def _few_matches(self, conn: Any, query: DealQuery) -> list[int] | None:
        """The ids matching the text when they are few, else None.

        A rare match is fastest found by scanning the filter index and then sorting the few hits;
        a common one by walking the sort order and stopping at a page. One index scan, stopped at
        ``_FEW`` hits, tells which case this is.
        """
        if not query.text.strip() or query.sort == "ref":
            return None  # in ref order the (ref, search_text) index does both jobs in one scan
        ids = list(conn.scalars(
            select(DealRowORM.id).where(DealRowORM.search_text.like(like_pattern(query.text), escape="\\"))
            .limit(_FEW + 1)
        ))
        return ids if len(ids) <= _FEW else None

    def list_rows(self, query: DealQuery = DealQuery()) -> list[DealRow]:
        """One page of the deal list, filtered and sorted by the database."""
        column = SORT_COLUMNS.get(query.sort)
        if column is None:
            raise ValidationError(f"The deal list cannot sort by '{query.sort}'.", f"Use one of: {', '.join(SORT_COLUMNS)}.")
        order = column.desc() if query.descending else column.asc()
        tiebreak = DealRowORM.id.desc() if query.descending else DealRowORM.id.asc()
        stale = select(SignOffRow.id).where(SignOffRow.deal_id == DealRowORM.id, *_STALE_SIGNOFF).exists()
        q: Select[*tuple[Any, ...]] = (
            select(
                DealRowORM.uid,
                DealRowORM.ref,
                CustomerRow.name,
                DealRowORM.title,
                DealRowORM.stage,
                TeamMemberRow.name,
                DealRowORM.requested_date,
                DealRowORM.promised_date,
                DealRowORM.value,
                DealRowORM.next_action_due,
                DealRowORM.first_shipment_date,
                DealRowORM.first_shipment_sent_on,
                stale,
                _KICKOFF_HELD,
            )
            .select_from(DealRowORM)
            .join(CustomerRow, CustomerRow.id == DealRowORM.customer_id)
            .outerjoin(TeamMemberRow, TeamMemberRow.id == DealRowORM.owner_id)
        )
        # Core, not the ORM: these are plain tuples, and the ORM's row handling would double the time.
        with self.ctx.store.engine.connect() as conn:
            q = self._filtered(q, query, matching_ids=self._few_matches(conn, query))
            # ref is unique: no tie-break, so the (ref, search_text) index serves filter and order at once.
            q = (q.order_by(order) if query.sort == "ref" else q.order_by(order, tiebreak)).offset(max(0, query.offset))
            if query.limit is not None:
                q = q.limit(query.limit)
            rows = conn.execute(q).all()
        today = date.today()
        result = []
        stages = {s.value: s for s in Stage}
        # The team's calendar, read once and only when a row needs it.
        team_calendar: Callable[[], WorkCalendar] = cache(lambda: calendar_from_settings(self.settings.load()))

        for (uid, ref, customer, title, stage_value, owner, requested, promised, value, next_due, first_shipment,
             shipped, stale_signoff, kicked_off) in rows:
            stage = stages[stage_value]
            # Problems are computed in the same query (no per-page IN lists), so a list of any size works.
            found: list[str] = []
            if stale_signoff:
                found.append("stale sign-off")
            if next_due is not None and next_due < today:
                found.append("overdue item")
            if not kicked_off and shipped is None and first_shipment is not None and kickoff_due_soon(
                stage, first_shipment, today=today, calendar=team_calendar() if first_shipment > today else None
            ):
                found.append("kickoff missing")
            # Positional: a hundred thousand rows are built noticeably faster than with keywords.
            result.append(DealRow(uid, ref, customer, title, stage, owner or "", requested, promised, value, next_due,
                                  tuple(found), first_shipment))
        return result

    # --- writing -----------------------------------------------------------------------------

    def create(
        self,
        customer_uid: str,
        title: str,
        *,
        owner_uid: str | None = None,
        requested_date: date | None = None,
        start_date: date | None = None,
        product_line: str = "",
        currency: str | None = None,
    ) -> Deal:
        """A new deal in Discovery, its checklist copied from the product line's template."""
        st = self.settings.load()
        draft = validate_deal(
            Deal(
                uid=str(uuid.uuid4()), ref="", title=title, customer_uid=customer_uid, customer_name="",
                stage=Stage.DISCOVERY, owner_uid=owner_uid, version=1, product_line=product_line,
                currency=currency or st.currency, requested_date=requested_date, start_date=start_date,
            )
        )
        for attempt in range(5):
            try:
                with self.ctx.store.write() as s:
                    customer = s.scalar(select(CustomerRow).where(CustomerRow.uid == customer_uid))
                    if customer is None:
                        raise NotFoundError("That customer does not exist.", "Pick a customer or create one first.",
                                            field="customer")
                    at = now()
                    row = DealRowORM(
                        uid=draft.uid, ref=next_ref(s, at.year), title=draft.title, customer_id=customer.id,
                        stage=Stage.DISCOVERY.value, created_at=at, updated_at=at, value=Decimal("0"),
                    )
                    lookup = Lookup(s)
                    template_items = self._template_items(s, product_line)
                    apply_deal(row, replace(draft, checklist=template_items), lookup, s)
                    s.add(row)
                    s.flush()
                    self.ctx.audit(s, entity="deal", entity_uid=row.uid, deal_uid=row.uid, action="create",
                                   new=f"{row.ref} {row.title}")
                    s.flush()
                    return deal_to_domain(row, lookup)
            except IntegrityError:
                if attempt == 4:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _template_items(self, s: Session, product_line: str) -> tuple[ChecklistItem, ...]:
        template = s.scalar(
            select(ChecklistTemplateRow).options(selectinload(ChecklistTemplateRow.items))
            .where(ChecklistTemplateRow.product_line == product_line)
        ) or s.scalar(
            select(ChecklistTemplateRow).options(selectinload(ChecklistTemplateRow.items))
            .order_by(ChecklistTemplateRow.id).limit(1)
        )
        if template is None:
            return ()
        return tuple(
            ChecklistItem(uid=str(uuid.uuid4()), department=i.department, question=i.question,
                          help_text=i.help_text, mandatory=i.mandatory)
            for i in template.items
        )

    def save(self, deal: Deal, *, settings: Settings | None = None) -> Deal:
        """Save the whole deal. Refused with a conflict if it changed since ``deal.version`` was loaded."""
        deal = validate_deal(deal)
        st = settings or self.settings.load()
        try:
            with self.ctx.store.write() as s:
                row = self._row(s, deal.uid)
                lookup = Lookup(s)
                current = deal_to_domain(row, lookup)
                if row.version != deal.version:
                    raise ConflictError(
                        f"Someone else changed {row.ref} since you opened it.",
                        "Reload to see their changes (yours are kept on screen), or keep editing and save again.",
                        fields=changed_fields(deal, current),
                    )
                deal = self._derive(deal, st)
                changes = deal_changes(current, deal)
                if not changes:
                    return current
                with s.no_autoflush:  # one UPDATE of the deal row, so its version moves by one
                    apply_deal(row, deal, lookup, s)
                    self._store_derived(s, row, deal, st)
                    row.updated_at = now()
                for c in changes:
                    self.ctx.audit(s, entity=c.entity, entity_uid=c.entity_uid, deal_uid=deal.uid, action=c.action,
                                   field=c.field, old=c.old, new=c.new)
                s.flush()
                return deal_to_domain(row, lookup)
        except StaleDataError:
            raise ConflictError(
                f"Someone else saved {deal.ref} at the same moment.",
                "Reload to see their changes, then make yours again.",
            ) from None
        except IntegrityError:
            # Entries carry ids that travel with exported deals; one already stored elsewhere
            # (a line, a kickoff…) cannot be stored again under this deal.
            raise ConflictError(
                f"{deal.ref} cannot be saved: one of its entries is already stored with another deal.",
                "Reload the deal and make the change again.",
            ) from None

    def _derive(self, deal: Deal, st: Settings) -> Deal:
        """Recompute the promised date from the padded schedule (never from raw estimates), then
        let the feasibility rules settle the stage (Cleared ↔ Feasibility review)."""
        from salesdesk.services.feasibility import reconcile  # local: feasibility imports this module

        return reconcile(self._derive_promise(deal, st))

    def _derive_promise(self, deal: Deal, st: Settings) -> Deal:
        if not deal.work_items:
            return replace(deal, promised_date=None) if deal.stage in (Stage.DISCOVERY, Stage.FEASIBILITY) else deal
        try:
            sched = deal_schedule(deal, st)
        except SalesDeskError as exc:
            raise ValidationError(exc.message, exc.hint, field="work_items") from None
        if deal.stage in (Stage.DISCOVERY, Stage.FEASIBILITY, Stage.CLEARED, Stage.DECLINED):
            return replace(deal, promised_date=sched.promised_date)
        return deal

    def _store_derived(self, s: Session, row: DealRowORM, deal: Deal, st: Settings) -> None:
        """Keep the list columns (value, next action due) and resolved action-item dates current."""
        from salesdesk.services.feasibility import store_signoffs  # local: feasibility imports this module

        store_signoffs(self.ctx, s, row, deal)  # new sign-offs and each one's "stale" flag
        row.value = deal.value
        due_by_item: dict[str, date] = {}
        if deal.work_items:
            try:
                sched = deal_schedule(deal, st)
                due_by_item = {i.key: i.due for i in sched.items}
                by_uid: dict[str, WorkItemRow] = {w.uid: w for w in row.work_items}
                for item in sched.items:
                    w = by_uid[item.key]
                    w.padded_days, w.planned_start = item.padded_days, item.start
                    if w.promised_due is None or deal.stage in (Stage.DISCOVERY, Stage.FEASIBILITY, Stage.CLEARED):
                        w.promised_due = item.due
            except SalesDeskError:
                pass
        next_due: date | None = None
        for a in row.action_items:
            a.due = a.due_fixed or (due_by_item.get(a.due_work_item_uid) if a.due_work_item_uid else None)
            if a.status != ItemStatus.DONE.value and a.due and (next_due is None or a.due < next_due):
                next_due = a.due
        row.next_action_due = next_due

    def set_stage(self, key: str, stage: Stage, *, reason: str = "") -> Deal:
        deal = self.get(key)
        changes: dict[str, object] = {"stage": stage}
        if stage == Stage.LOST:
            if not reason.strip():
                raise ValidationError("Say why the deal was lost.", "Enter a reason, e.g. 'chose a competitor'.",
                                      field="lost_reason")
            changes["lost_reason"] = reason
        if stage == Stage.DECLINED and reason:
            changes["decline_reason"] = reason
        return self.save(replace(deal, **changes))  # type: ignore[arg-type]

    def open_action_items(self) -> list[tuple[str, str, str, date | None, str]]:
        """(deal ref, customer, what, due, status) of every open action item, soonest first."""
        with self.ctx.store.read() as s:
            rows = s.execute(
                select(DealRowORM.ref, CustomerRow.name, ActionItemRow.what, ActionItemRow.due, ActionItemRow.status)
                .join(DealRowORM, DealRowORM.id == ActionItemRow.deal_id)
                .join(CustomerRow, CustomerRow.id == DealRowORM.customer_id)
                .where(and_(ActionItemRow.status != ItemStatus.DONE.value, ActionItemRow.due.is_not(None)))
                .order_by(ActionItemRow.due)
                .limit(500)
            ).all()
        return [tuple(r) for r in rows]  # type: ignore[misc]
