"""The deal workspace's steps and, for each, how far along it is and why.

``step_states(deal)`` answers the question a rep asks when opening a deal: what is done, what is
stuck, what needs me now. Each answer carries a one-line reason the workspace shows as text and
tooltip. Pure Python, so it is tested without a screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from salesdesk.domain.model import Deal, ItemStatus, Side, Stage, Verdict


class StepStatus(StrEnum):
    DONE = "done"
    IN_PROGRESS = "in_progress"
    ATTENTION = "attention"
    BLOCKED = "blocked"
    NOT_STARTED = "not_started"
    RECORD = "record"  # History: nothing to finish, always there to read


@dataclass(frozen=True, slots=True)
class StepState:
    key: str
    title: str
    state: StepStatus
    reason: str


#: The workspace's steps in the order a deal goes through them.
STEPS: tuple[tuple[str, str], ...] = (
    ("discovery", "Discovery"),
    ("feasibility", "Feasibility"),
    ("schedule", "Schedule"),
    ("quote", "Quote"),
    ("action_plan", "Action plan & parties"),
    ("terms", "Terms"),
    ("agreement", "Agreement & signatures"),
    ("kickoff", "Kickoff"),
    ("delivery", "Delivery & breakdowns"),
    ("history", "History"),
)

_ORDER = (
    Stage.DISCOVERY, Stage.FEASIBILITY, Stage.CLEARED, Stage.QUOTED, Stage.AGREED,
    Stage.KICKED_OFF, Stage.DELIVERING, Stage.DELIVERED,
)


def reached(deal: Deal, stage: Stage) -> bool:
    """True once the deal is at ``stage`` or beyond it (declined and lost deals reach nothing further)."""
    if deal.stage in (Stage.DECLINED, Stage.LOST):
        return False
    return _ORDER.index(deal.stage) >= _ORDER.index(stage)


def _day(d: date) -> str:
    """A date as a rep writes it, e.g. "3 Dec 2026" (English month names, whatever the locale)."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _discovery(deal: Deal, today: date) -> tuple[StepStatus, str]:
    missing = []
    if not deal.needs_identified.strip():
        missing.append("the need identified")
    if not deal.needs_clarified.strip():
        missing.append("the need clarified")
    unanswered = sum(1 for q in deal.questions if not q.answer.strip())
    unanswered_objections = sum(1 for o in deal.objections if not o.response.strip())
    filled = bool(deal.questions or deal.objections) or any(
        getattr(deal, f).strip()
        for f in ("needs_identified", "needs_clarified", "existing_technology", "customer_abilities",
                  "training_recommendation", "break_in_period", "inclusions", "exclusions")
    )
    if not filled:
        return StepStatus.NOT_STARTED, "Nothing recorded yet: start with the customer's need."
    if missing:
        return StepStatus.ATTENTION, f"Still to write: {' and '.join(missing)}."
    if unanswered:
        return StepStatus.ATTENTION, f"{_plural(unanswered, 'probing question')} without an answer."
    if unanswered_objections:
        return StepStatus.ATTENTION, f"{_plural(unanswered_objections, 'objection')} without a response."
    if not deal.questions:
        return StepStatus.IN_PROGRESS, "Need recorded; no probing questions asked yet."
    return StepStatus.DONE, f"Need clarified; {_plural(len(deal.questions), 'question')} answered."


def _feasibility(deal: Deal, today: date) -> tuple[StepStatus, str]:
    departments = sorted({i.department for i in deal.checklist})
    current = {s.department: s for s in deal.signoffs if s.current}
    refused = [d for d, s in current.items() if s.verdict == Verdict.NOT_FEASIBLE]
    if deal.stage == Stage.DECLINED or refused:
        who = ", ".join(refused) if refused else "The team"
        return StepStatus.BLOCKED, f"{who} said it cannot be done{': ' + deal.decline_reason if deal.decline_reason else ''}."
    stale = sorted({s.department for s in deal.signoffs if not s.current} - set(current))
    if stale:
        return StepStatus.ATTENTION, f"Sign-off out of date after a change: {', '.join(stale)} must sign again."
    if reached(deal, Stage.CLEARED):
        return StepStatus.DONE, "Cleared: every department signed off."
    if not departments:
        return StepStatus.NOT_STARTED, "No checklist yet."
    open_mandatory = sum(1 for i in deal.checklist if i.mandatory and i.answer is None)
    waiting = [d for d in departments if d not in current]
    if deal.stage == Stage.DISCOVERY and not current and not any(i.answer for i in deal.checklist):
        return StepStatus.NOT_STARTED, f"Checklist ready for {_plural(len(departments), 'department')}; review not started."
    if open_mandatory:
        return StepStatus.ATTENTION, f"{_plural(open_mandatory, 'mandatory item')} unanswered; waiting for {', '.join(waiting)}."
    if waiting:
        return StepStatus.ATTENTION, f"Waiting for sign-off from {', '.join(waiting)}."
    return StepStatus.IN_PROGRESS, "Every department signed off; the deal can be cleared."


def _schedule(deal: Deal, today: date) -> tuple[StepStatus, str]:
    if not deal.work_items:
        return StepStatus.NOT_STARTED, "No work items estimated yet."
    if deal.promised_date is None:
        return StepStatus.ATTENTION, f"{_plural(len(deal.work_items), 'work item')}, but no promised date yet."
    requested = deal.requested_date
    if requested is not None and deal.promised_date > requested and deal.gap_handling is None:
        return StepStatus.ATTENTION, (
            f"Promised {_day(deal.promised_date)} is after the requested {_day(requested)}: "
            "agree a later date or change the scope."
        )
    return StepStatus.DONE, f"Promised for {_day(deal.promised_date)} (padded)."


