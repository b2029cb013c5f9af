"""The feasibility rules: who must sign off, whose sign-off is stale, and whether a deal is cleared.

A deal is cleared when every involved department (one with checklist items or work items) has a
current sign-off that is feasible or feasible with conditions and not stale, and every mandatory
checklist item is answered. Pure functions over a ``Deal``: no store, no Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from salesdesk.domain.fingerprint import fingerprint, shorten, what_changed
from salesdesk.domain.model import Deal, GapHandling, SignOff, Stage, Verdict

#: Verdicts that let a deal through the gate.
CLEARING_VERDICTS = frozenset({Verdict.FEASIBLE, Verdict.FEASIBLE_WITH_CONDITIONS})

VERDICT_WORDS: dict[Verdict, str] = {
    Verdict.FEASIBLE: "feasible",
    Verdict.FEASIBLE_WITH_CONDITIONS: "feasible with conditions",
    Verdict.NOT_FEASIBLE: "not feasible",
}

#: Stages in which the review is still open: answers and sign-offs can be given.
REVIEW_STAGES = frozenset({Stage.DISCOVERY, Stage.FEASIBILITY, Stage.CLEARED, Stage.DECLINED})

#: How many reasons a message names before it says "and N more".
_REASONS_SHOWN = 3


@dataclass(frozen=True, slots=True)
class DepartmentStatus:
    """Where one involved department stands: its current sign-off, whether it is stale and why."""

    department: str
    current_signoff: SignOff | None
    stale: bool
    what_changed: tuple[str, ...]
    open_mandatory: tuple[str, ...]  # this department's mandatory questions still unanswered

    @property
    def verdict(self) -> Verdict | None:
        return self.current_signoff.verdict if self.current_signoff else None

    @property
    def clears(self) -> bool:
        """True when this department lets the deal through."""
        return self.verdict in CLEARING_VERDICTS and not self.stale and not self.open_mandatory


@dataclass(frozen=True, slots=True)
class GateResult:
    """Whether the deal may be promised, and if not, who and what is missing."""

    cleared: bool
    missing_departments: tuple[str, ...]
    stale_departments: tuple[str, ...]
    unanswered_mandatory: tuple[str, ...]  # questions
    not_feasible: tuple[str, ...]  # departments whose current, fresh verdict is "not feasible"
    departments: tuple[DepartmentStatus, ...] = ()
    nothing_to_review: bool = False

    def status_of(self, department: str) -> DepartmentStatus | None:
        return next((d for d in self.departments if d.department == department), None)


def involved_departments(deal: Deal) -> tuple[str, ...]:
    """Every department with checklist items or work items, in the order they first appear."""
    seen: dict[str, None] = {}
    for item in deal.checklist:
        seen.setdefault(item.department, None)
    for work in deal.work_items:
        seen.setdefault(work.department, None)
    return tuple(seen)


def current_signoff(deal: Deal, department: str) -> SignOff | None:
    """The department's sign-off in force (the latest current one), if any."""
    found = [s for s in deal.signoffs if s.department == department and s.current]
    return max(found, key=lambda s: s.signed_at) if found else None


def open_mandatory(deal: Deal, department: str | None = None) -> tuple[str, ...]:
    """Mandatory questions not answered yet, of one department or of all."""
    return tuple(
        item.question
        for item in deal.checklist
        if item.mandatory and item.answer is None and (department is None or item.department == department)
    )


def signoff_status(deal: Deal) -> list[DepartmentStatus]:
    """One status per involved department, in the order of ``involved_departments``."""
    now = fingerprint(deal)
    statuses = []
    for department in involved_departments(deal):
        signoff = current_signoff(deal, department)
        stale = signoff is not None and signoff.fingerprint != now
        statuses.append(
            DepartmentStatus(
                department=department,
                current_signoff=signoff,
                stale=stale,
                what_changed=tuple(what_changed(signoff.reviewed, deal)) if signoff and stale else (),
                open_mandatory=open_mandatory(deal, department),
            )
        )
    return statuses


