"""A deal (with the team, the customer and the settings around it) mapped to the documents' inputs.

The agreement, the action plan and the meeting brief only lay out what they are given; everything
they show is decided here. Dates are always promised (padded) dates: an action item tied to a work
item is due when that work item was promised, never on a raw estimate. What the letter says is also
kept as a snapshot (see ``agreement_snapshot``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from salesdesk.documents.model import (
    ActionItemRow,
    ActionPlanDoc,
    AgreementDoc,
    BriefDoc,
    Company,
    HelpContactRow,
    Person,
    PriceLineRow,
    SignatureBlock,
    SignatureMethod,
    StakeholderRow,
    TermRow,
)
from salesdesk.documents.model import Side as DocSide
from salesdesk.domain import feasibility as rules
from salesdesk.domain.errors import RefusedError, SalesDeskError
from salesdesk.domain.fingerprint import fingerprint
from salesdesk.domain.model import (
    ActionItem,
    AgreementRevision,
    Customer,
    Deal,
    ItemStatus,
    Party,
    Settings,
    Side,
    Signature,
    TeamMember,
)
from salesdesk.domain.pricing import PriceLine, price_breakdown
from salesdesk.services.promise import deal_schedule
from salesdesk.services.quote import company_from_settings, document_number

STATUS_WORDS = {ItemStatus.OPEN: "Open", ItemStatus.IN_PROGRESS: "In progress", ItemStatus.DONE: "Done"}
NOT_NAMED = "Not named yet"
NOTHING_AGREED = "Nothing agreed separately."


@dataclass(frozen=True)
class DealSurroundings:
    """What a deal's documents need besides the deal: settings, the team, the customer and contacts."""

    settings: Settings
    customer: Customer
    members: Mapping[str, TeamMember]  # uid -> member, inactive ones included

    @property
    def company(self) -> Company:
        return company_from_settings(self.settings)

    def member(self, uid: str | None) -> TeamMember | None:
        return self.members.get(uid or "")

    def contact_name(self, uid: str | None) -> str:
        contact = next((c for c in self.customer.contacts if c.uid == uid), None) if uid else None
        return contact.name if contact else ""

    def organisation(self, side: Side | str) -> str:
        return self.settings.company_name if Side(side) is Side.OURS else self.customer.name


# ---------------------------------------------------------------------------- shared pieces


def work_item_dues(deal: Deal, st: Settings) -> dict[str, date]:
    """Each work item's promised (padded) due date: as promised at the quote, else as scheduled now."""
    dues = {w.uid: w.promised_due for w in deal.work_items if w.promised_due}
    if len(dues) < len(deal.work_items):
        try:
            planned = {i.key: i.due for i in deal_schedule(deal, st).items}
        except SalesDeskError:
            planned = {}
        for w in deal.work_items:
            if w.uid not in dues and w.uid in planned:
                dues[w.uid] = planned[w.uid]
    return dues


def action_item_due(item: ActionItem, dues: Mapping[str, date]) -> date | None:
    """A fixed date, or the promised due date of the work item the action waits for."""
    if item.due_fixed:
        return item.due_fixed
    return dues.get(item.due_work_item_uid or "")


def _person(party: Party, around: DealSurroundings) -> Person:
    organisation = around.organisation(party.side)
    if party.side is Side.OURS:
        m = around.member(party.member_uid)
        if m is None:
            return Person(NOT_NAMED, "", organisation, "ours", party.responsibility)
        return Person(m.name, m.role or m.department, organisation, "ours", party.responsibility, m.email, m.phone)
    c = next((c for c in around.customer.contacts if c.uid == party.contact_uid), None)
    if c is None:
        return Person(NOT_NAMED, "", organisation, "theirs", party.responsibility)
    return Person(c.name, c.role or c.department, organisation, "theirs", party.responsibility, c.email, c.phone)


def people(deal: Deal, around: DealSurroundings) -> tuple[Person, ...]:
    """Everyone named as a party, ours first, each with role, organisation and responsibility."""
    ordered = sorted(deal.parties, key=lambda p: p.side is not Side.OURS)
    return tuple(_person(p, around) for p in ordered)


