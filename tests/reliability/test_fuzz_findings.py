"""What the fuzz sweeps found, pinned down one behaviour at a time (on SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from salesdesk.domain.errors import ConflictError, NotFoundError, SalesDeskError, StoreError, ValidationError
from salesdesk.domain.model import ClosureDay, DealLine, Kickoff
from salesdesk.services.app import Services
from salesdesk.services.customers import new_contact


def _deal(sv, title: str = "Packaging line upgrade"):  # type: ignore[no-untyped-def]
    customer = sv.customers.add(f"Customer of {title}")
    return sv.deals.create(customer.uid, title, start_date=date(2026, 12, 1))


def _line(uid: str | None = None) -> DealLine:
    return DealLine(uid or str(uuid.uuid4()), "Filler", Decimal("1"), Decimal("100"))


def test_looking_up_text_with_an_invisible_nul_character_is_refused_in_words(services) -> None:  # type: ignore[no-untyped-def]
    # PostgreSQL cannot even compare text holding NUL; SQLite simply finds nothing.
    with pytest.raises(SalesDeskError) as refused:
        services.deals.get("D-2026\x000001")
    assert refused.value.message


def test_a_new_kickoff_replaces_the_one_recorded_before(services) -> None:  # type: ignore[no-untyped-def]
    deal = _deal(services)
    first = services.deals.save(replace(deal, kickoff=Kickoff(str(uuid.uuid4()), date(2026, 12, 2), ("Ana",), ())))
    second = Kickoff(str(uuid.uuid4()), date(2026, 12, 9), ("Ana", "Ben"), ("Carla",), "moved a week")
    saved = services.deals.save(replace(first, kickoff=second))
    assert services.deals.get(deal.ref).kickoff == second == saved.kickoff


def test_a_list_holding_the_same_entry_twice_is_refused_and_changes_nothing(services) -> None:  # type: ignore[no-untyped-def]
    deal = services.deals.save(replace(_deal(services), lines=(_line(),)))
    with pytest.raises(ValidationError, match="twice"):
        services.deals.save(replace(deal, lines=(*deal.lines, *deal.lines), title="Changed"))
    assert services.deals.get(deal.ref) == deal


def test_an_entry_already_stored_with_another_deal_is_a_conflict_not_a_crash(services) -> None:  # type: ignore[no-untyped-def]
    one = services.deals.save(replace(_deal(services, "One"), lines=(_line(),)))
    other = _deal(services, "Other")
    with pytest.raises(ConflictError, match="another deal"):
        services.deals.save(replace(other, lines=(_line(one.lines[0].uid),)))
    assert services.deals.get(other.ref) == other


def test_a_contact_already_stored_with_another_customer_is_a_conflict_not_a_crash(services) -> None:  # type: ignore[no-untyped-def]
    first = services.customers.add("Northwind", contacts=(new_contact("Carla Client"),))
    before = len(services.customers.list_customers())
    with pytest.raises(ConflictError, match="another customer"):
        services.customers.add("Southwind", contacts=first.contacts)
    assert len(services.customers.list_customers()) == before


def test_a_template_saved_as_a_copy_gets_questions_of_its_own(services) -> None:  # type: ignore[no-untyped-def]
    original = services.templates.list_templates()[0]
    copy = services.templates.save(replace(original, uid="", name="Copy", product_line="Copied line"))
    assert {i.uid for i in copy.items}.isdisjoint({i.uid for i in original.items})
    assert [i.question for i in copy.items] == [i.question for i in original.items]
    assert services.templates.get(original.uid) == original


def test_deleted_templates_stay_deleted_at_the_next_start(db_url: str) -> None:
    sv = Services.open(db_url)
    try:
        for template in sv.templates.list_templates():
            sv.templates.delete(template.uid)
    finally:
        sv.close()
    again = Services.open(db_url)
    try:
        assert again.templates.list_templates() == []
        assert again.settings.load().company_name  # the marker row does not disturb the settings
    finally:
        again.close()


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2026, 1, 1), date(2027, 6, 1)), (date(1, 1, 1), date(1, 1, 2)), (date(9999, 12, 30), date.max)],
)
def test_a_closure_longer_than_a_year_or_outside_the_calendar_is_refused(services, start: date, end: date) -> None:  # type: ignore[no-untyped-def]
    st = services.settings.load()
    with pytest.raises(ValidationError):
        services.settings.save(replace(st, closures=(ClosureDay(start, end, "shutdown"),)))
    assert services.settings.load() == st


def test_a_yardstick_period_outside_the_calendar_is_refused(services) -> None:  # type: ignore[no-untyped-def]
    from salesdesk.services.yardstick import YardstickService

    with pytest.raises(ValidationError, match="outside the dates"):
        YardstickService(services.ctx).compute(end=date(1, 1, 1))


@pytest.mark.parametrize("url", ["sqlite:///:memory:", "sqlite://"])
def test_an_in_memory_database_is_refused_because_it_keeps_nothing(url: str) -> None:
    with pytest.raises(StoreError, match="in-memory"):
        Services.open(url)


def test_a_name_too_long_for_the_file_system_is_no_package_and_no_backup(tmp_path: Path) -> None:
    from salesdesk.services.backup import describe_backup
    from salesdesk.services.package_read import package_paths

    too_long = tmp_path / ("x" * 5000)
    with pytest.raises(NotFoundError):
        package_paths(too_long)
    with pytest.raises(ValidationError):
        describe_backup(too_long)
