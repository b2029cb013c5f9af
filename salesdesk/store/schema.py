"""The typed database schema (SQLAlchemy 2). Only the store package imports this.

Money and quantities are exact: on PostgreSQL they are NUMERIC; on SQLite, which has no
exact decimal type, they are stored as scaled integers (cents, thousandths) so sums and
sorting stay exact. Instants are stored in UTC and come back timezone-aware.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator, TypeEngine


class ScaledDecimal(TypeDecorator[Decimal]):
    """An exact decimal: NUMERIC where the database has it, a scaled integer on SQLite."""

    impl = Numeric
    cache_ok = True

    def __init__(self, scale: int = 2, precision: int = 18) -> None:
        super().__init__()
        self.scale = scale
        self.precision = precision
        self._unit = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        value = Decimal(value).quantize(self._unit)
        if dialect.name == "sqlite":
            return int(value.scaleb(self.scale))
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            # A whole number scaled down keeps exactly ``scale`` decimal places: no quantize needed.
            return Decimal(value if type(value) is int else int(value)).scaleb(-self.scale)
        return Decimal(value).quantize(self._unit)


class UTCDateTime(TypeDecorator[datetime]):
    """A point in time, stored as UTC, always returned timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Money = ScaledDecimal(scale=2)
UnitPrice = ScaledDecimal(scale=4)
Quantity = ScaledDecimal(scale=3)
Days = ScaledDecimal(scale=2, precision=8)
Factor = ScaledDecimal(scale=2, precision=6)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        datetime: UTCDateTime(),
        date: Date(),
        Decimal: Money,
        str: Text(),
        bytes: LargeBinary(),
        bool: Boolean(),
    }


def _uid() -> Mapped[str]:
    return mapped_column(String(36), unique=True, nullable=False)


class TeamMemberRow(Base):
    __tablename__ = "team_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    department: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    can_sign_agreements: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    pin_hash: Mapped[str | None] = mapped_column(String(400))
    pin_failures: Mapped[int] = mapped_column(Integer, default=0)
    pin_locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime]


