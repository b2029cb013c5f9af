"""The gate: who must sign off, when a sign-off is stale, when a deal is cleared, and what it says."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from salesdesk.domain.feasibility import (
    gate,
    gate_message,
    involved_departments,
    reconcile,
    signoff_status,
)
from salesdesk.domain.fingerprint import fingerprint, reviewed_form
from salesdesk.domain.model import (
    Answer,
    ChecklistItem,
    Deal,
    DealLine,
    GapHandling,
    SignOff,
    Stage,
    Verdict,
    WorkItem,
)

AT = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)


def deal(**changes: object) -> Deal:
    base = Deal(
        uid="deal-1", ref="D-2026-0001", title="Pump station", customer_uid="c-1", customer_name="Acme",
        stage=Stage.FEASIBILITY, owner_uid=None, version=1, requested_date=date(2026, 12, 1),
        lines=(DealLine("l1", "Pump", Decimal(2), Decimal(1500)),),
        checklist=(
            ChecklistItem("c1", "Engineering", "Is the technical information complete?", mandatory=True,
                          answer=Answer.YES),
            ChecklistItem("c2", "Shipping/Receiving", "Can shipping meet the window?", mandatory=True,
                          answer=Answer.YES),
            ChecklistItem("c3", "Accounting", "Credit ok?", mandatory=False),
        ),
        work_items=(
            WorkItem("w1", "Engineering", "Design", Decimal(3)),
            WorkItem("w2", "Shipping/Receiving", "Install", Decimal(3), ("w1",)),
        ),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def signed(d: Deal, department: str, verdict: Verdict = Verdict.FEASIBLE, conditions: str = "") -> Deal:
    s = SignOff(f"s-{department}-{len(d.signoffs)}", department, "m-1", verdict, conditions, fingerprint(d),
                reviewed_form(d), AT)
    return replace(d, signoffs=(*d.signoffs, s))


def all_signed(d: Deal) -> Deal:
    for department in involved_departments(d):
        d = signed(d, department)
    return d


def test_every_department_with_checklist_items_or_work_items_is_involved_in_order() -> None:
    d = deal(work_items=(*deal().work_items, WorkItem("w3", "Operations", "Commission", Decimal(1))))
    assert involved_departments(d) == ("Engineering", "Shipping/Receiving", "Accounting", "Operations")


def test_a_deal_is_cleared_when_everyone_involved_signed_fresh_and_mandatory_items_are_answered() -> None:
    result = gate(all_signed(deal()))
    assert result.cleared
    assert gate_message(result) == (
        "Cleared: every department involved has signed off and every mandatory item is answered."
    )


def test_feasible_with_conditions_clears_too() -> None:
    d = signed(signed(deal(), "Engineering"), "Shipping/Receiving", Verdict.FEASIBLE_WITH_CONDITIONS, "dock free")
    assert gate(signed(d, "Accounting")).cleared


def test_the_gate_names_who_has_not_signed_and_which_mandatory_items_are_open() -> None:
    d = deal(checklist=(replace(deal().checklist[0], answer=None), replace(deal().checklist[1], answer=None),
                        deal().checklist[2]))
    d = signed(d, "Accounting")
    result = gate(d)
    assert not result.cleared
    assert result.missing_departments == ("Engineering", "Shipping/Receiving")
    assert result.unanswered_mandatory == ("Is the technical information complete?", "Can shipping meet the window?")
    assert gate_message(result) == (
        "Not cleared: Engineering and Shipping/Receiving have not signed off; 2 mandatory items unanswered: "
        "'Is the technical information complete?' and 'Can shipping meet the window?'. Ask them to review."
    )


def test_a_change_after_signing_makes_the_sign_off_stale_and_the_message_says_why() -> None:
    d = all_signed(deal())
    later = replace(d, work_items=(d.work_items[0], replace(d.work_items[1], raw_days=Decimal(5))))
    result = gate(later)
    assert not result.cleared
    assert result.stale_departments == ("Engineering", "Shipping/Receiving", "Accounting")
    status = {s.department: s for s in signoff_status(later)}
    assert status["Shipping/Receiving"].stale
    assert status["Shipping/Receiving"].what_changed == ("work item 'Install' raw days 3 → 5",)
    assert "Shipping/Receiving's sign-off is stale (work item 'Install' raw days 3 → 5)" in gate_message(result)
    assert gate_message(result).endswith("Ask them to review.")


def test_a_department_ending_in_s_gets_a_plain_apostrophe() -> None:
    d = all_signed(deal(work_items=(WorkItem("w1", "Operations", "Build", Decimal(3)),)))
    later = replace(d, requested_date=date(2026, 11, 20))
    assert "Operations' sign-off is stale (requested date 2026-12-01 → 2026-11-20)" in gate_message(gate(later))


def test_a_fresh_sign_off_replaces_a_stale_one() -> None:
    d = all_signed(deal())
    later = replace(d, requested_date=date(2026, 11, 20))
    superseded = tuple(replace(s, current=False) for s in later.signoffs)
    again = all_signed(replace(later, signoffs=superseded))
    assert gate(again).cleared


def test_not_feasible_keeps_the_deal_from_clearing_and_the_hint_is_to_change_the_scope() -> None:
    d = signed(signed(deal(), "Engineering"), "Accounting")
    d = signed(d, "Shipping/Receiving", Verdict.NOT_FEASIBLE, "no crane on site")
    result = gate(d)
    assert result.not_feasible == ("Shipping/Receiving",)
    assert gate_message(result) == (
        "Not cleared: Shipping/Receiving said it is not feasible (no crane on site). "
        "Change the scope and ask again, or tell the customer no."
    )


def test_a_deal_with_nothing_to_review_is_not_cleared() -> None:
    result = gate(deal(checklist=(), work_items=()))
    assert not result.cleared and result.nothing_to_review
    assert "nothing for the departments to review" in gate_message(result)


def test_long_lists_are_cut_with_a_count_of_the_rest() -> None:
    items = tuple(ChecklistItem(f"c{i}", "Engineering", f"Question {i}", mandatory=True) for i in range(6))
    message = gate_message(gate(deal(checklist=items, work_items=())))
    assert "6 mandatory items unanswered: 'Question 0', 'Question 1', 'Question 2' and 3 more questions." in message


def test_reconcile_moves_between_review_cleared_and_quoted_only() -> None:
    d = all_signed(deal())
    assert reconcile(d).stage is Stage.CLEARED
    cleared = replace(d, stage=Stage.CLEARED)
    changed = replace(cleared, lines=(replace(cleared.lines[0], quantity=Decimal(3)),))
    assert reconcile(changed).stage is Stage.FEASIBILITY
    # A quote no longer holds once a sign-off behind it went stale.
    assert reconcile(replace(changed, stage=Stage.QUOTED)).stage is Stage.FEASIBILITY
    assert reconcile(replace(cleared, stage=Stage.QUOTED)).stage is Stage.QUOTED
    for stage in (Stage.DISCOVERY, Stage.DECLINED, Stage.AGREED):
        assert reconcile(replace(changed, stage=stage)).stage is stage


def test_an_override_promises_the_requested_date_while_the_promise_is_open() -> None:
    d = deal(promised_date=date(2026, 12, 10), gap_handling=GapHandling.OVERRIDE, gap_reason="the MD agreed")
    assert reconcile(d).promised_date == date(2026, 12, 1)
    assert reconcile(replace(d, stage=Stage.QUOTED)).promised_date == date(2026, 12, 10)
    assert reconcile(replace(d, gap_handling=GapHandling.LATER_DATE_ACCEPTED)).promised_date == date(2026, 12, 10)
