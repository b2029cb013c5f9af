"""Reading a deal package, refusing anything malformed, truncated or hostile before a byte is written.

Every field is checked for its type, size and spelling; every uid for its form, uniqueness and, where
it refers to something, for that something being in the package; every file name against the one
name SalesDesk would have given it. What passes comes back as domain values (``ParsedPackage``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import stat
import types
from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

from salesdesk.domain.errors import NotFoundError, ValidationError
from salesdesk.domain.model import (
    AgreementRevision,
    Customer,
    Deal,
    DealTerm,
    Kickoff,
    TeamMember,
)
from salesdesk.services import validation as v
from salesdesk.services.package_format import (
    DEAL_FILE,
    FORMAT,
    MAX_LINEAGE,
    SCHEMA_VERSION,
    SIGNED_STATUSES,
    RevisionWithPdf,
    content_sha256,
    referenced_contacts,
    referenced_members,
    revision_file_name,
)

#: The largest file a package may hold (deal.json or a PDF).
MAX_FILE_BYTES = 10 * 1024 * 1024
#: The most entries in any one list of a deal (lines, work items, …).
MAX_ITEMS = 5_000
#: Texts with a database column of a fixed size, by field name; other texts may be ``v.MAX_TEXT`` long.
TEXT_LIMITS: dict[str, int] = {
    "ref": 20, "title": v.MAX_TITLE, "name": v.MAX_NAME, "role": 200, "department": 100, "email": 320,
    "phone": 64, "topic": 100, "unit": 20, "currency": 3, "product_line": 200, "industry": 200,
    "doc_id": 80, "signer_name": 200, "method": 10, "source": 20, "status": 20, "fingerprint": 64,
    "snapshot_sha256": 64, "pdf_sha256": 64, "standard_term_code": 50, "pdf_file": 100,
    "attendees_ours": v.MAX_NAME, "attendees_theirs": v.MAX_NAME,
}
#: Machine-written texts (what a department reviewed, an agreement's data snapshot): bounded by the file.
MACHINE_TEXTS = frozenset({"reviewed", "snapshot_json"})
#: Fields that hold a uid (or a list of them).
UID_FIELDS = frozenset({
    "uid", "customer_uid", "owner_uid", "member_uid", "contact_uid", "owner_member_uid", "owner_contact_uid",
    "due_work_item_uid", "answered_by", "approved_by", "acknowledged_by", "logged_by", "predecessors",
})

_UID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_DECIMAL = re.compile(r"-?\d{1,16}(\.\d{1,6})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,19}")
_DOC_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,79}")
_PDF_NAME = re.compile(r"agreement-rev\d{1,4}-(signed|superseded)\.pdf")
_TERM_SOURCES = frozenset({"library", "custom", "signoff"})
_REVISION_STATUSES = frozenset({"draft"}) | SIGNED_STATUSES
_SIGNATURE_METHODS = frozenset({"drawn", "paper"})
_TOP_LEVEL = frozenset({"format", "schema_version", "exported_at", "base_version", "lineage", "deal"})
_YEARS = range(1900, 3000)
_MAX_INT = 2**31 - 1

DAMAGED_HINT = "The package is damaged or was not written by SalesDesk; export it again on the other computer."


@dataclass(frozen=True)
class ParsedPackage:
    """A package that passed every check, as domain values (uids as the exporter had them)."""

    folder: Path
    exported_at: datetime
    base_version: int | None
    lineage: tuple[tuple[int, str], ...]
    deal: Deal  # library terms are in ``term_codes``, their ``standard_term_uid`` is None
    term_codes: Mapping[str, str]  # deal term uid -> library code
    content_sha256: str
    customer: Customer
    team: tuple[TeamMember, ...]
    revisions: tuple[RevisionWithPdf, ...]


def _refuse(message: str, hint: str = DAMAGED_HINT) -> ValidationError:
    return ValidationError(f"This deal package cannot be imported: {message}", hint)


def package_paths(path: Path) -> tuple[Path, Path]:
    """(package folder, its deal.json) for a folder or a deal.json path."""
    path = Path(path).expanduser()
    try:
        if path.is_dir():
            return path, path / DEAL_FILE
        if path.exists():
            return path.parent, path
    except OSError:  # a name the file system cannot even look up (too long, …): nothing is there
        pass
    raise NotFoundError(f"There is nothing at {path}.", "Choose a package folder or its deal.json.")


def _read_file(path: Path, label: str) -> bytes:
    """A regular file (not a link to somewhere else) of at most ``MAX_FILE_BYTES``."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        raise _refuse(f"{label} is missing.", "Copy the whole package folder, then import it again.") from None
    except OSError as exc:
        raise _refuse(f"{label} cannot be read ({exc.strerror or exc}).", "Check the folder and try again.") from None
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
        raise _refuse(f"{label} is not a plain file.")
    if info.st_size > MAX_FILE_BYTES:
        raise _refuse(f"{label} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _refuse(f"{label} cannot be read ({exc.strerror or exc}).", "Check the folder and try again.") from None
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(f"{label} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    return data


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _refuse(f"the field '{key[:40]}' appears twice in one record.")
        out[key] = value
    return out


def _no_constants(name: str) -> Any:
    raise _refuse(f"it contains the value {name}, which is not a number.")


def parse_json(data: bytes) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse("deal.json is not UTF-8 text.") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise _refuse(f"deal.json is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
                      "it may have been cut short while copying.") from None
    except RecursionError:
        raise _refuse("deal.json is nested too deeply.") from None


class _Reader:
    """Turns package data into domain values, checking as it goes."""

    def __init__(self) -> None:
        self.seen_uids: dict[str, str] = {}
        self.term_codes: dict[str, str] = {}

    def fail(self, where: str, problem: str) -> ValidationError:
        return _refuse(f"{where} {problem}.")

    def value(self, tp: Any, raw: Any, where: str, name: str) -> Any:
        if isinstance(tp, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            if raw is None:
                return None
            tp = args[0]
        if tp is str:
            return self.text(raw, where, name)
        if tp is bool:
            if not isinstance(raw, bool):
                raise self.fail(where, "must be true or false")
            return raw
        if tp is int:
            if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= _MAX_INT:
                raise self.fail(where, "must be a whole number")
            return raw
        if tp is Decimal:
            if not isinstance(raw, str) or not _DECIMAL.fullmatch(raw):
                raise self.fail(where, "must be a number written as text, e.g. \"12.50\"")
            return Decimal(raw)
        if tp is datetime:
            return instant(raw, where)
        if tp is date:
            return day(raw, where)
        if tp is bytes:
            return self.blob(raw, where)
        if isinstance(tp, type) and issubclass(tp, Enum):
            if isinstance(raw, str) and raw in {m.value for m in tp}:
                return tp(raw)
            raise self.fail(where, f"must be one of {', '.join(m.value for m in tp)}")
        if get_origin(tp) is tuple:
            if not isinstance(raw, list):
                raise self.fail(where, "must be a list")
            if len(raw) > MAX_ITEMS:
                raise self.fail(where, f"has more than {MAX_ITEMS:,} entries")
            item_type = get_args(tp)[0]
            return tuple(self.value(item_type, item, f"{where}[{i}]", name) for i, item in enumerate(raw))
        if isinstance(tp, type) and is_dataclass(tp):
            return self.record(tp, raw, where)
        raise AssertionError(f"no reader for {tp}")  # pragma: no cover - a new domain type needs one

    def text(self, raw: Any, where: str, name: str) -> str:
        if not isinstance(raw, str):
            raise self.fail(where, "must be text")
        limit = MAX_FILE_BYTES if name in MACHINE_TEXTS else TEXT_LIMITS.get(name, v.MAX_TEXT)
        if len(raw) > limit:
            raise self.fail(where, f"is too long ({len(raw):,} characters; at most {limit:,})")
        if "\x00" in raw:
            raise self.fail(where, "contains a NUL character")
        if name in UID_FIELDS and not _UID.fullmatch(raw):
            raise self.fail(where, "is not a SalesDesk id")
        return raw

    def blob(self, raw: Any, where: str) -> bytes:
        if not isinstance(raw, str):
            raise self.fail(where, "must be base64 text")
        if len(raw) > (MAX_FILE_BYTES * 4) // 3 + 4:
            raise self.fail(where, f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        try:
            return base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise self.fail(where, "is not valid base64") from None

    def record(self, cls: type, raw: Any, where: str, *, skip: Mapping[str, Any] | None = None) -> Any:
        """One dataclass from a JSON object with exactly its fields; ``skip`` gives the values of
        fields a package does not carry."""
        if not isinstance(raw, dict):
            raise self.fail(where, "must be a record")
        code: str | None = None
        if cls is DealTerm:
            # Library terms travel by their code, the same on every computer (row uids are not).
            raw = dict(raw)
            if "standard_term_code" not in raw:
                raise self.fail(where, "has no 'standard_term_code'")
            code = self.value(str | None, raw.pop("standard_term_code"), f"{where}.standard_term_code",
                              "standard_term_code")
            skip = {"standard_term_uid": None}
        skip = skip or {}
        hints = get_type_hints(cls)
        wanted = {f.name: hints[f.name] for f in fields(cls) if f.name not in skip}
        for key in raw:
            if key not in wanted:
                raise self.fail(where, f"has an unexpected field '{str(key)[:40]}'")
        values: dict[str, Any] = dict(skip)
        for key, tp in wanted.items():
            if key not in raw:
                raise self.fail(where, f"has no '{key}'")
            values[key] = self.value(tp, raw[key], f"{where}.{key}", key)
        if "uid" in values:
            uid = values["uid"]
            if uid in self.seen_uids:
                raise self.fail(where, f"uses the id {uid} that {self.seen_uids[uid]} already uses")
            self.seen_uids[uid] = where
        if code:
            self.term_codes[values["uid"]] = code
        if cls is Kickoff:
            for name in (*values["attendees_ours"], *values["attendees_theirs"]):
                if not name.strip() or "\n" in name or "\r" in name:
                    raise self.fail(f"{where}.attendees", "has an empty name or one that spans lines")
        return cls(**values)


def day(raw: Any, where: str) -> date:
    if not isinstance(raw, str) or not _DATE.fullmatch(raw):
        raise _refuse(f"{where} must be a date written as YYYY-MM-DD.")
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        raise _refuse(f"{where} is not a date ('{raw}').") from None
    if value.year not in _YEARS:
        raise _refuse(f"{where} is out of range ('{raw}').")
    return value


def instant(raw: Any, where: str) -> datetime:
    if not isinstance(raw, str) or not _INSTANT.fullmatch(raw):
        raise _refuse(f"{where} must be a moment in time with its UTC offset.")
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise _refuse(f"{where} is not a moment in time ('{raw}').") from None
    if value.year not in _YEARS:
        raise _refuse(f"{where} is out of range ('{raw}').")
    return value.astimezone(UTC)


def read_package(path: Path) -> ParsedPackage:
    """Read and check the package at ``path`` (its folder or its deal.json). Raises ValidationError."""
    folder, json_path = package_paths(path)
    document = parse_json(_read_file(json_path, json_path.name))
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _refuse("it is not a SalesDesk deal package (deal.json has no \"format\": \"salesdesk-deal\").",
                      "Choose the deal.json of a package exported by SalesDesk.")
    version = document.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise _refuse(f"it was written by a newer SalesDesk (package format {version}).",
                      "Install the latest SalesDesk on this computer, then import it again.")
    if type(version) is not int or version != SCHEMA_VERSION:
        raise _refuse("its package format version is missing or unknown.")
    for key in document:
        if key not in _TOP_LEVEL:
            raise _refuse(f"deal.json has an unexpected field '{str(key)[:40]}'.")
    for key in _TOP_LEVEL:
        if key not in document:
            raise _refuse(f"deal.json has no '{key}'.")
    exported_at = instant(document["exported_at"], "exported_at")
    base_version = document["base_version"]
    if base_version is not None and (isinstance(base_version, bool) or not isinstance(base_version, int)
                                     or not 1 <= base_version <= _MAX_INT):
        raise _refuse("base_version must be a version number or null.")
    lineage = _lineage(document["lineage"])
    if not isinstance(document["deal"], dict):
        raise _refuse("deal must be a record.")
    raw_deal = dict(document["deal"])
    parts: dict[str, Any] = {}
    for key in ("customer", "team", "agreement_revisions"):
        if key not in raw_deal:
            raise _refuse(f"deal has no '{key}'.")
        parts[key] = raw_deal.pop(key)
    reader = _Reader()
    deal: Deal = reader.record(Deal, raw_deal, "deal", skip={"customer_name": ""})
    customer = _customer(reader, parts["customer"])
    team = _team(reader, parts["team"])
    deal = _checked_deal(replace(deal, customer_name=customer.name))
    revisions = _revisions(reader, parts["agreement_revisions"], folder)
    _check_references(deal, customer, team, revisions)
    return ParsedPackage(
        folder=folder, exported_at=exported_at, base_version=base_version, lineage=lineage,
        deal=deal, term_codes=dict(reader.term_codes), content_sha256=content_sha256(document["deal"]),
        customer=customer, team=team, revisions=revisions,
    )


def _lineage(raw: Any) -> tuple[tuple[int, str], ...]:
    if not isinstance(raw, list) or len(raw) > 2 * MAX_LINEAGE:
        raise _refuse("lineage must be a list of [version, sha256] pairs.")
    out: list[tuple[int, str]] = []
    for entry in raw:
        if (not isinstance(entry, list) or len(entry) != 2 or isinstance(entry[0], bool)
                or not isinstance(entry[0], int) or not 1 <= entry[0] <= _MAX_INT
                or not isinstance(entry[1], str) or not _SHA256.fullmatch(entry[1])):
            raise _refuse("lineage must be a list of [version, sha256] pairs.")
        out.append((entry[0], entry[1]))
    return tuple(out)


def _rephrased(exc: ValidationError) -> ValidationError:
    return ValidationError(f"This deal package cannot be imported: {exc.message}", exc.hint, field=exc.field)


def _customer(reader: _Reader, raw: Any) -> Customer:
    customer: Customer = reader.record(Customer, raw, "deal.customer", skip={"version": 1})
    try:
        v.text(customer.name, "The customer's name", required=True, limit=v.MAX_TITLE)
        v.text(customer.address, "The customer's address", limit=2000)
        for i, c in enumerate(customer.contacts, 1):
            v.name(c.name, f"Contact {i}'s name")
            if c.email and "@" not in c.email:
                raise ValidationError(f"Contact {i}'s e-mail '{c.email[:80]}' is not an e-mail address.", DAMAGED_HINT)
    except ValidationError as exc:
        raise _rephrased(exc) from None
    return customer


_MEMBER_DEFAULTS = {"email": "", "phone": "", "can_sign_agreements": False, "has_pin": False, "active": True}


def _team(reader: _Reader, raw: Any) -> tuple[TeamMember, ...]:
    if not isinstance(raw, list) or len(raw) > MAX_ITEMS:
        raise _refuse("deal.team must be a list of team members.")
    team = tuple(reader.record(TeamMember, m, f"deal.team[{i}]", skip=_MEMBER_DEFAULTS) for i, m in enumerate(raw))
    try:
        for i, m in enumerate(team, 1):
            v.name(m.name, f"Team member {i}'s name")
            v.name(m.department, f"Team member {i}'s department")
    except ValidationError as exc:
        raise _rephrased(exc) from None
    return team


def _checked_deal(deal: Deal) -> Deal:
    from salesdesk.services.deals import validate_deal  # local: deals imports the feasibility rules

    if not _REF.fullmatch(deal.ref):
        raise _refuse("deal.ref is not a deal reference such as D-2026-0001.")
    if deal.version < 1:
        raise _refuse("deal.version must be 1 or more.")
    if not (len(deal.currency) == 3 and deal.currency.isalpha() and deal.currency.isupper()):
        raise _refuse("deal.currency is not a three-letter currency code.")
    try:
        return validate_deal(deal)
    except ValidationError as exc:
        raise _rephrased(exc) from None


def _revisions(reader: _Reader, raw: Any, folder: Path) -> tuple[RevisionWithPdf, ...]:
    if not isinstance(raw, list) or len(raw) > MAX_ITEMS:
        raise _refuse("deal.agreement_revisions must be a list.")
    out: list[RevisionWithPdf] = []
    numbers: set[int] = set()
    doc_ids: set[str] = set()
    for i, item in enumerate(raw):
        where = f"deal.agreement_revisions[{i}]"
        if not isinstance(item, dict) or "pdf_file" not in item:
            raise _refuse(f"{where} must be a record with a pdf_file.")
        item = dict(item)
        pdf_file = reader.value(str | None, item.pop("pdf_file"), f"{where}.pdf_file", "pdf_file")
        rev: AgreementRevision = reader.record(AgreementRevision, item, where)
        if rev.status not in _REVISION_STATUSES:
            raise _refuse(f"{where}.status must be draft, signed or superseded.")
        if not 1 <= rev.number <= 9999 or rev.number in numbers:
            raise _refuse(f"{where}.number is out of range or used twice.")
        if not _DOC_ID.fullmatch(rev.doc_id) or rev.doc_id in doc_ids:
            raise _refuse(f"{where}.doc_id is not a document number or is used twice.")
        numbers.add(rev.number)
        doc_ids.add(rev.doc_id)
        if not _SHA256.fullmatch(rev.snapshot_sha256) or (rev.pdf_sha256 and not _SHA256.fullmatch(rev.pdf_sha256)):
            raise _refuse(f"{where} has a malformed SHA-256.")
        for j, sig in enumerate(rev.signatures):
            if sig.method not in _SIGNATURE_METHODS or not sig.signer_name.strip():
                raise _refuse(f"{where}.signatures[{j}] is not a signature SalesDesk records.")
        pdf: bytes | None = None
        if pdf_file is not None:
            expected = revision_file_name(rev.number, rev.status)
            if rev.status not in SIGNED_STATUSES or pdf_file != expected or not _PDF_NAME.fullmatch(pdf_file):
                raise _refuse(f"{where}.pdf_file must be {expected!r} for a signed revision, and absent for a draft.")
            pdf = _read_file(folder / pdf_file, pdf_file)
            if hashlib.sha256(pdf).hexdigest() != rev.pdf_sha256:
                raise _refuse(f"{pdf_file} is not the PDF that was signed (its SHA-256 differs).",
                              "The file was altered or damaged; export the package again on the other computer.")
        out.append(RevisionWithPdf(rev, pdf))
    return tuple(out)


def _check_references(deal: Deal, customer: Customer, team: tuple[TeamMember, ...],
                      revisions: tuple[RevisionWithPdf, ...]) -> None:
    if deal.customer_uid != customer.uid:
        raise _refuse("deal.customer_uid does not name the customer in the package.")
    unknown = referenced_members(deal, revisions) - {m.uid for m in team}
    if unknown:
        raise _refuse(f"the deal refers to a team member ({sorted(unknown)[0]}) who is not in deal.team.")
    unknown = referenced_contacts(deal, revisions) - {c.uid for c in customer.contacts}
    if unknown:
        raise _refuse(f"the deal refers to a customer contact ({sorted(unknown)[0]}) who is not in deal.customer.")


__all__ = ["MAX_FILE_BYTES", "ParsedPackage", "package_paths", "read_package"]
