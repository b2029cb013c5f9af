"""The letter of agreement as a snapshot: canonical JSON of everything the letter says.

The letterhead and the signatures are left out. A signed revision's snapshot is what both sides
agreed to; comparing it with the snapshot of the deal as it is now says whether the deal changed
since, and ``describe_changes`` says how, in the reader's words. A snapshot gives back exactly the
letter it was taken from (``doc_from_snapshot``), so a draft always prints as it was prepared.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import fields, replace
from datetime import date
from decimal import Decimal
from typing import Any

from salesdesk.documents.model import (
    ActionItemRow,
    AgreementDoc,
    Company,
    HelpContactRow,
    Person,
    PriceLineRow,
    SignatureBlock,
    StakeholderRow,
    TermRow,
)
from salesdesk.domain.errors import ValidationError

SNAPSHOT_FORMAT = "salesdesk-agreement/1"

#: What the letter shows but which is not part of the promise: a change never makes a new revision.
_PROGRESS_ONLY = ("date",)

_NOT_IN_SNAPSHOT = frozenset({"doc_id", "revision", "company", "signatures"})


def _encode(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256_hex(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def snapshot_json(doc: AgreementDoc, contingency_percent: Decimal) -> str:
    """Canonical JSON of everything the letter says (no letterhead, no signatures)."""
    data: dict[str, Any] = {f.name: _encode(getattr(doc, f.name)) for f in fields(doc)
                            if f.name not in _NOT_IN_SNAPSHOT}
    data["format"] = SNAPSHOT_FORMAT
    data["company_name"] = doc.company.name
    data["contingency_percent"] = str(contingency_percent)
    return canonical_json(data)


def _load(snapshot: str) -> dict[str, Any]:
    try:
        data = json.loads(snapshot)
    except ValueError:
        data = None
    if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
        raise ValidationError("This agreement revision's record cannot be read by this version of SalesDesk.",
                              "Install the latest SalesDesk.")
    return data


def agreed_content(snapshot: str) -> dict[str, Any]:
    """The part of a snapshot that is the promise: what must not change under a signature.

    Left out: the letter's date and the progress of action items (marking one done is not a change
    to the agreement).
    """
    data = _load(snapshot)
    for key in _PROGRESS_ONLY:
        data.pop(key, None)
    data["action_items"] = [{k: v for k, v in a.items() if k != "status"} for a in data.get("action_items", [])]
    return data


def same_agreement(a: str, b: str) -> bool:
    return agreed_content(a) == agreed_content(b)


def snapshot_percent(snapshot: str) -> Decimal:
    return Decimal(_load(snapshot)["contingency_percent"])


def doc_from_snapshot(snapshot: str, company: Company, doc_id: str, revision: int,
                      signatures: Sequence[SignatureBlock] = ()) -> AgreementDoc:
    """The letter exactly as its snapshot says, on today's letterhead (under the name agreed)."""
    d = _load(snapshot)
    day = date.fromisoformat
    return AgreementDoc(
        doc_id=doc_id,
        revision=revision,
        company=replace(company, name=d["company_name"]),
        customer_name=d["customer_name"],
        customer_address_lines=tuple(d["customer_address_lines"]),
        deal_ref=d["deal_ref"],
        deal_title=d["deal_title"],
        date=day(d["date"]),
        parties=tuple(Person(**p) for p in d["parties"]),
        action_items=tuple(ActionItemRow(**{**a, "due": day(a["due"])}) for a in d["action_items"]),
        promised_date=day(d["promised_date"]),
        work_due_dates=tuple((task, day(due)) for task, due in d["work_due_dates"]),
        lines=tuple(PriceLineRow(x["description"], Decimal(x["quantity"]), x["unit"], Decimal(x["unit_price"]),
                                 Decimal(x["total"])) for x in d["lines"]),
        subtotal=Decimal(d["subtotal"]),
        contingency=Decimal(d["contingency"]),
        contingency_label=d["contingency_label"],
        total=Decimal(d["total"]),
        currency=d["currency"],
        terms=tuple(TermRow(**t) for t in d["terms"]),
        training_recommendation=d["training_recommendation"],
        break_in_period=d["break_in_period"],
        inclusions=tuple(d["inclusions"]),
        exclusions=tuple(d["exclusions"]),
        cost_overrun_handling=d["cost_overrun_handling"],
        disagreement_handling=d["disagreement_handling"],
        help_contacts=tuple(HelpContactRow(**h) for h in d["help_contacts"]),
        stakeholders=tuple(StakeholderRow(**s) for s in d["stakeholders"]),
        signatures=tuple(signatures),
    )


_SECTIONS: dict[str, tuple[str, str | None]] = {
    # snapshot key -> (what the reader calls it, the field that names an item of a list)
    "company_name": ("Our company's name", None),
    "customer_name": ("Customer", None),
    "customer_address_lines": ("Customer's address", None),
    "deal_title": ("Deal title", None),
    "parties": ("Who is involved", "name"),
    "action_items": ("Who does what by when", "what"),
    "promised_date": ("Promised delivery date", None),
    "work_due_dates": ("Promised dates of the work", "0"),
    "lines": ("Price lines", "description"),
    "subtotal": ("Subtotal", None),
    "contingency": ("Allowance for the unexpected", None),
    "contingency_label": ("Allowance for the unexpected", None),
    "total": ("Total", None),
    "currency": ("Currency", None),
    "terms": ("Terms", "title"),
    "training_recommendation": ("Training", None),
    "break_in_period": ("Break-in period", None),
    "inclusions": ("What is included", ""),
    "exclusions": ("What is not included", ""),
    "cost_overrun_handling": ("Cost overruns", None),
    "disagreement_handling": ("Disagreements", None),
    "help_contacts": ("Who to call for what", "topic"),
    "stakeholders": ("Everyone who works with the customer", "name"),
    "deal_ref": ("Deal", None),
}


def _item_label(item: Any, key: str) -> str:
    if key == "":
        return str(item)
    if isinstance(item, list):
        return str(item[int(key)])
    return str(item.get(key, "")) if isinstance(item, dict) else str(item)


def _scalar_words(value: Any, key: str) -> str:
    from salesdesk.documents.common import format_date, format_money  # reportlab: only when needed

    if key.endswith("date"):
        return format_date(date.fromisoformat(value))
    if key in ("subtotal", "contingency", "total"):
        return format_money(Decimal(value))
    return str(value)


def describe_changes(before: str, after: str) -> tuple[str, ...]:
    """What differs between two snapshots, in the reader's words ("Terms: added 'Extended warranty'")."""
    old, new = agreed_content(before), agreed_content(after)
    out: list[str] = []
    for key, (label, id_field) in _SECTIONS.items():
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if id_field is None or not isinstance(a, list) or not isinstance(b, list):
            if isinstance(a, str) and isinstance(b, str) and len(a) + len(b) <= 80:
                out.append(f"{label}: {_scalar_words(a, key)} → {_scalar_words(b, key)}")
            else:
                out.append(f"{label}: changed")
            continue
        before_by = {_item_label(x, id_field): x for x in a}
        after_by = {_item_label(x, id_field): x for x in b}
        parts = [f"added '{n}'" for n in after_by if n not in before_by]
        parts += [f"removed '{n}'" for n in before_by if n not in after_by]
        parts += [f"changed '{n}'" for n in after_by if n in before_by and before_by[n] != after_by[n]]
        out.append(f"{label}: {'; '.join(parts) if parts else 'order changed'}")
    return tuple(dict.fromkeys(out))