def owner_name(item: ActionItem, around: DealSurroundings) -> str:
    if item.owner_side is Side.OURS:
        m = around.member(item.owner_member_uid)
        return m.name if m else NOT_NAMED
    return around.contact_name(item.owner_contact_uid) or NOT_NAMED


def _action_rows(deal: Deal, around: DealSurroundings, dues: Mapping[str, date], *,
                 skip_undated: bool) -> tuple[ActionItemRow, ...]:
    rows = []
    for i, item in enumerate(deal.action_items, 1):
        due = action_item_due(item, dues)
        if due is None:
            if skip_undated:
                continue
            raise RefusedError(
                f"Action item {i} ('{item.what[:60]}') has no date.",
                "Give it a date or tie it to a work item, then prepare the agreement again.",
            )
        rows.append(ActionItemRow(owner_name(item, around), item.owner_side.value, item.what, due,
                                  STATUS_WORDS[item.status]))
    return tuple(rows)


def _help_rows(deal: Deal) -> tuple[HelpContactRow, ...]:
    return tuple(HelpContactRow(h.topic, h.name, h.phone, h.email) for h in deal.help_contacts)


_BULLET = re.compile(r"^[-•*]\s+")


def _list_lines(text: str) -> tuple[str, ...]:
    """One item per line; bullets people typed ("- ", "• ", "* ") are dropped."""
    lines = (_BULLET.sub("", line.strip()).strip() for line in text.splitlines())
    return tuple(line for line in lines if line)


def _percent_label(percent: Decimal) -> str:
    return f"{format(percent.normalize(), 'f') if percent else '0'} % of subtotal"


# ---------------------------------------------------------------------------- the agreement


def signature_blocks(signatures: Sequence[Signature], around: DealSurroundings) -> tuple[SignatureBlock, ...]:
    """One block per side that signed: the drawing, or "signed on paper on …"."""
    blocks = []
    for sig in signatures:
        if sig.side is Side.OURS:
            m = around.member(sig.member_uid)
            title = (m.role or m.department) if m else ""
        else:
            c = next((c for c in around.customer.contacts if c.uid == sig.contact_uid), None)
            title = (c.role or c.department) if c else ""
        side: DocSide = "ours" if sig.side is Side.OURS else "theirs"
        method: SignatureMethod = "paper" if sig.method == "paper" else "drawn"
        blocks.append(SignatureBlock(side, around.organisation(sig.side), sig.signer_name, title,
                                     sig.signed_on, sig.image_png if method == "drawn" else None, method))
    return tuple(blocks)


