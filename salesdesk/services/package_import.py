"""Bringing a checked package into the database: all of it in one transaction, or nothing.

The package has already passed ``package_read`` (types, sizes, references). Here it meets the
database: team members are matched (by uid, else by name and department, else created), the
customer and its contacts are added where missing (a local customer is never overwritten), the
deal is added, updated, kept or copied as ``package_sync.decide`` and the chosen resolution say,
and agreement revisions are merged — a signed revision is a fact and is never altered.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal, cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session, selectinload

from salesdesk.domain.changes import changed_fields, deal_changes
from salesdesk.domain.errors import ConflictError, SalesDeskError, ValidationError
from salesdesk.domain.feasibility import and_list
from salesdesk.domain.model import (
    Deal,
    ItemStatus,
    Settings,
    TeamMember,
)
from salesdesk.services.context import Context, now
from salesdesk.services.deals import next_ref
from salesdesk.services.feasibility import store_signoffs
from salesdesk.services.package_format import (
    content_sha256,
    deal_fields,
    referenced_members,
)
from salesdesk.services.package_merge import (
    check_signoffs_kept,
    fresh_copy,
    merge_signoffs,
    revisions_with_members,
    with_members,
)
from salesdesk.services.package_read import ParsedPackage
from salesdesk.services.package_revisions import RevisionMerge
from salesdesk.services.package_sync import (
    Decision,
    SyncPoint,
    decide,
    record_sync,
    shared_lineage,
    sync_points,
)
from salesdesk.services.promise import deal_schedule
from salesdesk.store.mapping import Lookup, apply_deal, deal_to_domain
from salesdesk.store.schema import (
    ActionItemRow,
    AgreementRevisionRow,
    ContactRow,
    CustomerRow,
    DealRowORM,
    HelpContactRow,
    KickoffRow,
    LineRow,
    ObjectionRow,
    PartyRow,
    QuestionRow,
    SignOffRow,
    StakeholderRow,
    StandardTermRow,
    TeamMemberRow,
    WorkItemRow,
)
from salesdesk.store.schema import BreakdownRow as BreakdownRowORM
from salesdesk.store.schema import ChecklistAnswerRow as ChecklistRowORM
from salesdesk.store.schema import DealTermRow as DealTermRowORM

Resolution = Literal["theirs", "ours", "copy"]
RESOLUTIONS: tuple[str, ...] = ("theirs", "ours", "copy")

#: The deal's child tables, with the package collection each one holds.
_CHILD_TABLES: tuple[tuple[Any, str], ...] = (
    (QuestionRow, "questions"), (ObjectionRow, "objections"), (LineRow, "lines"), (ChecklistRowORM, "checklist"),
    (WorkItemRow, "work_items"), (SignOffRow, "signoffs"), (PartyRow, "parties"), (HelpContactRow, "help_contacts"),
    (DealTermRowORM, "terms"), (ActionItemRow, "action_items"), (StakeholderRow, "stakeholders"),
    (BreakdownRowORM, "breakdowns"),
)


@dataclass(frozen=True)
class ImportResult:
    """What an import did, in words for the person who started it."""

    action: str  # "added" | "updated" | "unchanged" | "older" | "kept_ours" | "copied"
    ref: str
    uid: str
    version: int
    package_ref: str
    revisions_added: int = 0
    members_created: tuple[str, ...] = ()
    customer_created: bool = False

    @property
    def message(self) -> str:
        text = {
            "added": f"Imported {self.ref}, new on this computer.",
            "updated": f"Updated {self.ref} from the package (now version {self.version}).",
            "unchanged": f"{self.ref} is already up to date.",
            "older": f"This computer already has a newer {self.ref}; the package brings nothing new.",
            "kept_ours": f"Kept this computer's {self.ref}; the package's changes were set aside.",
            "copied": f"Imported the package as a separate deal {self.ref} (a copy of {self.package_ref}).",
        }[self.action]
        if self.action == "added" and self.ref != self.package_ref:
            text = f"Imported {self.package_ref} as {self.ref} ({self.package_ref} is taken here by another deal)."
        if self.revisions_added:
            n = self.revisions_added
            text += f" {n} agreement revision{'s' if n != 1 else ''} added."
        if self.members_created:
            text += f" Added to the team: {and_list(list(self.members_created))}."
        return text


def _refuse(message: str, hint: str = "Nothing was imported.") -> ValidationError:
    return ValidationError(f"This deal package cannot be imported: {message}", hint)


class _Import:
    """One import inside one write transaction. Checks first, then writes."""

    def __init__(self, ctx: Context, s: Session, pkg: ParsedPackage, st: Settings) -> None:
        self.ctx, self.s, self.pkg, self.st = ctx, s, pkg, st
        self.members_created: list[TeamMember] = []
        self.customer_created = False

    # --- planning (reads only) ---------------------------------------------------------------

    def plan_team(self) -> dict[str, str]:
        """Package member uid -> local uid; members nobody here matches are created later."""
        mapping: dict[str, str] = {}
        used = referenced_members(self.pkg.deal, self.pkg.revisions)
        for m in self.pkg.team:
            if m.uid not in used:
                continue
            if self.s.scalar(select(TeamMemberRow.id).where(TeamMemberRow.uid == m.uid)) is not None:
                mapping[m.uid] = m.uid
                continue
            match = self.s.scalar(
                select(TeamMemberRow.uid)
                .where(func.lower(TeamMemberRow.name) == m.name.strip().lower(),
                       func.lower(TeamMemberRow.department) == m.department.strip().lower())
                .order_by(TeamMemberRow.active.desc(), TeamMemberRow.id)
                .limit(1)
            )
            mapping[m.uid] = match or m.uid
            if match is None:
                self.members_created.append(m)
        return mapping

    def plan_library(self) -> tuple[dict[str, str], list[tuple[str, str, str, str]]]:
        """Library code -> local standard term uid, and the (inactive) terms to add for unknown codes."""
        codes = set(self.pkg.term_codes.values())
        found = dict(self.s.execute(
            select(StandardTermRow.code, StandardTermRow.uid).where(StandardTermRow.code.in_(codes))
        ).all()) if codes else {}
        missing: list[tuple[str, str, str, str]] = []
        for term in self.pkg.deal.terms:
            code = self.pkg.term_codes.get(term.uid)
            if code and code not in found:
                found[code] = str(uuid.uuid4())
                missing.append((found[code], code, term.title, term.body))
        return found, missing

    def check_customer(self) -> CustomerRow | None:
        """The local customer (None: it will be created). Refuses contacts that belong elsewhere."""
        c = self.pkg.customer
        row = self.s.scalar(select(CustomerRow).where(CustomerRow.uid == c.uid))
        uids = [ct.uid for ct in c.contacts]
        if uids:
            owners = self.s.execute(select(ContactRow.uid, ContactRow.customer_id).where(ContactRow.uid.in_(uids)))
            for contact_uid, customer_id in owners:
                if row is None or customer_id != row.id:
                    raise _refuse(f"its contact {contact_uid} belongs to another customer on this computer.")
        return row

    def check_children(self, deal: Deal, deal_id: int | None) -> None:
        """Refuse parts whose uids another deal here already uses (the database would, less politely)."""
        for table, name in _CHILD_TABLES:
            uids = [item.uid for item in getattr(deal, name)]
            for chunk in range(0, len(uids), 500):
                taken = self.s.scalar(
                    select(func.count()).select_from(table)
                    .where(table.uid.in_(uids[chunk:chunk + 500]), table.deal_id != (deal_id or -1))
                )
                if taken:
                    raise _refuse(f"some of its {name.replace('_', ' ')} carry ids another deal here already uses.")
        if deal.kickoff and self.s.scalar(
            select(func.count()).select_from(KickoffRow)
            .where(KickoffRow.uid == deal.kickoff.uid, KickoffRow.deal_id != (deal_id or -1))
        ):
            raise _refuse("its kickoff carries an id another deal here already uses.")

    # --- writing -----------------------------------------------------------------------------

    def write_members(self) -> None:
        for m in self.members_created:
            self.s.add(TeamMemberRow(
                uid=m.uid, name=m.name.strip(), role=m.role.strip(), department=m.department.strip(), email="",
                phone="", can_sign_agreements=False, active=True, pin_hash=None, pin_failures=0, created_at=now(),
            ))
            self.ctx.audit(self.s, entity="team_member", entity_uid=m.uid, action="create",
                           new=f"{m.name} (from an imported deal package)")

    def write_customer(self, row: CustomerRow | None) -> CustomerRow:
        c = self.pkg.customer
        if row is None:
            row = CustomerRow(uid=c.uid, name=c.name.strip(), address=c.address, industry=c.industry.strip(),
                              notes=c.notes, created_at=now(), updated_at=now())
            self.s.add(row)
            self.customer_created = True
            self.ctx.audit(self.s, entity="customer", entity_uid=c.uid, action="create",
                           new=f"{row.name} (from an imported deal package)")
        have = {ct.uid for ct in row.contacts}
        added = [ct for ct in c.contacts if ct.uid not in have]
        for ct in added:
            row.contacts.append(ContactRow(uid=ct.uid, position=len(row.contacts), name=ct.name.strip(),
                                           role=ct.role.strip(), department=ct.department.strip(), email=ct.email,
                                           phone=ct.phone))
        if added and not self.customer_created:
            row.updated_at = now()
            self.ctx.audit(self.s, entity="customer", entity_uid=c.uid, action="update", field="contacts",
                           new=[ct.name for ct in added])
        return row

    def write_library(self, missing: list[tuple[str, str, str, str]]) -> None:
        for uid, code, title, body in missing:
            self.s.add(StandardTermRow(uid=uid, code=code, title=title[:300], body=body, active=False))

    def refresh_lists(self, row: DealRowORM, deal: Deal) -> None:
        """The columns the deal list reads (value, next action due, schedule), and sign-off flags.

        Promised dates come from the package as they are: they were promised on the other computer.
        """
        store_signoffs(self.ctx, self.s, row, deal)
        row.value = deal.value
        due_by_item: dict[str, date] = {}
        if deal.work_items:
            try:
                sched = deal_schedule(deal, self.st)
            except SalesDeskError:
                sched = None
            if sched is not None:
                by_uid = {w.uid: w for w in row.work_items}
                for item in sched.items:
                    by_uid[item.key].padded_days, by_uid[item.key].planned_start = item.padded_days, item.start
                due_by_item = {i.key: i.due for i in sched.items}
        promised = {w.uid: w.promised_due for w in deal.work_items}
        next_due: date | None = None
        for a in row.action_items:
            linked = a.due_work_item_uid or ""
            a.due = a.due_fixed or promised.get(linked) or due_by_item.get(linked)
            if a.status != ItemStatus.DONE.value and a.due and (next_due is None or a.due < next_due):
                next_due = a.due
        row.next_action_due = next_due

    def write_deal(self, row: DealRowORM, deal: Deal, lookup: Lookup, customer: CustomerRow) -> None:
        with self.s.no_autoflush:
            apply_deal(row, deal, lookup, self.s)
            row.customer_id = customer.id
            row.updated_at = deal.updated_at or now()
        self.s.flush()
        self.refresh_lists(row, deal)

    def set_version(self, row: DealRowORM, version: int, base: int) -> None:
        """Set the version without the ORM's optimistic lock (it would count this write as one more)."""
        self.s.flush()
        table = cast(Table, DealRowORM.__table__)
        self.s.execute(update(table).where(table.c.id == row.id).values(version=version,
                                                                        imported_base_version=base))


