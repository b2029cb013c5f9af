"""Deals through the service layer: validation, optimistic locking, the audit trail, the list."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from salesdesk.domain.errors import ConflictError, NotFoundError, ValidationError
from salesdesk.domain.model import DealLine, Stage, WorkItem
from salesdesk.services.app import Services
from salesdesk.services.deals import DealQuery
from salesdesk.store.schema import AuditRow, DealRowORM


def _deal(sv):  # type: ignore[no-untyped-def]
    owner = sv.team.add("Ana Rossi", "Sales", "Sales manager")
    customer = sv.customers.add("Northwind Plastics Ltd")
    return sv.deals.create(customer.uid, "Packaging line upgrade", owner_uid=owner.uid, start_date=date(2026, 12, 1))


def _line(qty: str = "1", price: str = "100") -> DealLine:
    return DealLine(str(uuid.uuid4()), "Filler", Decimal(qty), Decimal(price))


def _count(sv, table) -> int:  # type: ignore[no-untyped-def]
    with sv.store.read() as s:
        return len(s.scalars(select(table)).all())


def test_a_new_deal_gets_a_readable_ref_and_a_stable_uid(services) -> None:  # type: ignore[no-untyped-def]
    d1 = _deal(services)
    d2 = services.deals.create(d1.customer_uid, "Second")
    year = date.today().year
    assert d1.ref == f"D-{year}-0001" and d2.ref == f"D-{year}-0002"
    assert uuid.UUID(d1.uid).version == 4
    assert d1.stage is Stage.DISCOVERY
    assert services.deals.get(d1.ref).uid == d1.uid == services.deals.get(d1.uid).uid


def test_the_checklist_is_copied_from_the_product_lines_template(services) -> None:  # type: ignore[no-untyped-def]
    c = services.customers.add("Acme")
    d = services.deals.create(c.uid, "Software", product_line="Software and integration")
    assert d.checklist and {i.department for i in d.checklist} >= {"Engineering", "Accounting"}
    assert any(i.mandatory for i in d.checklist)


def test_saving_a_deal_someone_else_changed_is_a_conflict_not_an_overwrite(services, db_url) -> None:  # type: ignore[no-untyped-def]
    mine = _deal(services)
    other = Services.open(db_url, actor="Other User")
    try:
        theirs = other.deals.get(mine.ref)
        other.deals.save(replace(theirs, title="Their title"))
    finally:
        other.close()
    with pytest.raises(ConflictError) as err:
        services.deals.save(replace(mine, title="My title"))
    assert "title" in err.value.fields
    assert "Someone else changed" in err.value.message
    assert services.deals.get(mine.ref).title == "Their title"


def test_every_change_is_written_to_the_audit_log(services) -> None:  # type: ignore[no-untyped-def]
    d = _deal(services)
    services.set_actor("Ben Okafor")
    d = services.deals.save(replace(d, title="Packaging line upgrade, phase 2", lines=(_line("2", "150.5"),)))
    history = services.history.for_deal(d.uid)
    title_change = next(h for h in history if h.field == "title")
    assert (title_change.actor, title_change.old, title_change.new) == (
        "Ben Okafor", "Packaging line upgrade", "Packaging line upgrade, phase 2")
    assert any(h.entity == "deal_line" and h.action == "add" and h.new == "Filler" for h in history)
    assert any(h.action == "create" for h in history)


def test_the_audit_log_is_append_only(services) -> None:  # type: ignore[no-untyped-def]
    _deal(services)
    with pytest.raises(DBAPIError), services.store.write() as s:
        s.execute(text("UPDATE audit_log SET actor = 'someone else'"))
    with pytest.raises(DBAPIError), services.store.write() as s:
        s.execute(text("DELETE FROM audit_log"))
    with services.store.read() as s:
        assert all(a.actor != "someone else" for a in s.scalars(select(AuditRow)))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lines": (DealLine("l1", "Filler", Decimal("-1"), Decimal("10")),)}, "quantity cannot be below 0"),
        ({"lines": (DealLine("l1", "Filler", Decimal("1"), Decimal("-10")),)}, "unit price cannot be below 0"),
        ({"lines": (DealLine("l1", "", Decimal("1"), Decimal("10")),)}, "description is empty"),
        ({"requested_date": date(2026, 11, 1)}, "is before Start date"),
        ({"needs_identified": "x" * 100_000}, "too long"),
        ({"title": "   "}, "Deal title is empty"),
        ({"work_items": (WorkItem("w1", "Engineering", "Design", Decimal("0")),)}, "0.5"),
        ({"work_items": (WorkItem("w1", "Engineering", "Design", Decimal("1"), ("nope",)),)}, "not in this deal"),
        ({"factor_override": Decimal("2.5")}, "needs a reason"),
        ({"factor_override": Decimal("0.9"), "factor_override_reason": "x"}, "between 1.0 and 5.0"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_saved(services, change, message) -> None:  # type: ignore[no-untyped-def]
    d = _deal(services)
    audit_before = _count(services, AuditRow)
    with pytest.raises(ValidationError) as err:
        services.deals.save(replace(d, **change))
    assert message in str(err.value)
    assert err.value.hint
    assert services.deals.get(d.ref) == d
    assert _count(services, AuditRow) == audit_before


def test_a_work_item_cycle_is_refused_naming_the_items(services) -> None:  # type: ignore[no-untyped-def]
    d = _deal(services)
    a = WorkItem("a", "Engineering", "Design", Decimal("1"), ("b",))
    b = WorkItem("b", "Manufacturing", "Build", Decimal("1"), ("a",))
    with pytest.raises(ValidationError) as err:
        services.deals.save(replace(d, work_items=(a, b)))
    assert "Design" in str(err.value) and "Build" in str(err.value)


def test_the_promised_date_is_the_padded_one(services) -> None:  # type: ignore[no-untyped-def]
    d = _deal(services)  # starts Tue 2026-12-01; no holidays configured; factor 2.0
    d = services.deals.save(replace(d, work_items=(WorkItem("a", "Engineering", "Design", Decimal("2.5")),)))
    # ceil(2.5 x 2.0) = 5 working days after Tue 1 Dec: Wed 2 .. Tue 8 Dec
    assert d.promised_date == date(2026, 12, 8)


def test_unknown_deal_and_unknown_customer_say_so(services) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError):
        services.deals.get("D-1999-0001")
    with pytest.raises(NotFoundError):
        services.deals.create(str(uuid.uuid4()), "No customer")


def test_the_list_filters_sorts_and_pages_in_the_database(services) -> None:  # type: ignore[no-untyped-def]
    c1 = services.customers.add("Alpha Foods")
    c2 = services.customers.add("Beta Metals")
    for i in range(5):
        d = services.deals.create(c1.uid if i % 2 else c2.uid, f"Deal {i}")
        services.deals.save(replace(d, lines=(_line(str(i + 1), "10"),)))
    assert services.deals.count() == 5
    assert services.deals.count(DealQuery(text="alpha")) == 2
    assert services.deals.count(DealQuery(text="DEAL 3")) == 1
    by_value = services.deals.list_rows(DealQuery(sort="value", descending=True))
    assert [r.value for r in by_value] == sorted((r.value for r in by_value), reverse=True)
    page = services.deals.list_rows(DealQuery(sort="ref", descending=False, offset=2, limit=2))
    assert [r.title for r in page] == ["Deal 2", "Deal 3"]
    assert services.deals.count(DealQuery(stages=(Stage.QUOTED,))) == 0
    with pytest.raises(ValidationError):
        services.deals.list_rows(DealQuery(sort="nonsense"))


def test_losing_a_deal_needs_a_reason(services) -> None:  # type: ignore[no-untyped-def]
    d = _deal(services)
    with pytest.raises(ValidationError):
        services.deals.set_stage(d.ref, Stage.LOST)
    lost = services.deals.set_stage(d.ref, Stage.LOST, reason="Chose a competitor")
    assert lost.stage is Stage.LOST and lost.lost_reason == "Chose a competitor"
    with services.store.read() as s:
        assert s.scalar(select(DealRowORM.stage).where(DealRowORM.uid == d.uid)) == "lost"


def test_the_filter_finds_any_script_in_any_case_and_follows_renames(services) -> None:  # type: ignore[no-untyped-def]
    greek = services.customers.add("Ζωή Βιομηχανική")
    acme = services.customers.add("Acme 100% Ltd")
    d = services.deals.create(greek.uid, "Γραμμή ΠΑΡΑΓΩΓΗΣ")
    services.deals.create(acme.uid, "Filler_2")
    assert [r.ref for r in services.deals.list_rows(DealQuery(text="ζωή"))] == [d.ref]
    assert [r.ref for r in services.deals.list_rows(DealQuery(text="παραγωγής"))] == [d.ref]
    assert services.deals.count(DealQuery(text="100%")) == 1
    assert services.deals.count(DealQuery(text="0%L")) == 0  # % and _ are taken literally
    assert services.deals.count(DealQuery(text="r_2")) == 1
    version = services.deals.get(d.ref).version
    services.customers.save(replace(services.customers.get(greek.uid), name="Olympus Industries"))
    assert [r.ref for r in services.deals.list_rows(DealQuery(text="olympus"))] == [d.ref]
    assert services.deals.count(DealQuery(text="ζωή")) == 0
    assert services.deals.get(d.ref).version == version  # a rename is not an edit of the deal
