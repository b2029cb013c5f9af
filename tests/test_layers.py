"""The house rule: nothing below the UI knows Qt exists."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    ["salesdesk.domain", "salesdesk.store", "salesdesk.services", "salesdesk.documents", "salesdesk.cli",
     "salesdesk.paths"],
)
def test_lower_layers_do_not_load_pyside6(module: str) -> None:
    import pkgutil

    import salesdesk

    code = (
        "import importlib, pkgutil, sys\n"
        f"pkg = importlib.import_module({module!r})\n"
        "if hasattr(pkg, '__path__'):\n"
        "    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if '.migrations' not in info.name:\n"
        "            importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(bad))\n"
    )
    assert salesdesk and pkgutil
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} loaded {out.stdout.strip()}"


def test_the_cli_runs_a_command_without_loading_qt(tmp_path) -> None:  # type: ignore[no-untyped-def]
    code = (
        "import sys\n"
        "from salesdesk.__main__ import main\n"
        f"rc = main(['--data-dir', {str(tmp_path)!r}, 'check'])\n"
        "assert rc == 0, rc\n"
        "print(any(m.startswith('PySide6') for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("False")