def _load_deal(s: Session, uid: str) -> DealRowORM | None:
    return s.scalar(
        select(DealRowORM)
        .options(selectinload(DealRowORM.customer), selectinload(DealRowORM.owner),
                 selectinload(DealRowORM.revisions).selectinload(AgreementRevisionRow.signatures))
        .where(DealRowORM.uid == uid)
    )


def _sha(deal: Deal, codes: Mapping[str, str]) -> str:
    return content_sha256(deal_fields(deal, codes))


def _local_codes(s: Session, deal: Deal) -> dict[str, str]:
    uids = {t.standard_term_uid for t in deal.terms if t.standard_term_uid}
    if not uids:
        return {}
    return dict(s.execute(select(StandardTermRow.uid, StandardTermRow.code).where(StandardTermRow.uid.in_(uids))).all())


@dataclass
class _Plan:
    """What the import will do, decided before anything is written."""

    action: str  # see ImportResult.action
    target: Deal  # the deal as it will be stored (for "added", "updated" and "copied")
    row: DealRowORM | None  # the local deal (None: not here, or a copy is made)
    local: Deal | None = None


def _choose(job: _Import, theirs: Deal, resolution: Resolution | None) -> _Plan:
    """Add, update, keep or copy (see ``package_sync.decide``); a conflict without a resolution is
    refused with the fields that differ."""
    s, pkg = job.s, job.pkg
    row = _load_deal(s, pkg.deal.uid)
    if row is None:
        return _Plan("added", theirs, None)
    local = deal_to_domain(row, Lookup(s))
    theirs = replace(theirs, customer_name=local.customer_name)
    codes = {t.uid: pkg.term_codes[t.uid] for t in pkg.deal.terms if t.uid in pkg.term_codes}
    decision = decide(
        local_sha=_sha(local, _local_codes(s, local)),
        local_hashes={sha for _, sha in shared_lineage(sync_points(s, local.uid))},
        package_sha=pkg.content_sha256,
        package_sha_here=content_sha256(_fields_with_codes(theirs, codes)),
        package_hashes={sha for _, sha in pkg.lineage} | {pkg.content_sha256},
    )
    if resolution == "copy":
        return _Plan("copied", fresh_copy(theirs, str(uuid.uuid4()), next_ref(s, now().year)), None, local)
    if decision is Decision.CONFLICT:
        if resolution is None:
            fields = changed_fields(local, theirs) or ["some details"]
            raise ConflictError(
                f"{local.ref} was changed both on this computer and in the package: {', '.join(fields)}.",
                "Nothing was imported. Choose which copy wins: take theirs (the package), keep ours "
                "(this computer's), or import the package as a separate copy.",
                fields=fields,
            )
        action = "updated" if resolution == "theirs" else "kept_ours"
    else:
        action = "updated" if decision is Decision.FAST_FORWARD else decision.value
    if action == "updated":
        check_signoffs_kept(local.signoffs, theirs.signoffs)
        theirs = replace(theirs, signoffs=merge_signoffs(local.signoffs, theirs.signoffs))
    return _Plan(action, theirs, row, local)


