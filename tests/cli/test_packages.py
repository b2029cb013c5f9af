"""``salesdesk export | import | backup | restore``: exit codes and what they print."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from salesdesk import cli
from salesdesk.services.app import Services


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    code, _out, err = run("--db", url, "demo", "--deals", "8", "--seed", "3")
    assert code == 0, err
    return url


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    folder = tmp_path / "shared"
    folder.mkdir()
    return folder


def _first_ref(db: str) -> str:
    code, out, _ = run("--db", db, "deals", "--json")
    return str(json.loads(out)[0]["ref"])


def test_export_one_deal_and_then_all_changed_ones(db, shared) -> None:  # type: ignore[no-untyped-def]
    ref = _first_ref(db)
    code, out, err = run("--db", db, "export", ref, "--to", str(shared))
    assert code == 0, err
    folder = Path(out.strip().split(" to ", 1)[1])
    assert (folder / "deal.json").exists() and folder.parent == shared
    code, out, err = run("--db", db, "export", "--all", "--changed", "--to", str(shared))
    assert code == 0, err
    assert "7 changed deals exported" in out and ref not in out
    code, out, _ = run("--db", db, "export", "--all", "--changed", "--to", str(shared))
    assert "0 changed deals exported" in out


@pytest.mark.parametrize("argv", [("export",), ("export", "D-2026-0001", "--all"), ("export", "D-1", "--changed")])
def test_export_needs_one_deal_or_all(db, shared, argv) -> None:  # type: ignore[no-untyped-def]
    code, _out, err = run("--db", db, *argv, "--to", str(shared))
    assert code == 2 and "salesdesk export:" in err


def test_export_to_a_missing_folder_is_refused(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, _out, err = run("--db", db, "export", _first_ref(db), "--to", str(tmp_path / "gone"))
    assert code == 1 and "does not exist" in err


def test_import_reports_a_conflict_with_its_fields_and_the_ways_out(db, shared, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref = _first_ref(db)
    other = f"sqlite:///{tmp_path / 'other.db'}"
    code, out, _ = run("--db", db, "export", ref, "--to", str(shared))
    package = out.strip().split(" to ", 1)[1]
    code, out, err = run("--db", other, "import", package)
    assert code == 0 and "Imported" in out, err
    for url, title in ((db, "Changed on the first computer"), (other, "Changed on the second computer")):
        sv = Services.open(url)
        try:
            from dataclasses import replace

            sv.deals.save(replace(sv.deals.get(ref), title=title))
        finally:
            sv.close()
    back = tmp_path / "back"
    back.mkdir()
    code, out, _ = run("--db", other, "export", ref, "--to", str(back))
    theirs = out.strip().split(" to ", 1)[1]
    code, out, err = run("--db", db, "import", theirs)
    assert code == 1
    assert "changed both on this computer and in the package: title" in err
    assert "--theirs" in err and "--ours" in err and "--copy" in err
    code, out, err = run("--db", db, "import", theirs, "--theirs")
    assert code == 0 and "Updated" in out, err
    code, out, _ = run("--db", db, "deals", "--json")
    assert "Changed on the second computer" in {d["title"] for d in json.loads(out)}


def test_import_refuses_a_damaged_package(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "deal.json").write_text('{"format": "salesdesk-deal", "schema_version": 1, "deal": ', encoding="utf-8")
    code, _out, err = run("--db", db, "import", str(bad))
    assert code == 1 and "cannot be imported" in err
    code, _out, err = run("--db", db, "import", str(bad), "--ours", "--copy")
    assert code == 2


def test_backup_and_restore(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    usb = tmp_path / "usb"
    usb.mkdir()
    code, out, err = run("--db", db, "backup", "--to", str(usb))
    assert code == 0, err
    backup = Path(out.strip().removeprefix("backup written to "))
    assert backup.parent == usb and backup.exists()
    sv = Services.open(db)
    sv.customers.add("After the backup")
    sv.close()

    code, out, err = run("--db", db, "restore", str(backup))
    assert code == 1 and "--yes" in err and "Nothing was restored" in err
    assert "deals: 8" in out and "customers:" in out and "newest deal:" in out

    code, out, err = run("--db", db, "restore", str(backup), "--yes")
    assert code == 0, err
    assert "restored" in out and "kept at" in out
    sv = Services.open(db)
    try:
        assert "After the backup" not in {c.name for c in sv.customers.list_customers()}
    finally:
        sv.close()


def test_backup_problems_exit_1(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, _out, err = run("--db", db, "backup", "--to", str(tmp_path / "missing"))
    assert code == 1 and "does not exist" in err
    code, _out, err = run("--db", "postgresql://nobody@127.0.0.1:1/none", "backup")
    assert code == 1 and "pg_dump" in err
    code, _out, err = run("--db", db, "restore", str(tmp_path / "nope.db"), "--yes")
    assert code == 1 and "no backup" in err.lower()
