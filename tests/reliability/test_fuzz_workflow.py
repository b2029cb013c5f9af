"""Bad input everywhere, later in a deal's life: agreements (prepare, render, sign, verify), the
kickoff, delivery and breakdowns, the yardstick's dates, deal packages (damaged deal.json files)
and backups. Each operation works, or refuses with a SalesDeskError that says what is wrong and
leaves the database exactly as it was. Sizes and profiles: see ``fuzz_support``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from salesdesk.domain import model as m
from tests.reliability.fuzz_support import (
    FUZZ,
    World,
    attempt,
    choice,
    dates,
    decimals,
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

# Rendering a PDF takes a few tenths of a second: fewer examples where most of them render one.
FUZZ_PDF = settings(FUZZ, max_examples=max(3, FUZZ.max_examples // 2))

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
images = st.one_of(st.none(), st.just(PNG), st.binary(max_size=40), st.just(PNG[:20]), st.just(b"\x89PNG" + b"\0" * 60))
revisions = st.one_of(st.none(), st.integers(-2, 5))
# A wrong PIN is refused and counted on purpose (five lock signing).
PIN_TABLES = ("team_members", "audit_log")


def _pin_tables(table: str) -> bool:
    return table in PIN_TABLES


@FUZZ_PDF
@given(data=st.data())
def test_agreements_with_bad_input_are_refused_cleanly(world: World, data: st.DataObject) -> None:
    from salesdesk.services.agreements import AgreementService

    agreements = AgreementService(world.services.ctx)
    deal = some_deal(world, data)
    ref = data.draw(choice([deal.ref, deal.uid]) | texts, "ref")
    action = data.draw(st.sampled_from(["prepare", "render", "current", "sign", "verify", "action_plan", "brief"]))
    if action == "prepare":
        attempt(world, lambda: agreements.prepare(ref, at=data.draw(moments, "at")))
    elif action == "render":
        attempt(world, lambda: agreements.render(ref, revision=data.draw(revisions, "revision")))
    elif action == "current":
        attempt(world, lambda: agreements.current(ref))
    elif action == "action_plan":
        attempt(world, lambda: agreements.action_plan(ref, today=data.draw(todays, "today")))
    elif action == "brief":
        attempt(world, lambda: agreements.brief(ref, meeting_on=data.draw(opt_dates, "meeting on")))
    elif action == "verify":
        pdf = data.draw(st.one_of(st.binary(max_size=200), st.just(b"%PDF-1.4\n%%EOF"), st.just(PNG)), "pdf")
        attempt(world, lambda: agreements.verify(pdf))
    else:
        contact_uids = [p.contact_uid for p in deal.parties if p.contact_uid]
        attempt(world, lambda: agreements.sign(
            ref, data.draw(st.sampled_from(m.Side) | texts, "side"),
            signer_name=data.draw(texts, "signer"), member_uid=data.draw(opt(uids(world)), "member"),
            contact_uid=data.draw(opt(choice(contact_uids) | texts), "contact"),
            method=data.draw(st.sampled_from(["drawn", "paper"]) | texts, "method"),
            image_png=data.draw(images, "drawing"), signed_on=data.draw(opt_dates, "signed on"),
            scan=data.draw(opt(st.binary(max_size=64) | st.just(PNG)), "scan"), pin=data.draw(pins, "pin"),
            revision=data.draw(revisions, "revision"), at=data.draw(moments, "at"),
        ), may_change=_pin_tables)


@FUZZ
@given(data=st.data())
def test_the_kickoff_with_bad_input_is_refused_cleanly(world: World, data: st.DataObject) -> None:
    from salesdesk.services.kickoff import KickoffService

    kickoff = KickoffService(world.services.ctx)
    deal = some_deal(world, data)
    ref = data.draw(choice([deal.ref, deal.uid]) | texts, "ref")
    version = data.draw(choice([None, deal.version, deal.version + 1]), "expected version")
    today = data.draw(todays, "today")
    action = data.draw(st.sampled_from(["first_shipment", "acknowledge", "record", "shipped", "warnings"]))
    if action == "first_shipment":
        attempt(world, lambda: kickoff.set_first_shipment(ref, data.draw(opt_dates), expected_version=version))
    elif action == "acknowledge":
        term = data.draw(choice([t.uid for t in deal.terms]) | texts, "term")
        attempt(world, lambda: kickoff.acknowledge_term(ref, term, data.draw(uids(world), "member"),
                                                        at=data.draw(moments), expected_version=version))
    elif action == "record":
        people = st.lists(texts | choice([world.ops_uid, world.rep_uid]), max_size=3)
        attempt(world, lambda: kickoff.record_kickoff(ref, data.draw(dates, "held on"), data.draw(people, "ours"),
                                                      data.draw(people, "theirs"), data.draw(texts, "notes"),
                                                      today=today, expected_version=version))
    elif action == "shipped":
        attempt(world, lambda: kickoff.mark_first_shipment_sent(ref, data.draw(dates, "on"), data.draw(opt(texts)),
                                                                today=today, expected_version=version))
    else:
        attempt(world, lambda: kickoff.warnings(today))


@FUZZ
@given(data=st.data())
def test_delivery_and_breakdowns_with_bad_input_are_refused_cleanly(world: World, data: st.DataObject) -> None:
    from salesdesk.services.delivery import DeliveryService

    delivery = DeliveryService(world.services.ctx)
    deal = some_deal(world, data)
    ref = data.draw(choice([deal.ref, deal.uid]) | texts, "ref")
    item = data.draw(choice([w.uid for w in deal.work_items]) | texts, "work item")
    breakdown = data.draw(choice([b.uid for b in deal.breakdowns]) | texts, "breakdown")
    today = data.draw(todays, "today")
    category = st.sampled_from(m.BreakdownCategory) | texts
    day = dates | texts | st.sampled_from(["2026-02-30", "2026-01-01", ""])
    cost = decimals | texts | st.integers()
    action = data.draw(st.sampled_from(["done", "reopen", "lost", "log", "edit", "remove"]))
    if action == "done":
        attempt(world, lambda: delivery.mark_done(ref, item, data.draw(dates, "done on"),
                                                  started_on=data.draw(opt_dates, "started"), today=today))
    elif action == "reopen":
        attempt(world, lambda: delivery.reopen(ref, item))
    elif action == "lost":
        attempt(world, lambda: delivery.mark_lost(ref, data.draw(texts, "reason")))
    elif action == "log":
        attempt(world, lambda: delivery.log_breakdown(
            ref, data.draw(category), data.draw(names), data.draw(day), data.draw(texts), data.draw(texts),
            data.draw(cost), data.draw(texts), data.draw(opt(uids(world))), today=today))
    elif action == "edit":
        changes = data.draw(st.fixed_dictionaries({}, optional={
            "category": category, "department": names, "occurred_on": day, "description": texts,
            "customer_impact": texts, "cost": cost, "resolution": texts, "logged_by": opt(uids(world)),
            "automatic": st.booleans(), "uid": texts}), "changes")
        attempt(world, lambda: delivery.edit_breakdown(ref, breakdown, today=today, **changes))
    else:
        attempt(world, lambda: delivery.remove_breakdown(ref, breakdown))


@FUZZ
@given(data=st.data())
def test_the_yardstick_with_bad_dates_and_names_answers_or_refuses_cleanly(world: World, data: st.DataObject) -> None:
    from salesdesk.services.yardstick import YardstickService

    yardstick = YardstickService(world.services.ctx)
    today = data.draw(todays, "today")
    department = data.draw(opt(names), "department")
    action = data.draw(st.sampled_from(["compute", "calibration", "apply"]))
    if action == "compute":
        owner = data.draw(opt(texts | choice(["Sam Sales", "Olga Ops"])), "owner")
        attempt(world, lambda: yardstick.compute(start=data.draw(opt_dates, "start"), end=data.draw(opt_dates, "end"),
                                                 owner=owner, department=department, today=today))
    elif action == "calibration":
        attempt(world, lambda: yardstick.calibration(department, today=today))
    else:
        attempt(world, lambda: yardstick.apply_suggested_factor(department or "", today=today))


# --- deal packages -----------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts | st.sampled_from(["2026-02-30", "1e999", "-1"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=6,
)


def _mutate(document: Any, data: st.DataObject) -> Any:
    """Replace (or delete) one value somewhere in a package's deal.json, chosen by a walk from the top."""
    if not isinstance(document, dict | list) or not document or data.draw(st.integers(0, 4), "stop here") == 0:
        return data.draw(json_values, "new value")
    keys = list(document) if isinstance(document, dict) else list(range(len(document)))
    key = keys[data.draw(st.integers(0, 2**16), "walk") % len(keys)]
    copy = dict(document) if isinstance(document, dict) else list(document)
    if data.draw(st.integers(0, 9), "delete") == 0:
        del copy[key]
    else:
        copy[key] = _mutate(document[key], data)
    return copy


