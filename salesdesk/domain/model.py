"""The deal and everything around it, as plain immutable values.

These are what the services hand to the UI, the documents and the CLI: no database rows,
no Qt. Each entity carries a stable ``uid`` (a UUID string) that survives export and import;
database row ids never leave the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class Stage(StrEnum):
    """Where a deal is on its way through the app (PRODUCT.md, "The deal's way")."""

    DISCOVERY = "discovery"
    FEASIBILITY = "feasibility"
    CLEARED = "cleared"
    DECLINED = "declined"
    QUOTED = "quoted"
    AGREED = "agreed"
    KICKED_OFF = "kicked_off"
    DELIVERING = "delivering"
    DELIVERED = "delivered"
    LOST = "lost"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS: dict[Stage, str] = {
    Stage.DISCOVERY: "Discovery",
    Stage.FEASIBILITY: "Feasibility review",
    Stage.CLEARED: "Cleared",
    Stage.DECLINED: "Declined",
    Stage.QUOTED: "Quoted",
    Stage.AGREED: "Agreed",
    Stage.KICKED_OFF: "Kicked off",
    Stage.DELIVERING: "Delivering",
    Stage.DELIVERED: "Delivered",
    Stage.LOST: "Lost",
}

#: Stages whose padded work counts as committed load in the capacity check.
COMMITTED_STAGES = frozenset({Stage.AGREED, Stage.KICKED_OFF, Stage.DELIVERING})


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    WITH_CONDITIONS = "with_conditions"
    NOT_APPLICABLE = "n_a"


class Verdict(StrEnum):
    FEASIBLE = "feasible"
    FEASIBLE_WITH_CONDITIONS = "feasible_with_conditions"
    NOT_FEASIBLE = "not_feasible"


class Side(StrEnum):
    OURS = "ours"
    THEIRS = "theirs"


class ItemStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class BreakdownCategory(StrEnum):
    BAD_TECHNICAL_INFORMATION = "bad_technical_information"
    POOR_COMMUNICATION = "poor_communication"
    UNEXPECTED_PROBLEM = "unexpected_problem"
    UNREALISTIC_EXPECTATIONS = "unrealistic_expectations"
    UNDISCLOSED_INFORMATION = "undisclosed_information"
    MISSED_DELIVERY_DATE = "missed_delivery_date"
    QUALITY_ERROR = "quality_error"
    OTHER = "other"


BREAKDOWN_LABELS: dict[BreakdownCategory, str] = {
    BreakdownCategory.BAD_TECHNICAL_INFORMATION: "Bad technical information",
    BreakdownCategory.POOR_COMMUNICATION: "Poor communication",
    BreakdownCategory.UNEXPECTED_PROBLEM: "Unexpected problem during delivery",
    BreakdownCategory.UNREALISTIC_EXPECTATIONS: "Unrealistic expectations",
    BreakdownCategory.UNDISCLOSED_INFORMATION: "Undisclosed information",
    BreakdownCategory.MISSED_DELIVERY_DATE: "Missed delivery date",
    BreakdownCategory.QUALITY_ERROR: "Quality error",
    BreakdownCategory.OTHER: "Other",
}


class GapHandling(StrEnum):
    """How the rep handled a requested date earlier than the promised one."""

    LATER_DATE_ACCEPTED = "later_date_accepted"
    SCOPE_CHANGED = "scope_changed"
    OVERRIDE = "override"


#: The departments SalesDesk knows out of the box; settings may add more.
DEFAULT_DEPARTMENTS: tuple[str, ...] = (
    "Sales",
    "Management",
    "Operations",
    "Engineering",
    "Manufacturing",
    "Shipping/Receiving",
    "Inventory control",
    "Accounting",
    "Technical support",
    "Customer service",
)


@dataclass(frozen=True, slots=True)
class TeamMember:
    uid: str
    name: str
    role: str
    department: str
    email: str = ""
    phone: str = ""
    can_sign_agreements: bool = False
    has_pin: bool = False
    active: bool = True


@dataclass(frozen=True, slots=True)
class Contact:
    uid: str
    name: str
    role: str = ""
    department: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class Customer:
    uid: str
    name: str
    address: str = ""
    industry: str = ""
    notes: str = ""
    contacts: tuple[Contact, ...] = ()
    version: int = 1


@dataclass(frozen=True, slots=True)
class DiscoveryQuestion:
    uid: str
    question: str
    answer: str = ""


@dataclass(frozen=True, slots=True)
class Objection:
    uid: str
    objection: str
    response: str = ""


@dataclass(frozen=True, slots=True)
class DealLine:
    uid: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    unit: str = "ea"

    @property
    def total(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One question of a deal's feasibility checklist and its answer."""

    uid: str
    department: str
    question: str
    help_text: str = ""
    mandatory: bool = False
    answer: Answer | None = None
    notes: str = ""
    answered_by: str | None = None  # team member uid
    answered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class WorkItem:
    uid: str
    department: str
    task: str
    raw_days: Decimal
    predecessors: tuple[str, ...] = ()  # work item uids
    status: ItemStatus = ItemStatus.OPEN
    actual_start: date | None = None
    actual_done: date | None = None
    promised_due: date | None = None  # the padded due date at the time it was promised


@dataclass(frozen=True, slots=True)
class SignOff:
    uid: str
    department: str
    member_uid: str
    verdict: Verdict
    conditions: str
    fingerprint: str
    reviewed: str  # canonical JSON of what was reviewed, to say what changed later
    signed_at: datetime
    current: bool = True


@dataclass(frozen=True, slots=True)
class Party:
    uid: str
    side: Side
    responsibility: str
    member_uid: str | None = None
    contact_uid: str | None = None


