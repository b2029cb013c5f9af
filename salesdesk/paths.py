"""The one place that knows folders: data, config, logs, cache and bundled resources.

``--data-dir`` (or ``SALESDESK_DATA_DIR``) puts everything under one folder, which the tests and
the demo mode use so nothing touches the user's real data.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import ModuleType

from salesdesk import APP_NAME

_override: Path | None = None


def set_data_dir(path: str | os.PathLike[str] | None) -> None:
    """Keep every file SalesDesk writes under ``path`` (None: back to the platform folders)."""
    global _override
    _override = Path(path).expanduser().resolve() if path else None


def _base() -> Path | None:
    if _override is not None:
        return _override
    env = os.environ.get("SALESDESK_DATA_DIR")
    return Path(env).expanduser().resolve() if env else None


def _platform() -> ModuleType:
    """platformdirs, loaded when first needed: with a data folder given, never (it slows the app's start)."""
    import platformdirs

    return platformdirs


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    base = _base()
    return _ensure(base if base else Path(_platform().user_data_dir(APP_NAME, appauthor=False)))


def config_dir() -> Path:
    base = _base()
    return _ensure(base / "config" if base else Path(_platform().user_config_dir(APP_NAME, appauthor=False)))


def log_dir() -> Path:
    base = _base()
    return _ensure(base / "logs" if base else Path(_platform().user_log_dir(APP_NAME, appauthor=False)))


def cache_dir() -> Path:
    base = _base()
    return _ensure(base / "cache" if base else Path(_platform().user_cache_dir(APP_NAME, appauthor=False)))


def backup_dir() -> Path:
    return _ensure(data_dir() / "backups")


def default_database_path() -> Path:
    return data_dir() / "salesdesk.db"


def default_database_url() -> str:
    return f"sqlite:///{default_database_path()}"


def is_frozen() -> bool:
    """True inside the PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def resource_root() -> Path:
    if is_frozen():
        return Path(sys._MEIPASS) / "resources"  # type: ignore[attr-defined]  # set by the bundle only
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """A bundled data file (fonts, icons, templates, terms), from source or from the bundle."""
    return resource_root().joinpath(*parts)
