"""The demo generator: the same data however it is built, and safe beside other writers."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from salesdesk.services import demo
from salesdesk.services.app import Services
from salesdesk.store import schema as t

TODAY = date(2026, 11, 24)
CHILD_TABLES = ("deal_lines", "checklist_answers", "work_items", "signoffs", "deal_terms", "action_items",
                "parties", "kickoffs", "breakdowns", "audit_log")


def _content(sv: Any) -> dict[str, Any]:
    """What a user would compare: every deal as listed, how many rows hang off them, signed letters."""
    from salesdesk.services.deals import DealQuery

    rows = sv.deals.list_rows(DealQuery(sort="ref", limit=None))
    deals = [(r.ref, r.customer, r.title, r.stage, r.owner, r.requested_date, r.promised_date, r.value) for r in rows]
    with sv.store.read() as s:
        counts = {name: s.scalar(select(func.count()).select_from(t.Base.metadata.tables[name]))
                  for name in CHILD_TABLES}
        signed = sorted(s.scalars(select(t.DealRowORM.ref).join(t.AgreementRevisionRow,
                                                                t.AgreementRevisionRow.deal_id == t.DealRowORM.id)))
    return {"deals": deals, "counts": counts, "signed": signed}


def test_the_demo_is_the_same_however_many_processes_build_it(db_url: str, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "_CHUNK", 500)  # smaller chunks, to keep the test quick
    deals = demo._CHUNK * 2 + 37  # three chunks, the last one short
    alone = Services.open(f"sqlite:///{tmp_path / 'alone.db'}", actor="Test")
    pooled = Services.open(db_url, actor="Test")
    try:
        progress: list[tuple[int, int]] = []
        demo.generate_demo(alone, deals=deals, seed=4, today=TODAY, workers=1, agreements=3)
        demo.generate_demo(pooled, deals=deals, seed=4, today=TODAY, workers=2, agreements=3,
                           progress=lambda done, total: progress.append((done, total)))
        expected, got = _content(alone), _content(pooled)
        assert got["counts"] == expected["counts"]
        assert got["deals"] == expected["deals"]
        assert len(got["signed"]) == 3 and got["signed"] == expected["signed"]
        assert progress[-1] == (deals, deals) and [d for d, _ in progress] == sorted(d for d, _ in progress)
        assert pooled.store.integrity_check() == []
        # The database goes on numbering after the demo: a new deal gets the next free id.
        customer = pooled.customers.list_customers()[0]
        created = pooled.deals.create(customer.uid, "After the demo")
        assert created.ref not in {d[0] for d in got["deals"]}
    finally:
        alone.close()
        pooled.close()


def test_a_deal_added_meanwhile_moves_the_demo_chunk_along(db_url: str) -> None:
    """Someone creates a deal while the demo runs, taking an id the demo had planned to use:
    the demo's deals move after it and nothing is lost or mixed up."""
    sv = Services.open(db_url, actor="Test")
    try:
        demo.generate_demo(sv, deals=5, seed=1, today=TODAY, workers=1)
        existing = demo._next_ids(sv)["deals"] - 1
        demo._demo_settings(sv)
        cast = demo._cast(sv, random.Random(1), demo._next_ids(sv), 8)
        demo._init_worker(cast, sv.settings.load(), TODAY, sv.store.engine.dialect.name, existing)
        plans = [(demo.Stage.DELIVERED, date(2026, 3, 2), "D-2026-9001"), (demo.Stage.QUOTED, date(2026, 3, 3),
                                                                             "D-2026-9002")]
        chunk = demo._build_chunk((0, 1, plans))
        assert chunk.first_deal_id == existing + 1
        meanwhile = sv.deals.create(cast.customers[0][1], "Added while the demo runs")
        assert demo._write_chunk(sv, chunk) == 2
        demo._advance_sequences(sv)
        for ref in ("D-2026-9001", "D-2026-9002"):
            deal = sv.deals.get(ref)
            assert deal.lines and deal.work_items  # its own rows followed it
        kept = sv.deals.get(meanwhile.ref)
        assert kept.title == "Added while the demo runs" and not kept.lines
        assert sv.store.integrity_check() == []
    finally:
        sv.close()


def test_demo_deals_hold_what_the_services_would_have_stored(db_url: str) -> None:
    """The demo writes rows in bulk instead of through the services; saving each deal again through
    them must find nothing to correct: the promised date, value, next action, schedule columns and
    search key are what the services derive, and no department's sign-off has gone stale."""
    from salesdesk.domain.fingerprint import fingerprint
    from salesdesk.services.deals import DealQuery

    sv = Services.open(db_url, actor="Test")
    try:
        demo.generate_demo(sv, deals=120, seed=6, today=TODAY, workers=1)

        def listed() -> dict[str, Any]:
            return {r.ref: r for r in sv.deals.list_rows(DealQuery(sort="ref", limit=None))}

        def stored() -> dict[str, Any]:
            with sv.store.read() as s:
                work = s.execute(select(t.WorkItemRow.uid, t.WorkItemRow.padded_days, t.WorkItemRow.planned_start,
                                        t.WorkItemRow.promised_due)).all()
                actions = s.execute(select(t.ActionItemRow.uid, t.ActionItemRow.due)).all()
                search = s.execute(select(t.DealRowORM.ref, t.DealRowORM.search_text)).all()
                stale = s.scalar(select(func.count()).where(t.SignOffRow.stale.is_(True)))
            return {"work": sorted(work), "actions": sorted(actions), "search": sorted(search), "stale": stale}

        before_rows, before = listed(), stored()
        signed_off = 0
        for ref in before_rows:
            deal = sv.deals.get(ref)
            current = [s for s in deal.signoffs if s.current]
            signed_off += bool(current)
            assert all(s.fingerprint == fingerprint(deal) for s in current), ref
            sv.deals.save(deal)
        assert signed_off > 40
        assert listed() == before_rows
        assert stored() == before
        assert before["stale"] == 0
    finally:
        sv.close()