class CustomerRow(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    name: Mapped[str] = mapped_column(String(300), index=True)
    address: Mapped[str] = mapped_column(default="")
    industry: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    contacts: Mapped[list[ContactRow]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="ContactRow.position"
    )
    __mapper_args__ = {"version_id_col": version}


class ContactRow(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    department: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")

    customer: Mapped[CustomerRow] = relationship(back_populates="contacts")


class DealRowORM(Base):
    __tablename__ = "deals"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    ref: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("team_members.id"), index=True)
    product_line: Mapped[str] = mapped_column(String(200), default="")
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    requested_date: Mapped[date | None]
    start_date: Mapped[date | None]
    promised_date: Mapped[date | None] = mapped_column(index=True)
    value: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"), index=True)
    next_action_due: Mapped[date | None]
    needs_identified: Mapped[str] = mapped_column(default="")
    needs_clarified: Mapped[str] = mapped_column(default="")
    existing_technology: Mapped[str] = mapped_column(default="")
    customer_abilities: Mapped[str] = mapped_column(default="")
    training_recommendation: Mapped[str] = mapped_column(default="")
    break_in_period: Mapped[str] = mapped_column(default="")
    inclusions: Mapped[str] = mapped_column(default="")
    exclusions: Mapped[str] = mapped_column(default="")
    cost_overrun_handling: Mapped[str] = mapped_column(default="")
    disagreement_handling: Mapped[str] = mapped_column(default="")
    factor_override: Mapped[Decimal | None] = mapped_column(Factor)
    factor_override_reason: Mapped[str] = mapped_column(default="")
    gap_handling: Mapped[str | None] = mapped_column(String(30))
    gap_reason: Mapped[str] = mapped_column(default="")
    decline_reason: Mapped[str] = mapped_column(default="")
    lost_reason: Mapped[str] = mapped_column(default="")
    first_shipment_date: Mapped[date | None]
    first_shipment_sent_on: Mapped[date | None]
    kickoff_override_reason: Mapped[str] = mapped_column(default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime] = mapped_column(index=True)
    exported_at: Mapped[datetime | None]
    exported_version: Mapped[int | None] = mapped_column(Integer)
    # The version of a package this deal was last imported from (for merge decisions).
    imported_base_version: Mapped[int | None] = mapped_column(Integer)
    # Ref, title and customer name, case-folded: what filter-as-you-type searches (store/search.py).
    search_text: Mapped[str] = mapped_column(default="", index=True)

    customer: Mapped[CustomerRow] = relationship()
    owner: Mapped[TeamMemberRow | None] = relationship()
    questions: Mapped[list[QuestionRow]] = relationship(cascade="all, delete-orphan", order_by="QuestionRow.position")
    objections: Mapped[list[ObjectionRow]] = relationship(
        cascade="all, delete-orphan", order_by="ObjectionRow.position"
    )
    lines: Mapped[list[LineRow]] = relationship(cascade="all, delete-orphan", order_by="LineRow.position")
    checklist: Mapped[list[ChecklistAnswerRow]] = relationship(
        cascade="all, delete-orphan", order_by="ChecklistAnswerRow.position"
    )
    work_items: Mapped[list[WorkItemRow]] = relationship(
        cascade="all, delete-orphan", order_by="WorkItemRow.position"
    )
    signoffs: Mapped[list[SignOffRow]] = relationship(cascade="all, delete-orphan", order_by="SignOffRow.id")
    parties: Mapped[list[PartyRow]] = relationship(cascade="all, delete-orphan", order_by="PartyRow.position")
    help_contacts: Mapped[list[HelpContactRow]] = relationship(
        cascade="all, delete-orphan", order_by="HelpContactRow.position"
    )
    terms: Mapped[list[DealTermRow]] = relationship(cascade="all, delete-orphan", order_by="DealTermRow.position")
    action_items: Mapped[list[ActionItemRow]] = relationship(
        cascade="all, delete-orphan", order_by="ActionItemRow.position"
    )
    stakeholders: Mapped[list[StakeholderRow]] = relationship(
        cascade="all, delete-orphan", order_by="StakeholderRow.position"
    )
    kickoff: Mapped[KickoffRow | None] = relationship(cascade="all, delete-orphan")
    breakdowns: Mapped[list[BreakdownRow]] = relationship(
        cascade="all, delete-orphan", order_by="BreakdownRow.position"
    )
    revisions: Mapped[list[AgreementRevisionRow]] = relationship(
        cascade="all, delete-orphan", order_by="AgreementRevisionRow.number"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_deals_title", "title"),
        Index("ix_deals_requested", "requested_date"),
        Index("ix_deals_ref_search", "ref", "search_text"),
        Index("ix_deals_stage_updated", "stage", "updated_at"),
        Index("ix_deals_owner_stage", "owner_id", "stage"),
    )


class _DealChild:
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    position: Mapped[int] = mapped_column(Integer, default=0)


class QuestionRow(_DealChild, Base):
    __tablename__ = "discovery_questions"
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    question: Mapped[str]
    answer: Mapped[str] = mapped_column(default="")


class ObjectionRow(_DealChild, Base):
    __tablename__ = "objections"
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    objection: Mapped[str]
    response: Mapped[str] = mapped_column(default="")


class LineRow(_DealChild, Base):
    __tablename__ = "deal_lines"
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    description: Mapped[str]
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit: Mapped[str] = mapped_column(String(20), default="ea")
    unit_price: Mapped[Decimal] = mapped_column(UnitPrice)


class ChecklistTemplateRow(Base):
    __tablename__ = "checklist_templates"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    name: Mapped[str] = mapped_column(String(200))
    product_line: Mapped[str] = mapped_column(String(200), unique=True)
    items: Mapped[list[ChecklistTemplateItemRow]] = relationship(
        cascade="all, delete-orphan", order_by="ChecklistTemplateItemRow.position"
    )


class ChecklistTemplateItemRow(Base):
    __tablename__ = "checklist_template_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    template_id: Mapped[int] = mapped_column(ForeignKey("checklist_templates.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    department: Mapped[str] = mapped_column(String(100))
    question: Mapped[str]
    help_text: Mapped[str] = mapped_column(default="")
    mandatory: Mapped[bool] = mapped_column(default=False)


class ChecklistAnswerRow(_DealChild, Base):
    __tablename__ = "checklist_answers"
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    department: Mapped[str] = mapped_column(String(100))
    question: Mapped[str]
    help_text: Mapped[str] = mapped_column(default="")
    mandatory: Mapped[bool] = mapped_column(default=False)
    answer: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("team_members.id"))
    answered_at: Mapped[datetime | None]
    answered_by: Mapped[TeamMemberRow | None] = relationship()


