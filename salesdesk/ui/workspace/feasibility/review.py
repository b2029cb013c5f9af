"""The review's actions on the open deal: ask for a review, answer, sign off, handle the requested date.

Each action saves the rep's pending edits first, runs the service against the version on screen
(so nobody answers or signs a deal that changed under them) and reloads the editor afterwards, so
every step shows the stored result. Errors come back as values for the view to show in place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from salesdesk.domain import feasibility as rules
from salesdesk.domain.errors import ConflictError, RefusedError, SalesDeskError
from salesdesk.domain.model import Answer, Deal, GapHandling, Stage, TeamMember, Verdict
from salesdesk.services.app import Services
from salesdesk.services.feasibility_status import FeasibilityStatus
from salesdesk.ui.text import format_date, stage_label, tr
from salesdesk.ui.workspace.editor import DealEditor

#: After these stages the work items are what was agreed: changed only through delivery.
WORK_EDITABLE = rules.REVIEW_STAGES | {Stage.QUOTED}


class ReviewActions:
    def __init__(self, services: Services, editor: DealEditor, user: TeamMember) -> None:
        self.services = services
        self.editor = editor
        self.user = user

    # --- reading ---------------------------------------------------------------------------

    def status(self, today: date | None = None) -> FeasibilityStatus:
        """Where the review stands with the deal as it is on screen (unsaved edits included)."""
        return self.services.feasibility.preview(self.editor.deal, today=today)

    def member_names(self) -> dict[str, str]:
        return {m.uid: m.name for m in self.services.team.list_members(include_inactive=True)}

    def signers(self, department: str) -> list[TeamMember]:
        """Active team members who may sign off for ``department``."""
        wanted = department.strip().casefold()
        return [m for m in self.services.team.list_members() if m.department.strip().casefold() == wanted]

    @staticmethod
    def review_open(deal: Deal) -> bool:
        return deal.stage in rules.REVIEW_STAGES

    @staticmethod
    def work_editable(deal: Deal) -> bool:
        return deal.stage in WORK_EDITABLE

    @staticmethod
    def why_closed(deal: Deal) -> str:
        return tr("The review is closed: the deal is {stage}. Answers and sign-offs change only until it is "
                  "quoted.", "Feasibility").format(stage=stage_label(deal.stage).lower())

    # --- acting ----------------------------------------------------------------------------

    def run(self, call: Callable[[int], object]) -> SalesDeskError | None:
        """Save pending edits, run ``call(version on screen)``, show the stored result; the error, if any."""
        if not self.editor.flush():
            return self.editor.error or RefusedError(
                tr("Your latest changes to this deal are not saved yet.", "Feasibility"),
                tr("Save them (or reload the other version) first.", "Feasibility"))
        try:
            call(self.editor.deal.version)
        except ConflictError as exc:
            self.editor.reload()  # show what changed; the user looks again before answering or signing
            return exc
        except SalesDeskError as exc:
            return exc
        self.editor.reload()
        return None

    def ask_for_review(self) -> SalesDeskError | None:
        ref = self.editor.deal.ref
        return self.run(lambda v: self.services.feasibility.request_review(ref, expected_version=v))

    def answer(self, item_uid: str, answer: Answer | None, notes: str) -> SalesDeskError | None:
        ref, me = self.editor.deal.ref, self.user.uid
        return self.run(lambda v: self.services.feasibility.answer(ref, item_uid, answer, notes, me,
                                                                   expected_version=v))

    def handle_gap(self, handling: GapHandling | None, reason: str) -> SalesDeskError | None:
        ref = self.editor.deal.ref
        return self.run(lambda v: self.services.feasibility.handle_gap(ref, handling, reason, expected_version=v))

    def why_not_quotable(self, status: FeasibilityStatus) -> str:
        """Exactly what stands between the deal on screen and its quote; empty when it can be quoted."""
        deal = self.editor.deal
        try:
            self.services.quotes.check_quotable(deal)
        except SalesDeskError as exc:
            return str(exc)
        if status.gap_unhandled and status.requested_date and status.padded_date:
            return tr("The customer asked for {requested}, but the padded schedule gives {padded}. Record how that is "
                      "handled on the Feasibility step: the customer accepts the later date, the scope changed, or an "
                      "override with a reason.", "Feasibility").format(
                requested=format_date(status.requested_date), padded=format_date(status.padded_date))
        if status.schedule_problem:
            return status.schedule_problem
        return ""

    def sign_off(self, department: str, member_uid: str, verdict: Verdict, conditions: str,
                 pin: str | None) -> SalesDeskError | None:
        ref = self.editor.deal.ref
        return self.run(lambda v: self.services.feasibility.sign_off(ref, department, member_uid, verdict, conditions,
                                                                     pin, expected_version=v))


def quoted_dates(deal: Deal, status: FeasibilityStatus) -> tuple[date | None, list[tuple[str, str, date]]]:
    """The promised date and each work item's due date as the quote prints them: padded, never raw.

    A quoted deal shows what was quoted; before that, the padded schedule (capped at the requested
    date when the rep recorded an override), as ``QuoteService`` computes it.
    """
    if deal.stage not in rules.REVIEW_STAGES and deal.promised_date:
        return deal.promised_date, [(w.department, w.task, w.promised_due) for w in deal.work_items
                                    if w.promised_due]
    promised = status.padded_date
    if promised and deal.gap_handling is GapHandling.OVERRIDE and deal.requested_date:
        promised = min(promised, deal.requested_date)
    rows = [(i.department, i.task, min(i.due, promised) if promised else i.due) for i in status.schedule]
    return promised, rows
