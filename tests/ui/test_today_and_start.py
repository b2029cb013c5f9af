"""The Today page, and starting the app (smoke and demo runs)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from salesdesk.domain.model import ActionItem, Side, Stage
from salesdesk.ui.today.presenter import load_today
from tests.ui.conftest import settle


@pytest.fixture
def busy_day(services: Any, rep: Any) -> dict[str, Any]:
    acme = services.customers.add("Acme Bottling")
    late = services.deals.create(acme.uid, "Filling line")
    soon = services.deals.create(acme.uid, "Spare parts")
    waiting = services.deals.create(acme.uid, "Cold room")
    today = date.today()
    services.deals.save(replace(late, action_items=(
        ActionItem("a1", Side.THEIRS, "Clear the floor", due_fixed=today - timedelta(days=3)),)))
    services.deals.save(replace(soon, action_items=(
        ActionItem("a2", Side.OURS, "Send drawings", due_fixed=today + timedelta(days=2)),
        ActionItem("a3", Side.OURS, "Far away", due_fixed=today + timedelta(days=60)))))
    services.deals.set_stage(waiting.uid, Stage.FEASIBILITY)
    return {"late": late, "soon": soon, "waiting": waiting}


def test_today_sorts_action_items_into_overdue_and_coming_up(services: Any, busy_day: dict[str, Any]) -> None:
    data = load_today(services)
    assert [(e.ref, e.what) for e in data.overdue] == [(busy_day["late"].ref, "Clear the floor")]
    assert [e.what for e in data.upcoming] == ["Send drawings"]
    assert [r.ref for r in data.waiting_for_signoff] == [busy_day["waiting"].ref] and data.waiting_total == 1


def test_an_entry_on_the_today_page_opens_its_deal(window: Any, qtbot: Any, busy_day: dict[str, Any]) -> None:
    window.show_place("today")
    settle(qtbot)
    page = window.pages["today"]
    item = page.overdue.list.topLevelItem(0)
    assert item.text(3) == "Clear the floor" and page.overdue.title.text() == "Overdue action items  (1)"
    assert page.stale.empty.isVisibleTo(page)
    page.overdue.list.itemActivated.emit(item, 0)
    workspace = window.deal_tabs.current_workspace()
    assert window.current_place() == "deals" and workspace.deal.ref == busy_day["late"].ref


def test_today_lists_a_coming_first_shipment_without_kickoff_by_its_shipment_date(
        window: Any, qtbot: Any, services: Any) -> None:
    from salesdesk.ui.text import format_date

    acme = services.customers.add("Acme Bottling")
    today = date.today()
    shipments = {"Later line": today + timedelta(days=3), "Sooner line": today + timedelta(days=1)}
    refs = {}
    for title, shipment in shipments.items():
        deal = services.deals.create(acme.uid, title)
        # Promised weeks after the first shipment: the kickoff has to come before the shipment.
        saved = services.deals.save(replace(deal, stage=Stage.AGREED, first_shipment_date=shipment,
                                            promised_date=today + timedelta(days=60)))
        refs[title] = saved.ref
    window.show_place("today")
    settle(qtbot)
    section = window.pages["today"].kickoffs
    rows = [[section.list.topLevelItem(i).text(c) for c in range(3)] for i in range(section.list.topLevelItemCount())]
    assert rows == [[refs["Sooner line"], "Acme Bottling", format_date(shipments["Sooner line"])],
                    [refs["Later line"], "Acme Bottling", format_date(shipments["Later line"])]]
    assert section.list.headerItem().text(2) == "First shipment"


def test_a_smoke_run_starts_shows_the_window_and_exits_cleanly(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "salesdesk", "--data-dir", str(tmp_path), "--db", str(tmp_path / "smoke.db"),
         "--smoke"], capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    shown, ready = (float(line.split(":")[1].split()[0]) for line in result.stdout.splitlines()[-2:])
    assert result.stdout.startswith("window shown: ") and "\nready: " in result.stdout
    assert 0 < shown <= ready


def test_a_smoke_run_on_a_database_it_cannot_open_fails_without_waiting_for_anyone(tmp_path: Path) -> None:
    (tmp_path / "garbage.db").write_bytes(b"\x00not a database\x00" * 4096)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "salesdesk", "--data-dir", str(tmp_path), "--db", str(tmp_path / "garbage.db"),
         "--smoke"], capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 1 and "ready" not in result.stdout
    assert result.stderr.strip(), "the reason is printed"


def test_a_demo_run_fills_a_demo_database_and_signs_in_a_demo_rep(qapp: Any, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from salesdesk import paths
    from salesdesk.services.app import Services
    from salesdesk.ui import app as ui_app
    from salesdesk.ui.first_run import known_user
    from salesdesk.ui.prefs import open_prefs

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_app installs its own; put it back afterwards
    paths.set_data_dir(tmp_path)
    try:
        url = f"sqlite:///{tmp_path / 'demo.db'}"
        args = argparse.Namespace(db=url, data_dir=None, demo=True, smoke=True)
        assert ui_app.run_app(args) == 0
        services = Services.open(url)
        try:
            assert services.deals.count() == 60
            assert known_user(services, open_prefs()).department == "Sales"  # type: ignore[union-attr]
        finally:
            services.close()
    finally:
        paths.set_data_dir(None)