@dataclass(frozen=True, slots=True)
class HelpContact:
    uid: str
    topic: str
    name: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class StandardTerm:
    uid: str
    code: str
    title: str
    body: str
    active: bool = True


@dataclass(frozen=True, slots=True)
class DealTerm:
    uid: str
    title: str
    body: str
    non_standard: bool = False
    approved_by: str | None = None  # team member uid
    standard_term_uid: str | None = None
    source: str = "custom"  # "library" | "custom" | "signoff"
    acknowledged_by: str | None = None  # account manager uid (kickoff)
    acknowledged_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ActionItem:
    uid: str
    owner_side: Side
    what: str
    owner_member_uid: str | None = None
    owner_contact_uid: str | None = None
    due_fixed: date | None = None
    due_work_item_uid: str | None = None
    status: ItemStatus = ItemStatus.OPEN
    done_on: date | None = None


@dataclass(frozen=True, slots=True)
class Signature:
    uid: str
    side: Side
    signer_name: str
    method: str  # "drawn" | "paper"
    signed_on: date
    member_uid: str | None = None
    contact_uid: str | None = None
    image_png: bytes | None = None
    scan: bytes | None = None
    recorded_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AgreementRevision:
    uid: str
    number: int
    doc_id: str
    status: str  # "draft" | "signed" | "superseded"
    snapshot_json: str
    snapshot_sha256: str
    pdf_sha256: str
    created_at: datetime
    signed_at: datetime | None = None
    signatures: tuple[Signature, ...] = ()


@dataclass(frozen=True, slots=True)
class Kickoff:
    uid: str
    held_on: date
    attendees_ours: tuple[str, ...]
    attendees_theirs: tuple[str, ...]
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Breakdown:
    uid: str
    category: BreakdownCategory
    department: str
    occurred_on: date
    description: str
    customer_impact: str = ""
    cost: Decimal = Decimal("0")
    resolution: str = ""
    logged_by: str | None = None  # team member uid
    automatic: bool = False


@dataclass(frozen=True, slots=True)
class Stakeholder:
    uid: str
    member_uid: str
    how_they_win: str


@dataclass(frozen=True, slots=True)
class Deal:
    """A deal and all it holds (the aggregate the deal workspace edits)."""

    uid: str
    ref: str
    title: str
    customer_uid: str
    customer_name: str
    stage: Stage
    owner_uid: str | None
    version: int
    product_line: str = ""
    currency: str = "EUR"
    requested_date: date | None = None
    start_date: date | None = None
    promised_date: date | None = None
    needs_identified: str = ""
    needs_clarified: str = ""
    existing_technology: str = ""
    customer_abilities: str = ""
    training_recommendation: str = ""
    break_in_period: str = ""
    inclusions: str = ""
    exclusions: str = ""
    cost_overrun_handling: str = ""
    disagreement_handling: str = ""
    factor_override: Decimal | None = None
    factor_override_reason: str = ""
    gap_handling: GapHandling | None = None
    gap_reason: str = ""
    decline_reason: str = ""
    lost_reason: str = ""
    first_shipment_date: date | None = None
    first_shipment_sent_on: date | None = None
    kickoff_override_reason: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    questions: tuple[DiscoveryQuestion, ...] = ()
    objections: tuple[Objection, ...] = ()
    lines: tuple[DealLine, ...] = ()
    checklist: tuple[ChecklistItem, ...] = ()
    work_items: tuple[WorkItem, ...] = ()
    signoffs: tuple[SignOff, ...] = ()
    parties: tuple[Party, ...] = ()
    help_contacts: tuple[HelpContact, ...] = ()
    terms: tuple[DealTerm, ...] = ()
    action_items: tuple[ActionItem, ...] = ()
    stakeholders: tuple[Stakeholder, ...] = ()
    kickoff: Kickoff | None = None
    breakdowns: tuple[Breakdown, ...] = ()

    @property
    def value(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal("0.00"))


@dataclass(frozen=True, slots=True)
class DealRow:
    """One row of the deal list: just what the table shows."""

    uid: str
    ref: str
    customer: str
    title: str
    stage: Stage
    owner: str
    requested_date: date | None
    promised_date: date | None
    value: Decimal
    next_action_due: date | None = None
    problems: tuple[str, ...] = ()
    first_shipment_date: date | None = None  # the kickoff must come before it


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    actor: str
    entity: str
    entity_uid: str
    action: str
    field: str = ""
    old: str | None = None
    new: str | None = None
    deal_uid: str | None = None


@dataclass(frozen=True, slots=True)
class ClosureDay:
    start: date
    end: date
    reason: str = ""


@dataclass(frozen=True, slots=True)
class DepartmentSettings:
    name: str
    buffer_factor: Decimal | None = None  # None: the global default applies
    weekly_capacity: Decimal | None = None  # working days a week; None: no limit


@dataclass(frozen=True, slots=True)
class Settings:
    """The team's settings (Settings screen): company, promise rules, shared folder."""

    company_name: str = "Your Company Ltd"
    company_address: str = ""
    company_phone: str = ""
    company_email: str = ""
    company_website: str = ""
    logo_png: bytes | None = None
    currency: str = "EUR"
    default_factor: Decimal = Decimal("2.0")
    contingency_percent: Decimal = Decimal("10")
    weekend_days: tuple[int, ...] = (5, 6)
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    closures: tuple[ClosureDay, ...] = ()
    departments: tuple[DepartmentSettings, ...] = field(
        default_factory=lambda: tuple(DepartmentSettings(d) for d in DEFAULT_DEPARTMENTS)
    )
    shared_folder: str = ""
    calibration_target: Decimal = Decimal("0.95")
    calibration_window: int = 50
    backup_keep: int = 10

    def department(self, name: str) -> DepartmentSettings | None:
        for dept in self.departments:
            if dept.name == name:
                return dept
        return None
