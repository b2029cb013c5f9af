"""The documents' input: plain, frozen dataclasses with no ties to the store or the UI.

The services layer maps a deal into one of the ``*Doc`` classes below and hands it to a
builder (``build_agreement`` and friends), which returns PDF bytes. Everything here is
already decided: dates are padded dates, money is ``Decimal`` and already summed, texts are
what the reader should see. The builders only lay them out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Side = Literal["ours", "theirs"]
SignatureMethod = Literal["drawn", "paper"]


@dataclass(frozen=True)
class Company:
    """Our company, as printed on the letterhead."""

    name: str
    address_lines: Sequence[str] = ()
    phone: str = ""
    email: str = ""
    website: str = ""
    logo_png: bytes | None = None


@dataclass(frozen=True)
class Person:
    """Someone involved in the deal, on our side or the customer's."""

    name: str
    role: str
    organisation: str
    side: Side
    responsibility: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class ActionItemRow:
    """Who does what by when. ``due`` is a promised (padded) date."""

    owner: str
    owner_side: Side
    what: str
    due: dt.date
    status: str = "open"


@dataclass(frozen=True)
class PriceLineRow:
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    total: Decimal


@dataclass(frozen=True)
class TermRow:
    """A term of the agreement; non-standard ones are flagged and say who approved them."""

    title: str
    body: str
    non_standard: bool = False
    approved_by: str | None = None


@dataclass(frozen=True)
class HelpContactRow:
    """Who to call for what: ``topic`` is e.g. "Billing", "Delivery", "Technical"."""

    topic: str
    name: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class StakeholderRow:
    """Someone in our organisation who touches the customer, and how they win."""

    name: str
    department: str
    how_they_win: str


@dataclass(frozen=True)
class ScheduleRow:
    """One work item of the internal schedule: raw estimate, buffer factor and padded result."""

    department: str
    task: str
    raw_days: int
    factor: Decimal
    padded_days: int
    start: dt.date
    due: dt.date


@dataclass(frozen=True)
class QuoteScheduleRow:
    """One line of the schedule a customer sees: padded due dates only, never raw estimates."""

    department: str
    task: str
    due: dt.date


@dataclass(frozen=True)
class ChecklistRow:
    """One feasibility question and its department's answer (``answer`` None: not answered yet)."""

    department: str
    question: str
    mandatory: bool
    answer: str | None = None
    notes: str = ""
    answered_by: str = ""


@dataclass(frozen=True)
class SignOffRow:
    """A department's verdict on the deal; ``stale`` when what was reviewed has changed since."""

    department: str
    signer: str
    verdict: str
    conditions: str = ""
    signed_at: dt.datetime | None = None
    stale: bool = False


@dataclass(frozen=True)
class SignatureBlock:
    """One side's signature: drawn on screen (``image_png``), signed on paper, or still to sign."""

    side: Side
    organisation: str
    signer_name: str
    signer_title: str = ""
    signed_on: dt.date | None = None
    image_png: bytes | None = None
    method: SignatureMethod | None = None


@dataclass(frozen=True)
class AgreementDoc:
    """The letter of agreement.

    ``contingency_label`` says how the allowance was worked out (e.g. "10 % of subtotal"); the
    letter always names the line "Allowance for the unexpected" and adds the label after it.
    ``signatures`` holds one block per side (ours and theirs).
    """

    doc_id: str
    revision: int
    company: Company
    customer_name: str
    customer_address_lines: Sequence[str]
    deal_ref: str
    deal_title: str
    date: dt.date
    parties: Sequence[Person]
    action_items: Sequence[ActionItemRow]
    promised_date: dt.date
    work_due_dates: Sequence[tuple[str, dt.date]]
    lines: Sequence[PriceLineRow]
    subtotal: Decimal
    contingency: Decimal
    contingency_label: str
    total: Decimal
    currency: str
    terms: Sequence[TermRow]
    training_recommendation: str
    break_in_period: str
    inclusions: Sequence[str]
    exclusions: Sequence[str]
    cost_overrun_handling: str
    disagreement_handling: str
    help_contacts: Sequence[HelpContactRow]
    stakeholders: Sequence[StakeholderRow]
    signatures: Sequence[SignatureBlock] = field(default_factory=tuple)


@dataclass(frozen=True)
class ActionPlanDoc:
    """Who does what by when, printed landscape for the wall."""

    doc_id: str
    revision: int
    company: Company
    customer_name: str
    deal_ref: str
    deal_title: str
    date: dt.date
    action_items: Sequence[ActionItemRow]
    help_contacts: Sequence[HelpContactRow] = ()


@dataclass(frozen=True)
class BriefDoc:
    """The one-page brief a rep reads before a client meeting.

    ``objections`` are (objection, response) pairs; ``operations_said`` are the sign-off verdicts
    and conditions in words; ``promised_date``/``requested_date`` may be unknown yet (None).
    """

    doc_id: str
    revision: int
    company: Company
    customer_name: str
    deal_ref: str
    deal_title: str
    meeting_date: dt.date
    needs_identified: str
    needs_clarified: str
    open_questions: Sequence[str] = ()
    objections: Sequence[tuple[str, str]] = ()
    operations_said: Sequence[str] = ()
    promised_date: dt.date | None = None
    requested_date: dt.date | None = None
    conditions: Sequence[str] = ()
    people: Sequence[Person] = ()


@dataclass(frozen=True)
class QuoteDoc:
    """The quote. Its schedule holds padded due dates only: there is no field for a raw estimate."""

    doc_id: str
    revision: int
    company: Company
    customer_name: str
    customer_address_lines: Sequence[str]
    deal_ref: str
    deal_title: str
    date: dt.date
    valid_until: dt.date
    lines: Sequence[PriceLineRow]
    subtotal: Decimal
    contingency: Decimal
    contingency_label: str
    total: Decimal
    currency: str
    schedule_rows: Sequence[QuoteScheduleRow]
    promised_date: dt.date
    notes: Sequence[str] = ()


@dataclass(frozen=True)
class FeasibilityDoc:
    """The internal feasibility report: checklist, raw and padded schedule, sign-offs.

    ``requested_gap_days`` is how many calendar days the promised date lies after the date the
    customer asked for (negative: earlier). ``capacity_warnings`` are ready-to-read sentences.
    """

    doc_id: str
    revision: int
    company: Company
    customer_name: str
    deal_ref: str
    deal_title: str
    date: dt.date
    checklist: Sequence[ChecklistRow]
    schedule: Sequence[ScheduleRow]
    signoffs: Sequence[SignOffRow]
    requested_date: dt.date | None
    promised_date: dt.date | None
    requested_gap_days: int | None = None
    capacity_warnings: Sequence[str] = ()
