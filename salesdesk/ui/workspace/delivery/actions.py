"""Changes a step makes through a service rather than through the draft: acknowledging a term,
recording the kickoff, marking an item done, logging a breakdown.

The service reads and writes the stored deal, so pending edits are saved first; afterwards the
editor reloads the stored deal, so every page, the header and the step bar show what the service
decided (a new stage, an automatic breakdown).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from salesdesk.domain.errors import ConflictError, SalesDeskError
from salesdesk.services.app import Services
from salesdesk.ui.text import tr
from salesdesk.ui.workspace.editor import DealEditor

T = TypeVar("T")


class UnsavedEdits(SalesDeskError):
    """The draft holds an edit that cannot be saved, so the service would not see it."""


def change_stored_deal(editor: DealEditor, change: Callable[[], T]) -> T:
    """Save pending edits, run ``change`` (a service call), then show the stored deal.

    Raises the service's SalesDeskError (nothing changed). After a conflict the stored version is
    shown, which loses nothing: the draft was saved (or there was nothing to save) just before.
    """
    if not editor.flush():
        problem = editor.error.message if editor.error else ""
        raise UnsavedEdits(tr("This deal has a change that is not saved yet. {problem}").format(problem=problem).strip(),
                           tr("Fix or undo that change first (the header says what is wrong), then try again."))
    try:
        result = change()
    except ConflictError:
        editor.reload()
        raise
    editor.reload()
    editor.saved.emit(editor.deal)  # the deal list and the print action learn about the change
    return result


def member_names(services: Services) -> dict[str, str]:
    """Every team member's name by uid (former members too, so old records keep their names)."""
    return {m.uid: m.name for m in services.team.list_members(include_inactive=True)}
