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
from typing import Literal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from salesdesk.domain.changes import changed_fields, deal_changes
from salesdesk.domain.errors import ConflictError, SalesDeskError, ValidationError
from salesdesk.domain.feasibility import and_list
from salesdesk.domain.model import (
    AgreementRevision,
    Deal,
    ItemStatus,
    Settings,
    Signature,
    SignOff,
    TeamMember,
)
from salesdesk.services.context import Context, now
from salesdesk.services.deals import next_ref
from salesdesk.services.feasibility import condition_term_uid, store_signoffs
from salesdesk.services.package_format import (
    SIGNED_STATUSES,
    RevisionWithPdf,
    content_sha256,
    deal_fields,
    referenced_members,
)
from salesdesk.services.package_read import ParsedPackage
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
    SignatureRow,
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
_CHILD_TABLES: tuple[tuple[type, str], ...] = (
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


def _with_members(deal: Deal, m: Mapping[str, str]) -> Deal:
    """``deal`` with every team member uid mapped through ``m``."""

    def get(uid: str | None) -> str | None:
        return m.get(uid, uid) if uid else uid

    return replace(
        deal,
        owner_uid=get(deal.owner_uid),
        checklist=tuple(replace(c, answered_by=get(c.answered_by)) for c in deal.checklist),
        signoffs=tuple(replace(s, member_uid=get(s.member_uid) or "") for s in deal.signoffs),
        parties=tuple(replace(p, member_uid=get(p.member_uid)) for p in deal.parties),
        terms=tuple(replace(t, approved_by=get(t.approved_by), acknowledged_by=get(t.acknowledged_by))
                    for t in deal.terms),
        action_items=tuple(replace(a, owner_member_uid=get(a.owner_member_uid)) for a in deal.action_items),
        stakeholders=tuple(replace(s, member_uid=get(s.member_uid) or "") for s in deal.stakeholders),
        breakdowns=tuple(replace(b, logged_by=get(b.logged_by)) for b in deal.breakdowns),
    )


def _fresh_copy(deal: Deal, uid: str, ref: str) -> Deal:
    """``deal`` as a new deal: new uid and ref, every part with a new uid (links kept)."""
    fresh: dict[str, str] = {}

    def new(old: str) -> str:
        return fresh.setdefault(old, str(uuid.uuid4()))

    condition_terms = {condition_term_uid(s.uid): s.uid for s in deal.signoffs}

    def term_uid(old: str) -> str:
        signoff = condition_terms.get(old)
        return condition_term_uid(new(signoff)) if signoff else new(old)

    title = f"{deal.title} (imported copy)"
    return replace(
        deal, uid=uid, ref=ref, version=1, title=title if len(title) <= 300 else deal.title,
        questions=tuple(replace(q, uid=new(q.uid)) for q in deal.questions),
        objections=tuple(replace(o, uid=new(o.uid)) for o in deal.objections),
        lines=tuple(replace(li, uid=new(li.uid)) for li in deal.lines),
        checklist=tuple(replace(c, uid=new(c.uid)) for c in deal.checklist),
        work_items=tuple(replace(w, uid=new(w.uid), predecessors=tuple(new(p) for p in w.predecessors))
                         for w in deal.work_items),
        signoffs=tuple(replace(s, uid=new(s.uid)) for s in deal.signoffs),
        parties=tuple(replace(p, uid=new(p.uid)) for p in deal.parties),
        help_contacts=tuple(replace(h, uid=new(h.uid)) for h in deal.help_contacts),
        terms=tuple(replace(t, uid=term_uid(t.uid)) for t in deal.terms),
        action_items=tuple(
            replace(a, uid=new(a.uid), due_work_item_uid=new(a.due_work_item_uid) if a.due_work_item_uid else None)
            for a in deal.action_items
        ),
        stakeholders=tuple(replace(s, uid=new(s.uid)) for s in deal.stakeholders),
        kickoff=replace(deal.kickoff, uid=new(deal.kickoff.uid)) if deal.kickoff else None,
        breakdowns=tuple(replace(b, uid=new(b.uid)) for b in deal.breakdowns),
    )


def merge_signoffs(ours: tuple[SignOff, ...], theirs: tuple[SignOff, ...]) -> tuple[SignOff, ...]:
    """Both sides' sign-offs (a department's word is never dropped); per department only the latest
    current one stays current."""
    mine = {s.uid: s for s in ours}
    merged: list[SignOff] = []
    for s in theirs:
        local = mine.pop(s.uid, None)
        merged.append(replace(s, current=s.current and (local.current if local else True)))
    merged.extend(mine.values())
    latest: dict[str, SignOff] = {}
    for s in merged:
        if s.current and (s.department not in latest or s.signed_at > latest[s.department].signed_at):
            latest[s.department] = s
    return tuple(replace(s, current=s.current and latest.get(s.department) is s) for s in merged)


def _check_signoffs_kept(ours: tuple[SignOff, ...], theirs: tuple[SignOff, ...]) -> None:
    """A sign-off is a department's word: the package may add sign-offs, never reword one."""
    mine = {s.uid: s for s in ours}
    for s in theirs:
        local = mine.get(s.uid)
        if local is not None and replace(local, current=True) != replace(s, current=True):
            raise _refuse(f"it changes {s.department}'s sign-off of {s.signed_at.date().isoformat()}.",
                          "A sign-off is never changed. Nothing was imported; check where the package came from.")


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
                    .where(table.uid.in_(uids[chunk:chunk + 500]), table.deal_id != (deal_id or -1))  # type: ignore[attr-defined]
                )
                if taken:
                    raise _refuse(f"some of its {name.replace('_', ' ')} carry ids another deal here already uses.")
        if deal.kickoff and self.s.scalar(
            select(func.count()).select_from(KickoffRow)
            .where(KickoffRow.uid == deal.kickoff.uid, KickoffRow.deal_id != (deal_id or -1))
        ):
            raise _refuse("its kickoff carries an id another deal here already uses.")

    def plan_revisions(self, row: DealRowORM | None, mode: str) -> list[tuple[str, RevisionWithPdf, AgreementRevisionRow | None]]:
        """What to do with each package revision: ("add" | "sign" | "update" | "supersede", revision, local row)."""
        local = {r.uid: r for r in row.revisions} if row is not None else {}
        numbers = {r.number: r for r in row.revisions} if row is not None else {}
        ops: list[tuple[str, RevisionWithPdf, AgreementRevisionRow | None]] = []
        this_deal = row.id if row is not None else -1
        for item in self.pkg.revisions:
            rev = item.revision
            mine = local.get(rev.uid)
            if mine is None:
                uid_owner = self.s.scalar(select(AgreementRevisionRow.deal_id).where(AgreementRevisionRow.uid == rev.uid))
                doc_owner = self.s.scalar(
                    select(AgreementRevisionRow.deal_id).where(AgreementRevisionRow.doc_id == rev.doc_id))
                if mode == "copy":
                    if uid_owner is None and doc_owner is None:  # already recorded here: it stays with its deal
                        self.check_signatures(rev)
                        ops.append(("add", item, None))
                    continue
                if uid_owner is not None or doc_owner not in (None, this_deal):
                    raise _refuse(f"agreement revision {rev.number} ({rev.doc_id}) belongs to another deal on "
                                  "this computer.")
                if rev.number in numbers or doc_owner is not None:
                    raise ConflictError(
                        f"{self.pkg.deal.ref}: this computer and the package each hold a different agreement "
                        f"revision {rev.number}.",
                        "Nothing was imported. Import the package as a separate copy, then sort out which "
                        "revision is the valid one.",
                        fields=[f"agreement revision {rev.number}"],
                    )
                self.check_signatures(rev)
                ops.append(("add", item, None))
            elif mode == "copy":
                continue
            elif mine.status in SIGNED_STATUSES:
                if (mine.number, mine.doc_id, mine.snapshot_sha256, mine.pdf_sha256) != (
                        rev.number, rev.doc_id, rev.snapshot_sha256, rev.pdf_sha256) \
                        or {s.uid for s in mine.signatures} != {s.uid for s in rev.signatures}:
                    raise _refuse(
                        f"it holds a different version of signed agreement revision {rev.number}.",
                        "A signed revision is never changed. Nothing was imported; check where the package came from.",
                    )
                if mine.status == "signed" and rev.status == "superseded":
                    ops.append(("supersede", item, mine))
            elif rev.status in SIGNED_STATUSES:
                self.check_signatures(rev, mine)
                ops.append(("sign", item, mine))
            elif mode == "update":
                self.check_signatures(rev, mine)
                ops.append(("update", item, mine))
        return ops

    def check_signatures(self, rev: AgreementRevision, mine: AgreementRevisionRow | None = None) -> None:
        uids = [sig.uid for sig in rev.signatures]
        if not uids:
            return
        taken = self.s.scalar(
            select(func.count()).select_from(SignatureRow)
            .where(SignatureRow.uid.in_(uids), SignatureRow.revision_id != (mine.id if mine else -1))
        )
        if taken:
            raise _refuse(f"the signatures of agreement revision {rev.number} carry ids already used here.")

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

    def write_revisions(self, row: DealRowORM, ops: list[tuple[str, RevisionWithPdf, AgreementRevisionRow | None]],
                        lookup: Lookup) -> int:
        added = 0
        for op, item, mine in ops:
            rev = item.revision
            if op == "supersede" and mine is not None:
                mine.status = "superseded"
            elif op == "add":
                new_row = AgreementRevisionRow(uid=rev.uid, deal_id=row.id)
                self._fill_revision(new_row, item, lookup)
                row.revisions.append(new_row)
                added += 1
            elif mine is not None:  # "sign" or "update": a local draft takes the package's content
                self._fill_revision(mine, item, lookup)
            self.ctx.audit(self.s, entity="agreement_revision", entity_uid=rev.uid, deal_uid=row.uid,
                           action="import", field="status", new=f"revision {rev.number} ({rev.status})")
        return added

    @staticmethod
    def _fill_revision(r: AgreementRevisionRow, item: RevisionWithPdf, lookup: Lookup) -> None:
        rev = item.revision
        r.number, r.doc_id, r.status = rev.number, rev.doc_id, rev.status
        r.snapshot_json, r.snapshot_sha256, r.pdf_sha256 = rev.snapshot_json, rev.snapshot_sha256, rev.pdf_sha256
        r.pdf, r.created_at, r.signed_at = item.pdf, rev.created_at, rev.signed_at
        r.signatures = [_signature_row(sig, rev, lookup) for sig in rev.signatures]

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
        table = DealRowORM.__table__
        self.s.execute(update(table).where(table.c.id == row.id).values(version=version,
                                                                        imported_base_version=base))


