"""Keyboard shortcuts for the window's commands.

``setShortcuts`` and not ``setShortcut``: PySide6 resolves ``setShortcut``'s argument against the
whole ``Qt`` namespace, building its hundred-odd Python enums — a fifth of a bare Qt window's
start-up — before the window can show. The shortcut is the same either way, for the action's
window (QAction's default context).
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence


def set_shortcut(action: QAction, key: str | QKeySequence.StandardKey) -> None:
    """Give ``action`` the shortcut ``key`` ("Ctrl+N", or a standard key such as Quit); "" for none."""
    if isinstance(key, QKeySequence.StandardKey):
        action.setShortcuts(key)
    elif key:
        action.setShortcuts([QKeySequence(key)])
