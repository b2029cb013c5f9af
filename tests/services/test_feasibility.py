"""The feasibility review through the services: answers, sign-offs with PINs, staleness, decline,
the requested date and the capacity check — on a real database, as the app and the CLI use it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from salesdesk.domain.errors import ConflictError, RefusedError, ValidationError
from salesdesk.domain.model import (
    Answer,
    ChecklistItem,
    Deal,
    DealLine,
    DepartmentSettings,
    GapHandling,
    SignOff,
    Stage,
    TeamMember,
    Verdict,
    WorkItem,
)
from salesdesk.services.app import Services
from salesdesk.services.context import now
from salesdesk.services.deals import DealQuery
from salesdesk.services.feasibility import FeasibilityService, recorded_signoffs
from salesdesk.services.history import describe

START = date(2026, 11, 2)  # a Monday; no holidays configured, so only weekends are skipped
PIN = {"Engineering": "4321", "Operations": "1234"}


@dataclass
class Review:
    sv: Services
    feas: FeasibilityService
    ref: str
    eng: TeamMember
    ops: TeamMember
    rep: TeamMember

    def deal(self) -> Deal:
        return self.sv.deals.get(self.ref)

    def member(self, department: str) -> TeamMember:
        return self.eng if department == "Engineering" else self.ops

    def answer_all(self, answer: Answer = Answer.YES) -> Deal:
        for item in self.deal().checklist:
            self.feas.answer(self.ref, item.uid, answer, "", self.member(item.department).uid)
        return self.deal()

    def sign(self, department: str, verdict: Verdict = Verdict.FEASIBLE, conditions: str = "") -> Deal:
        member = self.member(department)
        return self.feas.sign_off(self.ref, department, member.uid, verdict, conditions, PIN[department])

    def clear(self) -> Deal:
        self.answer_all()
        self.sign("Engineering")
        return self.sign("Operations")


def start_review(sv: Services, *, requested: date = date(2026, 12, 18), customer: str = "Acme Pumps GmbH",
                 lines: tuple[tuple[str, str, str], ...] = (("Pump", "2", "1500"), ("Valve", "10", "12.50"))) -> Review:
    """A deal with two lines, three chained work items and a small checklist, sent for review."""
    eng = sv.team.find_by_name("Eddie Engineer") or sv.team.add("Eddie Engineer", "Engineering", pin=PIN["Engineering"])
    ops = sv.team.find_by_name("Olga Operations") or sv.team.add("Olga Operations", "Operations", pin=PIN["Operations"])
    rep = sv.team.find_by_name("Rita Rep") or sv.team.add("Rita Rep", "Sales", pin="7777")
    c = sv.customers.add(customer, address="Hafenstraße 1\n20457 Hamburg")
    d = sv.deals.create(c.uid, "Pump station", owner_uid=rep.uid, requested_date=requested, start_date=START)
    design, build = str(uuid.uuid4()), str(uuid.uuid4())
    d = sv.deals.save(replace(
        d,
        lines=tuple(DealLine(str(uuid.uuid4()), desc, Decimal(q), Decimal(p)) for desc, q, p in lines),
        work_items=(
            WorkItem(design, "Engineering", "Design", Decimal(3)),
            WorkItem(build, "Operations", "Build", Decimal(4), (design,)),
            WorkItem(str(uuid.uuid4()), "Operations", "Install", Decimal(2), (build,)),
        ),
        checklist=(
            ChecklistItem(str(uuid.uuid4()), "Engineering", "Is the technical information complete and confirmed?",
                          mandatory=True),
            ChecklistItem(str(uuid.uuid4()), "Operations", "Can we deliver without bumping another customer?",
                          mandatory=True),
            ChecklistItem(str(uuid.uuid4()), "Operations", "Are there legacy systems at the customer?"),
        ),
    ))
    feas = FeasibilityService(sv.ctx)
    feas.request_review(d.ref)
    return Review(sv, feas, d.ref, eng, ops, rep)


@pytest.fixture(autouse=True)
def _quick_pins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap PIN hashes: the cost parameters travel inside each hash, so checking still works."""
    monkeypatch.setattr("salesdesk.services.team._SCRYPT", {"n": 2**4, "r": 8, "p": 1})