def _fields_with_codes(deal: Deal, codes_by_term: Mapping[str, str]) -> dict[str, Any]:
    """Package data of ``deal`` whose library terms are named by the package's codes."""
    by_uid = {t.standard_term_uid: codes_by_term[t.uid] for t in deal.terms
              if t.standard_term_uid and t.uid in codes_by_term}
    return deal_fields(deal, by_uid)


def _write_deal(job: _Import, plan: _Plan, customer: CustomerRow, lookup: Lookup) -> DealRowORM:
    s, ctx, target = job.s, job.ctx, plan.target
    if plan.action == "updated":
        assert plan.row is not None and plan.local is not None
        job.write_deal(plan.row, target, lookup, customer)
        for c in deal_changes(plan.local, target):
            ctx.audit(s, entity=c.entity, entity_uid=c.entity_uid, deal_uid=target.uid, action=c.action,
                      field=c.field, old=c.old, new=c.new)
        return plan.row
    ref = target.ref
    if s.scalar(select(DealRowORM.id).where(DealRowORM.ref == ref)) is not None:
        ref = next_ref(s, now().year)  # the other computer numbered its deal like one of ours
    at = target.created_at or now()
    row = DealRowORM(uid=target.uid, ref=ref, title=target.title, customer_id=customer.id, stage=target.stage.value,
                     created_at=at, updated_at=target.updated_at or at)
    s.add(row)
    job.write_deal(row, target, lookup, customer)
    ctx.audit(s, entity="deal", entity_uid=target.uid, deal_uid=target.uid, action="create",
              new=f"{ref} {target.title} (imported from a deal package)")
    return row


