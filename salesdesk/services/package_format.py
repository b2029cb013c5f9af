"""The shape of ``deal.json``, the versioned heart of a deal package, and how a deal is written into it.

::

    {"format": "salesdesk-deal", "schema_version": 1,
     "exported_at": "2026-11-24T09:30:00+00:00",
     "base_version": 7,                       # the version this copy last shared (null: never)
     "lineage": [[5, "<sha256>"], [7, "<sha256>"]],  # contents this copy has shared, by version
     "deal": {"uid": …, "ref": …, "version": …, every field of the deal …,
              "customer": {…, "contacts": […]}, "team": [{uid, name, department, role}],
              "questions": […], …, "kickoff": {…} | null, "breakdowns": […],
              "agreement_revisions": [{…, "pdf_file": "agreement-rev1-signed.pdf", "signatures": […]}]}}

Everything is referenced by stable uids; database row ids never appear. Dates are ISO strings,
instants ISO with their UTC offset, money and quantities decimal strings, images base64. Keys are
sorted, so an unchanged deal gives a byte-identical file apart from ``exported_at``.

A deal's *content hash* covers what people edit (not its ref, version, timestamps, customer record,
team records or agreement revisions, which are merged on their own): two copies with the same hash
hold the same deal. Packages carry the hashes a copy has shared (its lineage), so an import can tell
"theirs grew from mine" from "both changed" without trusting version numbers alone.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from salesdesk.domain.model import AgreementRevision, Customer, Deal, DealTerm, TeamMember

FORMAT = "salesdesk-deal"
SCHEMA_VERSION = 1
DEAL_FILE = "deal.json"

#: Deal fields that are bookkeeping, or merged separately, and so not part of the content hash.
NOT_CONTENT = frozenset({"ref", "version", "created_at", "updated_at", "customer", "team", "agreement_revisions"})
#: Team member fields a package carries (never PIN hashes, phone numbers or e-mail addresses).
MEMBER_FIELDS = ("uid", "name", "department", "role")
#: Revision statuses whose PDF is part of the package.
SIGNED_STATUSES = frozenset({"signed", "superseded"})
#: How many shared contents a package remembers.
MAX_LINEAGE = 500


def revision_file_name(number: int, status: str) -> str:
    """``agreement-rev2-signed.pdf``: the file of a signed (or since superseded) revision."""
    return f"agreement-rev{number}-{status}.pdf"


def encode(value: Any) -> Any:
    """A domain value as JSON-ready data (see the module docstring for the spelling of each type)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in fields(value)}
    raise TypeError(f"cannot write {type(value).__name__} into a package")


def _term(term: DealTerm, term_codes: Mapping[str, str]) -> dict[str, Any]:
    # Library terms are referenced by their code: it is the same on every laptop, the row uid is not.
    data = encode(term)
    uid = data.pop("standard_term_uid")
    data["standard_term_code"] = term_codes.get(uid) if uid else None
    return data  # type: ignore[no-any-return]


def deal_fields(deal: Deal, term_codes: Mapping[str, str]) -> dict[str, Any]:
    """The deal itself as package data (without customer, team and revisions)."""
    data: dict[str, Any] = {}
    for f in fields(Deal):
        if f.name == "customer_name":
            continue  # the customer record carries the name
        if f.name == "terms":
            data["terms"] = [_term(t, term_codes) for t in deal.terms]
        else:
            data[f.name] = encode(getattr(deal, f.name))
    return data


def content_sha256(deal_data: Mapping[str, Any]) -> str:
    """The hash of what people edit in a deal (package data as written by ``deal_fields``)."""
    content = {k: v for k, v in deal_data.items() if k not in NOT_CONTENT}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def member_data(member: TeamMember) -> dict[str, Any]:
    return {name: getattr(member, name) for name in MEMBER_FIELDS}


def customer_data(customer: Customer) -> dict[str, Any]:
    return {
        "uid": customer.uid, "name": customer.name, "address": customer.address, "industry": customer.industry,
        "notes": customer.notes, "contacts": [encode(c) for c in customer.contacts],
    }


@dataclass(frozen=True)
class RevisionWithPdf:
    """An agreement revision and the bytes of its PDF (None: no PDF kept, e.g. a draft)."""

    revision: AgreementRevision
    pdf: bytes | None

    @property
    def file_name(self) -> str | None:
        """The PDF's name in the package: only signed (or superseded) revisions with a PDF have one."""
        r = self.revision
        return revision_file_name(r.number, r.status) if r.status in SIGNED_STATUSES and self.pdf else None


def revision_data(item: RevisionWithPdf) -> dict[str, Any]:
    data: dict[str, Any] = encode(item.revision)
    data["pdf_file"] = item.file_name
    return data


def referenced_members(deal: Deal, revisions: Iterable[RevisionWithPdf] = ()) -> set[str]:
    """Every team member uid the deal (and its signatures) refers to."""
    uids: set[str | None] = {deal.owner_uid}
    uids |= {c.answered_by for c in deal.checklist}
    uids |= {s.member_uid for s in deal.signoffs}
    uids |= {p.member_uid for p in deal.parties}
    uids |= {t.approved_by for t in deal.terms} | {t.acknowledged_by for t in deal.terms}
    uids |= {a.owner_member_uid for a in deal.action_items}
    uids |= {s.member_uid for s in deal.stakeholders}
    uids |= {b.logged_by for b in deal.breakdowns}
    uids |= {s.member_uid for r in revisions for s in r.revision.signatures}
    return {u for u in uids if u}


def referenced_contacts(deal: Deal, revisions: Iterable[RevisionWithPdf] = ()) -> set[str]:
    uids: set[str | None] = {p.contact_uid for p in deal.parties}
    uids |= {a.owner_contact_uid for a in deal.action_items}
    uids |= {s.contact_uid for r in revisions for s in r.revision.signatures}
    return {u for u in uids if u}


def package_document(
    deal: Deal,
    customer: Customer,
    members: Sequence[TeamMember],
    revisions: Sequence[RevisionWithPdf],
    term_codes: Mapping[str, str],
    *,
    lineage: Iterable[tuple[int, str]],
    base_version: int | None,
    exported_at: datetime,
) -> dict[str, Any]:
    """The whole ``deal.json`` document."""
    data = deal_fields(deal, term_codes)
    data["customer"] = customer_data(customer)
    data["team"] = [member_data(m) for m in sorted(members, key=lambda m: m.uid)]
    data["agreement_revisions"] = [revision_data(r) for r in sorted(revisions, key=lambda r: r.revision.number)]
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": encode(exported_at),
        "base_version": base_version,
        "lineage": trim_lineage(lineage),
        "deal": data,
    }


def trim_lineage(entries: Iterable[tuple[int, str]]) -> list[list[Any]]:
    """Distinct (version, hash) pairs, the newest ``MAX_LINEAGE`` of them, in a stable order."""
    distinct = sorted(set(entries))
    return [[version, sha] for version, sha in distinct[-MAX_LINEAGE:]]


def dumps(document: Mapping[str, Any]) -> bytes:
    """``deal.json`` bytes: UTF-8, sorted keys, indented so a person can read it."""
    return (json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

