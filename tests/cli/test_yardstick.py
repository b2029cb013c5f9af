"""``salesdesk yardstick`` on a demo database: the JSON shape, sensible suggestions, text, CSV, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from salesdesk import cli
from salesdesk.domain.model import BreakdownCategory
from salesdesk.services import demo_data

CATEGORIES = {c.value for c in BreakdownCategory}


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from salesdesk.services.app import Services
    from salesdesk.services.demo import generate_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('yardstick') / 'demo.db'}"
    services = Services.open(url)
    try:
        generate_demo(services, deals=200, seed=3)
    finally:
        services.close()
    return url


@pytest.fixture(scope="module")
def figures(demo_db: str) -> dict[str, Any]:
    code, out, err = run("--db", demo_db, "yardstick", "--json")
    assert code == 0, err
    return dict(json.loads(out))


def _rate(value: object) -> bool:
    return value is None or (isinstance(value, float | int) and 0 <= value <= 1)


def test_the_json_holds_the_on_time_rates_breakdowns_and_counts(figures: dict[str, Any]) -> None:
    assert _rate(figures["on_time_rate_promised"]) and figures["on_time_rate_promised"] is not None
    assert _rate(figures["on_time_rate_requested"]) and figures["on_time_rate_requested"] is not None
    deals, items = figures["deals"], figures["items"]
    assert deals["delivered"] > 10 and items["done"] > deals["delivered"]
    assert figures["on_time_rate_promised"] == pytest.approx(deals["on_time_promised"] / deals["with_promised_date"],
                                                             abs=1e-4)
    assert set(figures["breakdowns_by_category"]) == CATEGORIES
    assert all(isinstance(n, int) and n >= 0 for n in figures["breakdowns_by_category"].values())
    assert figures["breakdowns_by_category"]["missed_delivery_date"] > 0
    assert sum(figures["breakdowns_by_category"].values()) == figures["breakdowns"]["total"]
    assert len(figures["by_month"]) == 12
    assert sum(m["deals_delivered"] for m in figures["by_month"]) == deals["delivered"]
    assert sum(m["items_on_time"] for m in figures["by_month"]) == items["on_time"]
    assert all(_rate(m["items_on_time_rate"]) and _rate(m["deals_on_time_rate_requested"]) for m in figures["by_month"])
    assert {d["department"] for d in figures["by_department"]} >= {"Engineering", "Operations"}
    assert figures["period"]["to"] >= figures["period"]["from"]
    assert figures["filters"] == {"owner": None, "department": None}
    assert figures["declined"]["count"] == sum(r["count"] for r in figures["declined"]["reasons"]) > 0
    successes = figures["successes"]
    assert successes["count"] == deals["on_time_promised"]
    assert successes["people"] and all(p["deals"] <= successes["count"] for p in successes["people"])
    assert 0 < len(successes["recent"]) <= 10
    accuracy = figures["estimate_accuracy"]["Engineering"]
    assert accuracy["quantiles"]["p10"] <= accuracy["quantiles"]["p50"] <= accuracy["quantiles"]["p90"]
    assert sum(b["count"] for b in accuracy["bins"]) == accuracy["items"]


def test_the_suggested_factors_are_sensible_and_engineering_needs_the_most(figures: dict[str, Any]) -> None:
    factors = figures["calibrated_factors"]
    assert set(factors) >= set(demo_data.DEPARTMENTS)
    for name, f in factors.items():
        assert {"current", "suggested", "sample"} <= set(f)
        assert 0 <= f["sample"] <= 50
        if f["sample"] < 10:
            assert f["suggested"] is None, name
        else:
            assert 1.0 <= f["suggested"] <= 5.0, name
            assert f["kept_at_suggested"] >= 0.95 or not f["reaches_target"]
        configured = demo_data.DEPARTMENTS.get(name, (None, None, 0))[0]
        assert f["current"] == float(configured) if configured is not None else f["current"] == 2.0
    suggested = {name: f["suggested"] for name, f in factors.items() if f["suggested"] is not None}
    # The demo's engineers take 1.9 × their estimates on average, the most of any department.
    assert max(suggested, key=lambda name: suggested[name]) == "Engineering"
    assert suggested["Engineering"] > 1.9
    assert suggested["Shipping/Receiving"] < suggested["Engineering"]


def test_the_text_summary_reads_like_a_report(demo_db: str) -> None:
    code, out, err = run("--db", demo_db, "yardstick")
    assert code == 0, err
    for words in ("Promises kept", "on time against the promised date", "Breakdowns:", "Buffer factors",
                  "Engineering", "Declined (we said no)", "Successes:"):
        assert words in out


def test_filters_by_owner_and_department(demo_db: str, figures: dict[str, Any]) -> None:
    code, out, err = run("--db", demo_db, "yardstick", "--json", "--owner", "Ben Okafor", "--department", "engineering")
    assert code == 0, err
    mine = json.loads(out)
    assert mine["filters"] == {"owner": "Ben Okafor", "department": "Engineering"}
    assert list(mine["calibrated_factors"]) == ["Engineering"]
    assert mine["items"]["done"] < figures["items"]["done"]
    assert mine["deals"]["delivered"] < figures["deals"]["delivered"]


def test_every_table_is_written_as_a_csv_file(demo_db: str, figures: dict[str, Any], tmp_path: Path) -> None:
    folder = tmp_path / "exports" / "yardstick"
    code, out, err = run("--db", demo_db, "yardstick", "--csv", str(folder))
    assert code == 0, err
    assert f"Wrote 13 CSV tables to {folder}" in out
    assert not list(folder.glob("*.part"))

    def read(name: str) -> list[dict[str, str]]:
        with (folder / f"{name}.csv").open(encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))

    assert len(read("by_month")) == 12
    assert {r["category"] for r in read("breakdowns_by_category")} == CATEGORIES
    summary = {r["measure"]: r["value"] for r in read("summary")}
    assert float(summary["on_time_rate_promised"]) == figures["on_time_rate_promised"]
    factors = {r["department"]: r for r in read("calibrated_factors")}
    assert float(factors["Engineering"]["suggested"]) == figures["calibrated_factors"]["Engineering"]["suggested"]
    assert read("successes_people")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2026-02-30"), "--from '2026-02-30' is not a date"),
        (("--to", "yesterday"), "--to 'yesterday' is not a date"),
        (("--from", "2026-05-01", "--to", "2026-04-01"), "ends (2026-04-01) before it starts"),
        (("--department", "Marketing"), "There is no department 'Marketing'"),
        (("--owner", "Nobody"), "There is no team member 'Nobody'"),
    ],
)
def test_bad_input_exits_1_with_a_clear_message(demo_db: str, args: tuple[str, ...], message: str) -> None:
    code, out, err = run("--db", demo_db, "yardstick", *args)
    assert code == 1
    assert message in err and out == ""


def test_a_csv_target_that_is_a_file_is_refused(demo_db: str, tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("keep me", encoding="utf-8")
    code, _out, err = run("--db", demo_db, "yardstick", "--csv", str(target))
    assert code == 1 and "is a file, not a folder" in err
    assert target.read_text(encoding="utf-8") == "keep me"
