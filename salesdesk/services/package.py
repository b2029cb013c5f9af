"""Deal packages on the shared drive: export a deal (or all of them) and import one from elsewhere.

A package is a folder ``<Customer> — <REF>/`` anyone can read without SalesDesk: every signed
agreement revision as PDF, the current action plan PDF, ``terms.html``, ``action-items.csv`` (for
Excel), ``action-items.ics`` (for calendars) and ``deal.json``, the whole deal (see
``package_format``). Importing a package brings the deal to another computer without losing a
change made on either side (see ``package_sync``); a bad package changes nothing.
"""

from __future__ import annotations

import errno
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import cast

from sqlalchemy import Table, or_, select, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from salesdesk.domain.errors import ConflictError, NotFoundError, SalesDeskError, ValidationError
from salesdesk.domain.model import Customer, Deal, TeamMember
from salesdesk.services.context import Context, now
from salesdesk.services.feasibility import recorded_signoffs
from salesdesk.services.package_files import PackageFile, package_folder_name, write_package
from salesdesk.services.package_format import (
    DEAL_FILE,
    RevisionWithPdf,
    content_sha256,
    deal_fields,
    dumps,
    package_document,
    referenced_members,
    revision_file_name,
)
from salesdesk.services.package_import import RESOLUTIONS, ImportResult, Resolution, import_package_in
from salesdesk.services.package_read import MAX_FILE_BYTES, read_package
from salesdesk.services.package_render import (
    DealPicture,
    action_items_csv,
    action_items_ics,
    action_plan_pdf,
    company_from_settings,
    terms_html,
)
from salesdesk.services.package_sync import SyncPoint, base_version, record_sync, shared_lineage, sync_points
from salesdesk.services.settings import SettingsService
from salesdesk.store.mapping import (
    Lookup,
    customer_to_domain,
    deal_to_domain,
    member_to_domain,
    revision_to_domain,
)
from salesdesk.store.schema import AgreementRevisionRow, DealRowORM, StandardTermRow, TeamMemberRow

__all__ = ["ExportError", "ImportResult", "PackageService", "Resolution"]

