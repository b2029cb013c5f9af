"""Rows to domain values and back. Nothing outside the store sees an ORM row.

A deal is saved as a whole (the aggregate the workspace edits): its child collections are
matched to rows by their stable uid, so unchanged children keep their rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from salesdesk.domain.errors import NotFoundError, ValidationError
from salesdesk.domain.model import (
    ActionItem,
    AgreementRevision,
    Answer,
    Breakdown,
    BreakdownCategory,
    ChecklistItem,
    Contact,
    Customer,
    Deal,
    DealLine,
    DealTerm,
    DiscoveryQuestion,
    GapHandling,
    HelpContact,
    ItemStatus,
    Kickoff,
    Objection,
    Party,
    Side,
    Signature,
    SignOff,
    Stage,
    Stakeholder,
    TeamMember,
    Verdict,
    WorkItem,
)
from salesdesk.store.schema import (
    ActionItemRow,
    AgreementRevisionRow,
    BreakdownRow,
    ChecklistAnswerRow,
    ContactRow,
    CustomerRow,
    DealRowORM,
    DealTermRow,
    HelpContactRow,
    KickoffRow,
    LineRow,
    ObjectionRow,
    PartyRow,
    QuestionRow,
    ReviewedFormRow,
    SignatureRow,
    SignOffRow,
    StakeholderRow,
    StandardTermRow,
    TeamMemberRow,
    WorkItemRow,
)

#: Scalar deal fields copied one to one between the row and the domain value.
DEAL_SCALARS: tuple[str, ...] = (
    "title",
    "product_line",
    "currency",
    "requested_date",
    "start_date",
    "promised_date",
    "needs_identified",
    "needs_clarified",
    "existing_technology",
    "customer_abilities",
    "training_recommendation",
    "break_in_period",
    "inclusions",
    "exclusions",
    "cost_overrun_handling",
    "disagreement_handling",
    "factor_override",
    "factor_override_reason",
    "gap_reason",
    "decline_reason",
    "lost_reason",
    "first_shipment_date",
    "first_shipment_sent_on",
    "kickoff_override_reason",
)


def member_to_domain(row: TeamMemberRow) -> TeamMember:
    return TeamMember(
        uid=row.uid,
        name=row.name,
        role=row.role,
        department=row.department,
        email=row.email,
        phone=row.phone,
        can_sign_agreements=row.can_sign_agreements,
        has_pin=row.pin_hash is not None,
        active=row.active,
    )


def contact_to_domain(row: ContactRow) -> Contact:
    return Contact(
        uid=row.uid, name=row.name, role=row.role, department=row.department, email=row.email, phone=row.phone
    )


def customer_to_domain(row: CustomerRow) -> Customer:
    return Customer(
        uid=row.uid,
        name=row.name,
        address=row.address,
        industry=row.industry,
        notes=row.notes,
        contacts=tuple(contact_to_domain(c) for c in row.contacts),
        version=row.version,
    )


class Lookup:
    """Resolves stable uids to row ids (and back) within one session, caching what it saw."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._members: dict[str, int] = {}
        self._contacts: dict[str, int] = {}
        self._member_uids: dict[int, str] = {}
        self._contact_uids: dict[int, str] = {}

    def member_id(self, uid: str | None) -> int | None:
        if uid is None:
            return None
        if uid not in self._members:
            found = self.session.scalar(select(TeamMemberRow.id).where(TeamMemberRow.uid == uid))
            if found is None:
                raise NotFoundError(f"No team member with id {uid}.", "Pick someone from the team list.")
            self._members[uid] = found
        return self._members[uid]

    def contact_id(self, uid: str | None) -> int | None:
        if uid is None:
            return None
        if uid not in self._contacts:
            found = self.session.scalar(select(ContactRow.id).where(ContactRow.uid == uid))
            if found is None:
                raise NotFoundError(f"No customer contact with id {uid}.", "Pick a contact of this customer.")
            self._contacts[uid] = found
        return self._contacts[uid]

    def member_uid(self, row_id: int | None) -> str | None:
        if row_id is None:
            return None
        if row_id not in self._member_uids:
            self._member_uids[row_id] = self.session.scalar(
                select(TeamMemberRow.uid).where(TeamMemberRow.id == row_id)
            ) or ""
        return self._member_uids[row_id]

    def contact_uid(self, row_id: int | None) -> str | None:
        if row_id is None:
            return None
        if row_id not in self._contact_uids:
            self._contact_uids[row_id] = self.session.scalar(
                select(ContactRow.uid).where(ContactRow.id == row_id)
            ) or ""
        return self._contact_uids[row_id]


