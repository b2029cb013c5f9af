"""What a sign-off covers: the canonical form, its fingerprint, and what changed since."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from salesdesk.domain.fingerprint import fingerprint, reviewed_form, what_changed
from salesdesk.domain.model import (
    Answer,
    ChecklistItem,
    Deal,
    DealLine,
    DealTerm,
    GapHandling,
    Stage,
    WorkItem,
)

SHIPPING_Q = "Can shipping meet the requested delivery window and the customer's receiving hours?"


def deal() -> Deal:
    return Deal(
        uid="deal-1", ref="D-2026-0001", title="Pump station", customer_uid="c-1", customer_name="Acme",
        stage=Stage.FEASIBILITY, owner_uid=None, version=3,
        requested_date=date(2026, 12, 1), start_date=date(2026, 11, 2),
        lines=(
            DealLine("l1", "Pump", Decimal("2"), Decimal("1500.00")),
            DealLine("l2", "Valve", Decimal("10.000"), Decimal("12.5000")),
        ),
        work_items=(
            WorkItem("w1", "Engineering", "Design", Decimal("3")),
            WorkItem("w2", "Shipping/Receiving", "Install", Decimal("3"), ("w1",)),
        ),
        checklist=(
            ChecklistItem("c1", "Shipping/Receiving", SHIPPING_Q, mandatory=True, answer=Answer.YES),
            ChecklistItem("c2", "Engineering", "Is the technical information complete?", answer=None),
        ),
    )


def test_the_form_is_sorted_key_json_with_normalised_numbers_and_iso_dates() -> None:
    form = reviewed_form(deal())
    data = json.loads(form)
    assert form == json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert data["lines"]["l2"] == {"description": "Valve", "quantity": "10", "unit": "ea", "unit_price": "12.5"}
    assert data["requested_date"] == "2026-12-01" and data["start_date"] == "2026-11-02"
    assert data["work_items"]["w2"] == {
        "department": "Shipping/Receiving", "task": "Install", "raw_days": "3", "predecessors": ["w1"],
    }
    assert data["checklist"]["c1"]["answer"] == "yes"


def test_the_fingerprint_is_the_sha256_of_the_form_and_ignores_how_numbers_are_written() -> None:
    d = deal()
    assert len(fingerprint(d)) == 64 and int(fingerprint(d), 16) >= 0
    respelled = replace(d, lines=(replace(d.lines[0], quantity=Decimal("2.000")), d.lines[1]))
    assert fingerprint(respelled) == fingerprint(d)


def test_reordering_lines_or_items_is_not_a_change() -> None:
    d = deal()
    shuffled = replace(d, lines=d.lines[::-1], work_items=d.work_items[::-1], checklist=d.checklist[::-1])
    assert fingerprint(shuffled) == fingerprint(d)
    assert what_changed(reviewed_form(d), shuffled) == []


def test_what_the_departments_did_not_review_does_not_change_the_fingerprint() -> None:
    d = deal()
    other = replace(
        d, title="Pump station, phase 1", version=9, stage=Stage.CLEARED, promised_date=date(2027, 1, 5),
        needs_identified="more flow", terms=(DealTerm("t1", "Payment", "30 days"),),
        checklist=(replace(d.checklist[0], answered_by="m-1"), d.checklist[1]),
        work_items=(replace(d.work_items[0], promised_due=date(2026, 11, 10)), d.work_items[1]),
    )
    assert fingerprint(other) == fingerprint(d)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: replace(d, lines=(replace(d.lines[0], quantity=Decimal(3)), d.lines[1])),
         "line 'Pump' quantity 2 → 3"),
        (lambda d: replace(d, lines=(replace(d.lines[0], unit_price=Decimal("1450")), d.lines[1])),
         "line 'Pump' unit price 1500 → 1450"),
        (lambda d: replace(d, lines=d.lines[:1]), "line 'Valve' removed"),
        (lambda d: replace(d, lines=(*d.lines, DealLine("l3", "Hose", Decimal(1), Decimal(5)))), "line 'Hose' added"),
        (lambda d: replace(d, lines=(replace(d.lines[0], description="Pump XL"), d.lines[1])),
         "line 'Pump' renamed to 'Pump XL'"),
        (lambda d: replace(d, work_items=(replace(d.work_items[0], raw_days=Decimal(5)), d.work_items[1])),
         "work item 'Design' raw days 3 → 5"),
        (lambda d: replace(d, work_items=(*d.work_items, WorkItem("w3", "Engineering", "Test", Decimal(1)))),
         "work item 'Test' added"),
        (lambda d: replace(d, work_items=d.work_items[:1]), "work item 'Install' removed"),
        (lambda d: replace(d, work_items=(d.work_items[0], replace(d.work_items[1], predecessors=()))),
         "work item 'Install' no longer waits for other work"),
        (lambda d: replace(d, work_items=(d.work_items[0], replace(d.work_items[1], department="Operations"))),
         "work item 'Install' moved from Shipping/Receiving to Operations"),
        (lambda d: replace(d, requested_date=date(2026, 11, 20)), "requested date 2026-12-01 → 2026-11-20"),
        (lambda d: replace(d, start_date=None), "start date 2026-11-02 → none"),
        (lambda d: replace(d, factor_override=Decimal("2.50"), factor_override_reason="old plant"),
         "buffer factor for this deal none → 2.5"),
        (lambda d: replace(d, checklist=(replace(d.checklist[0], answer=Answer.NO), d.checklist[1])),
         "answer to 'Can shipping meet the requested delivery window…' changed yes → no"),
        (lambda d: replace(d, checklist=(d.checklist[0], replace(d.checklist[1], answer=Answer.WITH_CONDITIONS))),
         "answer to 'Is the technical information complete?' changed unanswered → with conditions"),
        (lambda d: replace(d, checklist=(replace(d.checklist[0], notes="dock closes at 3 pm"), d.checklist[1])),
         "notes on 'Can shipping meet the requested delivery window…' changed"),
        (lambda d: replace(d, gap_handling=GapHandling.OVERRIDE, gap_reason="boss said so"),
         "the promise was set to the requested date 2026-12-01, ahead of the padded date"),
    ],
)
def test_each_kind_of_change_makes_a_new_fingerprint_and_says_what_changed(change, reason) -> None:  # type: ignore[no-untyped-def]
    before = deal()
    after = change(before)
    assert fingerprint(after) != fingerprint(before)
    assert what_changed(reviewed_form(before), after) == [reason]


def test_several_changes_are_listed_dates_first_then_lines_work_and_answers() -> None:
    d = deal()
    after = replace(
        d,
        requested_date=date(2026, 11, 20),
        lines=(replace(d.lines[0], quantity=Decimal(3)), d.lines[1]),
        work_items=(*d.work_items, WorkItem("w3", "Engineering", "Test", Decimal(1), ("w1", "w2"))),
        checklist=(replace(d.checklist[0], answer=Answer.NO), d.checklist[1]),
    )
    assert what_changed(reviewed_form(d), after) == [
        "requested date 2026-12-01 → 2026-11-20",
        "line 'Pump' quantity 2 → 3",
        "work item 'Test' added",
        "answer to 'Can shipping meet the requested delivery window…' changed yes → no",
    ]


def test_a_form_that_is_not_on_record_is_said_plainly() -> None:
    assert what_changed("", deal()) == ["what was reviewed is not on record"]
    assert what_changed("[1, 2]", deal()) == ["what was reviewed is not on record"]


def test_unicode_texts_survive_the_form() -> None:
    d = replace(deal(), lines=(DealLine("l1", "Насос 水泵 ✓", Decimal(1), Decimal(1)),))
    assert "Насос 水泵 ✓" in reviewed_form(d)
    changed = replace(d, lines=(replace(d.lines[0], quantity=Decimal(2)),))
    assert what_changed(reviewed_form(d), changed) == ["line 'Насос 水泵 ✓' quantity 1 → 2"]