@pytest.fixture
def review(services: Services) -> Review:
    return start_review(services)


def problems(sv: Services, ref: str) -> tuple[str, ...]:
    return next(r.problems for r in sv.deals.list_rows(DealQuery(limit=None)) if r.ref == ref)


# --------------------------------------------------------------------------------- clearing


def test_a_deal_is_cleared_once_every_department_signed_and_mandatory_items_are_answered(review: Review) -> None:
    assert review.deal().stage is Stage.FEASIBILITY
    review.answer_all()
    assert review.sign("Engineering").stage is Stage.FEASIBILITY
    deal = review.sign("Operations")
    assert deal.stage is Stage.CLEARED
    status = review.feas.status(review.ref)
    assert status.gate.cleared and status.message.startswith("Cleared")
    assert [d.department for d in status.departments] == ["Engineering", "Operations"]
    assert all(not d.stale and d.verdict is Verdict.FEASIBLE for d in status.departments)
    assert problems(review.sv, review.ref) == ()
    history = review.sv.history.for_deal(deal.uid)
    assert any(e.field == "stage" and e.old == "feasibility" and e.new == "cleared" for e in history)
    signed = [describe(e) for e in reversed(history) if e.action == "signed"]
    assert signed == ["signed feasibility review: Engineering — feasible",
                      "signed feasibility review: Operations — feasible"]


def test_until_then_the_status_says_who_and_what_is_missing(review: Review) -> None:
    item = next(i for i in review.deal().checklist if i.department == "Engineering")
    review.feas.answer(review.ref, item.uid, Answer.YES, "", review.eng.uid)
    review.sign("Engineering")
    status = review.feas.status(review.ref)
    assert not status.gate.cleared
    assert status.message == (
        "Not cleared: Operations has not signed off; 1 mandatory item unanswered: "
        "'Can we deliver without bumping another customer?'. Ask them to review."
    )


def test_the_status_shows_raw_factor_padded_start_and_due_of_each_work_item(review: Review) -> None:
    status = review.feas.status(review.ref)
    rows = [(i.task, i.raw_days, i.factor, i.padded_days, i.start, i.due, i.raw_due) for i in status.schedule]
    assert rows == [
        ("Design", Decimal(3), Decimal("2.0"), 6, date(2026, 11, 2), date(2026, 11, 10), date(2026, 11, 5)),
        ("Build", Decimal(4), Decimal("2.0"), 8, date(2026, 11, 10), date(2026, 11, 20), date(2026, 11, 11)),
        ("Install", Decimal(2), Decimal("2.0"), 4, date(2026, 11, 20), date(2026, 11, 26), date(2026, 11, 13)),
    ]
    assert status.padded_date == review.deal().promised_date == date(2026, 11, 26)
    assert status.gap_working_days == 0 and not status.gap_unhandled


def test_an_answer_records_who_gave_it_and_when(review: Review) -> None:
    item = review.deal().checklist[1]
    before = now()
    deal = review.feas.answer(review.ref, item.uid, "with_conditions", "if the crane is free", review.ops.uid)
    answered = next(i for i in deal.checklist if i.uid == item.uid)
    assert answered.answer is Answer.WITH_CONDITIONS and answered.notes == "if the crane is free"
    assert answered.answered_by == review.ops.uid
    assert answered.answered_at is not None and answered.answered_at >= before - timedelta(seconds=1)
    history = review.sv.history.for_deal(deal.uid)
    assert any(e.entity == "checklist_item" and e.field == "answer" and e.new == "with_conditions" for e in history)


def test_an_answer_with_conditions_needs_the_conditions(review: Review) -> None:
    item = review.deal().checklist[0]
    with pytest.raises(ValidationError, match="needs the conditions"):
        review.feas.answer(review.ref, item.uid, Answer.WITH_CONDITIONS, "  ", review.eng.uid)
    with pytest.raises(ValidationError, match="not a valid answer"):
        review.feas.answer(review.ref, item.uid, "maybe", "", review.eng.uid)


def test_an_answer_against_an_old_version_is_a_conflict(review: Review) -> None:
    seen = review.deal()
    review.feas.answer(review.ref, seen.checklist[0].uid, Answer.YES, "", review.eng.uid)
    with pytest.raises(ConflictError):
        review.feas.answer(review.ref, seen.checklist[1].uid, Answer.NO, "", review.ops.uid,
                           expected_version=seen.version)