def deal_to_domain(row: DealRowORM, lookup: Lookup) -> Deal:
    """The whole deal aggregate as a plain value (revisions are read separately)."""
    scalars: dict[str, Any] = {name: getattr(row, name) for name in DEAL_SCALARS}
    kickoff = row.kickoff
    return Deal(
        uid=row.uid,
        ref=row.ref,
        customer_uid=row.customer.uid,
        customer_name=row.customer.name,
        stage=Stage(row.stage),
        owner_uid=row.owner.uid if row.owner else None,
        version=row.version,
        gap_handling=GapHandling(row.gap_handling) if row.gap_handling else None,
        created_at=row.created_at,
        updated_at=row.updated_at,
        questions=tuple(DiscoveryQuestion(q.uid, q.question, q.answer) for q in row.questions),
        objections=tuple(Objection(o.uid, o.objection, o.response) for o in row.objections),
        lines=tuple(DealLine(li.uid, li.description, li.quantity, li.unit_price, li.unit) for li in row.lines),
        checklist=tuple(
            ChecklistItem(
                uid=c.uid,
                department=c.department,
                question=c.question,
                help_text=c.help_text,
                mandatory=c.mandatory,
                answer=Answer(c.answer) if c.answer else None,
                notes=c.notes,
                answered_by=lookup.member_uid(c.answered_by_id),
                answered_at=c.answered_at,
            )
            for c in row.checklist
        ),
        work_items=tuple(
            WorkItem(
                uid=w.uid,
                department=w.department,
                task=w.task,
                raw_days=w.raw_days,
                predecessors=tuple(p for p in w.predecessors.split(",") if p),
                status=ItemStatus(w.status),
                actual_start=w.actual_start,
                actual_done=w.actual_done,
                promised_due=w.promised_due,
            )
            for w in row.work_items
        ),
        signoffs=tuple(
            SignOff(
                uid=s.uid,
                department=s.department,
                member_uid=lookup.member_uid(s.member_id) or "",
                verdict=Verdict(s.verdict),
                conditions=s.conditions,
                fingerprint=s.fingerprint,
                reviewed=s.reviewed_form.form if s.reviewed_form else "",
                signed_at=s.signed_at,
                current=s.current,
            )
            for s in row.signoffs
        ),
        parties=tuple(
            Party(
                uid=p.uid,
                side=Side(p.side),
                responsibility=p.responsibility,
                member_uid=lookup.member_uid(p.member_id),
                contact_uid=lookup.contact_uid(p.contact_id),
            )
            for p in row.parties
        ),
        help_contacts=tuple(HelpContact(h.uid, h.topic, h.name, h.phone, h.email) for h in row.help_contacts),
        terms=tuple(
            DealTerm(
                uid=t.uid,
                title=t.title,
                body=t.body,
                non_standard=t.non_standard,
                approved_by=lookup.member_uid(t.approved_by_id),
                standard_term_uid=t.standard_term.uid if t.standard_term else None,
                source=t.source,
                acknowledged_by=lookup.member_uid(t.acknowledged_by_id),
                acknowledged_at=t.acknowledged_at,
            )
            for t in row.terms
        ),
        action_items=tuple(
            ActionItem(
                uid=a.uid,
                owner_side=Side(a.owner_side),
                what=a.what,
                owner_member_uid=lookup.member_uid(a.owner_member_id),
                owner_contact_uid=lookup.contact_uid(a.owner_contact_id),
                due_fixed=a.due_fixed,
                due_work_item_uid=a.due_work_item_uid,
                status=ItemStatus(a.status),
                done_on=a.done_on,
            )
            for a in row.action_items
        ),
        stakeholders=tuple(
            Stakeholder(s.uid, lookup.member_uid(s.member_id) or "", s.how_they_win) for s in row.stakeholders
        ),
        kickoff=Kickoff(
            uid=kickoff.uid,
            held_on=kickoff.held_on,
            attendees_ours=tuple(n for n in kickoff.attendees_ours.split("\n") if n),
            attendees_theirs=tuple(n for n in kickoff.attendees_theirs.split("\n") if n),
            notes=kickoff.notes,
        )
        if kickoff
        else None,
        breakdowns=tuple(
            Breakdown(
                uid=b.uid,
                category=BreakdownCategory(b.category),
                department=b.department,
                occurred_on=b.occurred_on,
                description=b.description,
                customer_impact=b.customer_impact,
                cost=b.cost,
                resolution=b.resolution,
                logged_by=lookup.member_uid(b.logged_by_id),
                automatic=b.automatic,
            )
            for b in row.breakdowns
        ),
        **scalars,
    )