class WorkItemRow(_DealChild, Base):
    __tablename__ = "work_items"
    __table_args__ = (
        Index("ix_work_items_deal_done", "deal_id", "actual_done"),
        Index("ix_work_items_department_done", "department", "actual_done"),
        Index("ix_work_items_done", "actual_done"),
        # The yardstick's: finished items only, covering every column it reads (migration 0007).
        Index("ix_work_items_finished", "actual_done", "department", "raw_days", "actual_start", "promised_due",
              "deal_id", "status", sqlite_where=text("status = 'done'"), postgresql_where=text("status = 'done'")),
    )
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    department: Mapped[str] = mapped_column(String(100), index=True)
    task: Mapped[str]
    raw_days: Mapped[Decimal] = mapped_column(Days)
    # Stable uids of the items this one waits for, comma-separated (uids never contain commas).
    predecessors: Mapped[str] = mapped_column(default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    actual_start: Mapped[date | None]
    actual_done: Mapped[date | None]
    promised_due: Mapped[date | None]
    padded_days: Mapped[int | None] = mapped_column(Integer)
    planned_start: Mapped[date | None]


class SignOffRow(Base):
    __tablename__ = "signoffs"
    __table_args__ = (
        # The deal list's "stale sign-off" check reads only the stale ones (migration 0008).
        Index("ix_signoffs_stale", "deal_id", sqlite_where=text("current IS 1 AND stale IS 1"),
              postgresql_where=text("current IS true AND stale IS true")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    department: Mapped[str] = mapped_column(String(100))
    member_id: Mapped[int] = mapped_column(ForeignKey("team_members.id"))
    verdict: Mapped[str] = mapped_column(String(30))
    conditions: Mapped[str] = mapped_column(default="")
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    signed_at: Mapped[datetime]
    current: Mapped[bool] = mapped_column(default=True)
    # A current sign-off whose fingerprint no longer matches the deal; kept up to date on every
    # save so the deal list can show "stale sign-off" without loading whole deals.
    stale: Mapped[bool] = mapped_column(default=False, server_default=false())
    member: Mapped[TeamMemberRow] = relationship()
    # What was reviewed, kept once per fingerprint: every department signing the same state of a
    # deal shares one copy (it is a few kilobytes of JSON).
    reviewed_form: Mapped[ReviewedFormRow | None] = relationship(
        primaryjoin="foreign(SignOffRow.fingerprint) == ReviewedFormRow.fingerprint", viewonly=True, lazy="selectin"
    )


class ReviewedFormRow(Base):
    """The canonical form of what a sign-off reviewed, keyed by its SHA-256 fingerprint."""

    __tablename__ = "reviewed_forms"
    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    form: Mapped[str]


class PartyRow(_DealChild, Base):
    __tablename__ = "parties"
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(String(10))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("team_members.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    responsibility: Mapped[str] = mapped_column(default="")
    member: Mapped[TeamMemberRow | None] = relationship()
    contact: Mapped[ContactRow | None] = relationship()


class HelpContactRow(_DealChild, Base):
    __tablename__ = "help_contacts"
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(64), default="")
    email: Mapped[str] = mapped_column(String(320), default="")


class StandardTermRow(Base):
    __tablename__ = "standard_terms"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    code: Mapped[str] = mapped_column(String(50), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str]
    active: Mapped[bool] = mapped_column(default=True)


class DealTermRow(_DealChild, Base):
    __tablename__ = "deal_terms"
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    standard_term_id: Mapped[int | None] = mapped_column(ForeignKey("standard_terms.id"))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str]
    non_standard: Mapped[bool] = mapped_column(default=False)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("team_members.id"))
    source: Mapped[str] = mapped_column(String(20), default="custom")
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("team_members.id"))
    acknowledged_at: Mapped[datetime | None]
    standard_term: Mapped[StandardTermRow | None] = relationship()
    approved_by: Mapped[TeamMemberRow | None] = relationship(foreign_keys=[approved_by_id])
    acknowledged_by: Mapped[TeamMemberRow | None] = relationship(foreign_keys=[acknowledged_by_id])


