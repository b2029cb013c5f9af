"""Bad input everywhere: every service entry point and CLI command, fed mutated and hostile values,
either works or refuses with a SalesDeskError that says what is wrong — never another exception —
and a refused operation leaves the database exactly as it was (every table compared).

Deals, customers, the team and PINs, settings, lead times, the feasibility review, quotes, checklist
templates and the command line. Sizes and profiles: see ``fuzz_support``.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesdesk.domain import model as m
from salesdesk.domain.errors import SalesDeskError
from tests.reliability.fuzz_support import (
    FUZZ,
    World,
    attempt,
    choice,
    contacts,
    dates,
    deal_mutations,
    decimals,
    differences,
    dump,
    moments,
    names,
    opt,
    opt_dates,
    pins,
    some_deal,
    texts,
    todays,
    uids,
)

# --- deals, customers, team, settings ----------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_creating_a_deal_from_bad_input_is_refused_cleanly(world: World, data: st.DataObject) -> None:
    sv = world.services
    attempt(world, lambda: sv.deals.create(
        data.draw(uids(world, world.customer_uid), "customer"),
        data.draw(texts, "title"),
        owner_uid=data.draw(opt(uids(world)), "owner"),
        requested_date=data.draw(opt_dates, "requested"),
        start_date=data.draw(opt_dates, "start"),
        product_line=data.draw(texts | choice(sv.deals.product_lines()), "product line"),
        currency=data.draw(opt(texts | st.sampled_from(["USD", "eur", "€", "EURO"])), "currency"),
    ))


@FUZZ
@given(data=st.data())
def test_saving_a_deal_with_mutated_fields_works_or_is_refused_cleanly(world: World, data: st.DataObject) -> None:
    deal = some_deal(world, data)
    changes = data.draw(deal_mutations(world, deal), "changes")
    attempt(world, lambda: world.services.deals.save(replace(deal, **changes)))


@FUZZ
@given(data=st.data())
def test_moving_a_deal_to_any_stage_works_or_is_refused_cleanly(world: World, data: st.DataObject) -> None:
    deal = some_deal(world, data)
    key = data.draw(choice([deal.ref, deal.uid]) | texts, "key")
    attempt(world, lambda: world.services.deals.set_stage(key, data.draw(st.sampled_from(m.Stage)),
                                                          reason=data.draw(texts, "reason")))


@FUZZ
@given(data=st.data())
def test_customers_with_bad_input_are_refused_cleanly(world: World, data: st.DataObject) -> None:
    sv = world.services
    if data.draw(st.booleans(), "add"):
        attempt(world, lambda: sv.customers.add(data.draw(texts), data.draw(texts), data.draw(texts), data.draw(texts),
                                                contacts=data.draw(contacts)))
        return
    current = data.draw(choice(sv.customers.list_customers()), "customer")
    changed = replace(current, **data.draw(st.fixed_dictionaries({}, optional={
        "uid": texts, "name": texts, "address": texts, "industry": texts, "notes": texts, "contacts": contacts,
        "version": choice([current.version - 1, current.version + 1, 0])}), "changes"))
    attempt(world, lambda: sv.customers.save(changed))


@FUZZ
@given(data=st.data())
def test_team_members_and_pins_with_bad_input_are_refused_cleanly(world: World, data: st.DataObject) -> None:
    sv = world.services
    member_uid = data.draw(uids(world), "member")
    action = data.draw(st.sampled_from(["add", "update", "set_pin", "check_pin"]), "action")
    if action == "add":
        attempt(world, lambda: sv.team.add(data.draw(texts), data.draw(names), data.draw(texts), data.draw(texts),
                                           data.draw(texts), can_sign_agreements=data.draw(st.booleans()),
                                           pin=data.draw(pins)))
    elif action == "update":
        current = data.draw(choice(sv.team.list_members(include_inactive=True)), "current")
        changed = replace(current, **data.draw(st.fixed_dictionaries({}, optional={
            "uid": texts, "name": texts, "role": texts, "department": names, "email": texts, "phone": texts,
            "active": st.booleans(), "can_sign_agreements": st.booleans()})))
        attempt(world, lambda: sv.team.update(changed))
    elif action == "set_pin":
        attempt(world, lambda: sv.team.set_pin(member_uid, data.draw(pins)))
    else:
        # A wrong PIN is refused, and the attempt is counted on purpose (five lock signing).
        attempt(world, lambda: sv.team.check_pin(member_uid, data.draw(pins), at=data.draw(moments)),
                may_change=lambda table: table in ("team_members", "audit_log"))


departments = st.lists(st.builds(m.DepartmentSettings, name=names, buffer_factor=opt(decimals),
                                 weekly_capacity=opt(decimals)), max_size=4).map(tuple)


@FUZZ
@given(data=st.data())
def test_settings_with_bad_input_are_refused_cleanly(world: World, data: st.DataObject) -> None:
    sv = world.services
    current = sv.settings.load()
    changes = data.draw(st.fixed_dictionaries({}, optional={
        "company_name": texts, "company_address": texts, "company_phone": texts, "company_email": texts,
        "company_website": texts, "shared_folder": texts, "currency": texts | st.sampled_from(["USD", "gbp"]),
        "logo_png": opt(st.binary(max_size=64) | st.just(b"\x89PNG\r\n\x1a\n" + b"0" * 10)),
        "default_factor": decimals, "contingency_percent": decimals,
        "weekend_days": st.lists(st.integers(-2, 9), max_size=8).map(tuple),
        "holiday_country": opt(texts | st.sampled_from(["DE", "gb", "US", "XX", "CN"])),
        "holiday_subdivision": opt(texts | st.sampled_from(["BY", "by", "Augsburg", "CA"])),
        "closures": st.lists(st.builds(m.ClosureDay, start=dates, end=dates, reason=texts), max_size=2).map(tuple),
        "departments": departments,
        "calibration_target": decimals, "calibration_window": st.integers(-5, 20_000),
        "backup_keep": st.integers(-5, 2000),
    }), "changes")
    attempt(world, lambda: sv.settings.save(replace(current, **changes)))


@FUZZ
@given(raw=decimals | texts, factor=opt(decimals | texts), dept=opt(decimals), start=dates,
       weekend=texts | st.sampled_from(["sat,sun", "fri sat", "none", "mon,tue,wed,thu,fri,sat,sun", "Sunday"]),
       country=opt(st.sampled_from(["DE", "US", "CN", "SA", "il", "XX"]) | texts),
       subdivision=opt(st.sampled_from(["BY", "CA", "augsburg"]) | texts))
def test_a_lead_time_question_with_bad_input_gets_an_answer_or_a_clear_refusal(
    raw: Any, factor: Any, dept: Any, start: date, weekend: str, country: str | None, subdivision: str | None
) -> None:
    from salesdesk.domain.calendar import WorkCalendar
    from salesdesk.services.leadtime import format_leadtime, parse_weekend, quick_leadtime

    try:
        calendar = WorkCalendar(weekend=parse_weekend(weekend), country=country, subdivision=subdivision)
        format_leadtime(quick_leadtime(raw, factor=factor, department_factor=dept, start=start, calendar=calendar))
    except SalesDeskError as exc:
        assert exc.message.strip()


# --- feasibility, quotes, templates ------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_the_feasibility_review_with_bad_input_is_refused_cleanly(world: World, data: st.DataObject) -> None:
    from salesdesk.services.feasibility import FeasibilityService

    feasibility = FeasibilityService(world.services.ctx)
    deal = some_deal(world, data)
    ref = data.draw(choice([deal.ref, deal.uid]) | texts, "ref")
    version = data.draw(choice([None, deal.version, deal.version + 1]), "expected version")
    member = data.draw(uids(world), "member")
    item = data.draw(choice([c.uid for c in deal.checklist]) | texts, "item")
    action = data.draw(st.sampled_from(["request_review", "answer", "sign_off", "handle_gap", "status"]), "action")
    if action == "request_review":
        attempt(world, lambda: feasibility.request_review(ref, expected_version=version))
    elif action == "answer":
        answer = data.draw(opt(st.sampled_from(m.Answer) | texts), "answer")
        attempt(world, lambda: feasibility.answer(ref, item, answer, data.draw(texts, "notes"), member,
                                                  expected_version=version, at=data.draw(moments)))
    elif action == "sign_off":
        attempt(world, lambda: feasibility.sign_off(
            ref, data.draw(names, "department"), member, data.draw(st.sampled_from(m.Verdict) | texts, "verdict"),
            data.draw(texts, "conditions"), data.draw(pins, "pin"), expected_version=version, at=data.draw(moments)),
            may_change=lambda table: table in ("team_members", "audit_log"))  # a wrong PIN is counted
    elif action == "handle_gap":
        handling = data.draw(opt(st.sampled_from(m.GapHandling) | texts), "handling")
        attempt(world, lambda: feasibility.handle_gap(ref, handling, data.draw(texts, "reason"),
                                                      expected_version=version))
    else:
        attempt(world, lambda: feasibility.status(ref, today=data.draw(todays, "today")))


@settings(FUZZ, max_examples=max(3, FUZZ.max_examples // 3))
@given(data=st.data())
def test_quotes_and_reports_are_made_or_refused_cleanly(world: World, data: st.DataObject) -> None:
    from salesdesk.services.quote import QuoteService

    quotes = QuoteService(world.services.ctx)
    deal = some_deal(world, data)
    ref = data.draw(choice([deal.ref, deal.uid]) | texts, "ref")
    today = data.draw(todays, "today")
    kind = data.draw(st.sampled_from(["generate", "feasibility_report"]), "document")
    attempt(world, lambda: getattr(quotes, kind)(ref, today=today))


@FUZZ
@given(data=st.data())
def test_checklist_templates_with_bad_input_are_refused_cleanly(world: World, data: st.DataObject) -> None:
    from salesdesk.services.templates import ChecklistTemplate, ChecklistTemplateService, TemplateItem

    templates = ChecklistTemplateService(world.services.ctx)
    existing = templates.list_templates()
    known = [t.uid for t in existing] + [t.product_line for t in existing]
    if data.draw(st.booleans(), "delete"):
        attempt(world, lambda: templates.delete(data.draw(choice(known) | texts)))
        return
    base = data.draw(choice([*existing, ChecklistTemplate("", "", "")]), "template")
    items = st.lists(st.builds(TemplateItem, department=names, question=texts, help_text=texts,
                               mandatory=st.booleans(), uid=st.just("") | choice([i.uid for i in base.items])),
                     max_size=4).map(tuple)
    changed = replace(base, **data.draw(st.fixed_dictionaries({}, optional={
        "name": texts, "product_line": texts | choice(known), "items": items, "uid": texts})))
    attempt(world, lambda: templates.save(changed))


# --- the command line --------------------------------------------------------------------------

values = st.one_of(texts.filter(lambda s: "\x00" not in s), st.integers().map(str), st.sampled_from(
    ["0", "-1", "2.5", "1e9999", "nan", "inf", "9999-12-31", "0001-01-01", "2026-02-30", "sat,sun", "none", "DE", "BY",
     "XX", "quoted", "--json", "-"]))


def _cli_argv(world: World, data: st.DataObject) -> list[str]:
    folder = world.folder
    db = data.draw(st.sampled_from([world.url] * 6 + [
        str(folder / "no-such-folder" / "x.db"), str(folder), "mysql://nobody@127.0.0.1/x", "nonsense://",
        "postgresql://nobody@127.0.0.1:1/none", "sqlite:///:memory:"]), "--db")
    command = data.draw(st.sampled_from(["demo", "deals", "check", "leadtime", "render", "export", "import", "backup",
                                         "restore", "yardstick", "bogus"]), "command")
    argv = ["--db", db, "--data-dir", str(folder / "data"), command]
    # Only folders under the test's own: a fuzzed path must never write into the working directory.
    places = st.sampled_from([str(folder / "cli-out"), str(folder / "none" / "deeper"), str(folder / "fuzz.db"),
                              str(folder / "data")])
    ref = values | st.just(world.deal_ref)
    options: dict[str, st.SearchStrategy[list[str]]] = {
        # Always with --deals: the default (60 deals) would make each example a second long.
        "demo": st.tuples(st.sampled_from(["-1", "1000001", "x", "", "0", "1"]), st.sampled_from(["x", "7", "-3"]))
        .map(lambda t: [["--deals", t[0]], ["--seed", t[1]]]),
        "deals": st.lists(st.one_of(st.just(["--json"]), values.map(lambda v: ["--stage", v]),
                                    values.map(lambda v: ["--search", v])), max_size=3),
        "check": st.just([]),
        "leadtime": st.lists(st.tuples(st.sampled_from(["--raw-days", "--factor", "--department", "--start",
                                                        "--country", "--subdivision", "--weekend"]), values)
                             .map(list) | st.just(["--json"]), max_size=5),
        "render": st.tuples(ref, st.sampled_from(["quote", "feasibility", "agreement", "action-plan", "brief", "x"]),
                            st.sampled_from([str(folder / "out.pdf"), str(folder), str(folder / "none" / "x.pdf")]))
        .map(lambda t: [[t[0], "--doc", t[1], "--out", t[2]]]),
        "export": st.tuples(st.sampled_from([[], ["--all"], ["--all", "--changed"], ["--changed"]]), opt(ref), places)
        .map(lambda t: [t[0], [t[1]] if t[1] is not None else [], ["--to", t[2]]]),
        "import": st.tuples(places | st.just(str(folder / "damaged")) | values,
                            st.sampled_from([[], ["--theirs"], ["--ours"], ["--copy"], ["--ours", "--copy"]]))
        .map(lambda t: [[t[0]], t[1]]),
        "backup": st.lists(places.map(lambda d: ["--to", d]), max_size=1),
        # Never the live database itself: restoring that under the open test session proves nothing.
        "restore": st.tuples(st.sampled_from([str(folder / "none" / "x.db"), str(folder), str(folder / "data")]) | values,
                             st.sampled_from([[], ["--yes"]])).map(lambda t: [[t[0]], t[1]]),
        "yardstick": st.lists(st.one_of(
            st.tuples(st.sampled_from(["--from", "--to", "--owner", "--department"]), values).map(list),
            st.just(["--json"]), places.map(lambda d: ["--csv", d])), max_size=4),
        "bogus": st.lists(values.map(lambda v: [v]), max_size=2),
    }
    for part in data.draw(options[command], "options"):
        argv += part
    return argv


@FUZZ
@given(data=st.data())
def test_cli_commands_with_bad_arguments_exit_with_a_message_not_a_traceback(
    world: World, data: st.DataObject, capsys: pytest.CaptureFixture[str]
) -> None:
    from salesdesk import cli

    argv = _cli_argv(world, data)
    before = dump(world.services)
    out, err = io.StringIO(), io.StringIO()
    status = cli.run(argv, out=out, err=err)  # any exception but SystemExit fails the test
    stray = capsys.readouterr()
    assert status in (cli.EXIT_OK, cli.EXIT_REFUSED, cli.EXIT_USAGE), status
    assert "Traceback" not in err.getvalue() + stray.err
    if status != cli.EXIT_OK:
        assert (err.getvalue() + stray.err).strip(), f"exit status {status} without a message"
        assert not differences(before, dump(world.services)), f"a refused command changed the database: {argv}"