R = TypeVar("R")
V = TypeVar("V")


def sync_children(
    rows: list[R],
    values: Sequence[V],
    make: Callable[[], R],
    fill: Callable[[R, V], None],
) -> None:
    """Make ``rows`` match ``values`` by uid: update, insert and remove, keeping order.

    An entry listed twice is refused: it would be stored twice under one id.
    """
    by_uid: dict[str, R] = {getattr(r, "uid"): r for r in rows}  # noqa: B009
    wanted: list[R] = []
    seen: set[str] = set()
    for position, value in enumerate(values):
        uid = getattr(value, "uid")  # noqa: B009
        if uid in seen:
            raise ValidationError(
                "The same entry appears twice in one list.",
                "Remove the copy (or reload), then save again.",
            )
        seen.add(uid)
        row = by_uid.get(uid)
        if row is None:
            row = make()
            setattr(row, "uid", uid)  # noqa: B010
        setattr(row, "position", position)  # noqa: B010
        fill(row, value)
        wanted.append(row)
    rows[:] = wanted


def apply_deal(row: DealRowORM, deal: Deal, lookup: Lookup, session: Session) -> None:
    """Write the editable parts of ``deal`` onto ``row`` (sign-offs and revisions have services of their own)."""
    for name in DEAL_SCALARS:
        if getattr(row, name) != getattr(deal, name):
            setattr(row, name, getattr(deal, name))
    row.stage = deal.stage.value
    row.gap_handling = deal.gap_handling.value if deal.gap_handling else None
    row.owner_id = lookup.member_id(deal.owner_uid)

    def fill_question(r: QuestionRow, v: DiscoveryQuestion) -> None:
        r.question, r.answer = v.question, v.answer

    def fill_objection(r: ObjectionRow, v: Objection) -> None:
        r.objection, r.response = v.objection, v.response

    def fill_line(r: LineRow, v: DealLine) -> None:
        r.description, r.quantity, r.unit_price, r.unit = v.description, v.quantity, v.unit_price, v.unit

    def fill_check(r: ChecklistAnswerRow, v: ChecklistItem) -> None:
        r.department, r.question, r.help_text, r.mandatory = v.department, v.question, v.help_text, v.mandatory
        r.answer = v.answer.value if v.answer else None
        r.notes = v.notes
        r.answered_by_id = lookup.member_id(v.answered_by)
        r.answered_at = v.answered_at

    def fill_work(r: WorkItemRow, v: WorkItem) -> None:
        r.department, r.task, r.raw_days = v.department, v.task, v.raw_days
        r.predecessors = ",".join(v.predecessors)
        r.status = v.status.value
        r.actual_start, r.actual_done, r.promised_due = v.actual_start, v.actual_done, v.promised_due

    def fill_party(r: PartyRow, v: Party) -> None:
        r.side, r.responsibility = v.side.value, v.responsibility
        r.member_id = lookup.member_id(v.member_uid)
        r.contact_id = lookup.contact_id(v.contact_uid)

    def fill_help(r: HelpContactRow, v: HelpContact) -> None:
        r.topic, r.name, r.phone, r.email = v.topic, v.name, v.phone, v.email

    def fill_term(r: DealTermRow, v: DealTerm) -> None:
        r.title, r.body, r.non_standard, r.source = v.title, v.body, v.non_standard, v.source
        r.approved_by_id = lookup.member_id(v.approved_by)
        r.acknowledged_by_id = lookup.member_id(v.acknowledged_by)
        r.acknowledged_at = v.acknowledged_at
        r.standard_term_id = (
            session.scalar(select(StandardTermRow.id).where(StandardTermRow.uid == v.standard_term_uid))
            if v.standard_term_uid
            else None
        )

    def fill_action(r: ActionItemRow, v: ActionItem) -> None:
        r.owner_side, r.what = v.owner_side.value, v.what
        r.owner_member_id = lookup.member_id(v.owner_member_uid)
        r.owner_contact_id = lookup.contact_id(v.owner_contact_uid)
        r.due_fixed, r.due_work_item_uid = v.due_fixed, v.due_work_item_uid
        r.status, r.done_on = v.status.value, v.done_on

    def fill_stakeholder(r: StakeholderRow, v: Stakeholder) -> None:
        r.member_id = lookup.member_id(v.member_uid) or 0
        r.how_they_win = v.how_they_win

    def fill_breakdown(r: BreakdownRow, v: Breakdown) -> None:
        r.category, r.department, r.occurred_on = v.category.value, v.department, v.occurred_on
        r.description, r.customer_impact, r.cost, r.resolution = (
            v.description,
            v.customer_impact,
            v.cost,
            v.resolution,
        )
        r.logged_by_id = lookup.member_id(v.logged_by)
        r.automatic = v.automatic

    sync_children(row.questions, deal.questions, QuestionRow, fill_question)
    sync_children(row.objections, deal.objections, ObjectionRow, fill_objection)
    sync_children(row.lines, deal.lines, LineRow, fill_line)
    sync_children(row.checklist, deal.checklist, ChecklistAnswerRow, fill_check)
    sync_children(row.work_items, deal.work_items, WorkItemRow, fill_work)
    sync_children(row.parties, deal.parties, PartyRow, fill_party)
    sync_children(row.help_contacts, deal.help_contacts, HelpContactRow, fill_help)
    sync_children(row.terms, deal.terms, DealTermRow, fill_term)
    sync_children(row.action_items, deal.action_items, ActionItemRow, fill_action)
    sync_children(row.stakeholders, deal.stakeholders, StakeholderRow, fill_stakeholder)
    sync_children(row.breakdowns, deal.breakdowns, BreakdownRow, fill_breakdown)
    if deal.kickoff is None:
        row.kickoff = None
    else:
        k = deal.kickoff
        if row.kickoff is None:
            row.kickoff = KickoffRow(uid=k.uid, held_on=k.held_on)
        # A deal has one kickoff: a new one replaces the old in place. Swapping in a new row would
        # insert it before the old one is deleted, which the one-kickoff-per-deal constraint refuses.
        row.kickoff.uid = k.uid
        row.kickoff.held_on = k.held_on
        row.kickoff.attendees_ours = "\n".join(k.attendees_ours)
        row.kickoff.attendees_theirs = "\n".join(k.attendees_theirs)
        row.kickoff.notes = k.notes


