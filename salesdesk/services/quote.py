"""The quote and the internal feasibility report, mapped from a deal and rendered as PDF.

Only a cleared deal is quoted, and the quote carries padded dates only: the raw estimates never
leave the building (they appear in the internal feasibility report, marked as such).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from salesdesk.documents.model import (
    ChecklistRow,
    Company,
    FeasibilityDoc,
    PriceLineRow,
    QuoteDoc,
    QuoteScheduleRow,
    ScheduleRow,
    SignOffRow,
)
from salesdesk.domain import feasibility as rules
from salesdesk.domain.errors import RefusedError
from salesdesk.domain.fingerprint import fingerprint
from salesdesk.domain.model import Answer, Deal, GapHandling, Settings, Stage
from salesdesk.domain.pricing import PriceBreakdown, PriceLine, price_breakdown
from salesdesk.domain.schedule import ScheduledItem, requested_gap
from salesdesk.services.context import Context
from salesdesk.services.customers import CustomerService
from salesdesk.services.deals import DealService
from salesdesk.services.feasibility_status import build_status, padded_schedule
from salesdesk.services.promise import calendar_from_settings
from salesdesk.services.settings import SettingsService
from salesdesk.services.team import TeamService
from salesdesk.store.schema import AuditRow

#: How long a quote holds, in calendar days.
QUOTE_VALID_DAYS = 30

ANSWER_LABELS: dict[Answer, str] = {
    Answer.YES: "Yes",
    Answer.NO: "No",
    Answer.WITH_CONDITIONS: "With conditions",
    Answer.NOT_APPLICABLE: "N/A",
}

_QUOTE_NAMESPACE = uuid.UUID("0b7e4c1a-2f7d-4d8e-9a51-3c8f5e2d9b60")


def _documents() -> Any:
    """The PDF builders, loaded on first use (reportlab is slow to import)."""
    import salesdesk.documents

    return salesdesk.documents


def company_from_settings(st: Settings) -> Company:
    """Our letterhead, as the settings describe it."""
    return Company(
        name=st.company_name,
        address_lines=tuple(line.strip() for line in st.company_address.splitlines() if line.strip()),
        phone=st.company_phone,
        email=st.company_email,
        website=st.company_website,
        logo_png=st.logo_png,
    )


def document_number(prefix: str, ref: str) -> str:
    """``D-2026-0007`` → ``Q-2026-0007`` (the quote of that deal)."""
    return f"{prefix}-{ref[2:]}" if ref.startswith("D-") else f"{prefix}-{ref}"


def _percent(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def _raw_days(value: Decimal) -> int:
    # The report prints the estimate as given: 3 stays "3", 2.5 stays "2.5".
    whole = value.to_integral_value()
    return int(whole) if value == whole else value.normalize()  # type: ignore[return-value]


class QuoteService:
    """Quotes for cleared deals, and the internal feasibility report for any deal."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.deals = DealService(ctx)
        self.settings = SettingsService(ctx)
        self.customers = CustomerService(ctx)
        self.team = TeamService(ctx)

    # --- the quote ---------------------------------------------------------------------------

    def check_quotable(self, deal: Deal) -> None:
        """Raise RefusedError saying what is missing when ``deal`` cannot be quoted now."""
        result = rules.gate(deal)
        if not result.cleared:
            raise RefusedError(f"{deal.ref} cannot be quoted. {rules.gate_message(result)}")
        if deal.stage not in (Stage.CLEARED, Stage.QUOTED):
            raise RefusedError(
                f"{deal.ref} is {deal.stage.label.lower()}, so it cannot be quoted.",
                "Only a cleared deal is quoted; once agreed, print the letter of agreement instead.",
            )
        if not deal.lines:
            raise RefusedError(f"{deal.ref} has no price lines to quote.", "Add what is being sold first.")
        if not deal.work_items:
            raise RefusedError(
                f"{deal.ref} has no work items, so there is no date the team has committed to.",
                "Ask the departments to estimate the work, then have them sign off again.",
            )

    def _promise(self, deal: Deal, st: Settings, today: date) -> tuple[date, dict[str, date]]:
        """The promised date and each work item's due date, padded (or the recorded override)."""
        if deal.stage is Stage.QUOTED and deal.promised_date and all(w.promised_due for w in deal.work_items):
            # A reprint shows what was quoted, not what today's calendar would give.
            return deal.promised_date, {w.uid: w.promised_due for w in deal.work_items if w.promised_due}
        sched = padded_schedule(deal, st, today)
        assert sched is not None and sched.promised_date is not None  # check_quotable saw work items
        calendar = calendar_from_settings(st)
        promised = sched.promised_date
        gap = requested_gap(deal.requested_date, promised, calendar)
        if gap and deal.gap_handling is None:
            assert deal.requested_date is not None
            raise RefusedError(
                f"The customer asked for {deal.requested_date.isoformat()}, but the earliest date the team can "
                f"promise is {promised.isoformat()} ({gap} working day{'s' if gap != 1 else ''} later).",
                "Record how that is handled first: the customer accepts the later date, the scope changed, "
                "or an override with a reason.",
            )
        if deal.gap_handling is GapHandling.OVERRIDE and deal.requested_date and deal.requested_date < promised:
            promised = deal.requested_date
        return promised, {i.key: min(i.due, promised) for i in sched.items}

    @staticmethod
    def _breakdown(deal: Deal, st: Settings) -> tuple[list[PriceLineRow], PriceBreakdown]:
        priced = [PriceLine(line.description, line.quantity, line.unit_price) for line in deal.lines]
        rows = [
            PriceLineRow(line.description, line.quantity, line.unit, line.unit_price, p.line_total)
            for line, p in zip(deal.lines, priced, strict=True)
        ]
        return rows, price_breakdown(priced, st.contingency_percent)

    @staticmethod
    def _identity(deal: Deal, doc: QuoteDoc) -> str:
        """A uid for the quote's content: what was reviewed, the money and the promise."""
        content = "|".join([deal.uid, fingerprint(deal), doc.currency, str(doc.total), str(doc.contingency),
                            doc.promised_date.isoformat()])
        return str(uuid.uuid5(_QUOTE_NAMESPACE, content))

    def _revision(self, deal: Deal, quote_uid: str) -> int:
        """Same content, same revision; anything different, the next one."""
        with self.ctx.store.read() as s:
            seen = s.scalars(
                select(AuditRow.entity_uid)
                .where(AuditRow.deal_uid == deal.uid, AuditRow.entity == "quote", AuditRow.action == "generated")
                .order_by(AuditRow.id)
            )
            revisions = list(dict.fromkeys(seen))
        return revisions.index(quote_uid) + 1 if quote_uid in revisions else len(revisions) + 1

    def build_doc(self, deal: Deal, *, today: date | None = None) -> QuoteDoc:
        """The quote's content for ``deal``; RefusedError saying what is missing if it cannot be quoted."""
        today = today or date.today()
        st = self.settings.load()
        self.check_quotable(deal)
        promised, dues = self._promise(deal, st, today)
        lines, prices = self._breakdown(deal, st)
        customer = self.customers.get(deal.customer_uid)
        notes = []
        if deal.inclusions.strip():
            notes.append(f"Included: {deal.inclusions.strip()}")
        if deal.exclusions.strip():
            notes.append(f"Not included: {deal.exclusions.strip()}")
        doc = QuoteDoc(
            doc_id=document_number("Q", deal.ref),
            revision=0,
            company=company_from_settings(st),
            customer_name=customer.name,
            customer_address_lines=tuple(x.strip() for x in customer.address.splitlines() if x.strip()),
            deal_ref=deal.ref,
            deal_title=deal.title,
            date=today,
            valid_until=today + timedelta(days=QUOTE_VALID_DAYS),
            lines=lines,
            subtotal=prices.subtotal,
            contingency=prices.contingency,
            contingency_label=f"{_percent(prices.contingency_percent)} % of subtotal",
            total=prices.total,
            currency=deal.currency,
            schedule_rows=tuple(QuoteScheduleRow(w.department, w.task, dues[w.uid]) for w in deal.work_items),
            promised_date=promised,
            notes=tuple(notes),
        )
        return replace(doc, revision=self._revision(deal, self._identity(deal, doc)))

    def generate(self, ref: str, *, today: date | None = None) -> bytes:
        """The quote as PDF bytes; a cleared deal becomes Quoted (a reprint of a quoted one stays so).

        Refused, saying which departments and items are missing, for a deal that is not cleared.
        """
        deal = self.deals.get(ref)
        doc = self.build_doc(deal, today=today)
        pdf: bytes = _documents().build_quote(doc)  # before anything is saved: a failed render changes nothing
        if deal.stage is Stage.CLEARED:
            # Record exactly what was promised: the quote's dates, not a later recomputation.
            work = tuple(
                replace(w, promised_due=row.due) for w, row in zip(deal.work_items, doc.schedule_rows, strict=True)
            )
            self.deals.save(replace(deal, stage=Stage.QUOTED, promised_date=doc.promised_date, work_items=work))
        with self.ctx.store.write() as s:
            self.ctx.audit(
                s, entity="quote", entity_uid=self._identity(deal, doc), deal_uid=deal.uid, action="generated",
                new=f"{doc.doc_id} revision {doc.revision}: {doc.currency} {doc.total}, "
                    f"delivery by {doc.promised_date.isoformat()}",
            )
        return pdf

    # --- the internal feasibility report -----------------------------------------------------

    def feasibility_report(self, ref: str, *, today: date | None = None) -> bytes:
        """The internal feasibility report (raw and padded schedule, answers, sign-offs) as PDF bytes."""
        today = today or date.today()
        deal = self.deals.get(ref)
        st = self.settings.load()
        status = build_status(self.ctx, deal, st, today=today)
        names = {m.uid: m.name for m in self.team.list_members(include_inactive=True)}
        checklist = tuple(
            ChecklistRow(
                department=c.department, question=c.question, mandatory=c.mandatory,
                answer=ANSWER_LABELS[c.answer] if c.answer else None, notes=c.notes,
                answered_by=names.get(c.answered_by or "", ""),
            )
            for c in deal.checklist
        )
        signoffs = tuple(
            SignOffRow(
                department=d.department, signer=names.get(d.current_signoff.member_uid, "someone no longer in the team"),
                verdict=d.current_signoff.verdict.value, conditions=d.current_signoff.conditions,
                signed_at=d.current_signoff.signed_at.astimezone(),  # the reader's local time, not UTC
                stale=d.stale,
            )
            for d in status.departments
            if d.current_signoff is not None
        )
        padded = status.padded_date
        gap = (padded - deal.requested_date).days if padded and deal.requested_date else None
        doc = FeasibilityDoc(
            doc_id=document_number("F", deal.ref),
            revision=deal.version,
            company=company_from_settings(st),
            customer_name=deal.customer_name,
            deal_ref=deal.ref,
            deal_title=deal.title,
            date=today,
            checklist=checklist,
            schedule=_schedule_rows(status.schedule),
            signoffs=signoffs,
            requested_date=deal.requested_date,
            promised_date=padded,
            requested_gap_days=gap,
            capacity_warnings=status.capacity_warnings,
        )
        report: bytes = _documents().build_feasibility(doc)
        return report


def _schedule_rows(items: Sequence[ScheduledItem]) -> tuple[ScheduleRow, ...]:
    return tuple(
        ScheduleRow(i.department, i.task, _raw_days(i.raw_days), i.factor, i.padded_days, i.start, i.due)
        for i in items
    )
