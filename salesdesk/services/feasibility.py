"""The feasibility review: departments answer, estimate and sign off before anything is promised.

Every change goes through ``DealService.save`` (one transaction, version check, audit trail). Two
hooks keep the rules true on every save, whoever saves: ``reconcile`` (called from
``DealService._derive``) moves a deal between Feasibility review and Cleared as its gate opens and
closes, and ``store_signoffs`` (called from ``DealService._store_derived``) writes new sign-offs and
keeps each sign-off's ``stale`` flag current for the deal list.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy.orm import Session

from salesdesk.domain import feasibility as rules
from salesdesk.domain.errors import RefusedError, ValidationError
from salesdesk.domain.fingerprint import ANSWER_WORDS, fingerprint, reviewed_form
from salesdesk.domain.model import Answer, Deal, DealTerm, GapHandling, SignOff, Stage, Verdict
from salesdesk.domain.schedule import requested_gap
from salesdesk.services import validation as v
from salesdesk.services.context import Context, now
from salesdesk.services.deals import DealService
from salesdesk.services.feasibility_status import FeasibilityStatus, build_status, padded_schedule
from salesdesk.services.promise import calendar_from_settings
from salesdesk.services.settings import SettingsService
from salesdesk.services.team import TeamService
from salesdesk.store.mapping import Lookup, signoff_row
from salesdesk.store.schema import DealRowORM

#: Which sign-off the current unit of work may add to a deal (see ``store_signoffs``).
_ALLOWED_SIGNOFF: ContextVar[str | None] = ContextVar("salesdesk_allowed_signoff", default=None)
_ANY = "*"

#: Term uids derived from sign-off uids, so a superseded sign-off's conditions can be found again.
_TERM_NAMESPACE = uuid.UUID("6c1f6f2e-6a53-4f1b-9d55-6a4f8f0c2b17")


def condition_term_uid(signoff_uid: str) -> str:
    """The uid of the deal term that carries a sign-off's conditions."""
    return str(uuid.uuid5(_TERM_NAMESPACE, signoff_uid))


# ---------------------------------------------------------------------------- hooks on every save


def reconcile(deal: Deal) -> Deal:
    """DealService's hook: Cleared ↔ Feasibility review as the gate opens and closes (see domain)."""
    return rules.reconcile(deal)


@contextmanager
def _allowing_signoff(uid: str) -> Iterator[None]:
    token = _ALLOWED_SIGNOFF.set(uid)
    try:
        yield
    finally:
        _ALLOWED_SIGNOFF.reset(token)


@contextmanager
def recorded_signoffs() -> Iterator[None]:
    """Let saves in this block bring sign-offs given elsewhere (a package imported from another laptop).

    Outside it, only ``FeasibilityService.sign_off`` (which checks membership and PIN) adds sign-offs.
    """
    token = _ALLOWED_SIGNOFF.set(_ANY)
    try:
        yield
    finally:
        _ALLOWED_SIGNOFF.reset(token)


_SIGNOFF_LOCKED = (
    "A department's sign-off cannot be changed or removed.",
    "Ask the department to review the deal and sign off again.",
)