_DISCONNECTED = {
    getattr(errno, name)
    for name in ("EIO", "ENOTCONN", "ESTALE", "EHOSTDOWN", "EHOSTUNREACH", "ENETDOWN", "ENETUNREACH", "ETIMEDOUT",
                 "ENODEV", "ENXIO", "ECONNABORTED", "ECONNRESET")
    if hasattr(errno, name)
}
_FULL = {getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG") if hasattr(errno, name)}
_READ_ONLY = {errno.EACCES, errno.EPERM, errno.EROFS}

_LOAD = (
    selectinload(DealRowORM.customer), selectinload(DealRowORM.owner), selectinload(DealRowORM.questions),
    selectinload(DealRowORM.objections), selectinload(DealRowORM.lines), selectinload(DealRowORM.checklist),
    selectinload(DealRowORM.work_items), selectinload(DealRowORM.signoffs), selectinload(DealRowORM.parties),
    selectinload(DealRowORM.help_contacts), selectinload(DealRowORM.terms), selectinload(DealRowORM.action_items),
    selectinload(DealRowORM.stakeholders), selectinload(DealRowORM.kickoff), selectinload(DealRowORM.breakdowns),
    selectinload(DealRowORM.revisions).selectinload(AgreementRevisionRow.signatures),
)


class ExportError(SalesDeskError):
    """The package could not be written where the user asked (missing, read-only, full or gone)."""


def folder_problem(exc: OSError, folder: Path, ref: str) -> ExportError:
    """An OSError while writing a package, in words a rep understands."""
    code = exc.errno
    if code == errno.ENOENT:
        return ExportError(f"The folder {folder} is no longer there, so {ref} was not exported.",
                           "Reconnect the drive or choose another folder, then export again.")
    if code in _READ_ONLY:
        return ExportError(f"SalesDesk may not write to {folder}, so {ref} was not exported.",
                           "Check that the folder is not read-only and that you have access to it, or choose "
                           "another folder.")
    if code in _FULL:
        return ExportError(f"There is not enough space in {folder} to export {ref}.",
                           "Free some space on that drive or choose another folder; nothing was changed.")
    if code in _DISCONNECTED:
        return ExportError(f"The folder {folder} cannot be reached (the network drive may be disconnected), so "
                           f"{ref} was not exported.", "Reconnect the drive, then export again; nothing was changed.")
    return ExportError(f"{ref} could not be exported to {folder}: {exc.strerror or exc}.",
                       "Check the folder, then export again; nothing was changed.")


def _document_number(prefix: str, ref: str) -> str:
    return f"{prefix}-{ref[2:]}" if ref.startswith("D-") else f"{prefix}-{ref}"


@dataclass(frozen=True)
class _Snapshot:
    """One deal as it is in the database right now, with all an export needs."""

    deal: Deal
    customer: Customer
    members: Mapping[str, TeamMember]
    revisions: Sequence[RevisionWithPdf]
    term_codes: Mapping[str, str]
    dues: Mapping[str, date | None]
    points: list[SyncPoint]


def _uid_in_package(folder: Path) -> str | None:
    """The deal uid of the package already in ``folder`` (None: none, or unreadable)."""
    path = folder / DEAL_FILE
    try:
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            return None
        uid = json.loads(path.read_bytes().decode("utf-8-sig"))["deal"]["uid"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return uid if isinstance(uid, str) else None


class PackageService:
    """Export deals to, and import them from, a shared folder."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.settings = SettingsService(ctx)

    # --- export ------------------------------------------------------------------------------

    def _snapshot(self, s: Session, key: str) -> _Snapshot:
        row = s.scalar(select(DealRowORM).options(*_LOAD).where(or_(DealRowORM.uid == key, DealRowORM.ref == key)))
        if row is None:
            raise NotFoundError(f"There is no deal '{key}'.", "Check the reference, e.g. D-2026-0001.")
        lookup = Lookup(s)
        deal = deal_to_domain(row, lookup)
        revisions = [RevisionWithPdf(revision_to_domain(r, lookup), r.pdf) for r in row.revisions]
        wanted = referenced_members(deal, revisions)
        members = {
            m.uid: member_to_domain(m)
            for m in s.scalars(select(TeamMemberRow).where(TeamMemberRow.uid.in_(wanted)))
        } if wanted else {}
        term_uids = {t.standard_term_uid for t in deal.terms if t.standard_term_uid}
        codes = dict(s.execute(
            select(StandardTermRow.uid, StandardTermRow.code).where(StandardTermRow.uid.in_(term_uids))
        ).all()) if term_uids else {}
        promised = {w.uid: w.promised_due for w in deal.work_items}
        dues = {a.uid: a.due_fixed or promised.get(a.due_work_item_uid or "") or a.due for a in row.action_items}
        return _Snapshot(deal, customer_to_domain(row.customer), members, revisions, codes, dues,
                         sync_points(s, deal.uid))

    def _files(self, snap: _Snapshot, exported_at: datetime) -> tuple[list[PackageFile], list[str], str]:
        """The package's files, the names of files it no longer holds, and the deal's content hash."""
        deal = snap.deal
        data = deal_fields(deal, snap.term_codes)
        sha = content_sha256(data)
        lineage = shared_lineage(snap.points) | {(deal.version, sha)}
        document = package_document(
            deal, snap.customer, list(snap.members.values()), snap.revisions, snap.term_codes,
            lineage=lineage, base_version=base_version(snap.points, sha), exported_at=exported_at,
        )
        picture = DealPicture(deal, snap.customer, snap.members, company_from_settings(self.settings.load()),
                              snap.dues, snap.revisions)
        files = [PackageFile(r.file_name, r.pdf) for r in snap.revisions if r.file_name and r.pdf]
        files += [
            PackageFile("action-plan.pdf", action_plan_pdf(picture, _document_number("AP", deal.ref))),
            PackageFile("terms.html", terms_html(picture)),
            PackageFile("action-items.csv", action_items_csv(picture)),
            PackageFile("action-items.ics", action_items_ics(picture)),
            PackageFile(DEAL_FILE, dumps(document)),
        ]
        # A revision signed at the last export may be superseded now: its file changes name.
        stale = [revision_file_name(r.revision.number, "signed") for r in snap.revisions
                 if r.revision.status == "superseded"]
        return files, stale, sha

    def export_deal(self, ref: str, to_dir: Path | str, *, exported_at: datetime | None = None) -> Path:
        """Write the deal's package into ``to_dir`` (which must exist); return the package folder.

        Every file appears complete or not at all; on any failure the folder and the database are
        left as they were. The deal records when (and which version) it was exported only once all
        files are in place.
        """
        to_dir = Path(to_dir).expanduser()
        if not to_dir.is_dir():
            raise ExportError(f"The folder {to_dir} does not exist, so {ref} was not exported.",
                              "Create it, reconnect the drive, or choose another folder (Settings → Shared folder).")
        with self.ctx.store.read() as s:
            snap = self._snapshot(s, ref)
        deal = snap.deal
        exported_at = exported_at or now()
        files, stale, sha = self._files(snap, exported_at)
        name = package_folder_name(snap.customer.name, deal.ref)
        other = _uid_in_package(to_dir / name)
        if other is not None and other != deal.uid:  # another computer's deal with the same ref and customer
            name = f"{name} ({deal.uid[:8]})"
        folder = to_dir / name
        if folder.is_symlink():  # on a shared drive, a link could send the files anywhere
            raise ExportError(f"{folder} is a link to another place, so {deal.ref} was not exported there.",
                              "Remove the link from the shared folder, then export again.")
        try:
            write_package(folder, files, remove=stale)
        except OSError as exc:
            raise folder_problem(exc, to_dir, deal.ref) from exc
        with self.ctx.store.write() as s:
            table = cast(Table, DealRowORM.__table__)
            # A Core UPDATE: the ORM would count this bookkeeping as a new version of the deal.
            s.execute(update(table).where(table.c.uid == deal.uid)
                      .values(exported_at=exported_at, exported_version=deal.version))
            record_sync(self.ctx, s, deal_uid=deal.uid, action="export", point=SyncPoint(deal.version, sha),
                        note=f"version {deal.version} exported to {folder}")
        return folder

    def refs_to_export(self, *, changed_since_last: bool = False) -> list[str]:
        """Refs of the deals ``export_all`` would write, in ref order."""
        q = select(DealRowORM.ref).order_by(DealRowORM.ref)
        if changed_since_last:
            q = q.where(or_(DealRowORM.exported_version.is_(None), DealRowORM.exported_version != DealRowORM.version))
        with self.ctx.store.read() as s:
            return list(s.scalars(q))

    def export_all(self, to_dir: Path | str, changed_since_last: bool = False) -> Iterator[tuple[int, int, str]]:
        """Export every deal (or those changed since their last export), yielding ``(done, total, ref)``.

        Yields ``(0, total, "")`` first so a progress bar knows its length. Meant to run off the UI
        thread; stop iterating to cancel (each deal already written stays complete). The first
        folder problem ends the run with an ExportError.
        """
        to_dir = Path(to_dir).expanduser()
        if not to_dir.is_dir():
            raise ExportError(f"The folder {to_dir} does not exist, so nothing was exported.",
                              "Create it, reconnect the drive, or choose another folder (Settings → Shared folder).")
        refs = self.refs_to_export(changed_since_last=changed_since_last)
        total = len(refs)
        yield 0, total, ""
        for done, ref in enumerate(refs, 1):
            self.export_deal(ref, to_dir)
            yield done, total, ref

    # --- import ------------------------------------------------------------------------------

    def import_package(self, path: Path | str, *, resolution: Resolution | None = None) -> ImportResult:
        """Import the package at ``path`` (its folder or its deal.json).

        A deal new here is added; a package that grew from this computer's copy updates it; when
        both changed, nothing changes and a ConflictError lists the fields — unless ``resolution``
        says "theirs" (take the package), "ours" (keep this copy) or "copy" (import it as a new
        deal). A malformed or hostile package is refused with a ValidationError and changes nothing.
        """
        if resolution is not None and resolution not in RESOLUTIONS:
            raise ValidationError(f"'{resolution}' is not a way to settle a conflict.",
                                  f"Use one of: {', '.join(RESOLUTIONS)}.")
        pkg = read_package(Path(path))
        st = self.settings.load()
        try:
            with self.ctx.store.write() as s, recorded_signoffs():
                return import_package_in(self.ctx, s, pkg, st, resolution)
        except (IntegrityError, DataError):
            raise ValidationError(
                f"This deal package cannot be imported: {pkg.deal.ref} clashes with data on this computer.",
                "Nothing was imported. Import it as a separate copy, or ask for help.",
            ) from None
        except StaleDataError:
            raise ConflictError(f"{pkg.deal.ref} was changed on this computer while it was being imported.",
                                "Nothing was imported; import the package again.") from None
