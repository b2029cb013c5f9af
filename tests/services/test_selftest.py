"""``salesdesk --self-test`` checks the installation end to end and says which check failed."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest

from salesdesk import paths
from salesdesk.services.selftest import CHECKS, self_test


def _leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("salesdesk-selftest-*")}


def test_the_self_test_passes_from_source_and_leaves_no_files_behind() -> None:
    before = _leftovers()
    out = io.StringIO()
    assert self_test(out) == 0, out.getvalue()
    lines = out.getvalue().splitlines()
    assert len([line for line in lines if line.strip().startswith("ok ")]) == len(CHECKS)
    assert "FAILED" not in out.getvalue()
    assert lines[-1].startswith("Self-test passed")
    assert _leftovers() == before


def test_a_missing_resource_fails_the_self_test_with_its_name(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(paths, "resource_root", lambda: tmp_path)
    out = io.StringIO()
    assert self_test(out) == 1
    text = out.getvalue()
    assert "FAILED resources" in text and "templates/checklists.json" in text
    assert text.splitlines()[-1].startswith("Self-test FAILED")