def agreement_doc(deal: Deal, revision: AgreementRevision, signatures: Sequence[Signature],
                  around: DealSurroundings, *, contingency_percent: Decimal | None = None) -> AgreementDoc:
    """The letter of agreement for ``deal`` as it is now, numbered as ``revision``.

    ``contingency_percent`` pins the allowance to what was agreed before (else the settings' value).
    RefusedError when the letter cannot say who does what by when (no promised date, undated items).
    """
    st = around.settings
    dues = work_item_dues(deal, st)
    promised = deal.promised_date or max(dues.values(), default=None)
    if promised is None:
        raise RefusedError(
            f"{deal.ref} has no promised delivery date yet, so there is nothing to agree in writing.",
            "Have the departments estimate the work and quote the deal first.",
        )
    percent = st.contingency_percent if contingency_percent is None else contingency_percent
    priced = [PriceLine(line.description, line.quantity, line.unit_price) for line in deal.lines]
    prices = price_breakdown(priced, percent)
    members = around.members

    def approver(uid: str | None) -> str | None:
        m = members.get(uid or "")
        if m is None:
            return None
        return f"{m.name}, {m.role}" if m.role else m.name

    stakeholders = []
    for sh in deal.stakeholders:
        m = members.get(sh.member_uid)
        if m is not None:
            stakeholders.append(StakeholderRow(m.name, m.department, sh.how_they_win))
    customer = around.customer
    return AgreementDoc(
        doc_id=revision.doc_id,
        revision=revision.number,
        company=around.company,
        customer_name=customer.name,
        customer_address_lines=tuple(x.strip() for x in customer.address.splitlines() if x.strip()),
        deal_ref=deal.ref,
        deal_title=deal.title,
        date=revision.created_at.astimezone().date(),
        parties=people(deal, around),
        action_items=_action_rows(deal, around, dues, skip_undated=False),
        promised_date=promised,
        work_due_dates=tuple((w.task, dues[w.uid]) for w in deal.work_items if w.uid in dues),
        lines=tuple(PriceLineRow(line.description, line.quantity, line.unit, line.unit_price, p.line_total)
                    for line, p in zip(deal.lines, priced, strict=True)),
        subtotal=prices.subtotal,
        contingency=prices.contingency,
        contingency_label=_percent_label(prices.contingency_percent),
        total=prices.total,
        currency=deal.currency,
        terms=tuple(TermRow(t.title, t.body, t.non_standard, approver(t.approved_by) if t.non_standard else None)
                    for t in deal.terms),
        training_recommendation=deal.training_recommendation.strip(),
        break_in_period=deal.break_in_period.strip(),
        inclusions=_list_lines(deal.inclusions),
        exclusions=_list_lines(deal.exclusions),
        cost_overrun_handling=deal.cost_overrun_handling.strip() or NOTHING_AGREED,
        disagreement_handling=deal.disagreement_handling.strip() or NOTHING_AGREED,
        help_contacts=_help_rows(deal),
        stakeholders=tuple(stakeholders),
        signatures=signature_blocks(signatures, around),
    )


# ---------------------------------------------------------------------------- action plan and brief


def action_plan_doc(deal: Deal, around: DealSurroundings, *, today: date | None = None) -> ActionPlanDoc:
    """Who does what by when, for the wall (items without a date yet are left out)."""
    dues = work_item_dues(deal, around.settings)
    return ActionPlanDoc(
        doc_id=document_number("AP", deal.ref),
        revision=deal.version,
        company=around.company,
        customer_name=around.customer.name,
        deal_ref=deal.ref,
        deal_title=deal.title,
        date=today or date.today(),
        action_items=_action_rows(deal, around, dues, skip_undated=True),
        help_contacts=_help_rows(deal),
    )


def brief_doc(deal: Deal, around: DealSurroundings, *, meeting_on: date | None = None) -> BriefDoc:
    """The one-page brief before a client meeting: needs, what is open, what operations said."""
    open_questions = [q.question for q in deal.questions if not q.answer.strip()]
    open_questions += [f"{c.department}: {c.question}" for c in deal.checklist if c.mandatory and c.answer is None]
    current_print = fingerprint(deal) if deal.signoffs else ""
    said, conditions = [], []
    for s in deal.signoffs:
        if not s.current:
            continue
        m = around.member(s.member_uid)
        who = f" ({m.name})" if m else ""
        stale = " — given before the deal last changed; ask again" if s.fingerprint != current_print else ""
        said.append(f"{s.department}{who}: {rules.VERDICT_WORDS[s.verdict]}{stale}")
        if s.conditions.strip():
            conditions.append(f"{s.department}: {s.conditions.strip()}")
    conditions += [f"Non-standard term: {t.title}" for t in deal.terms if t.non_standard and t.source != "signoff"]
    return BriefDoc(
        doc_id=document_number("B", deal.ref),
        revision=deal.version,
        company=around.company,
        customer_name=around.customer.name,
        deal_ref=deal.ref,
        deal_title=deal.title,
        meeting_date=meeting_on or date.today(),
        needs_identified=deal.needs_identified.strip() or "Not recorded yet.",
        needs_clarified=deal.needs_clarified.strip() or "Not clarified yet.",
        open_questions=tuple(open_questions),
        objections=tuple((o.objection, o.response or "No answer prepared yet.") for o in deal.objections),
        operations_said=tuple(said),
        promised_date=deal.promised_date,
        requested_date=deal.requested_date,
        conditions=tuple(conditions),
        people=people(deal, around),
    )