def _quote(deal: Deal, today: date) -> tuple[StepStatus, str]:
    if reached(deal, Stage.QUOTED):
        return StepStatus.DONE, "Quoted."
    if deal.stage == Stage.LOST:
        return StepStatus.BLOCKED, "The deal was lost."
    if not reached(deal, Stage.CLEARED):
        return StepStatus.BLOCKED, "Only a cleared deal can be quoted: the feasibility review comes first."
    if not deal.lines:
        return StepStatus.ATTENTION, "Cleared: add the quote lines."
    return StepStatus.IN_PROGRESS, f"{_plural(len(deal.lines), 'line')} ready to quote."


def _action_plan(deal: Deal, today: date) -> tuple[StepStatus, str]:
    if not deal.parties and not deal.action_items:
        return StepStatus.NOT_STARTED, "No parties or action items yet."
    sides = {p.side for p in deal.parties}
    if Side.OURS not in sides or Side.THEIRS not in sides:
        missing = "our side" if Side.OURS not in sides else "the customer's side"
        return StepStatus.ATTENTION, f"No party named on {missing}."
    undated = sum(1 for a in deal.action_items if a.due_fixed is None and a.due_work_item_uid is None)
    if undated:
        return StepStatus.ATTENTION, f"{_plural(undated, 'action item')} without a date."
    if not deal.action_items:
        return StepStatus.ATTENTION, "Parties named; say who does what by when."
    return StepStatus.DONE, f"{_plural(len(deal.parties), 'party', 'parties')}, {_plural(len(deal.action_items), 'action item')}."


def _terms(deal: Deal, today: date) -> tuple[StepStatus, str]:
    if not deal.terms:
        return StepStatus.NOT_STARTED, "No terms yet."
    unapproved = sum(1 for t in deal.terms if t.non_standard and not t.approved_by)
    if unapproved:
        return StepStatus.ATTENTION, f"{_plural(unapproved, 'non-standard term')} without an approver."
    special = sum(1 for t in deal.terms if t.non_standard)
    return StepStatus.DONE, f"{_plural(len(deal.terms), 'term')}, {special} non-standard."


def _agreement(deal: Deal, today: date) -> tuple[StepStatus, str]:
    if reached(deal, Stage.AGREED):
        return StepStatus.DONE, "Signed by both sides."
    if deal.stage == Stage.QUOTED:
        return StepStatus.ATTENTION, "Quoted: print the agreement and get it signed."
    return StepStatus.BLOCKED, "The agreement follows the quote."


def _kickoff(deal: Deal, today: date) -> tuple[StepStatus, str]:
    if deal.kickoff is not None or reached(deal, Stage.KICKED_OFF):
        held = f" on {_day(deal.kickoff.held_on)}" if deal.kickoff else ""
        return StepStatus.DONE, f"Kickoff held{held}."
    first = deal.first_shipment_date
    if first is not None and first <= today and reached(deal, Stage.QUOTED):
        return StepStatus.ATTENTION, f"First shipment {_day(first)} and no kickoff recorded."
    unacknowledged = sum(1 for t in deal.terms if t.non_standard and not t.acknowledged_by)
    if reached(deal, Stage.AGREED):
        extra = f"; {_plural(unacknowledged, 'non-standard term')} to acknowledge" if unacknowledged else ""
        return StepStatus.ATTENTION, f"Hold the kickoff before the first shipment{extra}."
    return StepStatus.NOT_STARTED, "Held once the agreement is signed, before the first shipment."


def _delivery(deal: Deal, today: date) -> tuple[StepStatus, str]:
    if deal.stage == Stage.DELIVERED:
        return StepStatus.DONE, f"Delivered; {_plural(len(deal.breakdowns), 'breakdown')} logged."
    overdue_items = sum(
        1 for a in deal.action_items
        if a.status != ItemStatus.DONE and a.due_fixed is not None and a.due_fixed < today
    )
    overdue_work = sum(
        1 for w in deal.work_items
        if w.status != ItemStatus.DONE and w.promised_due is not None and w.promised_due < today
    )
    if reached(deal, Stage.KICKED_OFF) and (overdue_items or overdue_work):
        parts = [p for p in (overdue_items and _plural(overdue_items, "action item"),
                             overdue_work and _plural(overdue_work, "work item")) if p]
        return StepStatus.ATTENTION, f"Overdue: {' and '.join(parts)}."
    if reached(deal, Stage.KICKED_OFF):
        done = sum(1 for w in deal.work_items if w.status == ItemStatus.DONE)
        return StepStatus.IN_PROGRESS, f"{done} of {_plural(len(deal.work_items), 'work item')} done."
    return StepStatus.NOT_STARTED, "Starts after the kickoff."


def _history(deal: Deal, today: date) -> tuple[StepStatus, str]:
    return StepStatus.RECORD, "Every change to this deal: when, who, what."


_RULES: dict[str, Callable[[Deal, date], tuple[StepStatus, str]]] = {
    "discovery": _discovery,
    "feasibility": _feasibility,
    "schedule": _schedule,
    "quote": _quote,
    "action_plan": _action_plan,
    "terms": _terms,
    "agreement": _agreement,
    "kickoff": _kickoff,
    "delivery": _delivery,
    "history": _history,
}


def step_states(deal: Deal, *, today: date | None = None) -> list[StepState]:
    """Every step of the deal, in order, with its state and the reason for it."""
    day = today or date.today()
    result = []
    for key, title in STEPS:
        state, reason = _RULES[key](deal, day)
        result.append(StepState(key, title, state, reason))
    return result
