"""The shipped probing questions (resources/templates/discovery_questions.json) and the
"Add from template" menu button that offers the ones not asked yet."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from salesdesk import paths


@dataclass(frozen=True)
class TemplateQuestion:
    question: str
    why: str


@cache
def template_questions() -> tuple[TemplateQuestion, ...]:
    data = json.loads(paths.resource_path("templates", "discovery_questions.json").read_text(encoding="utf-8"))
    return tuple(TemplateQuestion(q["question"], q.get("why", "")) for q in data["questions"])


class TemplateQuestionsButton(QToolButton):
    """Offers the template's questions that are not in the list yet; ``add`` receives the chosen ones."""

    def __init__(self, asked: Callable[[], set[str]], add: Callable[[list[str]], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.asked, self.add = asked, add
        self.setText(self.tr("Add from template"))
        self.setAccessibleName(self.tr("Add probing questions from the template"))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setMenu(QMenu(self))
        self.menu().aboutToShow.connect(self._fill)

    def _fill(self) -> None:
        menu = self.menu()
        menu.clear()
        menu.setToolTipsVisible(True)
        asked = {q.strip().lower() for q in self.asked()}
        fresh = [q for q in template_questions() if q.question.strip().lower() not in asked]
        everything = menu.addAction(self.tr("All {n} not asked yet").format(n=len(fresh)))
        everything.setEnabled(bool(fresh))
        everything.triggered.connect(lambda: self.add([q.question for q in fresh]))
        menu.addSeparator()
        for q in template_questions():
            action = menu.addAction(q.question if len(q.question) < 90 else q.question[:88] + "…")
            action.setToolTip(q.why)
            action.setEnabled(q in fresh)
            action.triggered.connect(lambda _checked=False, text=q.question: self.add([text]))