def _exported(world: World, ref: str) -> Path:
    """A fresh export of ``ref`` (cached per deal), to copy and damage."""
    from salesdesk.services.package import PackageService

    folder = world.folder / "exports" / ref
    if not folder.exists():
        folder.mkdir(parents=True)
        PackageService(world.services.ctx).export_deal(ref, folder)
    return next(p for p in folder.iterdir() if p.is_dir())


@settings(FUZZ, max_examples=FUZZ.max_examples * 2)
@given(data=st.data())
def test_a_damaged_deal_package_is_refused_cleanly(world: World, data: st.DataObject) -> None:
    from salesdesk.services.package import PackageService

    packages = PackageService(world.services.ctx)
    original = _exported(world, data.draw(choice([r.ref for r in world.services.deals.list_rows(limit_query())])))
    target = world.folder / "damaged"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(original, target)
    deal_json = target / "deal.json"
    how = data.draw(st.sampled_from(["mutate", "mutate", "mutate", "bytes", "missing", "folder"]), "damage")
    if how == "mutate":
        document = _mutate(json.loads(deal_json.read_text(encoding="utf-8")), data)
        deal_json.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    elif how == "bytes":
        deal_json.write_bytes(data.draw(st.binary(max_size=100) | st.just(b"\xef\xbb\xbf{") | st.just(b"[]"), "bytes"))
    elif how == "missing":
        deal_json.unlink()
    resolution = data.draw(st.sampled_from([None, "theirs", "ours", "copy"]) | texts, "resolution")
    path = target if how != "folder" else world.folder / "no-such-package"
    attempt(world, lambda: packages.import_package(path, resolution=resolution))


def limit_query() -> Any:
    from salesdesk.services.deals import DealQuery

    return DealQuery(limit=40)


@FUZZ
@given(data=st.data())
def test_backups_refuse_bad_targets_and_files_cleanly(world: World, data: st.DataObject) -> None:
    from salesdesk.services.backup import BackupService

    backups = BackupService(world.services.ctx)
    (world.folder / "not-a-backup.db").write_bytes(b"SQLite format 3\x00 but not really")
    (world.folder / "empty.db").write_bytes(b"")
    place = data.draw(st.sampled_from([world.folder / "not-a-backup.db", world.folder / "empty.db", world.folder,
                                       world.folder / "missing.db", world.folder / "missing" / "x.db"]), "file")
    if data.draw(st.booleans(), "restore"):
        attempt(world, lambda: backups.restore(place))
    else:
        attempt(world, lambda: backups.backup_now(data.draw(st.sampled_from([
            world.folder / "missing" / "deeper", world.folder / "not-a-backup.db"]), "to")))
