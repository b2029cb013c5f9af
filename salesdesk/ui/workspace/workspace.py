"""An open deal: header, step bar and the step pages, wired to the deal editor."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from salesdesk.domain.errors import ConflictError, SalesDeskError
from salesdesk.domain.model import Deal
from salesdesk.domain.steps import STEPS, step_states
from salesdesk.ui import dialogs
from salesdesk.ui.context import UiContext
from salesdesk.ui.dialogs import ConflictChoice, ConflictDialog
from salesdesk.ui.workspace.editor import DealEditor, SaveState
from salesdesk.ui.workspace.header import DealHeader
from salesdesk.ui.workspace.step_bar import StepBar
from salesdesk.ui.workspace.steps import StepContext, StepPage, create_step, step_fields


class DealWorkspace(QWidget):
    title_changed = Signal(str)
    saved = Signal(object)  # Deal

    def __init__(self, ui: UiContext, deal: Deal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.editor = DealEditor(ui.services, deal, self)
        self.step_context = StepContext(ui, self.editor)
        self.pages: dict[str, StepPage] = {}
        self.header = DealHeader()
        self.steps = StepBar()
        self.stack = QStackedWidget()
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        body = QHBoxLayout()
        body.setContentsMargins(8, 0, 0, 0)
        body.addWidget(self.steps)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(line)
        layout.addSpacing(8)
        layout.addLayout(body, 1)

        self.editor.changed.connect(self._deal_changed)
        self.editor.loaded.connect(self._deal_loaded)
        self.editor.state_changed.connect(self._state_changed)
        self.editor.invalid.connect(self._invalid)
        self.editor.conflict.connect(self._conflict)
        self.editor.saved.connect(self._saved)
        self.header.reload_requested.connect(self._reload_requested)
        self.header.overwrite_requested.connect(self.editor.save_over_theirs)
        self.steps.step_chosen.connect(self.go_to)

        self._deal_changed(deal)
        self.steps.select_step(STEPS[0][0])

    @property
    def deal(self) -> Deal:
        return self.editor.deal

    def tab_title(self) -> str:
        return f"{self.deal.ref} · {self.deal.customer_name}"

    # --- steps -----------------------------------------------------------------------------

    def page(self, key: str) -> StepPage:
        if key not in self.pages:
            page = create_step(key, self.step_context)
            page.show_deal(self.editor.deal)
            self.pages[key] = page
            self.stack.addWidget(page)
        return self.pages[key]

    def go_to(self, key: str) -> None:
        """Show step ``key``; pending edits of the step being left are saved first."""
        current = self.stack.currentWidget()
        if current is not None and current is not self.pages.get(key):
            self.editor.flush()
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        self.steps.select_step(key)
        page.entered()

    def current_step(self) -> str:
        for key, page in self.pages.items():
            if page is self.stack.currentWidget():
                return key
        return STEPS[0][0]

    # --- the editor's news -----------------------------------------------------------------

    def _deal_changed(self, deal: Deal) -> None:
        self.header.show_deal(deal)
        self.steps.set_states(step_states(deal))
        self.title_changed.emit(self.tab_title())

    def _deal_loaded(self, deal: Deal) -> None:
        for page in self.pages.values():
            page.clear_errors()
            page.show_deal(deal)

    def _state_changed(self, state: str) -> None:
        detail = self.editor.error.message if self.editor.error else ""
        self.header.show_state(state, detail)

    def _invalid(self, exc: SalesDeskError) -> None:
        owner = next((key for key, _title in STEPS if exc.field in self._fields_of(key)), None)
        if owner is not None:
            if self.current_step() != owner:
                self.stack.setCurrentWidget(self.page(owner))
                self.steps.blockSignals(True)
                self.steps.select_step(owner)
                self.steps.blockSignals(False)
            self.page(owner).show_error(exc)

    def _fields_of(self, key: str) -> frozenset[str]:
        page = self.pages.get(key)
        return page.fields if page is not None else step_fields(key)

    def _saved(self, deal: Deal) -> None:
        for page in self.pages.values():
            page.clear_errors()
        self.saved.emit(deal)

    def _conflict(self, exc: ConflictError) -> None:
        if ConflictDialog.ask(self, exc) == ConflictChoice.RELOAD:
            self.editor.reload()
        else:
            self.editor.keep_editing()

    def _reload_requested(self) -> None:
        if dialogs.confirm(self, self.tr("Reload their version"),
                           self.tr("Show the saved version and drop what you typed since your last save?"),
                           yes=self.tr("Reload")):
            self.editor.reload()

    # --- closing ---------------------------------------------------------------------------

    def close_deal(self) -> bool:
        """Save what is pending; True when the deal may close (saved, or the rep chose to drop changes)."""
        if self.editor.flush():
            return True
        if self.editor.state == SaveState.INVALID:
            question = self.tr("This deal has a change that cannot be saved: {problem}\n\nClose it and lose "
                               "that change?").format(problem=self.editor.error.message if self.editor.error else "")
        else:
            question = self.tr("Someone else changed this deal and your changes are not saved.\n\n"
                               "Close it and lose your changes?")
        return dialogs.confirm(self, self.tr("Unsaved changes"), question, yes=self.tr("Close without saving"),
                               no=self.tr("Keep it open"))