# --------------------------------------------------------------------------------- staleness


def _quantity(deal: Deal) -> Deal:
    return replace(deal, lines=(replace(deal.lines[0], quantity=Decimal(3)), *deal.lines[1:]))


def _requested(deal: Deal) -> Deal:
    return replace(deal, requested_date=date(2026, 12, 11))


def _raw_days(deal: Deal) -> Deal:
    items = tuple(replace(w, raw_days=Decimal(5)) if w.task == "Install" else w for w in deal.work_items)
    return replace(deal, work_items=items)


def _added(deal: Deal) -> Deal:
    install = next(w.uid for w in deal.work_items if w.task == "Install")
    extra = WorkItem(str(uuid.uuid4()), "Operations", "Acceptance test", Decimal(1), (install,))
    return replace(deal, work_items=(*deal.work_items, extra))


STALE_CASES: dict[str, tuple[Callable[[Deal], Deal], str]] = {
    "line quantity": (_quantity, "line 'Pump' quantity 2 → 3"),
    "requested date": (_requested, "requested date 2026-12-18 → 2026-12-11"),
    "work item raw days": (_raw_days, "work item 'Install' raw days 2 → 5"),
    "added work item": (_added, "work item 'Acceptance test' added"),
}


@pytest.mark.parametrize("kind", sorted(STALE_CASES))
def test_a_change_after_clearing_makes_the_sign_offs_stale_and_the_deal_goes_back(review: Review, kind: str) -> None:
    change, reason = STALE_CASES[kind]
    review.clear()
    deal = review.sv.deals.save(change(review.deal()))
    assert deal.stage is Stage.FEASIBILITY
    status = review.feas.status(review.ref)
    assert status.gate.stale_departments == ("Engineering", "Operations")
    assert all(d.what_changed == (reason,) for d in status.departments)
    assert f"Engineering's sign-off is stale ({reason})" in status.message
    assert problems(review.sv, review.ref) == ("stale sign-off",)


def test_the_deal_list_can_show_only_deals_with_stale_sign_offs(review: Review) -> None:
    """What the Today page lists: found by the database among all deals, however old."""
    stale_only = DealQuery(stale_only=True, sort="updated_at", limit=None)
    other = start_review(review.sv, customer="Bolt & Nut Ltd")
    other.clear()
    review.clear()
    assert review.sv.deals.list_rows(stale_only) == [] and review.sv.deals.count(stale_only) == 0
    review.sv.deals.save(replace(review.deal(), requested_date=date(2027, 1, 29)))
    listed = review.sv.deals.list_rows(stale_only)
    assert [r.ref for r in listed] == [review.ref] and listed[0].problems == ("stale sign-off",)
    assert review.sv.deals.count(stale_only) == 1
    review.sign("Engineering")
    review.sign("Operations")  # signed again: nothing stale any more
    assert review.sv.deals.list_rows(stale_only) == []


def test_changing_an_answer_after_clearing_makes_the_sign_offs_stale(review: Review) -> None:
    review.clear()
    item = next(i for i in review.deal().checklist if i.question.startswith("Are there legacy"))
    deal = review.feas.answer(review.ref, item.uid, Answer.NO, "", review.ops.uid)
    assert deal.stage is Stage.FEASIBILITY
    status = review.feas.status(review.ref)
    assert status.departments[0].what_changed == (
        "answer to 'Are there legacy systems at the customer?' changed yes → no",
    )
    assert problems(review.sv, review.ref) == ("stale sign-off",)


def test_signing_again_supersedes_the_old_sign_off_and_clears_the_deal_again(review: Review) -> None:
    review.clear()
    review.sv.deals.save(_quantity(review.deal()))
    review.sign("Engineering")
    assert problems(review.sv, review.ref) == ("stale sign-off",)  # Operations still has to look again
    deal = review.sign("Operations")
    assert deal.stage is Stage.CLEARED
    assert problems(review.sv, review.ref) == ()
    assert len(deal.signoffs) == 4
    assert [s.current for s in sorted(deal.signoffs, key=lambda s: s.signed_at)] == [False, False, True, True]
    assert len(review.feas.status(review.ref).signoff_history) == 4