def gate(deal: Deal) -> GateResult:
    """May ``deal`` be promised? Every involved department signed, fresh, and no mandatory gaps."""
    statuses = tuple(signoff_status(deal))
    missing = tuple(s.department for s in statuses if s.current_signoff is None)
    stale = tuple(s.department for s in statuses if s.stale)
    refused = tuple(s.department for s in statuses if not s.stale and s.verdict is Verdict.NOT_FEASIBLE)
    unanswered = open_mandatory(deal)
    nothing = not statuses
    return GateResult(
        cleared=not (nothing or missing or stale or refused or unanswered),
        missing_departments=missing,
        stale_departments=stale,
        unanswered_mandatory=unanswered,
        not_feasible=refused,
        departments=statuses,
        nothing_to_review=nothing,
    )


def and_list(names: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def first_few(items: Sequence[str], what: str) -> str:
    """The first few ``items`` and "N more ``what``s" for the rest."""
    shown = list(items[:_REASONS_SHOWN])
    hidden = len(items) - len(shown)
    if hidden:
        shown.append(f"{hidden} more {what}{'s' if hidden != 1 else ''}")
    return and_list(shown)


def possessive(name: str) -> str:
    """``Engineering's``, ``Operations'``."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def quoted(text: str, limit: int = 60) -> str:
    """``'text'`` on one line, shortened at a word boundary past ``limit`` characters."""
    return f"'{shorten(text, limit)}'"


def gate_message(result: GateResult) -> str:
    """The gate's answer in a sentence or two, saying who has to do what.

    E.g. "Not cleared: Engineering has not signed off; Shipping/Receiving's sign-off is stale
    (work item 'Install' raw days 3 → 5); 2 mandatory items unanswered: …. Ask them to review."
    """
    if result.cleared:
        return "Cleared: every department involved has signed off and every mandatory item is answered."
    if result.nothing_to_review:
        return (
            "Not cleared: there is nothing for the departments to review yet (no checklist items and no "
            "work items). Add the checklist and the work items, then ask for a feasibility review."
        )
    parts: list[str] = []
    if result.missing_departments:
        verb = "has" if len(result.missing_departments) == 1 else "have"
        parts.append(f"{and_list(result.missing_departments)} {verb} not signed off")
    for department in result.stale_departments:
        status = result.status_of(department)
        reasons = first_few(status.what_changed, "change") if status else ""
        parts.append(f"{possessive(department)} sign-off is stale" + (f" ({reasons})" if reasons else ""))
    for department in result.not_feasible:
        status = result.status_of(department)
        why = status.current_signoff.conditions.strip() if status and status.current_signoff else ""
        parts.append(f"{department} said it is not feasible" + (f" ({why})" if why else ""))
    if result.unanswered_mandatory:
        count = len(result.unanswered_mandatory)
        questions = first_few([quoted(q) for q in result.unanswered_mandatory], "question")
        parts.append(f"{count} mandatory item{'s' if count != 1 else ''} unanswered: {questions}")
    hint = "Ask them to review."
    if result.not_feasible and not (result.missing_departments or result.stale_departments
                                    or result.unanswered_mandatory):
        hint = "Change the scope and ask again, or tell the customer no."
    return f"Not cleared: {'; '.join(parts)}. {hint}"


def reconcile(deal: Deal) -> Deal:
    """Keep the stage and promise in line with the rules after any change to the deal.

    A deal in review whose gate passes is Cleared; a Cleared or Quoted deal whose gate no longer
    passes (a sign-off went stale) goes back to Feasibility review. While the promise is still open, an
    override of the requested date makes it the promised date (the rep gave a reason for it).
    """
    requested, promised = deal.requested_date, deal.promised_date
    overridden = deal.stage in REVIEW_STAGES and deal.gap_handling is GapHandling.OVERRIDE
    if overridden and requested and promised and requested < promised:
        deal = replace(deal, promised_date=requested)
    if deal.stage in (Stage.FEASIBILITY, Stage.CLEARED, Stage.QUOTED):
        cleared = gate(deal).cleared
        # A quote stands on the sign-offs: once one goes stale the quote no longer holds either.
        if deal.stage in (Stage.CLEARED, Stage.QUOTED) and not cleared:
            deal = replace(deal, stage=Stage.FEASIBILITY)
        elif deal.stage is Stage.FEASIBILITY and cleared:
            deal = replace(deal, stage=Stage.CLEARED)
    return deal