def _signature_row(sig: Signature, rev: AgreementRevision, lookup: Lookup) -> SignatureRow:
    return SignatureRow(
        uid=sig.uid, side=sig.side.value, signer_name=sig.signer_name, member_id=lookup.member_id(sig.member_uid),
        contact_id=lookup.contact_id(sig.contact_uid), method=sig.method, signed_on=sig.signed_on,
        image_png=sig.image_png, scan=sig.scan, recorded_at=sig.recorded_at or rev.signed_at or rev.created_at,
    )


def _revisions_with_members(revisions: tuple[RevisionWithPdf, ...], m: Mapping[str, str]) -> tuple[RevisionWithPdf, ...]:
    return tuple(
        RevisionWithPdf(replace(r.revision, signatures=tuple(
            replace(s, member_uid=m.get(s.member_uid, s.member_uid) if s.member_uid else None)
            for s in r.revision.signatures)), r.pdf)
        for r in revisions
    )


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


def import_package_in(ctx: Context, s: Session, pkg: ParsedPackage, st: Settings,
                      resolution: Resolution | None) -> ImportResult:
    """Import ``pkg`` within the write session ``s`` (the caller commits, or rolls back on any error)."""
    job = _Import(ctx, s, pkg, st)
    members = job.plan_team()
    codes, new_terms = job.plan_library()
    term_uids = {code: uid for code, uid in codes.items()}
    theirs = _with_members(pkg.deal, members)
    theirs = replace(theirs, terms=tuple(
        replace(t, standard_term_uid=term_uids[pkg.term_codes[t.uid]]) if t.uid in pkg.term_codes else t
        for t in theirs.terms
    ))
    revisions = _revisions_with_members(pkg.revisions, members)
    job.pkg = replace(pkg, revisions=revisions)
    codes_here = {uid: code for code, uid in term_uids.items()}
    customer_row = job.check_customer()
    row = _load_deal(s, pkg.deal.uid)
    package_hashes = {sha for _, sha in pkg.lineage} | {pkg.content_sha256}

    if row is None:
        action, target = "added", theirs
    else:
        lookup = Lookup(s)
        local = deal_to_domain(row, lookup)
        local_sha = _sha(local, _local_codes(s, local))
        theirs_here = replace(theirs, customer_name=local.customer_name)
        decision = decide(local_sha=local_sha, local_hashes={sha for _, sha in shared_lineage(sync_points(s, local.uid))},
                          package_sha=pkg.content_sha256, package_sha_here=_sha(theirs_here, codes_here),
                          package_hashes=package_hashes)
        if resolution == "copy":
            action = "copied"
        elif decision is Decision.CONFLICT:
            if resolution is None:
                fields = changed_fields(local, theirs_here) or ["some details"]
                raise ConflictError(
                    f"{local.ref} was changed both on this computer and in the package: {', '.join(fields)}.",
                    "Nothing was imported. Choose which copy wins: take theirs (the package), keep ours "
                    "(this computer's), or import the package as a separate copy.",
                    fields=fields,
                )
            action = "updated" if resolution == "theirs" else "kept_ours"
        elif decision is Decision.FAST_FORWARD:
            action = "updated"
        else:
            action = decision.value  # "unchanged" | "older"
        if action == "updated":
            _check_signoffs_kept(local.signoffs, theirs.signoffs)
            target = replace(theirs, signoffs=merge_signoffs(local.signoffs, theirs.signoffs))
        else:
            target = theirs

    # Everything below may write; everything above only read and checked.
    if action == "copied":
        target = _fresh_copy(theirs, str(uuid.uuid4()), next_ref(s, now().year))
    mode = {"added": "update", "updated": "update", "copied": "copy"}.get(action, "keep")
    deal_row = None if action in ("added", "copied") else row
    if action in ("added", "updated", "copied"):
        job.check_children(target, deal_row.id if deal_row is not None else None)
    ops = job.plan_revisions(deal_row, mode)
    if action in ("unchanged", "older") and not ops:
        assert row is not None
        return ImportResult(action, row.ref, row.uid, row.version, pkg.deal.ref)

    lookup = Lookup(s)
    job.write_members()
    job.write_library(new_terms)
    customer = job.write_customer(customer_row)
    s.flush()
    if action in ("added", "copied"):
        ref = target.ref if action == "copied" else pkg.deal.ref
        if action == "added" and s.scalar(select(DealRowORM.id).where(DealRowORM.ref == ref)) is not None:
            ref = next_ref(s, now().year)
        at = target.created_at or now()
        deal_row = DealRowORM(uid=target.uid, ref=ref, title=target.title, customer_id=customer.id,
                              stage=target.stage.value, created_at=at, updated_at=target.updated_at or at)
        s.add(deal_row)
        job.write_deal(deal_row, target, lookup, customer)
        ctx.audit(s, entity="deal", entity_uid=target.uid, deal_uid=target.uid, action="create",
                  new=f"{ref} {target.title} (imported from a deal package)")
    elif action == "updated":
        assert row is not None
        before = deal_to_domain(row, lookup)
        local_version = before.version
        job.write_deal(row, target, lookup, customer)
        for c in deal_changes(before, target):
            ctx.audit(s, entity=c.entity, entity_uid=c.entity_uid, deal_uid=target.uid, action=c.action,
                      field=c.field, old=c.old, new=c.new)
        deal_row = row
    assert deal_row is not None
    added = job.write_revisions(deal_row, ops, lookup)
    s.flush()

    version = deal_row.version
    if action in ("added", "updated", "kept_ours", "copied"):
        if action == "added":
            version = pkg.deal.version
        elif action == "updated":
            assert row is not None
            version = max(local_version + 1, pkg.deal.version)
        after = deal_to_domain(deal_row, Lookup(s))
        after_sha = _sha(after, _local_codes(s, after))
        lineage = set(pkg.lineage) | {(pkg.deal.version, pkg.content_sha256)} if action != "copied" else set()
        record_sync(ctx, s, deal_uid=deal_row.uid, action="import", point=SyncPoint(version, after_sha, tuple(lineage)),
                    note=f"version {pkg.deal.version} of {pkg.deal.ref} imported from {pkg.folder.name}")
        if action in ("added", "updated"):
            job.set_version(deal_row, version, pkg.deal.version)
    return ImportResult(action, deal_row.ref, deal_row.uid, version, pkg.deal.ref, revisions_added=added,
                        members_created=tuple(m.name for m in job.members_created),
                        customer_created=job.customer_created)