def test_a_deal_the_signer_has_not_seen_cannot_be_signed(review: Review) -> None:
    review.answer_all()
    seen = review.deal()
    review.sv.deals.save(_quantity(review.deal()))
    with pytest.raises(ConflictError, match="changed"):
        review.feas.sign_off(review.ref, "Engineering", review.eng.uid, Verdict.FEASIBLE, "", PIN["Engineering"],
                             expected_version=seen.version)


# --------------------------------------------------------------------------------- who may sign


def test_a_member_of_another_department_is_refused(review: Review) -> None:
    review.answer_all()
    with pytest.raises(RefusedError) as err:
        review.feas.sign_off(review.ref, "Engineering", review.ops.uid, Verdict.FEASIBLE, "", PIN["Operations"])
    assert str(err.value) == (
        "Olga Operations is in Operations, so they cannot sign off for Engineering. "
        "Ask someone from Engineering to sign off."
    )
    assert review.deal().signoffs == ()


def test_a_department_with_nothing_to_review_cannot_sign(review: Review) -> None:
    with pytest.raises(RefusedError, match="Sales has nothing to review"):
        review.feas.sign_off(review.ref, "Sales", review.rep.uid, Verdict.FEASIBLE, "", "7777")


def test_a_wrong_pin_is_refused_and_five_lock_signing_for_five_minutes(review: Review) -> None:
    review.answer_all()
    for left in (4, 3, 2, 1):
        with pytest.raises(RefusedError, match=f"Wrong PIN for Eddie Engineer. {left} attempt"):
            review.feas.sign_off(review.ref, "Engineering", review.eng.uid, Verdict.FEASIBLE, "", "0000")
    with pytest.raises(RefusedError, match="locked for 5 minutes"):
        review.feas.sign_off(review.ref, "Engineering", review.eng.uid, Verdict.FEASIBLE, "", "0000")
    with pytest.raises(RefusedError, match="Signing is locked for Eddie Engineer"):
        review.sign("Engineering")  # even the right PIN, while locked
    assert review.deal().signoffs == ()
    review.sv.team.check_pin(review.eng.uid, PIN["Engineering"], at=now() + timedelta(minutes=6))
    assert review.sign("Engineering").signoffs[0].member_uid == review.eng.uid


def test_signing_needs_the_mandatory_questions_of_that_department_answered(review: Review) -> None:
    with pytest.raises(RefusedError, match="Engineering has 1 mandatory question unanswered"):
        review.sign("Engineering")


def test_conditions_are_required_and_become_non_standard_terms_of_the_signer(review: Review) -> None:
    review.answer_all()
    with pytest.raises(ValidationError, match="needs the conditions"):
        review.sign("Operations", Verdict.FEASIBLE_WITH_CONDITIONS, "")
    with pytest.raises(ValidationError, match="chose 'feasible'"):
        review.sign("Operations", Verdict.FEASIBLE, "crane booked")
    deal = review.sign("Operations", Verdict.FEASIBLE_WITH_CONDITIONS, "Crane booked for week 47")
    (term,) = deal.terms
    assert (term.title, term.body, term.non_standard, term.approved_by, term.source) == (
        "Condition from Operations", "Crane booked for week 47", True, review.ops.uid, "signoff")
    # Signing again replaces the condition rather than piling them up.
    deal = review.sign("Operations", Verdict.FEASIBLE_WITH_CONDITIONS, "Crane booked for week 48")
    assert [t.body for t in deal.terms] == ["Crane booked for week 48"]
    deal = review.sign("Operations")
    assert deal.terms == ()


def test_a_sign_off_cannot_be_forged_or_edited_through_a_plain_save(review: Review) -> None:
    deal = review.answer_all()
    forged = SignOff(str(uuid.uuid4()), "Engineering", review.eng.uid, Verdict.FEASIBLE, "", "0" * 64, "", now())
    with pytest.raises(RefusedError, match="only be given through the feasibility review"):
        review.sv.deals.save(replace(deal, signoffs=(forged,)))
    deal = review.sign("Engineering")
    with pytest.raises(RefusedError, match="cannot be changed or removed"):
        review.sv.deals.save(replace(deal, signoffs=(replace(deal.signoffs[0], verdict=Verdict.NOT_FEASIBLE),)))
    with pytest.raises(RefusedError, match="cannot be changed or removed"):
        review.sv.deals.save(replace(deal, signoffs=()))
    assert review.deal().signoffs == deal.signoffs


