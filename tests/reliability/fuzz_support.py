"""What the fuzz sweeps share: a database with a little of everything in it, hostile values, and
``attempt`` — run an operation; it works, or it refuses with a SalesDeskError and changes nothing.

Sized for CI (``SALESDESK_FUZZ_EXAMPLES`` per test, default 25); ``SALESDESK_FUZZ_PROFILE=full``
runs a long sweep on demand (``SALESDESK_FUZZ_EXAMPLES`` still overrides the count).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from salesdesk.domain import model as m
from salesdesk.domain.errors import SalesDeskError

_PROFILE = os.environ.get("SALESDESK_FUZZ_PROFILE", "ci")
_DEFAULT_EXAMPLES = {"ci": 25, "full": 400}.get(_PROFILE, 25)
settings.register_profile(
    "salesdesk-fuzz",
    max_examples=int(os.environ.get("SALESDESK_FUZZ_EXAMPLES", _DEFAULT_EXAMPLES)),
    deadline=None,
    # One database per module (opening one per example would leave no time for examples); the
    # autouse data-folder fixture is the same for every example, so sharing it is harmless.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
    report_multiple_bugs=False,
    # The database carries on from example to example, so a failure rarely replays exactly; in CI
    # report it as found rather than spend minutes shrinking it. The full profile shrinks.
    phases=[Phase.explicit, Phase.reuse, Phase.generate] + ([Phase.shrink] if _PROFILE == "full" else []),
)
FUZZ = settings.get_profile("salesdesk-fuzz")

# --- the world every example works in ------------------------------------------------------------


@dataclass
class World:
    services: Any
    url: str
    folder: Path
    ops_uid: str
    rep_uid: str
    customer_uid: str
    contact_uid: str
    deal_ref: str


def make_world(url: str, folder: Path) -> World:
    """Open ``url`` and fill it: a team with a PIN, a customer with a contact, a deal with work, and
    a small demo company with deals in every stage (so agreements, kickoffs and deliveries have
    something to work on)."""
    from salesdesk.services.app import Services
    from salesdesk.services.customers import new_contact
    from salesdesk.services.demo import generate_demo

    sv = Services.open(url, actor="Fuzz")
    try:
        generate_demo(sv, deals=12, seed=5, workers=1)
        ops = sv.team.add("Olga Ops", "Operations", "Lead", pin="1234")
        rep = sv.team.add("Sam Sales", "Sales", "Rep", email="sam@example.com")
        customer = sv.customers.add("Fuzz Industries", contacts=(new_contact("Carla Client", "Buyer"),))
        deal = sv.deals.create(customer.uid, "Fuzzed deal", owner_uid=rep.uid, product_line=sv.deals.product_lines()[0],
                               start_date=date(2026, 3, 2), requested_date=date(2026, 9, 1))
        work = m.WorkItem(str(uuid.uuid4()), "Operations", "Build the line", Decimal("5"))
        line = m.DealLine(str(uuid.uuid4()), "Filler", Decimal("2"), Decimal("950"))
        deal = sv.deals.save(replace(deal, work_items=(work,), lines=(line,)))
    except BaseException:
        sv.close()
        raise
    return World(sv, url, folder, ops.uid, rep.uid, customer.uid, customer.contacts[0].uid, deal.ref)




def dump(services: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    from salesdesk.store.schema import Base

    out: dict[str, list[tuple[Any, ...]]] = {}
    with services.store.read() as s:
        for table in Base.metadata.sorted_tables:
            out[table.name] = [tuple(r) for r in s.execute(select(table).order_by(*table.primary_key.columns))]
        out["alembic_version"] = [tuple(r) for r in s.execute(text("SELECT version_num FROM alembic_version"))]
    return out


def differences(before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    return [f"{name}: {len(before[name])} rows before, {len(after[name])} after"
            for name in before if before[name] != after[name]]


def attempt(world: World, action: Callable[[], Any], *, may_change: Callable[[str], bool] = lambda _t: False) -> Any:
    """Run ``action``: it succeeds, or it refuses with a SalesDeskError and changes nothing.

    ``may_change(table)`` names tables a refusal may still write (a wrong PIN counts the attempt).
    """
    before = dump(world.services)
    try:
        return action()
    except SalesDeskError as exc:
        assert exc.message.strip(), f"{type(exc).__name__} without a message"
        changed = [d for d in differences(before, dump(world.services)) if not may_change(d.split(":")[0])]
        assert not changed, f"refused with '{exc}', yet the database changed: {changed}"
        return None


def choice(items: list[Any] | tuple[Any, ...]) -> st.SearchStrategy[Any]:
    """One of ``items`` — a list that grows as examples add rows. Drawn as a number in a fixed range,
    so hypothesis sees the same kind of draw whatever the database holds by then."""
    items = list(items) or [""]
    return st.integers(0, 2**16).map(lambda i: items[i % len(items)])


def some_deal(world: World, data: st.DataObject) -> m.Deal:
    refs = [r.ref for r in world.services.deals.list_rows()]
    return world.services.deals.get(data.draw(choice(refs), "deal"))


# --- hostile values ----------------------------------------------------------------------------

SPECIAL_TEXT = ["", " ", "\x00", "\t\n", "<b>&amp;</b>", "\u202eevil", "李明 مرحبا", "'; DROP TABLE deals; --",
                "%", "_", "\ud7ff", "🙂🙂🙂"]
# Over each length limit (200 names, 300 titles, 2,000 short texts, 20,000 notes); drawn as a length
# so a failure report does not print twenty thousand x's.
long_texts = st.sampled_from([201, 301, 2001, 20_001]).map(lambda n: "x" * n)
texts = st.one_of(st.text(max_size=40), st.sampled_from(SPECIAL_TEXT), long_texts)
names = st.one_of(st.sampled_from(["Operations", "Sales", "Engineering", "operations ", "Nobody"]), texts)
SPECIAL_DECIMALS = ["NaN", "sNaN", "-NaN", "Infinity", "-Infinity", "-1", "0", "-0", "0.5", "1", "999", "1000",
                    "1e12", "1e13", "1e-30", "1e999999", "0.0001", "0.00001", "2.0005", "5.0001"]
decimals = st.one_of(st.decimals(allow_nan=True, allow_infinity=True), st.sampled_from(SPECIAL_DECIMALS).map(Decimal))
dates = st.one_of(st.dates(), st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)),
                  st.sampled_from([date.min, date.max, date(9999, 12, 30)]))
opt_dates = st.one_of(st.none(), dates)
# "today" is the clock the services are handed in tests, not something a user types: a real one.
todays = st.one_of(st.none(), st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31)))
# Instants are aware UTC everywhere (a naive one is a programming error the store refuses loudly).
moments = st.one_of(st.none(), st.datetimes(timezones=st.just(UTC)),
                    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 1, 1), timezones=st.just(UTC)))


def uids(world: World, *known: str) -> st.SearchStrategy[str]:
    return st.one_of(st.uuids().map(str), choice([world.ops_uid, world.rep_uid, *known]), texts)


def opt(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def deal_mutations(world: World, deal: m.Deal) -> st.SearchStrategy[dict[str, Any]]:
    """Changes a rep (or a broken client) could send with a save: any field, any child."""
    member = uids(world)
    contact = st.one_of(st.just(world.contact_uid), uids(world))
    work_uids = [w.uid for w in deal.work_items]
    child_uid = st.one_of(st.uuids().map(str), choice(work_uids + [c.uid for c in deal.lines]))
    work = st.builds(m.WorkItem, uid=child_uid, department=names, task=texts, raw_days=decimals,
                     predecessors=st.lists(choice(work_uids) | texts, max_size=2).map(tuple),
                     status=st.sampled_from(m.ItemStatus), actual_start=opt_dates, actual_done=opt_dates,
                     promised_due=opt_dates)
    children = {
        "lines": st.builds(m.DealLine, uid=child_uid, description=texts, quantity=decimals, unit_price=decimals,
                           unit=texts),
        "work_items": work,
        "questions": st.builds(m.DiscoveryQuestion, uid=child_uid, question=texts, answer=texts),
        "objections": st.builds(m.Objection, uid=child_uid, objection=texts, response=texts),
        "checklist": st.builds(m.ChecklistItem, uid=choice([c.uid for c in deal.checklist]) | child_uid,
                               department=names, question=texts, mandatory=st.booleans(),
                               answer=opt(st.sampled_from(m.Answer)), notes=texts, answered_by=opt(member),
                               answered_at=moments),
        "parties": st.builds(m.Party, uid=child_uid, side=st.sampled_from(m.Side), responsibility=texts,
                             member_uid=opt(member), contact_uid=opt(contact)),
        "help_contacts": st.builds(m.HelpContact, uid=child_uid, topic=texts, name=texts, phone=texts, email=texts),
        "terms": st.builds(m.DealTerm, uid=child_uid, title=texts, body=texts, non_standard=st.booleans(),
                           approved_by=opt(member), source=st.sampled_from(["library", "custom", "signoff"]) | texts),
        "action_items": st.builds(m.ActionItem, uid=child_uid, owner_side=st.sampled_from(m.Side), what=texts,
                                  owner_member_uid=opt(member), owner_contact_uid=opt(contact), due_fixed=opt_dates,
                                  due_work_item_uid=opt(choice(work_uids) | texts),
                                  status=st.sampled_from(m.ItemStatus), done_on=opt_dates),
        "stakeholders": st.builds(m.Stakeholder, uid=child_uid, member_uid=member, how_they_win=texts),
        "breakdowns": st.builds(m.Breakdown, uid=child_uid, category=st.sampled_from(m.BreakdownCategory),
                                department=names, occurred_on=dates, description=texts, customer_impact=texts,
                                cost=decimals, resolution=texts, logged_by=opt(member)),
        "signoffs": st.builds(m.SignOff, uid=child_uid, department=names, member_uid=member,
                              verdict=st.sampled_from(m.Verdict), conditions=texts, fingerprint=texts, reviewed=texts,
                              signed_at=st.datetimes(timezones=st.just(UTC)), current=st.booleans()),
    }
    optional: dict[str, st.SearchStrategy[Any]] = {
        name: st.one_of(st.just(()), st.lists(strategy, max_size=3).map(tuple),
                        st.just(getattr(deal, name)).map(lambda items: (*items, *items)))  # duplicated children
        for name, strategy in children.items()
    }
    optional.update(
        ref=texts, title=texts, product_line=texts, currency=texts, customer_uid=uids(world, world.customer_uid),
        owner_uid=opt(member), stage=st.sampled_from(m.Stage), version=choice([deal.version, deal.version - 1, deal.version + 1, 0]),
        requested_date=opt_dates, start_date=opt_dates, first_shipment_date=opt_dates, first_shipment_sent_on=opt_dates,
        needs_identified=texts, needs_clarified=texts, existing_technology=texts, customer_abilities=texts,
        training_recommendation=texts, break_in_period=texts, inclusions=texts, exclusions=texts,
        cost_overrun_handling=texts, disagreement_handling=texts, factor_override=opt(decimals),
        factor_override_reason=texts, gap_handling=opt(st.sampled_from(m.GapHandling)), gap_reason=texts,
        decline_reason=texts, lost_reason=texts, kickoff_override_reason=texts,
        kickoff=opt(st.builds(m.Kickoff, uid=child_uid, held_on=dates, attendees_ours=st.lists(texts, max_size=2).map(tuple),
                              attendees_theirs=st.lists(texts, max_size=2).map(tuple), notes=texts)),
    )
    return st.fixed_dictionaries({}, optional=optional)


contacts = st.lists(st.builds(m.Contact, uid=st.uuids().map(str) | st.just("same"), name=texts, role=texts,
                              department=texts, email=texts | st.just("a@b.c"), phone=texts), max_size=3).map(tuple)
pins = st.one_of(st.none(), texts, st.sampled_from(["1234", "12345678901234", "123", " 4821 ", "١٢٣٤", "²³⁴⁵", "12a4"]))
