"""Delivery through the service layer: items done, the deal delivered, breakdowns logged and audited."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from salesdesk.domain.errors import NotFoundError, RefusedError, SalesDeskError, ValidationError
from salesdesk.domain.model import (
    ActionItem,
    BreakdownCategory,
    ClosureDay,
    ItemStatus,
    Side,
    Stage,
    WorkItem,
)
from salesdesk.services.delivery import DeliveryService, missed_date_breakdown_uid
from salesdesk.store.schema import AuditRow

# Monday 3 March 2025; weekends off, no holidays (the default settings), every factor 2.0.
# "Detailed design", raw 2 → 4 working days → due Fri 7 March.
# "Installation on site" waits for it, raw 1 → 2 working days → due Tue 11 March = the promised date.
START = date(2025, 3, 3)
DESIGN_DUE, INSTALL_DUE = date(2025, 3, 7), date(2025, 3, 11)


def _kicked_off(sv, stage: Stage = Stage.KICKED_OFF):  # type: ignore[no-untyped-def]
    owner = sv.team.add("Ana Rossi", "Sales", "Sales manager")
    customer = sv.customers.add("Northwind Plastics Ltd")
    deal = sv.deals.create(customer.uid, "Packaging line upgrade", owner_uid=owner.uid, start_date=START)
    design = WorkItem("w-design", "Engineering", "Detailed design", Decimal("2"))
    install = WorkItem("w-install", "Operations", "Installation on site", Decimal("1"), ("w-design",))
    call = ActionItem("a-window", Side.OURS, "Confirm the delivery window", owner_member_uid=owner.uid,
                      due_fixed=date(2025, 3, 10))
    deal = sv.deals.save(replace(deal, work_items=(design, install), action_items=(call,)))
    return sv.deals.set_stage(deal.ref, stage)


def _audit_count(sv) -> int:  # type: ignore[no-untyped-def]
    with sv.store.read() as s:
        return int(s.scalar(select(func.count(AuditRow.id))) or 0)


def test_items_done_move_the_deal_from_kicked_off_through_delivering_to_delivered(services) -> None:  # type: ignore[no-untyped-def]
    deal = _kicked_off(services)
    assert deal.promised_date == INSTALL_DUE
    delivery = DeliveryService(services.ctx)

    first = delivery.mark_done(deal.ref, "w-design", date(2025, 3, 6))
    design = next(w for w in first.deal.work_items if w.uid == "w-design")
    assert (design.status, design.actual_start, design.actual_done) == (ItemStatus.DONE, START, date(2025, 3, 6))
    assert first.working_days == 3 and first.late_by == 0 and first.breakdown is None
    assert first.deal.stage is Stage.DELIVERING

    second = delivery.mark_done(deal.ref, "w-install", INSTALL_DUE)
    assert second.working_days == 2  # planned start: the day design was due (Fri 7) → Mon 10, Tue 11
    assert second.deal.stage is Stage.DELIVERING  # the action item is still open

    last = delivery.mark_done(deal.ref, "a-window", date(2025, 3, 10))
    assert last.working_days is None
    assert last.deal.stage is Stage.DELIVERED
    assert next(a for a in last.deal.action_items).done_on == date(2025, 3, 10)
    assert not last.deal.breakdowns
    assert any(h.field == "stage" and h.new == "delivered" for h in services.history.for_deal(deal.uid))


def test_working_days_taken_follow_the_team_calendar_and_an_actual_start_can_be_given(services) -> None:  # type: ignore[no-untyped-def]
    deal = _kicked_off(services)
    st = services.settings.load()
    services.settings.save(replace(st, closures=(ClosureDay(date(2025, 3, 5), date(2025, 3, 5), "stocktake"),)))
    delivery = DeliveryService(services.ctx)
    assert delivery.mark_done(deal.ref, "w-design", date(2025, 3, 6)).working_days == 2  # Tue 4, Thu 6
    redone = delivery.mark_done(deal.ref, "w-design", date(2025, 3, 6), started_on=date(2025, 3, 4))
    assert redone.working_days == 1
    assert next(w for w in redone.deal.work_items if w.uid == "w-design").actual_start == date(2025, 3, 4)


def test_a_late_item_logs_exactly_one_automatic_missed_date_breakdown(services) -> None:  # type: ignore[no-untyped-def]
    deal = _kicked_off(services)
    delivery = DeliveryService(services.ctx)
    late = delivery.mark_done(deal.ref, "w-install", date(2025, 3, 13))
    assert late.late_by == 2
    (b,) = late.deal.breakdowns
    assert b == late.breakdown
    assert b.automatic and b.category is BreakdownCategory.MISSED_DELIVERY_DATE
    assert b.department == "Operations" and b.occurred_on == date(2025, 3, 13)
    assert "Installation on site" in b.description and "2025-03-13" in b.description and "2025-03-11" in b.description
    assert b.uid == missed_date_breakdown_uid("w-install")

    # Marked again, later still: the same breakdown, brought up to date — never a second one.
    again = delivery.mark_done(deal.ref, "w-install", date(2025, 3, 14))
    (b2,) = again.deal.breakdowns
    assert b2.uid == b.uid and "2025-03-14" in b2.description and b2.occurred_on == date(2025, 3, 14)
    assert len(services.deals.get(deal.ref).breakdowns) == 1

    # Reopened, the record of the miss stays; finished on time after all, the untouched record goes.
    reopened = delivery.reopen(deal.ref, "w-install")
    assert len(reopened.breakdowns) == 1
    assert next(w for w in reopened.work_items if w.uid == "w-install").status is ItemStatus.OPEN
    on_time = delivery.mark_done(deal.ref, "w-install", INSTALL_DUE)
    assert on_time.deal.breakdowns == () and on_time.breakdown is None


def test_an_automatic_breakdown_someone_worked_on_is_kept(services) -> None:  # type: ignore[no-untyped-def]
    deal = _kicked_off(services)
    delivery = DeliveryService(services.ctx)
    b = delivery.mark_done(deal.ref, "w-install", date(2025, 3, 13)).breakdown
    assert b is not None
    delivery.edit_breakdown(deal.ref, b.uid, resolution="Crane booked a week ahead from now on.")
    kept = delivery.mark_done(deal.ref, "w-install", INSTALL_DUE).deal
    assert [x.resolution for x in kept.breakdowns] == ["Crane booked a week ahead from now on."]


def test_reopening_an_item_of_a_delivered_deal_brings_it_back_to_delivering(services) -> None:  # type: ignore[no-untyped-def]
    deal = _kicked_off(services)
    delivery = DeliveryService(services.ctx)
    for uid, day in (("w-design", DESIGN_DUE), ("w-install", INSTALL_DUE), ("a-window", date(2025, 3, 10))):
        delivery.mark_done(deal.ref, uid, day)
    assert services.deals.get(deal.ref).stage is Stage.DELIVERED
    reopened = delivery.reopen(deal.ref, "a-window")
    assert reopened.stage is Stage.DELIVERING
    assert next(a for a in reopened.action_items).status is ItemStatus.OPEN


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda d, ref: d.mark_done(ref, "w-design", date(2025, 3, 6), today=date(2025, 3, 5)), ValidationError,
         "in the future"),
        (lambda d, ref: d.mark_done(ref, "w-design", date(2025, 3, 6), started_on=date(2025, 3, 7)), ValidationError,
         "is before Actual start"),
        (lambda d, ref: d.mark_done(ref, "w-install", date(2025, 3, 6)), ValidationError,
         "was planned to start on 2025-03-07"),
        (lambda d, ref: d.mark_done(ref, "a-window", date(2025, 3, 6), started_on=START), ValidationError,
         "no start date"),
        (lambda d, ref: d.mark_done(ref, "nope", date(2025, 3, 6)), NotFoundError, "no work or action item"),
    ],
)
def test_a_wrong_done_date_is_refused_and_nothing_is_saved(services, call, error, message) -> None:  # type: ignore[no-untyped-def]
    deal = _kicked_off(services)
    before = _audit_count(services)
    with pytest.raises(error) as err:
        call(DeliveryService(services.ctx), deal.ref)
    assert message in str(err.value) and err.value.hint
    assert services.deals.get(deal.ref) == deal
    assert _audit_count(services) == before


def test_nothing_is_marked_done_before_the_agreement_is_signed(services) -> None:  # type: ignore[no-untyped-def]
    deal = _kicked_off(services, Stage.DISCOVERY)
    with pytest.raises(RefusedError) as err:
        DeliveryService(services.ctx).mark_done(deal.ref, "w-design", date(2025, 3, 6))
    assert "at the Discovery stage: nothing is being delivered yet" in str(err.value)


def test_a_lost_deal_needs_a_reason(services) -> None:  # type: ignore[no-untyped-def]
    deal = _kicked_off(services)
    delivery = DeliveryService(services.ctx)
    before = _audit_count(services)
    with pytest.raises(ValidationError) as err:
        delivery.mark_lost(deal.ref, "   ")
    assert "reason the deal was lost is empty" in str(err.value).lower()
    assert services.deals.get(deal.ref).stage is Stage.KICKED_OFF and _audit_count(services) == before
    lost = delivery.mark_lost(deal.ref, "Chose a competitor with a shorter lead time.")
    assert lost.stage is Stage.LOST and lost.lost_reason == "Chose a competitor with a shorter lead time."
    with pytest.raises(RefusedError):
        delivery.mark_lost(deal.ref, "Again")


def _log(delivery, ref, **change):  # type: ignore[no-untyped-def]
    values = dict(category="poor_communication", department="Operations", occurred_on=date(2025, 3, 4),
                  description="The customer was not told the line must stop.", customer_impact="Half a shift lost.",
                  cost=Decimal("120.50"), resolution="", logged_by=None) | change
    return delivery.log_breakdown(ref, **values)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"category": "bad luck"}, "not a kind of breakdown"),
        ({"cost": Decimal("-1")}, "cannot be below 0"),
        ({"cost": Decimal("1.234")}, "more than two decimals"),
        ({"cost": "a lot"}, "is not a number"),
        ({"description": "  "}, "What went wrong is empty"),
        ({"description": "x" * 2001}, "too long"),
        ({"customer_impact": "x" * 2001}, "too long"),
        ({"resolution": "x" * 2001}, "too long"),
        ({"department": "Marketing"}, "no department 'Marketing'"),
        ({"occurred_on": date(2099, 1, 1)}, "in the future"),
        ({"occurred_on": "31/12/2025"}, "is not a date"),
        ({"logged_by": "no-such-member"}, "no longer exists"),
    ],
)
def test_bad_breakdown_input_is_refused_and_nothing_is_saved(services, change, message) -> None:  # type: ignore[no-untyped-def]
    deal = _kicked_off(services)
    before = _audit_count(services)
    with pytest.raises(SalesDeskError) as err:
        _log(DeliveryService(services.ctx), deal.ref, **change)
    assert message in str(err.value) and err.value.hint
    assert services.deals.get(deal.ref) == deal
    assert _audit_count(services) == before


def test_a_breakdown_is_logged_edited_and_removed_with_every_step_audited(services) -> None:  # type: ignore[no-untyped-def]
    deal = _kicked_off(services)
    manager = services.team.add("Maya Cohen", "Customer service", "Account manager")
    delivery = DeliveryService(services.ctx)
    services.set_actor("Maya Cohen")
    b = _log(delivery, deal.ref, category="Poor communication", department="operations", cost="120.5",
             logged_by=manager.uid)
    assert (b.category, b.department, b.cost, b.logged_by, b.automatic) == (
        BreakdownCategory.POOR_COMMUNICATION, "Operations", Decimal("120.50"), manager.uid, False)
    assert services.deals.get(deal.ref).breakdowns == (b,)

    edited = delivery.edit_breakdown(deal.ref, b.uid, resolution="Production stops are on the kickoff checklist.",
                                     cost=Decimal("200"))
    assert edited.resolution.startswith("Production stops") and edited.cost == Decimal("200.00")
    with pytest.raises(ValidationError):
        delivery.edit_breakdown(deal.ref, b.uid, colour="red")
    with pytest.raises(ValidationError):
        delivery.edit_breakdown(deal.ref, b.uid, cost=Decimal("-5"))

    assert delivery.remove_breakdown(deal.ref, b.uid).breakdowns == ()
    with pytest.raises(NotFoundError):
        delivery.remove_breakdown(deal.ref, b.uid)
    history = [h for h in services.history.for_deal(deal.uid) if h.entity == "breakdown"]
    assert {(h.action, h.field) for h in history} >= {("add", ""), ("update", "resolution"), ("update", "cost"),
                                                      ("remove", "")}
    assert all(h.actor == "Maya Cohen" for h in history)
    assert next(h for h in history if h.action == "remove").old.startswith("The customer was not told")