def test_sign_offs_given_on_another_laptop_can_be_brought_in_by_an_import(review: Review) -> None:
    deal = review.answer_all()
    from salesdesk.domain.fingerprint import fingerprint, reviewed_form

    given = SignOff(str(uuid.uuid4()), "Engineering", review.eng.uid, Verdict.FEASIBLE, "", fingerprint(deal),
                    reviewed_form(deal), now())
    with recorded_signoffs():
        deal = review.sv.deals.save(replace(deal, signoffs=(given,)))
    assert deal.signoffs == (given,)


# --------------------------------------------------------------------------------- saying no


def test_not_feasible_declines_the_deal_and_asking_again_needs_a_changed_scope(review: Review) -> None:
    review.answer_all()
    with pytest.raises(ValidationError, match="Say why"):
        review.sign("Operations", Verdict.NOT_FEASIBLE, "")
    deal = review.sign("Operations", Verdict.NOT_FEASIBLE, "Workshop full until February")
    assert deal.stage is Stage.DECLINED
    assert deal.decline_reason == "Operations (Olga Operations): Workshop full until February"
    with pytest.raises(RefusedError, match="was declined"):
        review.sign("Engineering")
    with pytest.raises(RefusedError) as err:
        review.feas.request_review(review.ref)
    assert "Nothing Operations reviewed has changed since they said it is not feasible" in str(err.value)

    review.sv.deals.save(replace(review.deal(), requested_date=date(2027, 3, 31)))  # the rep changes the scope
    deal = review.feas.request_review(review.ref)
    assert deal.stage is Stage.FEASIBILITY and deal.decline_reason == ""
    status = review.feas.status(review.ref)
    ops = status.gate.status_of("Operations")
    assert ops is not None and ops.stale and ops.verdict is Verdict.NOT_FEASIBLE
    assert ops.what_changed == ("requested date 2026-12-18 → 2027-03-31",)

    review.answer_all()
    review.sign("Engineering")
    deal = review.sign("Operations")
    assert deal.stage is Stage.CLEARED
    verdicts = [(s.verdict, s.current) for s in sorted(deal.signoffs, key=lambda s: s.signed_at)]
    assert verdicts == [(Verdict.NOT_FEASIBLE, False), (Verdict.FEASIBLE, True), (Verdict.FEASIBLE, True)]
    stages = [(e.old, e.new) for e in reversed(review.sv.history.for_deal(deal.uid)) if e.field == "stage"]
    assert stages == [("discovery", "feasibility"), ("feasibility", "declined"), ("declined", "feasibility"),
                      ("feasibility", "cleared")]
    history = review.sv.history.for_deal(deal.uid)
    assert any(e.field == "decline_reason" and e.old and "Workshop full" in e.old for e in history)


def test_a_review_needs_something_to_review(services: Services) -> None:
    c = services.customers.add("Empty Co")
    d = services.deals.create(c.uid, "Nothing yet")
    services.deals.save(replace(d, checklist=()))
    with pytest.raises(RefusedError, match="nothing in .* for the departments to review"):
        FeasibilityService(services.ctx).request_review(d.ref)


def test_a_quoted_deal_is_out_of_review(review: Review) -> None:
    review.clear()
    review.sv.deals.set_stage(review.ref, Stage.QUOTED)
    with pytest.raises(RefusedError, match="review is closed"):
        review.feas.answer(review.ref, review.deal().checklist[0].uid, Answer.NO, "", review.eng.uid)


# --------------------------------------------------------------------------------- requested date


