"""The kickoff before the first shipment: acknowledged terms, the meeting, shipping, the warning."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from salesdesk.domain.errors import ConflictError, RefusedError, ValidationError
from salesdesk.domain.model import ClosureDay, DealTerm, Stage
from salesdesk.services.customers import new_contact
from salesdesk.services.kickoff import KickoffService
from salesdesk.services.kickoff_rules import kickoff_due_soon, unacknowledged_terms
from salesdesk.store.schema import AuditRow

TODAY = date(2026, 11, 24)  # a Tuesday


def _uid() -> str:
    return str(uuid.uuid4())


def _agreed(sv, *, stage: Stage = Stage.AGREED, first_shipment: date | None = date(2026, 12, 1)):  # type: ignore[no-untyped-def]
    """An agreed deal with one standard and two non-standard terms, an account manager and a rep."""
    rep = sv.team.add("Ana Rossi", "Sales", "Sales manager")
    am = sv.team.add("Maya Cohen", "Customer service", "Account manager")
    customer = sv.customers.add("Northwind Plastics Ltd", contacts=(new_contact("Jo Park", "Plant manager"),))
    deal = sv.deals.create(customer.uid, "Packaging line upgrade", owner_uid=rep.uid, start_date=date(2026, 11, 2))
    terms = (
        DealTerm(_uid(), "Payment", "Invoices are payable within 30 days."),
        DealTerm(_uid(), "Extended warranty", "36 months on all parts.", True, approved_by=rep.uid),
        DealTerm(_uid(), "Price hold", "Prices hold until 30 June.", True, approved_by=rep.uid),
    )
    deal = sv.deals.save(replace(deal, stage=stage, terms=terms, first_shipment_date=first_shipment))
    return deal, rep, am


def test_a_kickoff_is_refused_while_non_standard_terms_are_unacknowledged(services) -> None:  # type: ignore[no-untyped-def]
    deal, _rep, am = _agreed(services)
    kickoff = KickoffService(services.ctx)
    with pytest.raises(RefusedError) as err:
        kickoff.record_kickoff(deal.ref, TODAY, ["Maya Cohen"], ["Jo Park"], today=TODAY)
    assert "2 non-standard terms are not acknowledged" in str(err.value)
    assert "'Extended warranty'" in str(err.value) and "'Price hold'" in str(err.value)
    assert "account manager" in str(err.value)
    kickoff.acknowledge_term(deal.ref, deal.terms[1].uid, am.uid)
    with pytest.raises(RefusedError) as err:
        kickoff.record_kickoff(deal.ref, TODAY, ["Maya Cohen"], ["Jo Park"], today=TODAY)
    assert "1 non-standard term is not acknowledged yet: 'Price hold'" in str(err.value)
    after = services.deals.get(deal.ref)
    assert after.stage is Stage.AGREED and after.kickoff is None


def test_the_account_manager_acknowledges_each_term_then_the_kickoff_moves_the_deal_on(services) -> None:  # type: ignore[no-untyped-def]
    deal, _rep, am = _agreed(services)
    kickoff = KickoffService(services.ctx)
    at = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    for term in deal.terms[1:]:
        kickoff.acknowledge_term(deal.ref, term.uid, am.uid, at=at)
    acknowledged = services.deals.get(deal.ref)
    assert unacknowledged_terms(acknowledged) == ()
    assert [(t.acknowledged_by, t.acknowledged_at) for t in acknowledged.terms] == [
        (None, None), (am.uid, at), (am.uid, at)]
    done = kickoff.record_kickoff(deal.ref, TODAY, ["Maya Cohen", "Ana Rossi", "Maya Cohen"], ["Jo Park"],
                                  "Walked through every term.", today=TODAY)
    assert done.stage is Stage.KICKED_OFF
    assert done.kickoff is not None and done.kickoff.held_on == TODAY
    assert done.kickoff.attendees_ours == ("Maya Cohen", "Ana Rossi") and done.kickoff.attendees_theirs == ("Jo Park",)
    with services.store.read() as s:
        audit = {(a.entity, a.field) for a in s.scalars(select(AuditRow).where(AuditRow.deal_uid == deal.uid))}
    assert ("deal_term", "acknowledged_by") in audit and ("kickoff", "kickoff") in audit
    assert ("deal", "stage") in audit


def test_an_acknowledgement_is_kept_and_only_non_standard_terms_need_one(services) -> None:  # type: ignore[no-untyped-def]
    deal, rep, am = _agreed(services)
    kickoff = KickoffService(services.ctx)
    first = kickoff.acknowledge_term(deal.ref, deal.terms[1].uid, am.uid)
    again = kickoff.acknowledge_term(deal.ref, deal.terms[1].uid, rep.uid)
    assert again.terms[1].acknowledged_by == am.uid and again.version == first.version
    with pytest.raises(RefusedError) as err:
        kickoff.acknowledge_term(deal.ref, deal.terms[0].uid, am.uid)
    assert "standard term" in str(err.value)
    with pytest.raises(ValidationError):
        kickoff.acknowledge_term(deal.ref, _uid(), am.uid)


def test_a_kickoff_needs_people_from_both_sides_and_a_date_that_has_passed(services) -> None:  # type: ignore[no-untyped-def]
    deal, _rep, am = _agreed(services)
    kickoff = KickoffService(services.ctx)
    for term in deal.terms[1:]:
        kickoff.acknowledge_term(deal.ref, term.uid, am.uid)
    with pytest.raises(ValidationError) as err:
        kickoff.record_kickoff(deal.ref, TODAY, ["Maya Cohen"], ["  "], today=TODAY)
    assert "both sides" in str(err.value)
    with pytest.raises(ValidationError) as err:
        kickoff.record_kickoff(deal.ref, date(2026, 11, 25), ["Maya Cohen"], ["Jo Park"], today=TODAY)
    assert "future" in str(err.value)
    with pytest.raises(ValidationError):
        kickoff.record_kickoff(deal.ref, TODAY, ["Maya\nCohen"], ["Jo Park"], today=TODAY)
    assert services.deals.get(deal.ref).stage is Stage.AGREED


def test_only_an_agreed_deal_is_kicked_off(services) -> None:  # type: ignore[no-untyped-def]
    deal, _rep, _am = _agreed(services, stage=Stage.QUOTED)
    with pytest.raises(RefusedError) as err:
        KickoffService(services.ctx).record_kickoff(deal.ref, TODAY, ["Maya Cohen"], ["Jo Park"], today=TODAY)
    assert "only an agreed deal" in str(err.value) and "signed" in str(err.value)


def test_the_first_shipment_needs_the_kickoff_or_a_reason(services) -> None:  # type: ignore[no-untyped-def]
    deal, _rep, _am = _agreed(services)
    kickoff = KickoffService(services.ctx)
    with pytest.raises(RefusedError) as err:
        kickoff.mark_first_shipment_sent(deal.ref, TODAY, today=TODAY)
    assert "no kickoff and 2 non-standard terms not acknowledged" in str(err.value)
    assert "give the reason" in str(err.value)
    with pytest.raises(RefusedError):
        kickoff.mark_first_shipment_sent(deal.ref, TODAY, "   ", today=TODAY)
    sent = kickoff.mark_first_shipment_sent(deal.ref, TODAY, "Customer's line stopped; emergency delivery.",
                                            today=TODAY)
    assert sent.stage is Stage.DELIVERING and sent.first_shipment_sent_on == TODAY
    assert sent.kickoff_override_reason == "Customer's line stopped; emergency delivery."
    with services.store.read() as s:
        fields = {a.field for a in s.scalars(select(AuditRow).where(AuditRow.deal_uid == deal.uid))}
    assert {"kickoff_override_reason", "first_shipment_sent_on", "stage"} <= fields
    with pytest.raises(RefusedError) as err:
        kickoff.mark_first_shipment_sent(deal.ref, TODAY, today=TODAY)
    assert "already marked sent" in str(err.value)


def test_a_kicked_off_deal_ships_without_a_reason(services) -> None:  # type: ignore[no-untyped-def]
    deal, _rep, am = _agreed(services, first_shipment=None)
    kickoff = KickoffService(services.ctx)
    for term in deal.terms[1:]:
        kickoff.acknowledge_term(deal.ref, term.uid, am.uid)
    kickoff.record_kickoff(deal.ref, date(2026, 11, 20), ["Maya Cohen"], ["Jo Park"], today=TODAY)
    with pytest.raises(ValidationError):
        kickoff.mark_first_shipment_sent(deal.ref, date(2026, 12, 1), today=TODAY)
    sent = kickoff.mark_first_shipment_sent(deal.ref, TODAY, today=TODAY)
    assert sent.stage is Stage.DELIVERING and sent.kickoff_override_reason == ""
    assert sent.first_shipment_date == TODAY  # it had none: the day it left


def test_a_stale_screen_cannot_overwrite_a_newer_deal(services) -> None:  # type: ignore[no-untyped-def]
    deal, _rep, am = _agreed(services)
    kickoff = KickoffService(services.ctx)
    kickoff.acknowledge_term(deal.ref, deal.terms[1].uid, am.uid)
    with pytest.raises(ConflictError):
        kickoff.set_first_shipment(deal.ref, date(2026, 12, 3), expected_version=deal.version)
    moved = kickoff.set_first_shipment(deal.ref, date(2026, 12, 3))
    assert moved.first_shipment_date == date(2026, 12, 3)


def test_the_warning_lists_first_shipments_within_five_working_days_without_kickoff(services) -> None:  # type: ignore[no-untyped-def]
    soon, _rep, am = _agreed(services, first_shipment=date(2026, 11, 27))  # Friday: 3 working days
    kickoff = KickoffService(services.ctx)
    customer = services.customers.list_customers()[0]
    later = services.deals.save(replace(services.deals.create(customer.uid, "Later"), stage=Stage.AGREED,
                                        first_shipment_date=date(2026, 12, 2)))  # 6 working days
    overdue = services.deals.save(replace(services.deals.create(customer.uid, "Overdue"), stage=Stage.AGREED,
                                          first_shipment_date=date(2026, 11, 20)))
    warnings = kickoff.warnings(TODAY)
    assert [(w.ref, w.working_days_left) for w in warnings] == [(overdue.ref, -2), (soon.ref, 3)]
    assert warnings[1].unacknowledged_terms == 2
    assert "in 3 working days" in warnings[1].message and "2 non-standard terms" in warnings[1].message
    assert "was due on 2026-11-20" in warnings[0].message
    assert later.ref not in {w.ref for w in warnings}
    for term in soon.terms[1:]:
        kickoff.acknowledge_term(soon.ref, term.uid, am.uid)
    kickoff.record_kickoff(soon.ref, TODAY, ["Maya Cohen"], ["Jo Park"], today=TODAY)
    assert [w.ref for w in kickoff.warnings(TODAY)] == [overdue.ref]


def test_the_warning_counts_the_teams_working_days(services) -> None:  # type: ignore[no-untyped-def]
    deal, _rep, _am = _agreed(services, first_shipment=date(2026, 12, 3))  # 7 working days from Tuesday
    kickoff = KickoffService(services.ctx)
    assert kickoff.warnings(TODAY) == []
    st = services.settings.load()
    services.settings.save(replace(st, closures=(ClosureDay(date(2026, 11, 26), date(2026, 11, 27), "Stocktake"),)))
    warnings = kickoff.warnings(TODAY)  # two closure days leave five working days to prepare
    assert [(w.ref, w.working_days_left) for w in warnings] == [(deal.ref, 5)]
    assert not kickoff_due_soon(Stage.DELIVERING, date(2026, 11, 25), today=TODAY)


def test_the_deal_list_flags_a_missing_kickoff_by_the_teams_working_days(services) -> None:  # type: ignore[no-untyped-def]
    from salesdesk.domain.calendar import WorkCalendar
    from salesdesk.services.deals import DealQuery

    today = date.today()  # the deal list judges against the real today
    weekdays = WorkCalendar()
    shipment = weekdays.add_working_days(today, 7)
    deal, _rep, _am = _agreed(services, first_shipment=shipment)

    def problems() -> tuple[str, ...]:
        return next(r.problems for r in services.deals.list_rows(DealQuery()) if r.ref == deal.ref)

    assert "kickoff missing" not in problems()
    closed = weekdays.add_working_days(today, 1), weekdays.add_working_days(today, 2)
    st = services.settings.load()
    services.settings.save(replace(st, closures=(ClosureDay(closed[0], closed[1], "Stocktake"),)))
    assert "kickoff missing" in problems()  # two closure days leave five working days to prepare


def test_the_deal_list_can_show_only_deals_whose_kickoff_is_due(services) -> None:  # type: ignore[no-untyped-def]
    from salesdesk.services.deals import DealQuery

    soon, _rep, am = _agreed(services, first_shipment=date(2026, 11, 27))
    customer = services.customers.list_customers()[0]

    def agreed(title: str, shipment: date | None, stage: Stage = Stage.AGREED):  # type: ignore[no-untyped-def]
        return services.deals.save(replace(services.deals.create(customer.uid, title), stage=stage,
                                           first_shipment_date=shipment))

    later = agreed("Later", date(2026, 12, 9))
    overdue = agreed("Overdue", date(2026, 11, 20))
    agreed("No date yet", None)
    agreed("Already kicked off", date(2026, 11, 25), Stage.KICKED_OFF)
    due = DealQuery(kickoff_due_by=date(2026, 12, 1), sort="promised_date", descending=False, limit=None)
    assert sorted(r.ref for r in services.deals.list_rows(due)) == sorted([soon.ref, overdue.ref])
    assert later.ref not in {r.ref for r in services.deals.list_rows(due)}
    for term in soon.terms[1:]:
        KickoffService(services.ctx).acknowledge_term(soon.ref, term.uid, am.uid)
    KickoffService(services.ctx).record_kickoff(soon.ref, TODAY, ["Maya Cohen"], ["Jo Park"], today=TODAY)
    assert [r.ref for r in services.deals.list_rows(due)] == [overdue.ref]
    assert services.deals.count(due) == 1
