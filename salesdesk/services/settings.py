"""The team's settings: company and letterhead, promise rules, calendar, capacity, shared folder."""

from __future__ import annotations

import base64
import json
from dataclasses import fields, replace
from datetime import date
from decimal import Decimal
from typing import Any

import holidays
from sqlalchemy import select

from salesdesk.domain.errors import ValidationError
from salesdesk.domain.model import ClosureDay, DepartmentSettings, Settings
from salesdesk.services import validation as v
from salesdesk.services.context import Context
from salesdesk.store.schema import SettingRow

MIN_FACTOR, MAX_FACTOR = Decimal("1.0"), Decimal("5.0")
MAX_CLOSURE_DAYS = 366


def _encode(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name == "logo_png":
        return base64.b64encode(value).decode()
    if name == "closures":
        return [{"start": c.start.isoformat(), "end": c.end.isoformat(), "reason": c.reason} for c in value]
    if name == "departments":
        return [
            {
                "name": d.name,
                "buffer_factor": str(d.buffer_factor) if d.buffer_factor is not None else None,
                "weekly_capacity": str(d.weekly_capacity) if d.weekly_capacity is not None else None,
            }
            for d in value
        ]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def _decode(name: str, raw: Any) -> Any:
    if raw is None:
        return None
    if name == "logo_png":
        return base64.b64decode(raw)
    if name == "closures":
        return tuple(ClosureDay(date.fromisoformat(c["start"]), date.fromisoformat(c["end"]), c.get("reason", "")) for c in raw)
    if name == "departments":
        return tuple(
            DepartmentSettings(
                d["name"],
                Decimal(d["buffer_factor"]) if d.get("buffer_factor") is not None else None,
                Decimal(d["weekly_capacity"]) if d.get("weekly_capacity") is not None else None,
            )
            for d in raw
        )
    default = getattr(Settings(), name)
    if isinstance(default, Decimal):
        return Decimal(raw)
    if isinstance(default, tuple):
        return tuple(raw)
    return raw


def validate_factor(value: Decimal, label: str) -> Decimal:
    factor = v.decimal(value, label, minimum=None, maximum=None, field="factor")
    if not MIN_FACTOR <= factor <= MAX_FACTOR:
        raise ValidationError(
            f"{label} must be between 1.0 and 5.0 (it is {factor}).",
            "Below 1.0 would promise less time than operations estimated; above 5.0 is not a buffer but a guess.",
            field="factor",
        )
    return factor


def validate_settings(st: Settings) -> Settings:
    """Refuse settings that would make promises meaningless; clean the texts."""
    if st.logo_png is not None and not st.logo_png.startswith(b"\x89PNG"):
        raise ValidationError("The letterhead logo must be a PNG image.", "Choose a .png file.", field="logo_png")
    if st.logo_png is not None and len(st.logo_png) > 2_000_000:
        raise ValidationError("The letterhead logo is larger than 2 MB.", "Use a smaller PNG.", field="logo_png")
    validate_factor(st.default_factor, "The default buffer factor")
    contingency = v.decimal(st.contingency_percent, "Contingency", minimum=None, maximum=None, field="contingency_percent")
    if not Decimal(0) <= contingency <= Decimal(50):
        raise ValidationError(
            f"Contingency must be between 0 % and 50 % (it is {contingency} %).",
            "The usual allowance for the unexpected is 10 %.",
            field="contingency_percent",
        )
    weekend = tuple(sorted(set(st.weekend_days)))
    if any(d not in range(7) for d in weekend):
        raise ValidationError("Weekend days must be weekdays Monday to Sunday.", "Pick them from the list.", field="weekend_days")
    if len(weekend) >= 7:
        raise ValidationError("Every day of the week is marked as weekend.", "Leave at least one working day.", field="weekend_days")
    country = (st.holiday_country or "").strip().upper() or None
    subdivision = (st.holiday_subdivision or "").strip().upper() or None
    if country:
        supported = holidays.list_supported_countries()
        if country not in supported:
            raise ValidationError(
                f"'{country}' is not a country SalesDesk has public holidays for.",
                "Use a two-letter ISO code such as GB, US, DE or FR.",
                field="holiday_country",
            )
        if subdivision and subdivision not in supported[country]:
            raise ValidationError(
                f"'{subdivision}' is not a region of {country}.",
                f"Use one of: {', '.join(supported[country][:12])}{'…' if len(supported[country]) > 12 else ''}.",
                field="holiday_subdivision",
            )
    elif subdivision:
        raise ValidationError("A region needs a country.", "Choose the country first.", field="holiday_subdivision")
    for c in st.closures:
        v.date_in_range(c.start, "Closure start", field="closures")
        v.date_in_range(c.end, "Closure end", field="closures")
        v.date_order(c.start, c.end, "Closure start", "Closure end", field="closures")
        # Every day of a closure is looked at for every promise; a closure longer than a year is a typo.
        if (c.end - c.start).days >= MAX_CLOSURE_DAYS:
            raise ValidationError(
                f"A closure from {c.start.isoformat()} to {c.end.isoformat()} is longer than a year.",
                "Check the dates; enter long shutdowns as one closure per year.",
                field="closures",
            )
    seen: set[str] = set()
    departments = []
    for d in st.departments:
        dname = v.name(d.name, "Department name", field="departments")
        if dname.lower() in seen:
            raise ValidationError(f"The department '{dname}' is listed twice.", "Remove one of them.", field="departments")
        seen.add(dname.lower())
        if d.buffer_factor is not None:
            validate_factor(d.buffer_factor, f"The buffer factor of {dname}")
        if d.weekly_capacity is not None:
            v.decimal(d.weekly_capacity, f"The weekly capacity of {dname}", maximum=Decimal(10_000), field="departments")
        departments.append(replace(d, name=dname))
    target = v.decimal(st.calibration_target, "Target share of promises kept", minimum=Decimal("0.5"), maximum=Decimal("1"),
                       field="calibration_target")
    if not 10 <= st.calibration_window <= 10_000:
        raise ValidationError("The calibration window must be between 10 and 10,000 work items.",
                              "50 is a good start.", field="calibration_window")
    if not 1 <= st.backup_keep <= 1000:
        raise ValidationError("Keep between 1 and 1,000 backups.", "10 is a good start.", field="backup_keep")
    currency = (st.currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationError(f"'{st.currency}' is not a currency code.", "Use three letters, e.g. EUR, USD, GBP.", field="currency")
    return replace(
        st,
        company_name=v.text(st.company_name, "Company name", required=True, limit=v.MAX_TITLE, field="company_name"),
        company_address=v.text(st.company_address, "Company address", limit=1000, field="company_address"),
        company_phone=v.text(st.company_phone, "Company phone", limit=64, field="company_phone"),
        company_email=v.text(st.company_email, "Company e-mail", limit=320, field="company_email"),
        company_website=v.text(st.company_website, "Company website", limit=300, field="company_website"),
        shared_folder=v.text(st.shared_folder, "Shared folder", limit=1000, field="shared_folder"),
        contingency_percent=contingency,
        weekend_days=weekend,
        holiday_country=country,
        holiday_subdivision=subdivision,
        departments=tuple(departments),
        calibration_target=target,
        currency=currency,
    )


class SettingsService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def load(self) -> Settings:
        with self.ctx.store.read() as s:
            stored = {r.key: r.value for r in s.scalars(select(SettingRow))}
        values: dict[str, Any] = {}
        for f in fields(Settings):
            if f.name in stored:
                try:
                    values[f.name] = _decode(f.name, json.loads(stored[f.name]))
                except (ValueError, KeyError, TypeError, ArithmeticError):
                    continue  # a damaged value falls back to its default rather than stopping the app
        return Settings(**values)

    def save(self, st: Settings) -> Settings:
        st = validate_settings(st)
        old = self.load()
        with self.ctx.store.write() as s:
            rows = {r.key: r for r in s.scalars(select(SettingRow))}
            for f in fields(Settings):
                new_value, old_value = getattr(st, f.name), getattr(old, f.name)
                encoded = json.dumps(_encode(f.name, new_value), ensure_ascii=False, sort_keys=True)
                if f.name in rows:
                    if rows[f.name].value == encoded:
                        continue
                    rows[f.name].value = encoded
                else:
                    s.add(SettingRow(key=f.name, value=encoded))
                if new_value != old_value:
                    self.ctx.audit(
                        s, entity="settings", entity_uid="settings", action="update", field=f.name,
                        old=json.dumps(_encode(f.name, old_value), ensure_ascii=False) if f.name != "logo_png" else old_value,
                        new=json.dumps(_encode(f.name, new_value), ensure_ascii=False) if f.name != "logo_png" else new_value,
                    )
        return st

    def factor_for(self, department: str, st: Settings | None = None) -> Decimal:
        st = st or self.load()
        dept = st.department(department)
        return dept.buffer_factor if dept and dept.buffer_factor is not None else st.default_factor