class ActionItemRow(_DealChild, Base):
    __tablename__ = "action_items"
    __table_args__ = (Index("ix_action_items_open_due", "status", "due"),)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    owner_side: Mapped[str] = mapped_column(String(10))
    owner_member_id: Mapped[int | None] = mapped_column(ForeignKey("team_members.id"))
    owner_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    what: Mapped[str]
    due_fixed: Mapped[date | None]
    due_work_item_uid: Mapped[str | None] = mapped_column(String(36))
    due: Mapped[date | None] = mapped_column(index=True)  # resolved due date, kept for lists
    status: Mapped[str] = mapped_column(String(20), default="open")
    done_on: Mapped[date | None]
    owner_member: Mapped[TeamMemberRow | None] = relationship()
    owner_contact: Mapped[ContactRow | None] = relationship()


class StakeholderRow(_DealChild, Base):
    __tablename__ = "stakeholders"
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("team_members.id"))
    how_they_win: Mapped[str] = mapped_column(default="")
    member: Mapped[TeamMemberRow] = relationship()


class AgreementRevisionRow(Base):
    __tablename__ = "agreement_revisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    doc_id: Mapped[str] = mapped_column(String(80), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    snapshot_json: Mapped[str]
    snapshot_sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes | None]
    pdf_sha256: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime]
    signed_at: Mapped[datetime | None]
    signatures: Mapped[list[SignatureRow]] = relationship(cascade="all, delete-orphan", order_by="SignatureRow.id")
    __table_args__ = (UniqueConstraint("deal_id", "number", name="uq_agreement_revisions_deal_number"),)


class SignatureRow(Base):
    __tablename__ = "signatures"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    revision_id: Mapped[int] = mapped_column(ForeignKey("agreement_revisions.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(String(10))
    signer_name: Mapped[str] = mapped_column(String(200))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("team_members.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    method: Mapped[str] = mapped_column(String(10))
    signed_on: Mapped[date]
    image_png: Mapped[bytes | None]
    scan: Mapped[bytes | None]
    recorded_at: Mapped[datetime]


class KickoffRow(Base):
    __tablename__ = "kickoffs"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), unique=True)
    held_on: Mapped[date]
    attendees_ours: Mapped[str] = mapped_column(default="")  # newline-separated names
    attendees_theirs: Mapped[str] = mapped_column(default="")
    notes: Mapped[str] = mapped_column(default="")


class BreakdownRow(_DealChild, Base):
    __tablename__ = "breakdowns"
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(40), index=True)
    department: Mapped[str] = mapped_column(String(100), default="")
    occurred_on: Mapped[date] = mapped_column(index=True)
    description: Mapped[str] = mapped_column(default="")
    customer_impact: Mapped[str] = mapped_column(default="")
    cost: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    resolution: Mapped[str] = mapped_column(default="")
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("team_members.id"))
    automatic: Mapped[bool] = mapped_column(default=False)
    logged_by: Mapped[TeamMemberRow | None] = relationship()


class SettingRow(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str]  # JSON


class AuditRow(Base):
    """Append-only: the migration installs triggers that refuse UPDATE and DELETE."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(200))
    entity: Mapped[str] = mapped_column(String(50))
    entity_uid: Mapped[str] = mapped_column(String(36))
    deal_uid: Mapped[str | None] = mapped_column(String(36), index=True)
    action: Mapped[str] = mapped_column(String(30))
    field: Mapped[str] = mapped_column(String(100), default="")
    old: Mapped[str | None]
    new: Mapped[str | None]
