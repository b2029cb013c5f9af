"""The open deal being edited: its draft, autosave, and what happens when a save is refused.

Steps change the draft through ``edit``; the editor saves ~800 ms after the last edit (and when
the rep leaves a step or closes the deal). A save is one short transaction, so it runs on the UI
thread, after the "Saving…" state has been shown. A validation error saves nothing and is handed
to the step that owns the field. A conflict (someone else saved first) is handed to the
workspace, which asks the rep: reload their version, or keep editing and later save over it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from salesdesk.domain.errors import ConflictError, SalesDeskError
from salesdesk.domain.model import Deal
from salesdesk.services.app import Services
from salesdesk.ui.workspace.rebase import rebase

AUTOSAVE_MS = 800


class SaveState(StrEnum):
    SAVED = "saved"
    UNSAVED = "unsaved"
    SAVING = "saving"
    INVALID = "invalid"  # the last save was refused: a field needs fixing
    CONFLICT = "conflict"  # someone else saved first; the rep kept editing


class DealEditor(QObject):
    loaded = Signal(object)  # Deal: fill the widgets (first load, reload)
    changed = Signal(object)  # Deal: the draft or its saved copy changed (header, step bar)
    state_changed = Signal(str)  # SaveState
    invalid = Signal(object)  # SalesDeskError naming a field
    conflict = Signal(object)  # ConflictError: the workspace asks the rep what to do
    saved = Signal(object)  # Deal as stored

    def __init__(self, services: Services, deal: Deal, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._base = deal  # the last version loaded from or saved to the store
        self._draft = deal
        self._state = SaveState.SAVED
        self.error: SalesDeskError | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self._autosave)

    @property
    def deal(self) -> Deal:
        """The deal as the rep sees it now (saved or not)."""
        return self._draft

    @property
    def state(self) -> SaveState:
        return self._state

    @property
    def dirty(self) -> bool:
        return self._draft != self._base

    def _set_state(self, state: SaveState) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state.value)

    # --- editing ---------------------------------------------------------------------------

    def edit(self, change: Callable[[Deal], Deal]) -> None:
        """Apply a change to the draft and schedule the autosave."""
        draft = change(self._draft)
        if draft == self._draft:
            return
        self._draft = draft
        self.changed.emit(draft)
        if self._state == SaveState.CONFLICT:
            return  # nothing is saved until the rep chooses to save over the other version
        self._set_state(SaveState.UNSAVED if self.dirty else SaveState.SAVED)
        if self.dirty:
            self._timer.start()

    def set_field(self, name: str, value: Any) -> None:
        self.edit(lambda d: replace(d, **{name: value}))

    # --- saving ----------------------------------------------------------------------------

    def _autosave(self) -> None:
        if self.dirty and self._state != SaveState.CONFLICT:
            self._set_state(SaveState.SAVING)
            QTimer.singleShot(0, self, self.save_now)  # let "Saving…" paint first

    def save_now(self) -> bool:
        """Save the draft now; True when it is stored (or there was nothing to store)."""
        self._timer.stop()
        if self._state == SaveState.CONFLICT:
            return False
        if not self.dirty:
            self._set_state(SaveState.SAVED)
            return True
        self._set_state(SaveState.SAVING)
        submitted = self._draft
        try:
            stored = self.services.deals.save(submitted)
        except ConflictError as exc:
            self.error = exc
            self._set_state(SaveState.CONFLICT)
            self.conflict.emit(exc)
            return False
        except SalesDeskError as exc:
            self.error = exc
            self._set_state(SaveState.INVALID)
            self.invalid.emit(exc)
            return False
        self.error = None
        self._base = stored
        self._draft = stored
        self._set_state(SaveState.SAVED)
        self.saved.emit(stored)
        self.changed.emit(stored)
        return True

    def flush(self) -> bool:
        """Save pending edits (leaving a step, closing the deal); True when nothing is left unsaved."""
        if self._state == SaveState.CONFLICT:
            return not self.dirty
        return self.save_now()

    # --- after a conflict ------------------------------------------------------------------

    def reload(self) -> None:
        """Drop unsaved edits and show the stored version (theirs, after a conflict)."""
        self._timer.stop()
        fresh = self.services.deals.get(self._draft.uid)
        self._base = self._draft = fresh
        self.error = None
        self._set_state(SaveState.SAVED)
        self.loaded.emit(fresh)
        self.changed.emit(fresh)

    def keep_editing(self) -> None:
        """Keep what the rep typed on screen; autosave stays off until ``save_over_theirs``."""
        self._timer.stop()
        self._set_state(SaveState.CONFLICT)

    def save_over_theirs(self) -> bool:
        """The rep's edits on top of the latest stored version, saved now."""
        theirs = self.services.deals.get(self._draft.uid)
        mine = rebase(self._base, self._draft, theirs)
        self._base = theirs
        self._draft = mine
        self._state = SaveState.UNSAVED
        if self.save_now():
            self.loaded.emit(self._draft)  # their changes to fields the rep did not touch now show
            return True
        return False
