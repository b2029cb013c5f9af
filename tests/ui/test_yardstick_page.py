"""The Yardstick page on the demo company: figures computed off the UI thread, charts drawn, filters,
"Use this factor", and the figures exported as CSV and the charts as PNG."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from salesdesk.services.demo import generate_demo
from salesdesk.ui import dialogs as ui_dialogs


@pytest.fixture
def demo(services: Any) -> Any:
    generate_demo(services, deals=120, seed=4)
    return services


def yardstick(window: Any, qtbot: Any) -> Any:
    window.show_place("yardstick")
    page = window.pages["yardstick"]
    qtbot.waitUntil(lambda: page.figures is not None and not page.loader.busy, timeout=30_000)
    return page


def test_the_yardstick_shows_the_demo_companys_figures(window: Any, qtbot: Any, demo: Any) -> None:
    page = yardstick(window, qtbot)
    y = page.figures
    assert y.items.done > 0 and y.deals.delivered > 0 and y.breakdowns.total > 0
    assert page.headlines.items.value.text() == f"{y.items.on_time.rate * 100:.0f} %"
    assert page.headlines.breakdowns.value.text() == f"{y.breakdowns.total:,}"
    assert all(card.has_chart for card in page.cards), [c.key for c in page.cards if not c.has_chart]
    assert page.calibration.rowCount() == len(y.calibration)
    no_history = [c.department for c in y.calibration.values() if c.suggested is None]
    assert no_history, "the demo has departments without finished work"
    row = next(r for r in range(page.calibration.rowCount()) if page.calibration.item(r, 0).text() == no_history[0])
    assert page.calibration.item(row, 2).text() == "not enough history"
    assert not page.calibration.buttons[no_history[0]].isEnabled()
    assert "deals delivered on time" in page.successes.cheer.text()
    assert page.successes.recent.topLevelItemCount() > 0
    assert f"{y.items.done:,} work items finished" in page.status.text()

    owner = page.owner.findText(y.successes.people[0].name)
    page.owner.setCurrentIndex(owner)
    page.owner.activated.emit(owner)
    qtbot.waitUntil(lambda: page.figures.owner == y.successes.people[0].name and not page.loader.busy, timeout=30_000)
    assert page.figures.items.done <= y.items.done
    assert f"deals owned by {y.successes.people[0].name}" in page.status.text()


def test_use_this_factor_changes_the_departments_buffer_factor(window: Any, qtbot: Any, demo: Any,
                                                               dialogs: Any) -> None:
    page = yardstick(window, qtbot)
    calib = next(c for c in page.figures.calibration.values() if c.suggested is not None and c.suggested != c.current)
    button = page.calibration.buttons[calib.department]
    assert button.isEnabled() and button.text() == f"Use ×{calib.suggested}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert dialogs.confirms and f"×{calib.suggested}" in dialogs.confirms[-1]
    assert demo.settings.load().department(calib.department).buffer_factor == calib.suggested
    qtbot.waitUntil(lambda: not page.loader.busy
                    and page.figures.calibration[calib.department].current == calib.suggested, timeout=30_000)
    row = next(r for r in range(page.calibration.rowCount())
               if page.calibration.item(r, 0).text() == calib.department)
    assert page.calibration.item(row, 1).text() == f"×{calib.suggested}"
    audit = demo.history.recent(limit=1)[0]
    assert (audit.entity, audit.field, audit.actor) == ("settings", "departments", "Ana Rossi"), "audited"


def test_a_declined_answer_keeps_the_factor(window: Any, qtbot: Any, demo: Any, dialogs: Any) -> None:
    page = yardstick(window, qtbot)
    calib = next(c for c in page.figures.calibration.values() if c.suggested is not None and c.suggested != c.current)
    dialogs.confirm_answer = False
    qtbot.mouseClick(page.calibration.buttons[calib.department], Qt.MouseButton.LeftButton)
    assert demo.settings.load().department(calib.department).buffer_factor == calib.current


def test_figures_export_as_csv_and_charts_as_png(window: Any, qtbot: Any, demo: Any, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    page = yardstick(window, qtbot)
    folder = tmp_path / "figures"
    folder.mkdir()
    monkeypatch.setattr(ui_dialogs, "choose_folder", lambda *_a: str(folder))
    qtbot.mouseClick(page.csv_button, Qt.MouseButton.LeftButton)
    files = sorted(p.name for p in folder.glob("*.csv"))
    assert len(files) >= 8 and any(name.endswith("-calibration.csv") for name in files)
    calibration = next(folder.glob("*-calibration.csv"))
    with calibration.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:2] == ["department", "factor in use"]
    assert {r[0] for r in rows[1:]} == set(page.figures.calibration)

    qtbot.mouseClick(page.png_button, Qt.MouseButton.LeftButton)
    pngs = sorted(folder.glob("*.png"))
    assert len(pngs) == len(page.cards)
    assert all(p.stat().st_size > 1000 and p.read_bytes()[:4] == b"\x89PNG" for p in pngs)


def test_a_period_that_ends_before_it_starts_is_explained(window: Any, qtbot: Any, services: Any) -> None:
    page = yardstick(window, qtbot)
    page.end.setDate(page.start.date().addDays(-1))
    page.refresh()
    assert page.error.isVisibleTo(page) and "ends before it starts" in page.error.text()
