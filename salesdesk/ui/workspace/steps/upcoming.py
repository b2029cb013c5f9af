"""Steps whose own page is still being built: what the step will hold, and where the deal stands."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from salesdesk.domain.model import Deal
from salesdesk.domain.steps import STEPS, step_states
from salesdesk.ui.text import tr
from salesdesk.ui.widgets.fields import hint_label, section_title
from salesdesk.ui.workspace.steps import StepContext, StepPage

#: What each step will hold, in PRODUCT.md's words.
WHAT_IT_HOLDS: dict[str, str] = {
    "feasibility": "A checklist built from the product line's template, its items grouped by department, some "
                   "mandatory. Each department answers its items (yes / no / with conditions / n.a., with notes), "
                   "estimates its work in raw working days and signs off: feasible, feasible with conditions, or not "
                   "feasible.",
    "schedule": "Every raw estimate padded by the buffer factor before anything is promised. Due dates skip weekends, "
                "public holidays and closure days; the deal's promised date is the latest due date. A capacity check "
                "warns when a department would be overloaded and names the deals that would be bumped.",
    "quote": "The quote lines, the contingency as its own line \"allowance for the unexpected\", and the padded "
             "dates, never the raw ones. Only a cleared deal can be quoted.",
    "action_plan": "Parties on both sides with their responsibilities, action items (who, what, by when), who to call "
                   "for what, and the stakeholder map: everyone in our organisation who touches this customer, and "
                   "how they win.",
    "terms": "Standard terms from the library plus terms written for this deal, each non-standard term flagged and "
             "attributed to who approved it.",
    "agreement": "The letter of agreement on the company letterhead, previewed and printed from here, signed by both "
                 "sides on screen or on paper. Signing freezes that revision; any later change makes a new revision "
                 "that needs signing again.",
    "kickoff": "Before the first shipment, the account manager acknowledges each non-standard term and the kickoff "
               "meeting is recorded: date and attendees on both sides.",
    "delivery": "Action items marked done with their actual dates, and breakdowns logged: category, department, "
                "customer impact, cost and resolution.",
}


class UpcomingStep(StepPage):
    def __init__(self, ctx: StepContext, key: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.key = key
        title = dict(STEPS).get(key, key)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(section_title(tr(title, "Step")))
        layout.addWidget(hint_label(tr("This step is on its way. It will hold:", "Step")))
        what = QLabel(tr(WHAT_IT_HOLDS.get(key, ""), "Step"))
        what.setWordWrap(True)
        what.setMaximumWidth(720)
        layout.addWidget(what)
        layout.addSpacing(12)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.editor.changed.connect(self.show_deal)

    def show_deal(self, deal: Deal) -> None:
        state = next((s for s in step_states(deal) if s.key == self.key), None)
        self.status.setText(tr("Where this deal stands: {reason}", "Step").format(reason=state.reason) if state else "")
