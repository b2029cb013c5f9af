"""What an import does to a deal as a value: map the team, make a separate copy, merge sign-offs.

Pure functions on domain values; ``package_import`` stores their results.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace

from salesdesk.domain.errors import ValidationError
from salesdesk.domain.model import Deal, SignOff
from salesdesk.services.feasibility import condition_term_uid
from salesdesk.services.package_format import RevisionWithPdf


def with_members(deal: Deal, m: Mapping[str, str]) -> Deal:
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


def fresh_copy(deal: Deal, uid: str, ref: str) -> Deal:
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


def check_signoffs_kept(ours: tuple[SignOff, ...], theirs: tuple[SignOff, ...]) -> None:
    """A sign-off is a department's word: the package may add sign-offs, never reword one."""
    mine = {s.uid: s for s in ours}
    for s in theirs:
        local = mine.get(s.uid)
        if local is not None and replace(local, current=True) != replace(s, current=True):
            raise ValidationError(
                f"This deal package cannot be imported: it changes {s.department}'s sign-off of "
                f"{s.signed_at.date().isoformat()}.",
                "A sign-off is never changed. Nothing was imported; check where the package came from.",
            )


def revisions_with_members(revisions: tuple[RevisionWithPdf, ...],
                           m: Mapping[str, str]) -> tuple[RevisionWithPdf, ...]:
    """The revisions with their signers' team member uids mapped through ``m``."""
    return tuple(
        RevisionWithPdf(replace(r.revision, signatures=tuple(
            replace(s, member_uid=m.get(s.member_uid, s.member_uid) if s.member_uid else None)
            for s in r.revision.signatures)), r.pdf)
        for r in revisions
    )
