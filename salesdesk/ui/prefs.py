"""What the app remembers between runs on this laptop (QSettings in an INI file under the config folder)."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from salesdesk import paths


def open_prefs() -> QSettings:
    """The UI's own settings file; tests point paths at a temp folder so the real one is never touched."""
    return QSettings(str(paths.config_dir() / "salesdesk-ui.ini"), QSettings.Format.IniFormat)


def _user_key(store_url: str) -> str:
    import hashlib  # not at start-up: the user is looked up once the database is open

    # One remembered user per database: team member uids differ between databases.
    return "current_user/" + hashlib.sha1(store_url.encode()).hexdigest()[:16]


def remembered_user(prefs: QSettings, store_url: str) -> str | None:
    value = prefs.value(_user_key(store_url))
    return str(value) if value else None


def remember_user(prefs: QSettings, store_url: str, member_uid: str) -> None:
    prefs.setValue(_user_key(store_url), member_uid)
    prefs.sync()