def store_signoffs(ctx: Context, session: Session, row: DealRowORM, deal: Deal) -> None:
    """DealService's hook: write new sign-offs, retire superseded ones, and refresh ``stale`` flags.

    A sign-off is a department's word: it is never edited or deleted. The only changes allowed are
    a new sign-off (while ``sign_off`` or ``recorded_signoffs`` allows it) and the department's
    previous one ceasing to be current at the same moment.
    """
    allowed = _ALLOWED_SIGNOFF.get()
    rows = {r.uid: r for r in row.signoffs}
    given = {s.uid for s in deal.signoffs}
    if rows.keys() - given:
        raise RefusedError(*_SIGNOFF_LOCKED)
    # The department now signing may retire its own previous sign-off, nobody else's.
    signing = next((s.department for s in deal.signoffs if s.uid == allowed), None)
    lookup: Lookup | None = None
    for signoff in deal.signoffs:
        existing = rows.get(signoff.uid)
        if existing is None:
            if allowed not in (_ANY, signoff.uid):
                raise RefusedError(
                    "A sign-off can only be given through the feasibility review.",
                    "Use 'Sign off' on the deal's Feasibility page; it asks for the signer's PIN.",
                )
            lookup = lookup or Lookup(session)
            new_row = signoff_row(signoff, row.id, lookup)
            row.signoffs.append(new_row)
            rows[signoff.uid] = new_row
            words = rules.VERDICT_WORDS[signoff.verdict]
            said = f"{signoff.department} — {words}" + (f" ({signoff.conditions})" if signoff.conditions else "")
            # Reads in the history as "signed feasibility review: Operations — feasible with conditions (…)".
            ctx.audit(session, entity="feasibility_review", entity_uid=signoff.uid, deal_uid=deal.uid,
                      action="signed", new=said)
            continue
        unchanged = (
            existing.department == signoff.department
            and existing.verdict == signoff.verdict.value
            and existing.conditions == signoff.conditions
            and existing.fingerprint == signoff.fingerprint
        )
        retired = existing.current and not signoff.current and (allowed == _ANY or existing.department == signing)
        if not unchanged or (existing.current != signoff.current and not retired):
            raise RefusedError(*_SIGNOFF_LOCKED)
        if retired:
            existing.current = False
    fresh = fingerprint(deal)
    involved = set(rules.involved_departments(deal))  # as the gate sees it: others no longer matter
    for r in rows.values():
        stale = bool(r.current) and r.department in involved and r.fingerprint != fresh
        if r.stale != stale:
            r.stale = stale


# ---------------------------------------------------------------------------- the service


E = TypeVar("E", Answer, Verdict, GapHandling)


def _enum(kind: type[E], value: object, label: str) -> E:
    try:
        return kind(str(value))
    except ValueError:
        choices = ", ".join(m.value for m in kind)
        raise ValidationError(f"'{value}' is not a valid {label}.", f"Use one of: {choices}.") from None


