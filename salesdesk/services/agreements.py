"""The letter of agreement: prepared as numbered revisions, signed by both sides, then frozen.

A revision holds a snapshot of everything the letter says. When both sides have signed it, its
PDF is rendered once with both signatures and kept byte for byte, with the SHA-256 of the PDF and
of the snapshot: from then on the revision is a fact and never changes (the store refuses too,
see ``store/guards.py``). Change the deal afterwards and the signed revision is superseded; the
next ``prepare`` opens revision N+1, which both sides sign again. Both are kept.

``verify`` checks a printed or exported PDF against the record: genuine, altered, or unknown.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from salesdesk import documents  # the builders load reportlab on first use, not at import
from salesdesk.domain.errors import (
    ConflictError,
    NotFoundError,
    RefusedError,
    SalesDeskError,
    ValidationError,
)
from salesdesk.domain.model import AgreementRevision, Deal, Side, Signature, Stage
from salesdesk.services import agreement_snapshot as snap
from salesdesk.services import documents_data as data
from salesdesk.services import validation as v
from salesdesk.services.agreement_files import MAX_VERIFY_BYTES, check_scan, check_signature_png, read_stamp
from salesdesk.services.context import Context, now
from salesdesk.services.customers import CustomerService
from salesdesk.services.deals import DealService
from salesdesk.services.quote import company_from_settings, document_number
from salesdesk.services.settings import SettingsService
from salesdesk.services.team import TeamService
from salesdesk.store.mapping import Lookup, revision_to_domain
from salesdesk.store.schema import AgreementRevisionRow, DealRowORM, SignatureRow

#: Stages in which the deal's promise can be put in writing and signed.
AGREEABLE_STAGES = frozenset({Stage.QUOTED, Stage.AGREED, Stage.KICKED_OFF, Stage.DELIVERING, Stage.DELIVERED})
FROZEN_STATUSES = frozenset({"signed", "superseded"})
METHODS = ("drawn", "paper")


@dataclass(frozen=True)
class AgreementState:
    """Where a deal's agreement stands.

    ``current`` is the latest revision; ``signed`` the latest one both sides signed. ``superseded``
    says the deal changed since that signature (``changes`` says how); ``draft_outdated`` that the
    deal changed since the current draft was prepared. ``problem`` says why no agreement can be
    prepared now ("" when it can).
    """

    deal_ref: str
    revisions: tuple[AgreementRevision, ...] = ()
    current: AgreementRevision | None = None
    draft: AgreementRevision | None = None
    signed: AgreementRevision | None = None
    superseded: bool = False
    draft_outdated: bool = False
    changes: tuple[str, ...] = ()
    problem: str = ""

    @property
    def is_signed(self) -> bool:
        """The current revision is signed by both sides and still matches the deal."""
        return (self.current is not None and self.signed is not None and self.current.uid == self.signed.uid
                and not self.superseded)


@dataclass(frozen=True)
class VerifyResult:
    """What a PDF is, checked against the record: ``genuine``, ``altered`` or ``unknown``."""

    status: str
    message: str
    doc_id: str = ""
    deal_ref: str = ""
    revision: int | None = None
    signers: tuple[str, ...] = ()
    signed_at: datetime | None = None
    superseded: bool = False


@dataclass(frozen=True)
class _Loaded:
    deal: Deal
    around: data.DealSurroundings
    revisions: tuple[AgreementRevision, ...]


def _format_date(day: date) -> str:
    from salesdesk.documents.common import format_date

    return format_date(day)


def revision_doc_id(ref: str, number: int) -> str:
    """``D-2026-0001`` revision 2 → ``A-2026-0001-R2``."""
    return f"{document_number('A', ref)}-R{number}"


class AgreementService:
    """Prepare, render, sign and verify a deal's letter of agreement."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.deals = DealService(ctx)
        self.settings = SettingsService(ctx)
        self.team = TeamService(ctx)
        self.customers = CustomerService(ctx)

    # --- reading -----------------------------------------------------------------------------

    def _load(self, ref: str) -> _Loaded:
        deal = self.deals.get(ref)
        around = data.DealSurroundings(
            settings=self.settings.load(),
            customer=self.customers.get(deal.customer_uid),
            members={m.uid: m for m in self.team.list_members(include_inactive=True)},
        )
        with self.ctx.store.read() as s:
            rows = s.scalars(
                select(AgreementRevisionRow).join(DealRowORM, DealRowORM.id == AgreementRevisionRow.deal_id)
                .options(selectinload(AgreementRevisionRow.signatures))
                .where(DealRowORM.uid == deal.uid).order_by(AgreementRevisionRow.number)
            ).all()
            lookup = Lookup(s)
            revisions = tuple(revision_to_domain(r, lookup) for r in rows)
        return _Loaded(deal, around, revisions)

    @staticmethod
    def _check_stage(deal: Deal) -> None:
        if deal.stage in (Stage.LOST, Stage.DECLINED):
            raise RefusedError(f"{deal.ref} is {deal.stage.label.lower()}, so there is no agreement to prepare or sign.")
        if deal.stage not in AGREEABLE_STAGES:
            raise RefusedError(
                f"{deal.ref} is not quoted yet ({deal.stage.label.lower()}), so there is no agreement to prepare.",
                "Quote the deal first: the agreement puts the quoted promise in writing.",
            )

    def _content(self, loaded: _Loaded, at: datetime, *, check_stage: bool = True) -> str:
        """The snapshot of the letter for the deal as it is now (RefusedError if it cannot be written)."""
        if check_stage:
            self._check_stage(loaded.deal)
        signed = [r for r in loaded.revisions if r.status in FROZEN_STATUSES]
        # The allowance agreed at the last signature holds; a change in the settings is not a change to the deal.
        percent = snap.snapshot_percent(signed[-1].snapshot_json) if signed else loaded.around.settings.contingency_percent
        placeholder = AgreementRevision("", 0, "", "draft", "", "", "", at)
        doc = data.agreement_doc(loaded.deal, placeholder, (), loaded.around, contingency_percent=percent)
        return snap.snapshot_json(doc, percent)

    def current(self, ref: str) -> AgreementState:
        """The deal's revisions, the current draft or signed one, and whether the deal changed since."""
        return self._state(self._load(ref))

    def _state(self, loaded: _Loaded) -> AgreementState:
        revisions = loaded.revisions
        latest = revisions[-1] if revisions else None
        signed = next((r for r in reversed(revisions) if r.status in FROZEN_STATUSES), None)
        draft = latest if latest is not None and latest.status == "draft" else None
        try:
            self._check_stage(loaded.deal)
            problem = ""
        except RefusedError as exc:
            problem = str(exc)
        try:
            # Compared whatever the stage: a signed agreement stays valid when a deal is later lost.
            content: str | None = self._content(loaded, now(), check_stage=False)
        except SalesDeskError as exc:
            content, problem = None, problem or str(exc)
        superseded = signed is not None and (
            signed.status == "superseded" or content is None or not snap.same_agreement(signed.snapshot_json, content))
        outdated = draft is not None and (content is None or not snap.same_agreement(draft.snapshot_json, content))
        changes: tuple[str, ...] = ()
        base = draft if draft is not None else signed
        if base is not None and (outdated or (base is signed and superseded)):
            changes = snap.describe_changes(base.snapshot_json, content) if content else (problem,)
        return AgreementState(loaded.deal.ref, revisions, latest, draft, signed, superseded, outdated, changes, problem)

    # --- preparing ---------------------------------------------------------------------------

    def prepare(self, ref: str, *, at: datetime | None = None) -> AgreementRevision:
        """The revision to sign: the current one if the deal has not changed, else revision N+1 as a draft.

        Preparing after a signed revision no longer matches the deal marks that one superseded.
        Refused for a deal that is not quoted yet.
        """
        for attempt in range(3):
            at_ = at or now()
            loaded = self._load(ref)
            content = self._content(loaded, at_)
            latest = loaded.revisions[-1] if loaded.revisions else None
            if latest is not None and latest.status in ("draft", "signed") \
                    and snap.same_agreement(latest.snapshot_json, content):
                return latest
            try:
                return self._add_revision(loaded, content, at_)
            except (IntegrityError, ConflictError):
                if attempt == 2:
                    raise ConflictError(f"Someone else prepared the agreement for {loaded.deal.ref} at the same moment.",
                                        "Open the agreement again.") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _add_revision(self, loaded: _Loaded, content: str, at: datetime) -> AgreementRevision:
        deal = loaded.deal
        with self.ctx.store.write() as s:
            deal_row = self._deal_row(s, deal)
            rows = s.scalars(select(AgreementRevisionRow).where(AgreementRevisionRow.deal_id == deal_row.id)
                             .order_by(AgreementRevisionRow.number)).all()
            if [r.uid for r in rows] != [r.uid for r in loaded.revisions]:
                raise ConflictError("The agreement changed meanwhile.")
            number = (rows[-1].number if rows else 0) + 1
            uid = str(uuid.uuid4())
            doc_id = revision_doc_id(deal.ref, number)
            if s.scalar(select(AgreementRevisionRow.id).where(AgreementRevisionRow.doc_id == doc_id)) is not None:
                doc_id = f"{doc_id}-{uid[:8]}"  # that number came with a deal imported from another laptop
            # The stored snapshot carries this revision's own date (the letter's date).
            placeholder = AgreementRevision(uid, number, doc_id, "draft", "", "", "", at)
            percent = snap.snapshot_percent(content)
            doc = data.agreement_doc(deal, placeholder, (), loaded.around, contingency_percent=percent)
            snapshot = snap.snapshot_json(doc, percent)
            row = AgreementRevisionRow(uid=uid, deal_id=deal_row.id, number=number, doc_id=doc_id, status="draft",
                                       snapshot_json=snapshot, snapshot_sha256=snap.sha256_hex(snapshot),
                                       pdf=None, pdf_sha256="", created_at=at)
            s.add(row)
            for old in rows:
                if old.status == "signed":
                    old.status = "superseded"
                    self.ctx.audit(s, entity="agreement_revision", entity_uid=old.uid, deal_uid=deal.uid,
                                   action="superseded", new=f"revision {old.number} ({old.doc_id}): the deal changed "
                                   "after it was signed")
            self.ctx.audit(s, entity="agreement_revision", entity_uid=uid, deal_uid=deal.uid, action="prepared",
                           new=f"revision {number} ({doc_id})")
            s.flush()
            return revision_to_domain(row, Lookup(s))

    @staticmethod
    def _deal_row(s: Session, deal: Deal) -> DealRowORM:
        row = s.scalar(select(DealRowORM).where(DealRowORM.uid == deal.uid))
        if row is None:
            raise NotFoundError(f"There is no deal '{deal.ref}' any more.", "Reload the deal list.")
        if row.version != deal.version:
            raise ConflictError(f"Someone changed {deal.ref} at the same moment.",
                                "Look at the deal again, then prepare or sign the agreement.")
        return row

    # --- rendering ---------------------------------------------------------------------------

    def render(self, ref: str, *, revision: int | None = None) -> bytes:
        """The agreement as PDF bytes.

        A signed (or superseded) revision comes back exactly as it was frozen, byte for byte; a draft
        is rendered from its snapshot with empty signature blocks. Without ``revision``: the current
        revision, or — when there is none yet or the deal changed since — a preview of the letter as
        the next revision would be (nothing is stored).
        """
        loaded = self._load(ref)
        company = company_from_settings(loaded.around.settings)
        if revision is not None:
            target = next((r for r in loaded.revisions if r.number == revision), None)
            if target is None:
                raise NotFoundError(f"{loaded.deal.ref} has no agreement revision {revision}.",
                                    "Pick one of the revisions listed for the deal.")
        else:
            state = self._state(loaded)
            if state.is_signed:
                target = state.signed
            elif state.draft is not None and not state.draft_outdated:
                target = state.draft
            else:
                number = (loaded.revisions[-1].number if loaded.revisions else 0) + 1
                preview = snap.doc_from_snapshot(self._content(loaded, now()), company,
                                                 revision_doc_id(loaded.deal.ref, number), number)
                pdf: bytes = documents.build_agreement(preview)
                return pdf
        assert target is not None
        if target.status in FROZEN_STATUSES:
            return self._frozen_pdf(target)
        draft = snap.doc_from_snapshot(target.snapshot_json, company, target.doc_id, target.number)
        rendered: bytes = documents.build_agreement(draft)
        return rendered

    def _frozen_pdf(self, revision: AgreementRevision) -> bytes:
        with self.ctx.store.read() as s:
            pdf = s.scalar(select(AgreementRevisionRow.pdf).where(AgreementRevisionRow.uid == revision.uid))
        if not pdf:
            raise NotFoundError(f"The signed PDF of revision {revision.number} ({revision.doc_id}) is not on this "
                                "computer.", "Import the deal's package from the laptop where it was signed.")
        return bytes(pdf)

    def printable(self, ref: str) -> bytes:
        """What to print now: the signed PDF while it still matches the deal, else the (new) draft."""
        state = self.current(ref)
        if state.is_signed:
            assert state.signed is not None
            return self._frozen_pdf(state.signed)
        rev = self.prepare(ref)
        return self.render(ref, revision=rev.number)

    # --- the action plan and the meeting brief ------------------------------------------------

    def action_plan(self, ref: str, *, today: date | None = None) -> bytes:
        """The action plan (who does what by when, landscape) as PDF bytes."""
        loaded = self._load(ref)
        pdf: bytes = documents.build_action_plan(data.action_plan_doc(loaded.deal, loaded.around, today=today))
        return pdf

    def brief(self, ref: str, *, meeting_on: date | None = None) -> bytes:
        """The one-page meeting brief as PDF bytes (internal: for the rep, not the customer)."""
        loaded = self._load(ref)
        pdf: bytes = documents.build_brief(data.brief_doc(loaded.deal, loaded.around, meeting_on=meeting_on))
        return pdf

    # --- signing -----------------------------------------------------------------------------

    def sign(
        self,
        ref: str,
        side: Side | str,
        *,
        signer_name: str = "",
        member_uid: str | None = None,
        contact_uid: str | None = None,
        method: str = "drawn",
        image_png: bytes | None = None,
        signed_on: date | None = None,
        scan: bytes | None = None,
        pin: str | None = None,
        revision: int | None = None,
        at: datetime | None = None,
    ) -> AgreementRevision:
        """Record one side's signature on the current draft (or on ``revision``).

        Ours: a team member who may sign agreements, confirmed with their PIN when they have one.
        Theirs: one of the customer's contacts, or a typed name. ``drawn`` needs the PNG drawing;
        ``paper`` needs the date it was signed (a scan of the copy is optional). When both sides have
        signed, the PDF is rendered with both signatures and frozen, and a quoted deal becomes Agreed.
        """
        at = at or now()
        try:
            side = Side(side)
        except ValueError:
            raise ValidationError(f"'{side}' is not a side of the agreement.", "Use 'ours' or 'theirs'.") from None
        if method not in METHODS:
            raise ValidationError(f"'{method}' is not a way of signing.", "Sign on screen (drawn) or on paper.")
        loaded = self._load(ref)
        deal, around = loaded.deal, loaded.around
        target = self._revision_to_sign(loaded, revision, at)
        org = around.organisation(side)
        if any(sig.side is side for sig in target.signatures):
            raise RefusedError(f"{org} has already signed revision {target.number} of this agreement.")
        missing = [t.title for t in deal.terms if t.non_standard and around.member(t.approved_by) is None]
        if missing:
            raise RefusedError(f"The non-standard term '{missing[0]}' has not been approved by anyone yet.",
                               "Have a manager approve it (or make it standard), then prepare the agreement again.")
        name, member_uid, contact_uid = self._signer(side, loaded, signer_name, member_uid, contact_uid)
        today = at.astimezone().date()
        if method == "drawn":
            image_png = check_signature_png(image_png)
            if scan:
                raise ValidationError("A signature drawn on screen has no scan.", "Attach scans to paper signatures.")
        elif image_png:
            raise ValidationError("A signature on paper has no drawing.", "Attach a scan of the signed copy instead.")
        elif signed_on is None:
            raise ValidationError("Say on which day the paper copy was signed.", "Enter the date written by the "
                                  "signature.", field="signed_on")
        signed_on = signed_on or today
        if signed_on > today:
            raise ValidationError(f"{_format_date(signed_on)} is in the future.", "Enter the day it was signed.",
                                  field="signed_on")
        created = deal.created_at.astimezone().date() if deal.created_at else None
        if created and signed_on < created:
            raise ValidationError(f"{_format_date(signed_on)} is before the deal was created.",
                                  "Enter the day it was signed.", field="signed_on")
        scan = check_scan(scan)
        if side is Side.OURS:
            assert member_uid is not None
            self.team.check_pin(member_uid, pin, at=at)
        signature = Signature(str(uuid.uuid4()), side, name, method, signed_on, member_uid, contact_uid,
                              image_png if method == "drawn" else None, scan, at)
        both = tuple(sorted((*target.signatures, signature), key=lambda x: x.side is not Side.OURS))
        final_pdf = None
        if {sig.side for sig in both} == {Side.OURS, Side.THEIRS}:
            # Rendered before anything is written: a failed render changes nothing.
            blocks = data.signature_blocks(both, around)
            final_pdf = documents.build_agreement(snap.doc_from_snapshot(
                target.snapshot_json, company_from_settings(around.settings), target.doc_id, target.number, blocks))
        return self._record_signature(loaded, target, signature, final_pdf, at)

    def _revision_to_sign(self, loaded: _Loaded, number: int | None, at: datetime) -> AgreementRevision:
        deal = loaded.deal
        if not loaded.revisions:
            raise RefusedError(f"No agreement has been prepared for {deal.ref} yet.", "Prepare the agreement first.")
        latest = loaded.revisions[-1]
        target = latest if number is None else next((r for r in loaded.revisions if r.number == number), None)
        if target is None:
            raise NotFoundError(f"{deal.ref} has no agreement revision {number}.", "Sign the current revision.")
        if target.status in FROZEN_STATUSES:
            raise RefusedError(
                f"Revision {target.number} of the agreement for {deal.ref} is signed by both sides and frozen; "
                "it cannot be changed.",
                "If the deal changed, prepare a new revision and have both sides sign that.",
            )
        if target is not latest:
            raise RefusedError(f"Revision {target.number} was replaced by revision {latest.number}.",
                               f"Sign revision {latest.number}.")
        if not snap.same_agreement(target.snapshot_json, self._content(loaded, at)):
            raise RefusedError(
                "The deal changed since this revision was prepared — prepare a new revision.",
                "Prepare the agreement again and have both sides sign the new revision.",
            )
        return target

    def _signer(self, side: Side, loaded: _Loaded, typed: str, member_uid: str | None,
                contact_uid: str | None) -> tuple[str, str | None, str | None]:
        around = loaded.around
        if side is Side.OURS:
            if contact_uid:
                raise ValidationError("Our side is signed by a team member, not by a customer contact.")
            member = around.member(member_uid)
            if member is None:
                raise ValidationError(f"Choose who signs for {around.settings.company_name}.",
                                      "Pick a team member who may sign agreements.", field="member_uid")
            if not member.active or not member.can_sign_agreements:
                raise RefusedError(f"{member.name} may not sign agreements for {around.settings.company_name}.",
                                   "Choose someone who may sign, or ask a manager to allow it in Team.")
            return member.name, member.uid, None
        if member_uid:
            raise ValidationError("The customer's side is signed by one of their people, not by a team member.")
        if contact_uid:
            contact = next((c for c in around.customer.contacts if c.uid == contact_uid), None)
            if contact is None:
                raise ValidationError(f"That person is not a contact of {around.customer.name}.",
                                      "Pick one of the customer's contacts or type the signer's name.",
                                      field="contact_uid")
            return contact.name, None, contact.uid
        name = v.name(typed, "The signer's name", field="signer_name")
        return name, None, None

    def _record_signature(self, loaded: _Loaded, target: AgreementRevision, signature: Signature,
                          final_pdf: bytes | None, at: datetime) -> AgreementRevision:
        deal = loaded.deal
        with self.ctx.store.write() as s:
            deal_row = self._deal_row(s, deal)
            row = s.scalar(select(AgreementRevisionRow).options(selectinload(AgreementRevisionRow.signatures))
                           .where(AgreementRevisionRow.uid == target.uid))
            if row is None or row.status != "draft" or {x.uid for x in row.signatures} != \
                    {x.uid for x in target.signatures}:
                raise ConflictError("Someone else signed this agreement at the same moment.",
                                    "Open the agreement again to see who has signed.")
            lookup = Lookup(s)
            row.signatures.append(SignatureRow(
                uid=signature.uid, side=signature.side.value, signer_name=signature.signer_name,
                member_id=lookup.member_id(signature.member_uid), contact_id=lookup.contact_id(signature.contact_uid),
                method=signature.method, signed_on=signature.signed_on, image_png=signature.image_png,
                scan=signature.scan, recorded_at=at,
            ))
            org = loaded.around.organisation(signature.side)
            self.ctx.audit(s, entity="agreement_revision", entity_uid=row.uid, deal_uid=deal.uid, action="signed",
                           new=f"revision {row.number}: {signature.signer_name} for {org} "
                               f"({'on paper' if signature.method == 'paper' else 'on screen'}, "
                               f"{_format_date(signature.signed_on)})")
            if final_pdf is not None:
                row.pdf, row.pdf_sha256 = final_pdf, snap.sha256_hex(final_pdf)
                row.snapshot_sha256 = snap.sha256_hex(row.snapshot_json)
                row.status, row.signed_at = "signed", at
                self.ctx.audit(s, entity="agreement_revision", entity_uid=row.uid, deal_uid=deal.uid, action="frozen",
                               new=f"revision {row.number} ({row.doc_id}) signed by both sides; PDF SHA-256 "
                                   f"{row.pdf_sha256}")
                if deal_row.stage == Stage.QUOTED.value:
                    deal_row.stage = Stage.AGREED.value
                    deal_row.updated_at = at
                    self.ctx.audit(s, entity="deal", entity_uid=deal.uid, deal_uid=deal.uid, action="update",
                                   field="stage", old=Stage.QUOTED.value, new=Stage.AGREED.value)
            s.flush()
            return revision_to_domain(row, lookup)

    # --- verifying ---------------------------------------------------------------------------

    def verify(self, pdf: bytes) -> VerifyResult:
        """Check a PDF against the record. Never raises for a damaged or foreign file: that is ``unknown``."""
        if len(pdf) > MAX_VERIFY_BYTES:
            return VerifyResult("unknown", "The file is far larger than any agreement SalesDesk writes.")
        stamp = read_stamp(pdf)
        if stamp is None:
            return VerifyResult("unknown", "This file is not a SalesDesk agreement: it carries no SalesDesk "
                                "document number.")
        doc_id, number = stamp
        with self.ctx.store.read() as s:
            row = s.scalar(select(AgreementRevisionRow).options(selectinload(AgreementRevisionRow.signatures))
                           .where(AgreementRevisionRow.doc_id == doc_id))
            if row is None or row.number != number:
                return VerifyResult("unknown", f"{doc_id} (revision {number}) is not an agreement recorded in this "
                                    "database.", doc_id=doc_id, revision=number)
            deal = s.get(DealRowORM, row.deal_id)
            ref = deal.ref if deal else ""
            revision = revision_to_domain(row, Lookup(s))
        if revision.status not in FROZEN_STATUSES or not revision.pdf_sha256:
            return VerifyResult("unknown", f"{doc_id} is revision {number} of the agreement for {ref}, but it has not "
                                "been signed by both sides, so there is no signed copy to compare with.",
                                doc_id=doc_id, deal_ref=ref, revision=number)
        agreed = snap.agreed_content(revision.snapshot_json)
        org = {Side.OURS: agreed.get("company_name", ""), Side.THEIRS: agreed.get("customer_name", "")}
        signers = tuple(f"{sig.signer_name} for {org[sig.side]}" if org[sig.side] else sig.signer_name
                        for sig in revision.signatures)
        result = dict(doc_id=doc_id, deal_ref=ref, revision=number, signers=signers, signed_at=revision.signed_at,
                      superseded=revision.status == "superseded")
        if snap.sha256_hex(pdf) == revision.pdf_sha256:
            later = " It has since been superseded by a later revision." if revision.status == "superseded" else ""
            return VerifyResult("genuine", f"Genuine: revision {number} of the agreement for {ref}, exactly as "
                                f"signed.{later}", **result)  # type: ignore[arg-type]
        return VerifyResult("altered", f"Altered: this file claims to be revision {number} of the agreement for "
                            f"{ref}, but its content differs from the signed copy on record.",
                            **result)  # type: ignore[arg-type]
