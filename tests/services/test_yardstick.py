"""The yardstick from the database, on SQLite and PostgreSQL: a small history with figures known by
hand, the calibrated factor applied through the settings, and the SQL figures checked against a
plain recount over the demo deals."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from salesdesk.domain.errors import ValidationError
from salesdesk.domain.model import BreakdownCategory, ItemStatus, Party, Side, Stage, Verdict, WorkItem
from salesdesk.domain.yardstick import (
    DeliveredDeal,
    OnTime,
    Period,
    calibrate,
    distribution,
    group_deals,
    summarise_deals,
)
from salesdesk.services.deals import DealQuery
from salesdesk.services.delivery import DeliveryService
from salesdesk.services.demo import generate_demo
from salesdesk.services.promise import calendar_from_settings
from salesdesk.services.yardstick import YardstickService
from salesdesk.store.schema import BreakdownRow, DealRowORM, SignOffRow, TeamMemberRow, WorkItemRow

MISSED, POOR = BreakdownCategory.MISSED_DELIVERY_DATE, BreakdownCategory.POOR_COMMUNICATION
SINCE = date(2025, 1, 1)


def _deal(sv, owner, customer, title, start, requested, items):  # type: ignore[no-untyped-def]
    deal = sv.deals.create(customer.uid, title, owner_uid=owner.uid, start_date=start, requested_date=requested)
    deal = sv.deals.save(replace(deal, work_items=tuple(items)))
    return sv.deals.set_stage(deal.ref, Stage.KICKED_OFF)


@pytest.fixture
def history(services):  # type: ignore[no-untyped-def]
    """Weekends off, no holidays, every factor 2.0.

    A (Ana), from Mon 3 Mar 2025, requested Wed 5 Mar: design (Engineering, raw 2 → due Fri 7 Mar) done
      Thu 6 Mar — on time, 3 days = 1.5 × raw; survey (Operations, raw 1 → due Wed 5 Mar) done Fri 7 Mar —
      late, 4 days = 4 × raw. Delivered 7 Mar: the promised date kept, the requested date missed.
    B (Ben), from Mon 7 Apr 2025, requested Wed 9 Apr: build (Engineering, raw 1 → due Wed 9 Apr) done
      Fri 11 Apr — late, 4 days. Delivered late against both dates.
    C (Ana) declined; D (Ben) kicked off, nothing done. One breakdown logged by hand on A.
    """
    sv = services
    ana = sv.team.add("Ana Rossi", "Sales", "Sales manager")
    ben = sv.team.add("Ben Okafor", "Sales", "Account executive")
    customer = sv.customers.add("Northwind Plastics Ltd")
    a = _deal(sv, ana, customer, "Line upgrade", date(2025, 3, 3), date(2025, 3, 5), [
        WorkItem("a-design", "Engineering", "Detailed design", Decimal("2")),
        WorkItem("a-survey", "Operations", "Site survey", Decimal("1"))])
    b = _deal(sv, ben, customer, "Conveyor", date(2025, 4, 7), date(2025, 4, 9), [
        WorkItem("b-build", "Engineering", "Build the frame", Decimal("1"))])
    c = sv.deals.create(customer.uid, "Cold room", owner_uid=ana.uid)
    sv.deals.set_stage(c.ref, Stage.DECLINED, reason="Capacity committed to other customers.")
    _deal(sv, ben, customer, "Spare parts", date(2025, 5, 5), None, [
        WorkItem("d-pick", "Inventory control", "Pick parts", Decimal("1"))])
    delivery = DeliveryService(sv.ctx)
    delivery.mark_done(a.ref, "a-design", date(2025, 3, 6))
    delivery.mark_done(a.ref, "a-survey", date(2025, 3, 7))
    delivery.mark_done(b.ref, "b-build", date(2025, 4, 11))
    delivery.log_breakdown(a.ref, POOR, "Operations", date(2025, 3, 4), "Production stop not announced.",
                           cost=Decimal("120.50"))
    assert sv.deals.get(a.ref).stage is Stage.DELIVERED and sv.deals.get(b.ref).stage is Stage.DELIVERED
    return sv, a, b


def test_a_small_history_gives_the_rates_worked_out_by_hand(history) -> None:  # type: ignore[no-untyped-def]
    sv, a, _b = history
    y = YardstickService(sv.ctx).compute(start=SINCE, end=date.today())
    assert y.items.done == 3 and y.items.on_time == OnTime(3, 1)
    assert y.items.by_department == {"Engineering": OnTime(2, 1), "Operations": OnTime(1, 0)}
    assert y.items.by_month["2025-03"] == OnTime(2, 1) and y.items.by_month["2025-04"] == OnTime(1, 0)
    assert y.deals.delivered == 2
    assert y.on_time_rate_promised == 0.5 and y.on_time_rate_requested == 0.0
    assert y.breakdowns.total == 3 and y.breakdowns.cost == Decimal("120.50")
    assert y.breakdowns.by_category[MISSED] == 2 and y.breakdowns.by_category[POOR] == 1
    assert y.breakdowns.by_department["Operations"][MISSED] == 1
    assert y.breakdowns.by_department["Operations"][POOR] == 1
    assert y.breakdowns.by_department["Engineering"][MISSED] == 1
    assert y.items.accuracy["Engineering"].quantiles["p50"] == 1.5
    assert y.items.accuracy["Engineering"].mean == pytest.approx(2.75)
    assert y.items.accuracy["Operations"].quantiles["p90"] == 4.0
    assert (y.declined.count, y.declined.reasons) == (1, (("Capacity committed to other customers.", 1),))
    assert y.successes.count == 1
    assert [p.name for p in y.successes.people] == ["Ana Rossi"]
    assert [s.ref for s in y.successes.recent] == [a.ref]
    eng = y.calibration["Engineering"]
    assert (eng.sample, eng.suggested, eng.current, eng.current_source) == (2, None, Decimal("2.0"), "default")


def test_the_yardstick_for_one_owner_one_department_or_one_month(history) -> None:  # type: ignore[no-untyped-def]
    sv, _a, b = history
    service = YardstickService(sv.ctx)
    ana = service.compute(start=SINCE, end=date.today(), owner="ana rossi")
    assert ana.owner == "Ana Rossi"
    assert ana.items.on_time == OnTime(2, 1) and ana.deals.delivered == 1
    assert (ana.on_time_rate_promised, ana.on_time_rate_requested) == (1.0, 0.0)
    assert ana.breakdowns.total == 2 and ana.declined.count == 1 and ana.successes.count == 1
    ben = service.compute(start=SINCE, end=date.today(), owner="Ben Okafor")
    assert ben.on_time_rate_promised == 0.0 and ben.declined.count == 0 and ben.successes.count == 0
    eng = service.compute(start=SINCE, end=date.today(), department="engineering")
    assert eng.department == "Engineering"
    assert eng.items.on_time == OnTime(2, 1) and eng.deals.delivered == 2
    assert eng.breakdowns.total == 1 and list(eng.calibration) == ["Engineering"]
    april = service.compute(start=date(2025, 4, 1), end=date(2025, 4, 30))
    assert april.items.on_time == OnTime(1, 0) and april.deals.delivered == 1
    assert [s.ref for s in april.successes.recent] == [] and april.period.months() == ("2025-04",)
    assert april.deals.by_month["2025-04"].requested == OnTime(1, 0)
    assert b.ref not in [s.ref for s in april.successes.recent]


def test_nothing_due_gives_no_rate_rather_than_zero(services) -> None:  # type: ignore[no-untyped-def]
    y = YardstickService(services.ctx).compute()
    assert y.on_time_rate_promised is None and y.on_time_rate_requested is None and y.items.on_time.rate is None
    assert y.period == Period.last_months(date.today()) and len(y.period.months()) == 12
    assert sum(y.breakdowns.by_category.values()) == 0 and len(y.breakdowns.by_category) == len(BreakdownCategory)


def test_unknown_owners_and_departments_are_refused_by_name(services) -> None:  # type: ignore[no-untyped-def]
    service = YardstickService(services.ctx)
    with pytest.raises(ValidationError) as err:
        service.compute(owner="Nobody Here")
    assert "no team member 'Nobody Here'" in str(err.value)
    with pytest.raises(ValidationError) as err:
        service.compute(department="Marketing")
    assert "no department 'Marketing'" in str(err.value) and "Engineering" in err.value.hint


def _manufacturing_history(sv, window: int) -> None:  # type: ignore[no-untyped-def]
    """Twelve items estimated at 2 days: the two finished first took 19 days, then nine took 2 and one 3."""
    st = sv.settings.load()
    sv.settings.save(replace(st, calibration_window=window))
    owner = sv.team.add("Ana Rossi", "Sales", "Sales manager")
    customer = sv.customers.add("Granite Foods")
    items = [WorkItem(f"m{i}", "Manufacturing", f"Build section {i}", Decimal("2")) for i in range(12)]
    deal = _deal(sv, owner, customer, "Conveyors", date(2025, 3, 3), None, items)
    delivery = DeliveryService(sv.ctx)
    for i in range(2):
        delivery.mark_done(deal.ref, f"m{i}", date(2025, 2, 28), started_on=date(2025, 2, 3))
    for i in range(2, 11):
        delivery.mark_done(deal.ref, f"m{i}", date(2025, 3, 5))
    delivery.mark_done(deal.ref, "m11", date(2025, 3, 6))


def test_the_suggested_factor_learns_from_the_last_items_and_applying_it_is_audited(services) -> None:  # type: ignore[no-untyped-def]
    _manufacturing_history(services, window=10)
    service = YardstickService(services.ctx)
    calib = service.calibration("Manufacturing")["Manufacturing"]
    # The last ten: nine took 2 days, one 3. Keeping all ten (95 % of 10 rounds up to 10) needs
    # ceil(2 f) ≥ 3, so f = 1.1. The two old 19-day items are outside the window.
    assert (calib.sample, calib.suggested, calib.current, calib.current_source) == (
        10, Decimal("1.1"), Decimal("2.0"), "default")
    services.set_actor("Ana Rossi")
    applied = service.apply_suggested_factor("manufacturing")
    assert applied.suggested == Decimal("1.1")
    st = services.settings.load()
    assert st.department("Manufacturing") is not None and st.department("Manufacturing").buffer_factor == Decimal("1.1")
    change = next(h for h in services.history.recent() if h.entity == "settings" and h.field == "departments")
    assert change.actor == "Ana Rossi" and '"1.1"' in (change.new or "")
    after = service.calibration("Manufacturing")["Manufacturing"]
    assert (after.current, after.current_source) == (Decimal("1.1"), "department")
    with pytest.raises(ValidationError) as err:
        service.apply_suggested_factor("Engineering")
    assert "at least 10" in str(err.value)


def test_a_wider_window_takes_in_older_misses(services) -> None:  # type: ignore[no-untyped-def]
    _manufacturing_history(services, window=50)
    calib = YardstickService(services.ctx).calibration("Manufacturing")["Manufacturing"]
    assert calib.sample == 12 and calib.suggested == Decimal("5.0") and not calib.reaches_target


def test_the_figures_match_a_plain_recount_over_the_demo_deals(services) -> None:  # type: ignore[no-untyped-def]
    generate_demo(services, deals=80, seed=3)
    st = services.settings.load()
    calendar = calendar_from_settings(st)
    y = YardstickService(services.ctx).compute()
    period = y.period
    with services.store.read() as s:
        row_ids = dict(s.execute(select(WorkItemRow.uid, WorkItemRow.id)).all())
    deals = [services.deals.get(r.uid) for r in services.deals.list_rows(DealQuery(limit=None))]

    items = Counter()  # type: ignore[var-annotated]
    ratios: dict[str, Counter] = {}  # type: ignore[type-arg]
    delivered, missed_dates, history = [], Counter(), {}  # type: ignore[var-annotated]
    for deal in deals:
        for w in deal.work_items:
            if w.status is not ItemStatus.DONE or w.actual_done is None:
                continue
            if w.actual_start is not None and w.actual_done <= period.end:
                days = calendar.working_days_between(w.actual_start, w.actual_done)
                history.setdefault(w.department, []).append((w.actual_done, row_ids[w.uid], w.raw_days, days))
            if w.actual_done in period:
                items[w.department, w.promised_due is not None and w.actual_done <= w.promised_due] += 1
                if w.actual_start is not None:
                    ratios.setdefault(w.department, Counter())[days / float(w.raw_days)] += 1
        finished = [w.actual_done for w in deal.work_items if w.actual_done]
        if deal.stage is Stage.DELIVERED and finished and max(finished) in period:
            delivered.append(DeliveredDeal(max(finished), deal.promised_date, deal.requested_date))
        missed_dates.update(b.category for b in deal.breakdowns if b.occurred_on in period)

    assert y.items.done == sum(items.values()) > 20
    for dept, on_time in y.items.by_department.items():
        assert on_time == OnTime(items[dept, True] + items[dept, False], items[dept, True])
    expected_deals = summarise_deals(group_deals(delivered), period.months())
    assert (y.deals.promised, y.deals.requested) == (expected_deals.promised, expected_deals.requested)
    assert y.deals.by_month == expected_deals.by_month
    assert {c: n for c, n in y.breakdowns.by_category.items() if n} == dict(missed_dates)
    for dept, counts in ratios.items():
        assert y.items.accuracy[dept] == distribution(counts.items())
    for dept, rows in history.items():
        last = sorted(rows, key=lambda r: (r[0], r[1]), reverse=True)[: st.calibration_window]
        dept_settings = st.department(dept)
        expected = calibrate(dept, [(raw, days) for _d, _id, raw, days in last],
                             current=dept_settings.buffer_factor if dept_settings and dept_settings.buffer_factor
                             else st.default_factor, target=st.calibration_target)
        assert y.calibration[dept].suggested == expected.suggested, dept
        assert y.calibration[dept].sample == expected.sample


def test_reading_the_pieces_side_by_side_gives_the_same_figures(services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import salesdesk.services.yardstick as module

    generate_demo(services, deals=40, seed=5)
    service = YardstickService(services.ctx)
    one_by_one = service.compute()
    monkeypatch.setattr(module, "PARALLEL_FROM", 0)  # a big history's path: item ids cut in ranges, read at once
    assert service.compute() == one_by_one
    assert one_by_one.items.done > 0


def _store_row(sv, row) -> None:  # type: ignore[no-untyped-def]
    """A row written straight to the store: what another version or an import may have left there."""
    with sv.store.write() as s:
        s.add(row)


def test_everyone_on_our_side_of_a_deal_delivered_on_time_is_counted_once(services) -> None:  # type: ignore[no-untyped-def]
    sv = services
    ana = sv.team.add("Ana Rossi", "Sales", "Sales manager")
    ben = sv.team.add("Ben Okafor", "Engineering", "Engineer")
    carl = sv.team.add("Carl Weber", "Operations", "Planner")
    customer = sv.customers.add("Northwind Plastics Ltd")
    deal = _deal(sv, ana, customer, "Line upgrade", date(2025, 3, 3), None, [
        WorkItem("a-design", "Engineering", "Detailed design", Decimal("2"))])
    deal = sv.deals.save(replace(deal, parties=(
        Party("p-ana", Side.OURS, "Account", member_uid=ana.uid),  # the owner again: still one deal
        Party("p-ben", Side.OURS, "Design", member_uid=ben.uid),
    )))
    DeliveryService(sv.ctx).mark_done(deal.ref, "a-design", date(2025, 3, 6))
    with sv.store.read() as s:
        deal_id = s.scalar(select(DealRowORM.id).where(DealRowORM.ref == deal.ref))
        members = dict(s.execute(select(TeamMemberRow.uid, TeamMemberRow.id)).all())
    for uid, member in (("so-ben", ben), ("so-carl", carl)):  # Ben both a party and a signatory
        _store_row(sv, SignOffRow(uid=uid, deal_id=deal_id, department=member.department,
                                  member_id=members[member.uid], verdict=Verdict.FEASIBLE.value, fingerprint="f",
                                  signed_at=datetime(2025, 3, 1, tzinfo=UTC)))
    y = YardstickService(sv.ctx).compute(start=SINCE, end=date(2025, 12, 31))
    assert y.successes.count == 1
    assert [(p.name, p.department, p.deals) for p in y.successes.people] == [
        ("Ana Rossi", "Sales", 1), ("Ben Okafor", "Engineering", 1), ("Carl Weber", "Operations", 1)]
    assert y.successes.recent[0].people == ("Ana Rossi", "Ben Okafor", "Carl Weber")


def test_the_figures_do_not_depend_on_the_departments_the_settings_list(history) -> None:  # type: ignore[no-untyped-def]
    sv, a, _b = history
    with sv.store.read() as s:
        deal_id = s.scalar(select(DealRowORM.id).where(DealRowORM.ref == a.ref))
    _store_row(sv, BreakdownRow(uid="b-new", deal_id=deal_id, category="supplier_strike", department="Purchasing",
                                occurred_on=date(2025, 3, 5), cost=Decimal("10")))
    service = YardstickService(sv.ctx)
    listed = service.compute(start=SINCE, end=date(2025, 12, 31))
    st = sv.settings.load()
    sv.settings.save(replace(st, departments=tuple(d for d in st.departments if d.name != "Operations")))
    unlisted = service.compute(start=SINCE, end=date(2025, 12, 31))  # Operations' items and breakdowns counted by name
    assert unlisted.items == listed.items and unlisted.deals == listed.deals
    assert unlisted.breakdowns == listed.breakdowns
    other = BreakdownCategory.OTHER
    assert listed.breakdowns.by_category[other] == 1 and listed.breakdowns.by_department["Purchasing"][other] == 1
    assert listed.breakdowns.total == 4 and listed.breakdowns.cost == Decimal("130.50")
    assert listed.items.by_department["Operations"] == OnTime(1, 0)


def test_items_started_long_before_the_period_are_counted_like_the_others(services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import salesdesk.services.yardstick as module

    _manufacturing_history(services, window=50)
    service = YardstickService(services.ctx)
    usual = service.compute(start=date(2025, 2, 20), end=date(2025, 3, 31))
    monkeypatch.setattr(module, "LOOKBACK_DAYS", 5)  # the two items started on 3 Feb now fall outside it
    assert service.compute(start=date(2025, 2, 20), end=date(2025, 3, 31)) == usual
    assert usual.items.accuracy["Manufacturing"].count == 12 and usual.items.accuracy["Manufacturing"].bins[-1].count == 2


def test_a_period_long_after_the_last_finished_items_still_calibrates_from_them(services) -> None:  # type: ignore[no-untyped-def]
    _manufacturing_history(services, window=10)
    service = YardstickService(services.ctx)
    y = service.compute(start=date(2026, 6, 1), end=date(2026, 6, 30))
    assert y.items.done == 0
    calib = y.calibration["Manufacturing"]
    assert (calib.sample, calib.suggested) == (10, Decimal("1.1"))
    st = services.settings.load()
    services.settings.save(replace(st, calibration_window=50))
    assert service.compute(start=date(2026, 6, 1), end=date(2026, 6, 30)).calibration["Manufacturing"].sample == 12