def revision_to_domain(row: AgreementRevisionRow, lookup: Lookup) -> AgreementRevision:
    return AgreementRevision(
        uid=row.uid,
        number=row.number,
        doc_id=row.doc_id,
        status=row.status,
        snapshot_json=row.snapshot_json,
        snapshot_sha256=row.snapshot_sha256,
        pdf_sha256=row.pdf_sha256,
        created_at=row.created_at,
        signed_at=row.signed_at,
        signatures=tuple(signature_to_domain(s, lookup) for s in row.signatures),
    )


def signature_to_domain(row: SignatureRow, lookup: Lookup) -> Signature:
    return Signature(
        uid=row.uid,
        side=Side(row.side),
        signer_name=row.signer_name,
        method=row.method,
        signed_on=row.signed_on,
        member_uid=lookup.member_uid(row.member_id),
        contact_uid=lookup.contact_uid(row.contact_id),
        image_png=row.image_png,
        scan=row.scan,
        recorded_at=row.recorded_at,
    )


def signoff_row(s: SignOff, deal_id: int, lookup: Lookup) -> SignOffRow:
    ensure_reviewed_form(lookup.session, s.fingerprint, s.reviewed)
    return SignOffRow(
        uid=s.uid,
        deal_id=deal_id,
        department=s.department,
        member_id=lookup.member_id(s.member_uid),
        verdict=s.verdict.value,
        conditions=s.conditions,
        fingerprint=s.fingerprint,
        signed_at=s.signed_at,
        current=s.current,
    )


def ensure_reviewed_form(session: Session, fingerprint: str, form: str) -> None:
    """Keep one copy of a reviewed form per fingerprint."""
    if not form or session.get(ReviewedFormRow, fingerprint) is not None:
        return
    session.add(ReviewedFormRow(fingerprint=fingerprint, form=form))
