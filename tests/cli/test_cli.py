"""The command line: exit codes, JSON shapes, messages on stderr."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from salesdesk import cli


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_check_prints_the_schema_version(db: str) -> None:
    from salesdesk.store.engine import head_revision

    code, out, _ = run("--db", db, "check")
    assert code == 0
    assert f"schema version: {head_revision()}" in out and "integrity: ok" in out


def test_demo_then_deals_json(db: str) -> None:
    code, out, err = run("--db", db, "demo", "--deals", "40", "--seed", "7")
    assert code == 0, err
    assert "40 deals" in out
    code, out, err = run("--db", db, "deals", "--json")
    assert code == 0, err
    deals = json.loads(out)
    assert len(deals) == 40
    stages = {"discovery", "feasibility", "cleared", "declined", "quoted", "agreed", "kicked_off", "delivering",
              "delivered", "lost"}
    for d in deals:
        assert {"ref", "customer", "title", "stage", "owner", "requested_date", "promised_date", "value"} <= set(d)
        assert d["stage"] in stages
        assert isinstance(d["value"], str) and float(d["value"]) >= 0
        for key in ("requested_date", "promised_date"):
            assert d[key] is None or date.fromisoformat(d[key])
    assert len({d["stage"] for d in deals}) >= 6


def test_demo_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    dumps = []
    for name in ("a", "b"):
        url = f"sqlite:///{tmp_path / name}.db"
        assert run("--db", url, "demo", "--deals", "25", "--seed", "3")[0] == 0
        dumps.append(json.loads(run("--db", url, "deals", "--json")[1]))
    for row in dumps[0] + dumps[1]:
        row.pop("problems", None)
        row.pop("next_action_due", None)
    assert dumps[0] == dumps[1]


def test_bad_usage_exits_2(db: str) -> None:
    assert run("--db", db, "no-such-command")[0] == 2
    assert run("--db", db, "demo", "--deals", "many")[0] == 2
    assert run("--db", db, "leadtime")[0] == 2  # --raw-days is required


def test_refused_operations_exit_1_with_the_reason_on_stderr(db: str, tmp_path: Path) -> None:
    code, out, err = run("--db", db, "deals", "--stage", "nonsense")
    assert code == 1 and "Unknown stage" in err and out == ""
    code, _, err = run("--db", "postgresql://nobody@127.0.0.1:1/none", "deals")
    assert code == 1 and "cannot open the database" in err
    code, _, err = run("--db", str(tmp_path / "missing" / "x.db"), "deals")
    assert code == 1 and "folder" in err


def test_leadtime_json(db: str) -> None:
    code, out, err = run("--db", db, "leadtime", "--raw-days", "5", "--start", "2026-12-18", "--country", "GB",
                         "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["factor"] == 2.0 and result["raw_days"] == 5 and result["padded_days"] == 10
    assert result["start"] == "2026-12-18"
    skipped = {s["date"] for s in result["skipped"]}
    assert {"2026-12-25", "2026-12-28", "2027-01-01"} <= skipped
    assert date.fromisoformat(result["due"]) == date(2027, 1, 6)


@pytest.mark.parametrize(
    "args",
    [("--factor", "0.5"), ("--factor", "abc"), ("--country", "XX"), ("--weekend", "funday"),
     ("--department", "Nope")],
)
def test_leadtime_bad_input_exits_1(db: str, args: tuple[str, str]) -> None:
    code, out, err = run("--db", db, "leadtime", "--raw-days", "3", *args)
    assert code == 1 and err.strip() and out == ""


def test_leadtime_bad_date_is_usage(db: str) -> None:
    assert run("--db", db, "leadtime", "--raw-days", "3", "--start", "31/12/2026")[0] == 2


def test_python_dash_m_works(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "salesdesk", "--data-dir", str(tmp_path), "check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "schema version" in out.stdout