def test_a_promise_earlier_than_the_padded_date_needs_an_override_reason(services: Services) -> None:
    review = start_review(services, requested=date(2026, 11, 19))  # padded: 26 Nov, raw: 13 Nov
    status = review.feas.status(review.ref)
    assert status.gap_working_days == 5 and status.gap_unhandled
    with pytest.raises(ValidationError, match="Give a reason"):
        review.feas.handle_gap(review.ref, GapHandling.OVERRIDE, "")
    review.clear()
    deal = review.feas.handle_gap(review.ref, "override", "MD agreed: the crew works Saturdays")
    assert (deal.gap_handling, deal.promised_date) == (GapHandling.OVERRIDE, date(2026, 11, 19))
    # Promising earlier than padded is a new commitment: the departments must look again.
    assert deal.stage is Stage.FEASIBILITY
    assert review.feas.status(review.ref).departments[0].what_changed == (
        "the promise was set to the requested date 2026-11-19, ahead of the padded date",
    )
    deal = review.feas.handle_gap(review.ref, None)
    assert (deal.gap_handling, deal.promised_date) == (None, date(2026, 11, 26))


def test_an_override_may_not_promise_the_raw_estimate(services: Services) -> None:
    review = start_review(services, requested=date(2026, 11, 13))
    with pytest.raises(RefusedError, match="never promises a raw estimate"):
        review.feas.handle_gap(review.ref, GapHandling.OVERRIDE, "customer insists")


def test_a_later_date_accepted_is_recorded_and_no_gap_is_refused(services: Services) -> None:
    review = start_review(services, requested=date(2026, 11, 19))
    deal = review.feas.handle_gap(review.ref, GapHandling.LATER_DATE_ACCEPTED, "J. Smith agreed on the phone")
    assert deal.gap_handling is GapHandling.LATER_DATE_ACCEPTED and deal.promised_date == date(2026, 11, 26)
    assert not review.feas.status(review.ref).gap_unhandled
    relaxed = start_review(services, customer="Calm Ltd")
    with pytest.raises(RefusedError, match="no gap to handle"):
        relaxed.feas.handle_gap(relaxed.ref, GapHandling.LATER_DATE_ACCEPTED)


# --------------------------------------------------------------------------------- capacity


def test_the_capacity_check_names_the_other_customers_deal_that_would_be_bumped(services: Services) -> None:
    st = services.settings.load()
    departments = tuple(replace(d, weekly_capacity=Decimal(4)) if d.name == "Operations" else d
                        for d in st.departments)
    services.settings.save(replace(st, departments=departments))
    earlier = start_review(services, customer="Baltic Cold Chain")
    earlier.clear()
    services.deals.set_stage(earlier.ref, Stage.AGREED)
    review = start_review(services, customer="Acme Pumps GmbH")
    status = review.feas.status(review.ref)
    assert status.capacity.is_over
    assert [b.deal_ref for b in status.capacity.bumped] == [earlier.ref]
    (warning,) = status.capacity_warnings
    assert warning.startswith("Operations would be over capacity in 3 weeks between 9 Nov 2026 and 23 Nov 2026")
    assert warning.endswith(f"{earlier.ref} (Baltic Cold Chain) would be bumped.")


def test_without_capacity_settings_nothing_is_over(review: Review) -> None:
    status = review.feas.status(review.ref)
    assert not status.capacity.is_over and status.capacity_warnings == ()


def test_department_capacity_ignores_unrelated_departments(services: Services) -> None:
    st = services.settings.load()
    departments = (*st.departments, DepartmentSettings("Painting", weekly_capacity=Decimal(1)))
    services.settings.save(replace(st, departments=departments))
    review = start_review(services)
    assert review.feas.status(review.ref).capacity_warnings == ()


# --------------------------------------------------------------------------------- the stored flag


def test_an_older_database_gains_the_stale_flag_and_the_next_save_sets_it(sqlite_services: Services) -> None:
    from sqlalchemy import inspect

    from salesdesk.store.engine import open_store, run_migration

    sv = sqlite_services
    review = start_review(sv)
    review.clear()
    url = sv.store.url
    run_migration(sv.store.write_engine, "downgrade", "0002")
    with sv.store.engine.connect() as conn:
        assert "stale" not in {c["name"] for c in inspect(conn).get_columns("signoffs")}
    sv.close()

    store = open_store(url)  # migrates 0002 → head
    store.dispose()
    again = Services.open(url, actor="Test User")
    try:
        assert problems(again, review.ref) == ()
        deal = again.deals.get(review.ref)
        again.deals.save(replace(deal, requested_date=date(2027, 1, 15)))
        assert problems(again, review.ref) == ("stale sign-off",)
    finally:
        again.close()
