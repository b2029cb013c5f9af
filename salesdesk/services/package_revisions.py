"""Merging a package's agreement revisions: a signed revision is a fact, added and never altered.

Signed (and superseded) revisions are compared by their hashes and signatures: the same revision
may only go from signed to superseded (as ``store/guards.py`` allows). A local draft takes the
package's content — or gives way to a signed revision of the same number; two different signed
revisions of one number are a conflict a person settles. Document numbers are each computer's
own names, so one already used here gets the suffix the agreement service gives such numbers.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from salesdesk.domain.errors import ConflictError, ValidationError
from salesdesk.domain.model import AgreementRevision, Signature
from salesdesk.services.context import Context
from salesdesk.services.package_format import SIGNED_STATUSES, RevisionWithPdf
from salesdesk.store.mapping import Lookup
from salesdesk.store.schema import AgreementRevisionRow, DealRowORM, SignatureRow

#: (what to do, the package's revision, the local revision it concerns)
Op = tuple[str, RevisionWithPdf, AgreementRevisionRow | None]


def _refuse(message: str, hint: str = "Nothing was imported.") -> ValidationError:
    return ValidationError(f"This deal package cannot be imported: {message}", hint)


class RevisionMerge:
    """The package's revisions against one deal's revisions here."""

    def __init__(self, ctx: Context, s: Session, deal_ref: str, revisions: tuple[RevisionWithPdf, ...]) -> None:
        self.ctx, self.s, self.deal_ref, self.revisions = ctx, s, deal_ref, revisions

    def plan(self, row: DealRowORM | None, mode: str) -> list[Op]:
        """What to do with each package revision: ("add" | "drop" | "sign" | "update" | "supersede",
        revision, local row)."""
        local = {r.uid: r for r in row.revisions} if row is not None else {}
        numbers = {r.number: r for r in row.revisions} if row is not None else {}
        ops: list[Op] = []
        for item in self.revisions:
            rev = item.revision
            mine = local.get(rev.uid)
            if mine is None:
                if self.s.scalar(select(AgreementRevisionRow.deal_id).where(AgreementRevisionRow.uid == rev.uid)):
                    if mode == "copy":
                        continue  # already recorded here: it stays with its deal
                    raise _refuse(f"agreement revision {rev.number} ({rev.doc_id}) belongs to another deal here.")
                clash = numbers.get(rev.number) if mode != "copy" else None
                if clash is not None:
                    if clash.status in SIGNED_STATUSES:
                        raise ConflictError(
                            f"{self.deal_ref}: this computer and the package each hold a different signed "
                            f"agreement revision {rev.number}.",
                            "Nothing was imported. Import the package as a separate copy, then sort out which "
                            "revision is the valid one.",
                            fields=[f"agreement revision {rev.number}"],
                        )
                    if rev.status not in SIGNED_STATUSES and mode != "update":
                        continue  # two drafts: this computer's stays
                    ops.append(("drop", item, clash))  # an unsigned draft gives way; it can be prepared again
                self.check_signatures(rev)
                ops.append(("add", self._with_free_doc_id(item, clash.doc_id if clash else None), None))
            elif mode == "copy":
                continue
            elif mine.status in SIGNED_STATUSES:
                # The document number may differ: it is this computer's name for the revision.
                if (mine.number, mine.snapshot_sha256, mine.pdf_sha256) != (
                        rev.number, rev.snapshot_sha256, rev.pdf_sha256) \
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

    def _with_free_doc_id(self, item: RevisionWithPdf, freed: str | None) -> RevisionWithPdf:
        """The revision under a document number free here. Two computers number their own deals'
        revisions alike (A-2026-0001-R1), so a revision of another computer's deal may need the
        same suffix the agreement service gives such numbers."""
        rev = item.revision
        for doc_id in (rev.doc_id, f"{rev.doc_id}-{rev.uid[:8]}"[:80]):
            taken = self.s.scalar(select(AgreementRevisionRow.id).where(AgreementRevisionRow.doc_id == doc_id))
            if taken is None or doc_id == freed:
                return item if doc_id == rev.doc_id else RevisionWithPdf(replace(rev, doc_id=doc_id), item.pdf)
        raise _refuse(f"agreement revision {rev.number} carries a document number ({rev.doc_id}) already used here.")

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

    def write(self, row: DealRowORM, ops: list[Op], lookup: Lookup) -> int:
        """Carry out ``plan``; returns how many revisions were added."""
        added = 0
        for op, _item, mine in ops:
            if op == "drop" and mine is not None:
                row.revisions.remove(mine)
                self.s.delete(mine)
                self.ctx.audit(self.s, entity="agreement_revision", entity_uid=mine.uid, deal_uid=row.uid,
                               action="remove", old=f"draft revision {mine.number} ({mine.doc_id})",
                               new="replaced by the revision of the same number from a deal package")
        self.s.flush()  # the draft's number is free before the package's revision takes it
        for op, item, mine in ops:
            rev = item.revision
            if op == "drop":
                continue
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
        if r.doc_id is None:  # a local draft keeps this computer's document number
            r.doc_id = rev.doc_id
        r.number, r.status = rev.number, rev.status
        r.snapshot_json, r.snapshot_sha256, r.pdf_sha256 = rev.snapshot_json, rev.snapshot_sha256, rev.pdf_sha256
        r.pdf, r.created_at, r.signed_at = item.pdf, rev.created_at, rev.signed_at
        r.signatures = [_signature_row(sig, rev, lookup) for sig in rev.signatures]


def _signature_row(sig: Signature, rev: AgreementRevision, lookup: Lookup) -> SignatureRow:
    return SignatureRow(
        uid=sig.uid, side=sig.side.value, signer_name=sig.signer_name, member_id=lookup.member_id(sig.member_uid),
        contact_id=lookup.contact_id(sig.contact_uid), method=sig.method, signed_on=sig.signed_on,
        image_png=sig.image_png, scan=sig.scan, recorded_at=sig.recorded_at or rev.signed_at or rev.created_at,
    )
