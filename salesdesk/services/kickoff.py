"""The kickoff before the first shipment (PRODUCT.md, step 6).

The account manager acknowledges every non-standard term, the kickoff meeting is recorded
(Agreed → Kicked off), and the first shipment is marked sent (Kicked off → Delivering) — without a
kickoff only with a recorded reason. Every change goes through ``DealService.save``: one
transaction, the version check and the audit trail.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import func, select

from salesdesk.domain.errors import RefusedError, ValidationError
from salesdesk.domain.feasibility import first_few, quoted
from salesdesk.domain.model import Deal, Kickoff, Stage
from salesdesk.services import validation as v
from salesdesk.services.context import Context, now
from salesdesk.services.deals import DealService
from salesdesk.services.kickoff_rules import unacknowledged_terms, warning_horizon
from salesdesk.services.promise import calendar_from_settings
from salesdesk.services.settings import SettingsService
from salesdesk.services.team import TeamService
from salesdesk.store.schema import CustomerRow, DealRowORM, DealTermRow, KickoffRow

#: The most people a kickoff record lists per side.
MAX_ATTENDEES = 50

_CLOSED = frozenset({Stage.DECLINED, Stage.LOST, Stage.DELIVERED})
_KICKED_OFF_OR_LATER = frozenset({Stage.KICKED_OFF, Stage.DELIVERING, Stage.DELIVERED})


@dataclass(frozen=True)
class KickoffWarning:
    """A deal whose first shipment is near (or past) while no kickoff has been held."""

    deal_uid: str
    ref: str
    customer: str
    title: str
    stage: Stage
    first_shipment_date: date
    working_days_left: int  # 0 or less: the date has come or passed
    unacknowledged_terms: int

    @property
    def message(self) -> str:
        if self.working_days_left < 0:
            when = f"was due on {self.first_shipment_date.isoformat()}"
        elif self.working_days_left == 0:
            when = "is due today"
        else:
            days = self.working_days_left
            when = f"is in {days} working day{'s' if days != 1 else ''} ({self.first_shipment_date.isoformat()})"
        terms = ""
        if self.unacknowledged_terms:
            n = self.unacknowledged_terms
            terms = f"; {n} non-standard term{'s' if n != 1 else ''} not acknowledged"
        return f"{self.ref} ({self.customer}): the first shipment {when} and there has been no kickoff{terms}."


def _names(values: Sequence[str], label: str) -> tuple[str, ...]:
    cleaned: list[str] = []
    for i, raw in enumerate(values, 1):
        name = v.name(raw, f"{label} {i}", required=False, field="attendees")
        if "\n" in name or "\r" in name:
            raise ValidationError(f"{label} {i} spans several lines.", "Enter one person per line.", field="attendees")
        if name and name not in cleaned:
            cleaned.append(name)
    if len(cleaned) > MAX_ATTENDEES:
        raise ValidationError(f"More than {MAX_ATTENDEES} {label.lower()}s are listed.",
                              "List the people who attended.", field="attendees")
    return tuple(cleaned)


class KickoffService:
    """Acknowledge terms, record the kickoff, ship; and warn while a shipment nears without one."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.deals = DealService(ctx)
        self.team = TeamService(ctx)
        self.settings = SettingsService(ctx)

    # --- before the kickoff ------------------------------------------------------------------

    def set_first_shipment(self, ref: str, on: date | None, *, expected_version: int | None = None) -> Deal:
        """Set (or with None clear) the date of the first shipment."""
        deal = self.deals.get(ref, expected_version=expected_version)
        if deal.first_shipment_sent_on is not None:
            raise RefusedError(
                f"The first shipment of {deal.ref} was sent on {deal.first_shipment_sent_on.isoformat()}.",
                "Its date can no longer change.",
            )
        if deal.stage in _CLOSED:
            raise RefusedError(f"{deal.ref} is {deal.stage.label.lower()}; it has no shipment to plan.")
        return self.deals.save(replace(deal, first_shipment_date=on))

    def acknowledge_term(
        self,
        ref: str,
        term_uid: str,
        member_uid: str,
        *,
        at: datetime | None = None,
        expected_version: int | None = None,
    ) -> Deal:
        """The account manager confirms they know a non-standard term (who and when are kept).

        A term already acknowledged keeps its first acknowledgement.
        """
        deal = self.deals.get(ref, expected_version=expected_version)
        term = next((t for t in deal.terms if t.uid == term_uid), None)
        if term is None:
            raise ValidationError(f"{deal.ref} has no such term.", "Reload the deal and pick the term again.")
        if not term.non_standard:
            raise RefusedError(
                f"{quoted(term.title)} is a standard term.", "Only non-standard terms need acknowledging."
            )
        if deal.stage in (Stage.DECLINED, Stage.LOST):
            raise RefusedError(f"{deal.ref} is {deal.stage.label.lower()}; there is nothing to kick off.")
        member = self.team.get(member_uid)
        if not member.active:
            raise RefusedError(f"{member.name} is no longer active in the team.", "Pick someone who is.")
        if term.acknowledged_by:
            return deal
        acknowledged = replace(term, acknowledged_by=member.uid, acknowledged_at=at or now())
        terms = tuple(acknowledged if t.uid == term_uid else t for t in deal.terms)
        return self.deals.save(replace(deal, terms=terms))

    # --- the kickoff -------------------------------------------------------------------------

    def record_kickoff(
        self,
        ref: str,
        held_on: date,
        attendees_ours: Sequence[str],
        attendees_theirs: Sequence[str],
        notes: str = "",
        *,
        today: date | None = None,
        expected_version: int | None = None,
    ) -> Deal:
        """Record the kickoff meeting. An Agreed deal moves to Kicked off; a later deal keeps its stage
        (the record is corrected). Refused while a non-standard term is unacknowledged."""
        deal = self.deals.get(ref, expected_version=expected_version)
        if deal.stage is not Stage.AGREED and deal.stage not in _KICKED_OFF_OR_LATER:
            raise RefusedError(
                f"{deal.ref} is {deal.stage.label.lower()}: only an agreed deal can be kicked off.",
                "Get the agreement signed by both sides first.",
            )
        if held_on > (today or date.today()):
            raise ValidationError(
                f"The kickoff date {held_on.isoformat()} is in the future.",
                "Record the kickoff once the meeting has been held.",
                field="held_on",
            )
        ours = _names(attendees_ours, "Attendee on our side")
        theirs = _names(attendees_theirs, "Attendee on the customer's side")
        if not ours or not theirs:
            raise ValidationError(
                "A kickoff needs attendees from both sides.",
                "Name at least one person from our team and one from the customer.",
                field="attendees",
            )
        notes = v.text(notes, "Notes", field="notes").strip()
        missing = unacknowledged_terms(deal)
        if missing:
            count = len(missing)
            raise RefusedError(
                f"{deal.ref} cannot be kicked off: {count} non-standard term{'s are' if count != 1 else ' is'} "
                f"not acknowledged yet: {first_few([quoted(t.title) for t in missing], 'term')}.",
                "The account manager acknowledges each non-standard term first.",
            )
        uid = deal.kickoff.uid if deal.kickoff else str(uuid.uuid4())
        kickoff = Kickoff(uid=uid, held_on=held_on, attendees_ours=ours, attendees_theirs=theirs, notes=notes)
        stage = Stage.KICKED_OFF if deal.stage is Stage.AGREED else deal.stage
        return self.deals.save(replace(deal, kickoff=kickoff, stage=stage))

    def mark_first_shipment_sent(
        self,
        ref: str,
        on: date,
        override_reason: str | None = None,
        *,
        today: date | None = None,
        expected_version: int | None = None,
    ) -> Deal:
        """The first shipment left on ``on``: Kicked off → Delivering.

        Without a kickoff this is refused unless ``override_reason`` says why the team ships anyway;
        the reason is kept on the deal and in the audit trail.
        """
        deal = self.deals.get(ref, expected_version=expected_version)
        if deal.first_shipment_sent_on is not None:
            raise RefusedError(
                f"The first shipment of {deal.ref} was already marked sent on "
                f"{deal.first_shipment_sent_on.isoformat()}."
            )
        if deal.stage not in (Stage.AGREED, Stage.KICKED_OFF):
            raise RefusedError(
                f"{deal.ref} is {deal.stage.label.lower()}: only an agreed deal can ship.",
                "Get the agreement signed and hold the kickoff first.",
            )
        if on > (today or date.today()):
            raise ValidationError(
                f"{on.isoformat()} is in the future.", "Mark the shipment sent once it has left.", field="sent_on"
            )
        changes: dict[str, object] = {"first_shipment_sent_on": on, "stage": Stage.DELIVERING}
        if deal.first_shipment_date is None:
            changes["first_shipment_date"] = on
        if deal.kickoff is None:
            reason = v.text(override_reason, "The reason to ship without a kickoff", limit=2000,
                            field="kickoff_override_reason").strip()
            if not reason:
                missing = unacknowledged_terms(deal)
                terms = (f" and {len(missing)} non-standard term{'s' if len(missing) != 1 else ''} "
                         "not acknowledged" if missing else "")
                raise RefusedError(
                    f"{deal.ref} has had no kickoff{terms}.",
                    "Hold the kickoff first, or give the reason the team ships without one.",
                )
            changes["kickoff_override_reason"] = reason
        return self.deals.save(replace(deal, **changes))  # type: ignore[arg-type]

    # --- the warning -------------------------------------------------------------------------

    def warning_horizon(self, today: date) -> date:
        """The last first-shipment date that warrants a kickoff warning today, by the team's working days."""
        return warning_horizon(today, calendar_from_settings(self.settings.load()))

    def warnings(self, today: date | None = None) -> list[KickoffWarning]:
        """Deals whose first shipment is within five working days (or past) without a kickoff, soonest first."""
        today = today or date.today()
        calendar = calendar_from_settings(self.settings.load())
        horizon = warning_horizon(today, calendar)
        with self.ctx.store.read() as s:
            rows = s.execute(
                select(DealRowORM.id, DealRowORM.uid, DealRowORM.ref, CustomerRow.name, DealRowORM.title,
                       DealRowORM.stage, DealRowORM.first_shipment_date)
                .join(CustomerRow, CustomerRow.id == DealRowORM.customer_id)
                .outerjoin(KickoffRow, KickoffRow.deal_id == DealRowORM.id)
                .where(
                    DealRowORM.stage.in_([Stage.QUOTED.value, Stage.AGREED.value]),
                    DealRowORM.first_shipment_date.is_not(None),
                    DealRowORM.first_shipment_date <= horizon,
                    DealRowORM.first_shipment_sent_on.is_(None),
                    KickoffRow.id.is_(None),
                )
                .order_by(DealRowORM.first_shipment_date, DealRowORM.ref)
            ).all()
            ids = [r[0] for r in rows]
            open_terms: dict[int, int] = {}
            if ids:
                open_terms = {
                    deal_id: int(count)
                    for deal_id, count in s.execute(
                        select(DealTermRow.deal_id, func.count(DealTermRow.id))
                        .where(DealTermRow.deal_id.in_(ids), DealTermRow.non_standard.is_(True),
                               DealTermRow.acknowledged_by_id.is_(None))
                        .group_by(DealTermRow.deal_id)
                    )
                }
        warnings = []
        for deal_id, uid, ref, customer, title, stage, first in rows:
            assert first is not None  # the query asked for a date
            warnings.append(KickoffWarning(
                deal_uid=uid, ref=ref, customer=customer, title=title, stage=Stage(stage),
                first_shipment_date=first, working_days_left=calendar.working_days_between(today, first),
                unacknowledged_terms=open_terms.get(deal_id, 0),
            ))
        return warnings