class FeasibilityService:
    """Run a deal's feasibility review: request it, answer, sign off, see where it stands."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.deals = DealService(ctx)
        self.team = TeamService(ctx)
        self.settings = SettingsService(ctx)

    # --- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _refuse_closed(deal: Deal, doing: str) -> None:
        if deal.stage not in rules.REVIEW_STAGES:
            raise RefusedError(
                f"{deal.ref} is {deal.stage.label.lower()}: the feasibility review is closed, so you cannot {doing}.",
                "Answers, sign-offs and the handling of the requested date can change only until the deal is quoted.",
            )

    # --- the review --------------------------------------------------------------------------

    def request_review(self, ref: str, *, expected_version: int | None = None) -> Deal:
        """Send the deal to the departments: Discovery → Feasibility review.

        From Declined it means the rep changed the scope and asks again; that is refused when
        nothing the departments reviewed has changed since they said no.
        """
        deal = self.deals.get(ref, expected_version=expected_version)
        if deal.stage in (Stage.FEASIBILITY, Stage.CLEARED):
            return deal
        self._refuse_closed(deal, "ask for a review again")
        if not rules.involved_departments(deal):
            raise RefusedError(
                f"There is nothing in {deal.ref} for the departments to review yet.",
                "Add the checklist (from a template) and the work items, then ask for a review.",
            )
        if deal.stage is Stage.DECLINED:
            fresh = fingerprint(deal)
            said_no = [s for s in deal.signoffs if s.current and s.verdict is Verdict.NOT_FEASIBLE]
            unchanged = [s.department for s in said_no if s.fingerprint == fresh]
            if unchanged:
                raise RefusedError(
                    f"Nothing {rules.and_list(unchanged)} reviewed has changed since they said it is not feasible.",
                    "Change the scope first (lines, quantities, dates, work items or answers), then ask again.",
                )
        return self.deals.save(replace(deal, stage=Stage.FEASIBILITY, decline_reason=""))

    def answer(
        self,
        ref: str,
        item_uid: str,
        answer: Answer | str | None,
        notes: str,
        member_uid: str,
        *,
        expected_version: int | None = None,
        at: datetime | None = None,
    ) -> Deal:
        """Record a department's answer to one checklist item (None clears it), with who and when."""
        deal = self.deals.get(ref, expected_version=expected_version)
        self._refuse_closed(deal, "change an answer")
        chosen = None if answer in (None, "") else _enum(Answer, answer, "answer")
        notes = v.text(notes, "Notes", field="notes").strip()
        item = next((c for c in deal.checklist if c.uid == item_uid), None)
        if item is None:
            raise ValidationError(f"{deal.ref} has no such checklist item.", "Reload the deal and pick the item again.")
        if chosen is Answer.WITH_CONDITIONS and not notes:
            raise ValidationError(
                "An answer 'with conditions' needs the conditions.",
                "Write them in the notes, e.g. 'only if the customer sends the floor plan by 1 March'.",
                field="notes",
            )
        member = self.team.get(member_uid)
        if not member.active:
            raise RefusedError(f"{member.name} is no longer active in the team.", "Pick someone who is.")
        changed = replace(
            item,
            answer=chosen,
            notes=notes,
            answered_by=member.uid if chosen is not None else None,
            answered_at=(at or now()) if chosen is not None else None,
        )
        if (changed.answer, changed.notes) == (item.answer, item.notes):
            return deal
        checklist = tuple(changed if c.uid == item_uid else c for c in deal.checklist)
        return self.deals.save(replace(deal, checklist=checklist))

    def sign_off(
        self,
        ref: str,
        department: str,
        member_uid: str,
        verdict: Verdict | str,
        conditions: str = "",
        pin: str | None = None,
        *,
        expected_version: int | None = None,
        at: datetime | None = None,
    ) -> Deal:
        """A department's verdict on what it has just reviewed, confirmed with the signer's PIN.

        Feasible with conditions needs the conditions (they become non-standard terms of the deal,
        attributed to the signer); not feasible needs the reason and declines the deal. Pass the
        ``expected_version`` the signer looked at, so nobody signs off a deal that changed under them.
        """
        chosen = _enum(Verdict, verdict, "verdict")
        deal = self.deals.get(ref, expected_version=expected_version)
        self._refuse_closed(deal, "sign off")
        if deal.stage is Stage.DISCOVERY:
            raise RefusedError(f"{deal.ref} has not been sent for a feasibility review yet.",
                               "Ask for the review first.")
        if deal.stage is Stage.DECLINED:
            raise RefusedError(f"{deal.ref} was declined.",
                               "If the scope has changed, ask for the review again first.")
        involved = rules.involved_departments(deal)
        dept = next((d for d in involved if d.casefold() == (department or "").strip().casefold()), None)
        if dept is None:
            raise RefusedError(
                f"{department or 'That department'} has nothing to review on {deal.ref}.",
                f"The departments involved are: {', '.join(involved) or 'none yet'}.",
            )
        member = self.team.get(member_uid)
        if not member.active:
            raise RefusedError(f"{member.name} is no longer active in the team.", f"Ask someone from {dept} to sign.")
        if member.department.strip().casefold() != dept.casefold():
            raise RefusedError(
                f"{member.name} is in {member.department}, so they cannot sign off for {dept}.",
                f"Ask someone from {dept} to sign off.",
            )
        conditions = v.text(conditions, "Conditions", limit=5000, field="conditions").strip()
        if chosen is Verdict.FEASIBLE_WITH_CONDITIONS and not conditions:
            raise ValidationError("'Feasible with conditions' needs the conditions.",
                                  "Write what must be true for the work to be done as estimated.",
                                  field="conditions")
        if chosen is Verdict.NOT_FEASIBLE and not conditions:
            raise ValidationError("Say why it is not feasible.",
                                  "The rep needs the reason to change the scope or explain the no.",
                                  field="conditions")
        if chosen is Verdict.FEASIBLE and conditions:
            raise ValidationError("You wrote conditions but chose 'feasible'.",
                                  "Choose 'feasible with conditions', or clear the conditions.",
                                  field="conditions")
        unanswered = rules.open_mandatory(deal, dept)
        if chosen in rules.CLEARING_VERDICTS and unanswered:
            count = len(unanswered)
            raise RefusedError(
                f"{dept} has {count} mandatory question{'s' if count != 1 else ''} unanswered: "
                f"{rules.first_few([rules.quoted(q) for q in unanswered], 'question')}.",
                "Answer them before signing off.",
            )
        self.team.check_pin(member.uid, pin)

        signoff = SignOff(
            uid=str(uuid.uuid4()), department=dept, member_uid=member.uid, verdict=chosen,
            conditions=conditions, fingerprint=fingerprint(deal), reviewed=reviewed_form(deal),
            signed_at=at or now(), current=True,
        )
        superseded = {s.uid for s in deal.signoffs if s.department == dept and s.current}
        signoffs = tuple(replace(s, current=False) if s.uid in superseded else s for s in deal.signoffs)
        old_terms = {condition_term_uid(uid) for uid in superseded}
        terms = tuple(t for t in deal.terms if t.uid not in old_terms)
        if chosen is Verdict.FEASIBLE_WITH_CONDITIONS:
            terms += (
                DealTerm(uid=condition_term_uid(signoff.uid), title=f"Condition from {dept}", body=conditions,
                         non_standard=True, approved_by=member.uid, source="signoff"),
            )
        changes: dict[str, object] = {"signoffs": (*signoffs, signoff), "terms": terms}
        if chosen is Verdict.NOT_FEASIBLE:
            changes.update(stage=Stage.DECLINED, decline_reason=f"{dept} ({member.name}): {conditions}")
        with _allowing_signoff(signoff.uid):
            return self.deals.save(replace(deal, **changes))  # type: ignore[arg-type]

    def handle_gap(
        self,
        ref: str,
        handling: GapHandling | str | None,
        reason: str = "",
        *,
        expected_version: int | None = None,
    ) -> Deal:
        """Record how a requested date earlier than the padded date was handled (None: not yet).

        An override promises the requested date although the padded one is later: it needs a
        reason, may not go below the raw estimates, and the departments must sign off on it again.
        """
        deal = self.deals.get(ref, expected_version=expected_version)
        self._refuse_closed(deal, "change how the requested date is handled")
        chosen = None if handling in (None, "") else _enum(GapHandling, handling, "way of handling the requested date")
        reason = v.text(reason, "Reason", limit=2000, field="gap_reason").strip()
        if chosen is None:
            return self.deals.save(replace(deal, gap_handling=None, gap_reason=""))
        st = self.settings.load()
        sched = padded_schedule(deal, st)
        calendar = calendar_from_settings(st)
        gap = requested_gap(deal.requested_date, sched.promised_date, calendar) if sched else None
        if not gap or sched is None or deal.requested_date is None:
            raise RefusedError(
                "There is no gap to handle: the date we can promise meets the customer's requested date.",
                "Nothing to do; if the dates change, come back here.",
            )
        if chosen in (GapHandling.OVERRIDE, GapHandling.SCOPE_CHANGED) and not reason:
            hint = ("Say why the team can still make the earlier date, and who decided."
                    if chosen is GapHandling.OVERRIDE else "Say what changed in the scope.")
            raise ValidationError("Give a reason.", hint, field="gap_reason")
        if chosen is GapHandling.OVERRIDE and sched.raw_date and deal.requested_date <= sched.raw_date:
            raise RefusedError(
                f"The requested date {deal.requested_date.isoformat()} is not even after what the raw estimates "
                f"alone would give ({sched.raw_date.isoformat()}); SalesDesk never promises a raw estimate.",
                "Agree a later date with the customer or change the scope.",
            )
        return self.deals.save(replace(deal, gap_handling=chosen, gap_reason=reason))

    # --- where it stands ---------------------------------------------------------------------

    def status(self, ref: str, *, today: date | None = None) -> FeasibilityStatus:
        """The gate, each department's sign-off, the padded schedule, the requested-date gap and capacity."""
        return build_status(self.ctx, self.deals.get(ref), self.settings.load(), today=today)

    def preview(self, deal: Deal, *, today: date | None = None) -> FeasibilityStatus:
        """Where the review would stand with ``deal`` as drafted, unsaved edits included (the page's live view)."""
        return build_status(self.ctx, deal, self.settings.load(), today=today)


def answer_word(answer: Answer | None) -> str:
    """How an answer reads: yes, no, with conditions, n.a. — or unanswered."""
    return ANSWER_WORDS[answer] if answer else "unanswered"

