"""The workspace's steps are plug-ins: one module per step in this package registers a page.

A module here calls ``register_step("feasibility", FeasibilityStep)`` at import; the workspace
imports every module of the package once (``load_step_modules``), so adding a step means adding
a file, nothing else. A step with no registered page yet shows what it will hold (``upcoming.UpcomingStep``).

A step page is a ``StepPage``: it fills its widgets in ``show_deal``, changes the deal through
``self.editor.edit(...)`` / ``set_field``, and lists the deal fields it edits in ``fields`` so a
validation error about one of them is shown on that page, next to the field.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import Deal
from salesdesk.ui.context import UiContext
from salesdesk.ui.widgets.fields import FieldErrors
from salesdesk.ui.workspace.editor import DealEditor

log = logging.getLogger(__name__)


@dataclass
class StepContext:
    ui: UiContext
    editor: DealEditor


class StepPage(QWidget):
    """One step of the deal workspace. Subclasses lay out widgets and bind them to the deal."""

    #: Deal fields this page edits; a validation error for one of them is shown here.
    fields: frozenset[str] = frozenset()

    def __init__(self, ctx: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.editor = ctx.editor
        self.errors = FieldErrors()

    def show_deal(self, deal: Deal) -> None:
        """Fill the widgets from ``deal`` (first opened, or reloaded)."""

    def entered(self) -> None:
        """The rep opened this step."""

    def show_error(self, exc: SalesDeskError) -> bool:
        """Show ``exc`` next to its field; False when this page has no such field."""
        return self.errors.knows(exc.field) and self.errors.show(exc)

    def clear_errors(self) -> None:
        self.errors.clear()


StepFactory = Callable[[StepContext], StepPage]
_FACTORIES: dict[str, StepFactory] = {}
_loaded = False


def register_step(key: str, factory: StepFactory) -> None:
    """Make ``factory`` build the page of step ``key`` (one of salesdesk.domain.steps.STEPS)."""
    _FACTORIES[key] = factory


def load_step_modules() -> None:
    """Import every step module in this package once, so each registers its page."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")


def create_step(key: str, ctx: StepContext) -> StepPage:
    """The page for step ``key``: its registered page, else one that says what the step will hold."""
    load_step_modules()
    factory = _FACTORIES.get(key)
    if factory is None:
        from salesdesk.ui.workspace.steps.upcoming import UpcomingStep

        return UpcomingStep(ctx, key)
    return factory(ctx)


def step_fields(key: str) -> frozenset[str]:
    """The deal fields step ``key`` edits (its page class's ``fields``), without building the page."""
    load_step_modules()
    return getattr(_FACTORIES.get(key), "fields", frozenset())