def import_package_in(ctx: Context, s: Session, pkg: ParsedPackage, st: Settings,
                      resolution: Resolution | None) -> ImportResult:
    """Import ``pkg`` within the write session ``s`` (the caller commits, or rolls back on any error).

    Everything is read and checked first; only then is anything written.
    """
    job = _Import(ctx, s, pkg, st)
    members = job.plan_team()
    codes, new_terms = job.plan_library()
    theirs = with_members(pkg.deal, members)
    theirs = replace(theirs, terms=tuple(
        replace(t, standard_term_uid=codes[pkg.term_codes[t.uid]]) if t.uid in pkg.term_codes else t
        for t in theirs.terms
    ))
    job.pkg = replace(pkg, revisions=revisions_with_members(pkg.revisions, members))
    revisions = RevisionMerge(ctx, s, pkg.deal.ref, job.pkg.revisions)
    customer_row = job.check_customer()
    plan = _choose(job, theirs, resolution)
    writes_deal = plan.action in ("added", "updated", "copied")
    if writes_deal:
        job.check_children(plan.target, plan.row.id if plan.row is not None else None)
    mode = {"added": "update", "updated": "update", "copied": "copy"}.get(plan.action, "keep")
    ops = revisions.plan(plan.row, mode)
    if not writes_deal and plan.action != "kept_ours" and not ops:
        assert plan.row is not None
        return ImportResult(plan.action, plan.row.ref, plan.row.uid, plan.row.version, pkg.deal.ref)

    # --- from here on, writing ---
    lookup = Lookup(s)
    job.write_members()
    job.write_library(new_terms)
    customer = job.write_customer(customer_row)
    s.flush()
    row = _write_deal(job, plan, customer, lookup) if writes_deal else plan.row
    assert row is not None
    added = revisions.write(row, ops, lookup)
    s.flush()
    version = row.version
    if plan.action == "added":
        version = pkg.deal.version  # the same number on both computers, as long as they agree
    elif plan.action == "updated":
        assert plan.local is not None
        version = max(plan.local.version + 1, pkg.deal.version)
    if plan.action in ("added", "updated", "kept_ours", "copied"):
        after = deal_to_domain(row, Lookup(s))
        lineage = set() if plan.action == "copied" else set(pkg.lineage) | {(pkg.deal.version, pkg.content_sha256)}
        record_sync(ctx, s, deal_uid=row.uid, action="import",
                    point=SyncPoint(version, _sha(after, _local_codes(s, after)), tuple(lineage)),
                    note=f"version {pkg.deal.version} of {pkg.deal.ref} imported from {pkg.folder.name}")
    if plan.action in ("added", "updated"):
        job.set_version(row, version, pkg.deal.version)
    return ImportResult(plan.action, row.ref, row.uid, version, pkg.deal.ref, revisions_added=added,
                        members_created=tuple(m.name for m in job.members_created),
                        customer_created=job.customer_created)
