"""Team members and PINs, customers, and settings validation."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from salesdesk.domain.errors import ConflictError, RefusedError, ValidationError
from salesdesk.domain.model import ClosureDay, DepartmentSettings
from salesdesk.services.app import Services
from salesdesk.services.customers import new_contact
from salesdesk.store.schema import AuditRow, TeamMemberRow


def test_a_pin_is_kept_only_as_a_salted_scrypt_hash(services) -> None:  # type: ignore[no-untyped-def]
    m = services.team.add("Elena García", "Operations", pin="4821")
    n = services.team.add("Hans Becker", "Manufacturing", pin="4821")
    with services.store.read() as s:
        hashes = [r.pin_hash for r in s.scalars(select(TeamMemberRow))]
        audit = " ".join(f"{a.old} {a.new}" for a in s.scalars(select(AuditRow)))
    assert all(h and h.startswith("scrypt$") and "4821" not in h for h in hashes)
    assert hashes[0] != hashes[1]  # salted
    assert "4821" not in audit
    assert m.has_pin and n.has_pin
    services.team.check_pin(m.uid, "4821")


def test_a_pin_is_the_same_number_whichever_digits_type_it(services) -> None:  # type: ignore[no-untyped-def]
    """Arabic-Indic or Devanagari digits are digits: set in one script, typed in another, it matches."""
    m = services.team.add("Layla Haddad", "Operations", pin="٤٨٢١")
    services.team.check_pin(m.uid, "4821")
    services.team.check_pin(m.uid, "٤٨٢١")
    services.team.check_pin(m.uid, "४८२१")  # Devanagari
    with pytest.raises(RefusedError):
        services.team.check_pin(m.uid, "٤٨٢٢")


def test_a_pin_set_before_digits_were_made_ascii_still_works(services) -> None:  # type: ignore[no-untyped-def]
    from salesdesk.services.team import hash_pin

    m = services.team.add("Layla Haddad", "Operations")
    with services.store.write() as s:  # as an earlier version stored it: the digits as typed
        s.scalar(select(TeamMemberRow).where(TeamMemberRow.uid == m.uid)).pin_hash = hash_pin("٤٨٢١")
    services.team.check_pin(m.uid, "٤٨٢١")


def test_five_wrong_pins_lock_signing_for_five_minutes(services) -> None:  # type: ignore[no-untyped-def]
    m = services.team.add("Elena García", "Operations", pin="4821")
    t0 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    for attempt in range(4):
        with pytest.raises(RefusedError) as err:
            services.team.check_pin(m.uid, "0000", at=t0)
        assert f"{4 - attempt} attempt" in str(err.value)
    with pytest.raises(RefusedError) as err:
        services.team.check_pin(m.uid, "0000", at=t0)
    assert "locked for 5 minutes" in str(err.value)
    with pytest.raises(RefusedError) as err:  # even the right PIN is refused while locked
        services.team.check_pin(m.uid, "4821", at=t0 + timedelta(minutes=4))
    assert "locked" in str(err.value)
    services.team.check_pin(m.uid, "4821", at=t0 + timedelta(minutes=5, seconds=1))


@pytest.mark.parametrize("pin", ["12", "abcd", "1234567890123", "12 34", "²³⁴⁵", "1½34"])
def test_a_pin_must_be_4_to_12_digits(services, pin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        services.team.add("X", "Sales", pin=pin)
    assert services.team.list_members() == []


def test_team_member_needs_a_name_and_department(services) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as err:
        services.team.add("", "Sales")
    assert err.value.field == "name"
    with pytest.raises(ValidationError) as err:
        services.team.add("Ana", "")
    assert err.value.field == "department"
    with pytest.raises(ValidationError):
        services.team.add("Ana", "Sales", email="not-an-address")


def test_customer_edits_conflict_when_someone_else_saved_first(services, db_url) -> None:  # type: ignore[no-untyped-def]
    c = services.customers.add("Ζωή Βιομηχανική Α.Ε.", contacts=(new_contact("Ioannis", "Plant manager"),))
    other = Services.open(db_url)
    try:
        other.customers.save(replace(other.customers.get(c.uid), address="Athens"))
    finally:
        other.close()
    with pytest.raises(ConflictError):
        services.customers.save(replace(c, notes="mine"))
    assert services.customers.get(c.uid).address == "Athens"


def test_customer_validation(services) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        services.customers.add("  ")
    with pytest.raises(ValidationError):
        services.customers.add("Acme", notes="n" * 100_000)
    with pytest.raises(ValidationError):
        services.customers.add("Acme", contacts=(new_contact(""),))
    assert services.customers.list_customers() == []


def test_settings_round_trip_and_are_audited(services) -> None:  # type: ignore[no-untyped-def]
    st = services.settings.load()
    assert st.default_factor == Decimal("2.0") and st.contingency_percent == Decimal("10")
    new = replace(
        st, company_name="Brightline", holiday_country="de", holiday_subdivision="by", weekend_days=(4, 5),
        closures=(ClosureDay(date(2026, 12, 24), date(2026, 12, 31), "Winter closure"),),
        departments=(DepartmentSettings("Engineering", Decimal("2.5"), Decimal("30")), DepartmentSettings("Sales")),
    )
    services.settings.save(new)
    loaded = services.settings.load()
    assert loaded.holiday_country == "DE" and loaded.holiday_subdivision == "BY"
    assert loaded.weekend_days == (4, 5)
    assert loaded.closures == new.closures and loaded.departments == new.departments
    assert services.settings.factor_for("Engineering") == Decimal("2.5")
    assert services.settings.factor_for("Sales") == Decimal("2.0")
    with services.store.read() as s:
        fields = {a.field for a in s.scalars(select(AuditRow).where(AuditRow.entity == "settings"))}
    assert {"company_name", "holiday_country", "departments"} <= fields


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"default_factor": Decimal("0.9")}, "factor"),
        ({"default_factor": Decimal("5.1")}, "factor"),
        ({"contingency_percent": Decimal("51")}, "contingency_percent"),
        ({"contingency_percent": Decimal("-1")}, "contingency_percent"),
        ({"weekend_days": (0, 1, 2, 3, 4, 5, 6)}, "weekend_days"),
        ({"holiday_country": "XX"}, "holiday_country"),
        ({"holiday_country": "DE", "holiday_subdivision": "ZZ"}, "holiday_subdivision"),
        ({"company_name": ""}, "company_name"),
        ({"currency": "euro"}, "currency"),
        ({"closures": (ClosureDay(date(2026, 12, 31), date(2026, 12, 24), "x"),)}, "closures"),
        ({"departments": (DepartmentSettings("Ops", Decimal("9")),)}, "factor"),
        ({"departments": (DepartmentSettings("Ops"), DepartmentSettings("ops"))}, "departments"),
        ({"logo_png": b"GIF89a"}, "logo_png"),
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(services, change, field) -> None:  # type: ignore[no-untyped-def]
    before = services.settings.load()
    with pytest.raises(ValidationError) as err:
        services.settings.save(replace(before, **change))
    assert err.value.field == field
    assert services.settings.load() == before
