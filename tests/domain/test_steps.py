"""What the workspace's step bar tells a rep about a deal."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from salesdesk.domain.model import (
    ActionItem,
    ChecklistItem,
    Deal,
    DealLine,
    DealTerm,
    DiscoveryQuestion,
    Kickoff,
    Objection,
    Party,
    Side,
    SignOff,
    Stage,
    Verdict,
    WorkItem,
)
from salesdesk.domain.steps import STEPS, StepStatus, reached, step_states

TODAY = date(2026, 3, 2)


def deal(**changes: object) -> Deal:
    base = Deal(uid="d1", ref="D-2026-0001", title="Pumps", customer_uid="c1", customer_name="Acme",
                stage=Stage.DISCOVERY, owner_uid=None, version=1)
    return replace(base, **changes)  # type: ignore[arg-type]


def state(d: Deal, key: str) -> tuple[StepStatus, str]:
    found = {s.key: s for s in step_states(d, today=TODAY)}[key]
    return found.state, found.reason


def signoff(dept: str, verdict: Verdict = Verdict.FEASIBLE, *, current: bool = True) -> SignOff:
    return SignOff(uid=f"s-{dept}-{current}", department=dept, member_uid="m1", verdict=verdict, conditions="",
                   fingerprint="f", reviewed="{}", signed_at=datetime(2026, 3, 1, tzinfo=UTC), current=current)


def item(dept: str, *, mandatory: bool = False, answered: bool = False) -> ChecklistItem:
    from salesdesk.domain.model import Answer

    return ChecklistItem(uid=f"i-{dept}-{mandatory}", department=dept, question="Can we?", mandatory=mandatory,
                         answer=Answer.YES if answered else None)


def test_every_step_is_listed_in_workspace_order_with_a_reason() -> None:
    states = step_states(deal(), today=TODAY)
    assert [s.key for s in states] == [k for k, _ in STEPS]
    assert [s.title for s in states][0] == "Discovery" and states[-1].title == "History"
    assert all(s.reason.endswith(".") for s in states)


def test_a_new_deal_has_discovery_not_started_and_quote_blocked() -> None:
    d = deal()
    assert state(d, "discovery")[0] == StepStatus.NOT_STARTED
    status, reason = state(d, "quote")
    assert status == StepStatus.BLOCKED and "cleared" in reason
    assert state(d, "history")[0] == StepStatus.RECORD


def test_discovery_asks_for_the_clarified_need_once_something_is_written() -> None:
    status, reason = state(deal(needs_identified="Faster filling line"), "discovery")
    assert status == StepStatus.ATTENTION
    assert "need clarified" in reason


def test_discovery_counts_questions_still_without_an_answer() -> None:
    d = deal(needs_identified="a", needs_clarified="b",
             questions=(DiscoveryQuestion("q1", "Who decides?"), DiscoveryQuestion("q2", "Budget?", "Yes")))
    assert state(d, "discovery") == (StepStatus.ATTENTION, "1 probing question without an answer.")


def test_discovery_wants_a_response_to_every_objection() -> None:
    d = deal(needs_identified="a", needs_clarified="b", questions=(DiscoveryQuestion("q1", "Q", "A"),),
             objections=(Objection("o1", "Too expensive"),))
    assert state(d, "discovery") == (StepStatus.ATTENTION, "1 objection without a response.")


def test_discovery_is_done_when_need_questions_and_objections_are_covered() -> None:
    d = deal(needs_identified="a", needs_clarified="b",
             questions=(DiscoveryQuestion("q1", "Q", "A"), DiscoveryQuestion("q2", "Q2", "A2")),
             objections=(Objection("o1", "Too expensive", "Contingency explained"),))
    assert state(d, "discovery") == (StepStatus.DONE, "Need clarified; 2 questions answered.")


def test_feasibility_waits_for_departments_without_a_sign_off() -> None:
    d = deal(stage=Stage.FEASIBILITY, checklist=(item("Operations", answered=True), item("Engineering", answered=True)),
             signoffs=(signoff("Operations"),))
    assert state(d, "feasibility") == (StepStatus.ATTENTION, "Waiting for sign-off from Engineering.")


def test_feasibility_names_unanswered_mandatory_items() -> None:
    d = deal(stage=Stage.FEASIBILITY, checklist=(item("Operations", mandatory=True),))
    status, reason = state(d, "feasibility")
    assert status == StepStatus.ATTENTION and reason.startswith("1 mandatory item unanswered")


def test_a_not_feasible_sign_off_blocks_the_review_and_names_the_department() -> None:
    d = deal(stage=Stage.FEASIBILITY, checklist=(item("Engineering"),),
             signoffs=(signoff("Engineering", Verdict.NOT_FEASIBLE),))
    status, reason = state(d, "feasibility")
    assert status == StepStatus.BLOCKED and "Engineering" in reason


def test_a_declined_deal_shows_why() -> None:
    status, reason = state(deal(stage=Stage.DECLINED, decline_reason="no capacity in May"), "feasibility")
    assert status == StepStatus.BLOCKED and "no capacity in May" in reason


def test_a_stale_sign_off_needs_attention_until_signed_again() -> None:
    stale = deal(stage=Stage.CLEARED, checklist=(item("Operations"),), signoffs=(signoff("Operations", current=False),))
    status, reason = state(stale, "feasibility")
    assert status == StepStatus.ATTENTION and "Operations must sign again" in reason
    again = replace(stale, signoffs=(*stale.signoffs, signoff("Operations")))
    assert state(again, "feasibility")[0] == StepStatus.DONE


def test_schedule_flags_a_promise_later_than_the_request_until_the_gap_is_handled() -> None:
    from salesdesk.domain.model import GapHandling

    w = WorkItem("w1", "Operations", "Build", Decimal("3"))
    d = deal(work_items=(w,), promised_date=date(2026, 4, 10), requested_date=date(2026, 4, 1))
    status, reason = state(d, "schedule")
    assert status == StepStatus.ATTENTION and "10 Apr 2026" in reason and "1 Apr 2026" in reason
    handled = replace(d, gap_handling=GapHandling.LATER_DATE_ACCEPTED)
    assert state(handled, "schedule") == (StepStatus.DONE, "Promised for 10 Apr 2026 (padded).")


def test_quote_opens_when_cleared_and_asks_for_lines() -> None:
    cleared = deal(stage=Stage.CLEARED)
    assert state(cleared, "quote") == (StepStatus.ATTENTION, "Cleared: add the quote lines.")
    with_lines = replace(cleared, lines=(DealLine("l1", "Pump", Decimal("2"), Decimal("100")),))
    assert state(with_lines, "quote")[0] == StepStatus.IN_PROGRESS
    assert state(replace(cleared, stage=Stage.QUOTED), "quote")[0] == StepStatus.DONE


def test_action_plan_wants_parties_on_both_sides_and_dated_items() -> None:
    ours = Party("p1", Side.OURS, "Delivery")
    theirs = Party("p2", Side.THEIRS, "Receiving")
    assert "customer's side" in state(deal(parties=(ours,)), "action_plan")[1]
    undated = deal(parties=(ours, theirs), action_items=(ActionItem("a1", Side.OURS, "Ship"),))
    assert state(undated, "action_plan") == (StepStatus.ATTENTION, "1 action item without a date.")
    dated = replace(undated, action_items=(ActionItem("a1", Side.OURS, "Ship", due_fixed=date(2026, 5, 1)),))
    assert state(dated, "action_plan")[0] == StepStatus.DONE


def test_a_non_standard_term_needs_an_approver() -> None:
    d = deal(terms=(DealTerm("t1", "Payment in 90 days", "…", non_standard=True),))
    assert state(d, "terms") == (StepStatus.ATTENTION, "1 non-standard term without an approver.")


def test_an_agreed_deal_asks_for_the_kickoff_and_counts_terms_to_acknowledge() -> None:
    d = deal(stage=Stage.AGREED, terms=(DealTerm("t1", "90 days", "…", non_standard=True, approved_by="m1"),))
    assert state(d, "agreement")[0] == StepStatus.DONE
    status, reason = state(d, "kickoff")
    assert status == StepStatus.ATTENTION and "1 non-standard term to acknowledge" in reason
    held = replace(d, kickoff=Kickoff("k1", date(2026, 3, 1), ("Ana",), ("Bob",)))
    assert state(held, "kickoff") == (StepStatus.DONE, "Kickoff held on 1 Mar 2026.")


def test_delivery_counts_overdue_items_once_kicked_off() -> None:
    d = deal(stage=Stage.DELIVERING,
             action_items=(ActionItem("a1", Side.THEIRS, "Clear the floor", due_fixed=date(2026, 2, 1)),))
    assert state(d, "delivery") == (StepStatus.ATTENTION, "Overdue: 1 action item.")
    assert state(deal(stage=Stage.DELIVERED), "delivery")[0] == StepStatus.DONE


@pytest.mark.parametrize(
    ("stage", "expected"),
    [(Stage.DISCOVERY, False), (Stage.CLEARED, True), (Stage.DELIVERED, True), (Stage.DECLINED, False),
     (Stage.LOST, False)],
)
def test_reached_follows_the_deal_s_way(stage: Stage, expected: bool) -> None:
    assert reached(deal(stage=stage), Stage.CLEARED) is expected
