"""Shared by the package tests: a demo database with signed agreement revisions, and database snapshots."""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from salesdesk import paths
from salesdesk.domain.model import Stage
from salesdesk.services.app import Services
from salesdesk.services.demo import generate_demo
from salesdesk.store.engine import Store
from salesdesk.store.schema import AgreementRevisionRow, Base, ContactRow, DealRowORM, SignatureRow

#: A 1×1 PNG, standing in for a signature drawn on screen.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cf"
    "c0f01f0005000201e5273de20000000049454e44ae426082"
)


def sha(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def make_demo_database(folder: Path) -> Path:
    """30 demo deals in every stage (seed 2), plus agreement revisions on a kicked-off deal."""
    paths.set_data_dir(folder / "data")
    db = folder / "demo.db"
    sv = Services.open(f"sqlite:///{db}", actor="Demo")
    try:
        generate_demo(sv, deals=30, seed=2, workers=1)
        add_revisions(sv, signed_ref(sv))
    finally:
        sv.close()
        paths.set_data_dir(None)
    return db


def signed_ref(sv: Services) -> str:
    """The first kicked-off demo deal (it has terms, action items, a kickoff…)."""
    return next(r.ref for r in sv.deals.list_rows() if r.stage is Stage.KICKED_OFF)


def add_revisions(sv: Services, ref: str, numbers: tuple[tuple[int, str], ...] = (
        (1, "superseded"), (2, "signed"), (3, "draft"))) -> None:
    """Agreement revisions as the agreements service would keep them (signed ones with PDF and signatures)."""
    with sv.store.write() as s:
        row = s.scalar(select(DealRowORM).where(DealRowORM.ref == ref))
        assert row is not None
        contact = s.scalar(select(ContactRow).where(ContactRow.customer_id == row.customer_id).limit(1))
        for number, status in numbers:
            snapshot = json.dumps({"ref": ref, "revision": number, "title": row.title})
            pdf = f"%PDF-1.4\n% {ref} revision {number}\n%%EOF\n".encode() if status != "draft" else None
            signed = status != "draft"
            at = datetime(2026, 10, number, 9, 0, tzinfo=UTC)
            signatures = [
                SignatureRow(uid=str(uuid.uuid4()), side="ours", signer_name="Ana Rossi", member_id=row.owner_id,
                             method="drawn", signed_on=date(2026, 10, number), image_png=PNG, recorded_at=at),
                SignatureRow(uid=str(uuid.uuid4()), side="theirs", signer_name=contact.name if contact else "Client",
                             contact_id=contact.id if contact else None, method="paper",
                             signed_on=date(2026, 10, number), scan=b"scan of page " + bytes([number]),
                             recorded_at=at),
            ] if signed else []
            s.add(AgreementRevisionRow(
                uid=str(uuid.uuid4()), deal_id=row.id, number=number, doc_id=f"A-{ref[2:]}-r{number}",
                status=status, snapshot_json=snapshot, snapshot_sha256=sha(snapshot), pdf=pdf,
                pdf_sha256=sha(pdf) if pdf else "", created_at=at, signed_at=at if signed else None,
                signatures=signatures,
            ))


def open_copy(template: Path, target: Path, actor: str = "Test User") -> Services:
    shutil.copyfile(template, target)
    return Services.open(f"sqlite:///{target}", actor=actor)


def snapshot(sv: Services | Store) -> dict[str, list[str]]:
    """Every row of every table, to prove that something changed nothing."""
    store = sv if isinstance(sv, Store) else sv.store
    with store.read() as s:
        return {
            t.name: sorted(repr(tuple(r)) for r in s.execute(select(t)).all())
            for t in Base.metadata.sorted_tables
        }


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) with its content."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def load_json(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "deal.json").read_text(encoding="utf-8"))
