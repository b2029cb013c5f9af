"""Feasibility: operations and the other departments answer, estimate and sign off before anything is promised.

Where the review stands comes first (not sent yet, waiting for whom, cleared, or declined with the
reasons); then each department's sign-off, the checklist, the work items beside the padded
schedule, the customer's requested date and the capacity check. What the page shows is computed
from the deal as it is on screen, so a changed estimate shows its stale sign-offs at once.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import Deal, Stage, WorkItem
from salesdesk.services.feasibility_status import FeasibilityStatus
from salesdesk.ui import theme
from salesdesk.ui.text import stage_label
from salesdesk.ui.widgets.fields import ErrorLabel, hint_label, section_title
from salesdesk.ui.workspace.feasibility.checklist import ChecklistView
from salesdesk.ui.workspace.feasibility.gap import GapPanel
from salesdesk.ui.workspace.feasibility.notice import Notice
from salesdesk.ui.workspace.feasibility.review import ReviewActions
from salesdesk.ui.workspace.feasibility.signoff_dialog import SignOffDialog
from salesdesk.ui.workspace.feasibility.signoffs import SignOffPanel
from salesdesk.ui.workspace.feasibility.work_items import WorkItemsTable
from salesdesk.ui.workspace.steps import StepContext, StepPage, register_step

CONTENT_WIDTH = 1100
REFRESH_MS = 150  # the live view follows typing, a moment after it


class FeasibilityStep(StepPage):
    fields = frozenset({"work_items", "predecessors", "raw_days"})

    def __init__(self, ctx: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.review = ReviewActions(ctx.ui.services, self.editor, ctx.ui.user)
        self.status: FeasibilityStatus | None = None
        self.sign_dialog: SignOffDialog | None = None
        self.names: dict[str, str] = {}

        body = QWidget()
        body.setMaximumWidth(CONTENT_WIDTH)
        column = QVBoxLayout(body)
        column.setContentsMargins(24, 8, 24, 24)
        column.setSpacing(6)

        self.notice = Notice()
        self.notice.action.clicked.connect(self.ask_for_review)
        column.addWidget(self.notice)

        column.addWidget(section_title(self.tr("Sign-offs")))
        column.addWidget(hint_label(self.tr(
            "Every department with questions or work signs off on what it reviewed. A change to the lines, dates, "
            "work items or answers afterwards makes its sign-off stale.")))
        self.signoffs = SignOffPanel()
        self.signoffs.sign_requested.connect(self.open_sign_off)
        column.addWidget(self.signoffs)

        column.addWidget(section_title(self.tr("Checklist")))
        column.addWidget(hint_label(self.tr(
            "Each department answers its own questions; your answer is recorded under your name. Hover over a "
            "question or press ? for the hint.")))
        self.checklist = ChecklistView(self.review.answer)
        column.addWidget(self.checklist)

        column.addWidget(section_title(self.tr("Work and the padded schedule")))
        column.addWidget(hint_label(self.tr(
            "Raw days are each department's own estimate in working days; they stay inside the company. Each is "
            "padded by the buffer factor (rounded up) before anything is promised; an item starts when the items "
            "it waits for are due.")))
        self.work = WorkItemsTable()
        self.work.edited.connect(self._work_edited)
        self.work_error = ErrorLabel()
        for key in self.fields:
            self.errors.register(key, self.work_error, self.work.table)
        column.addWidget(self.work)
        column.addWidget(self.work_error)

        column.addWidget(section_title(self.tr("The customer's requested date")))
        self.gap = GapPanel(self.review.handle_gap)
        column.addWidget(self.gap)

        column.addWidget(section_title(self.tr("Capacity")))
        self.capacity = QLabel()
        self.capacity.setWordWrap(True)
        self.capacity.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.capacity.setAccessibleName(self.tr("Capacity check"))
        column.addWidget(self.capacity)
        column.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.editor.changed.connect(self._changed)

    # --- the deal in -----------------------------------------------------------------------

    def show_deal(self, deal: Deal) -> None:
        self.names = self.review.member_names()
        self.checklist.show_items(deal.checklist, self.names)
        settings = self.ctx.ui.services.settings.load()
        self.work.set_departments([d.name for d in settings.departments])
        self.work.set_items(deal.work_items)
        self.refresh()

    def entered(self) -> None:
        self.show_deal(self.editor.deal)

    def _changed(self, _deal: Deal) -> None:
        if self.isVisible():
            self._timer.start()

    def refresh(self) -> None:
        """Recompute where the review stands from the deal on screen and show it."""
        self._timer.stop()
        deal = self.editor.deal
        status = self.status = self.review.status()
        open_ = self.review.review_open(deal)
        why_closed = self.review.why_closed(deal)
        self._show_notice(deal, status)
        can_sign = deal.stage in (Stage.FEASIBILITY, Stage.CLEARED)
        why_not = why_closed if not open_ else (
            self.tr("The deal was declined: change the scope and ask again first.") if deal.stage is Stage.DECLINED
            else self.tr("Ask operations for review first."))
        self.signoffs.show_statuses(status.departments, self.names, can_sign, why_not)
        self.checklist.show_items(deal.checklist, self.names)
        self.checklist.set_editable(open_, why_closed)
        self.work.show_schedule(status.schedule)
        self.work.set_editable(self.review.work_editable(deal), why_closed)
        self.gap.show_status(status, open_, why_closed)
        self._show_capacity(status)

    # --- pieces ----------------------------------------------------------------------------

    def _show_notice(self, deal: Deal, status: FeasibilityStatus) -> None:
        if deal.stage is Stage.DISCOVERY:
            self.notice.show_notice(
                self.tr("Not sent for review yet"),
                self.tr("When you know what the customer needs, ask operations and the other departments to answer "
                        "their questions, estimate the work and sign off. Nothing is promised before they do."),
                theme.STAGE_HUES[Stage.DISCOVERY], self.tr("&Ask operations for review"))
        elif deal.stage is Stage.DECLINED:
            reason = deal.decline_reason or self.tr("a department said it is not feasible")
            self.notice.show_notice(
                self.tr("Declined — we said no"),
                self.tr("{reason}\n\nChange the scope (lines, quantities, dates, work items or answers) and ask the "
                        "departments again, or tell the customer no.").format(reason=reason),
                theme.PROBLEM_HUE, self.tr("&Change scope and ask again"))
        elif not status.gate.cleared and deal.stage is Stage.FEASIBILITY:
            self.notice.show_notice(self.tr("In review — not cleared yet"), status.message, theme.WARNING_HUE)
        elif not status.gate.cleared and deal.stage in (Stage.CLEARED, Stage.QUOTED):
            self.notice.show_notice(self.tr("No longer cleared"), status.message + "\n" + self.tr(
                "Once this change is saved, the deal goes back to the departments for review."), theme.WARNING_HUE)
        elif deal.stage in (Stage.CLEARED, Stage.FEASIBILITY):  # cleared (the stage follows on saving)
            self.notice.show_notice(self.tr("Cleared"), status.message + " " + self.tr("The deal can be quoted."),
                                    theme.STAGE_HUES[Stage.CLEARED])
        else:
            self.notice.show_notice(stage_label(deal.stage), status.message + "\n" + self.review.why_closed(deal),
                                    theme.STAGE_HUES[deal.stage])

    def _show_capacity(self, status: FeasibilityStatus) -> None:
        warnings = status.capacity_warnings
        if warnings:
            text = "\n".join(f"⚠ {w}" for w in warnings)
            hue = theme.accent_text(theme.WARNING_HUE)
        elif status.schedule:
            text = self.tr("No department would go over its weekly capacity; no other customer's deal is bumped.")
            hue = theme.muted_text()
        else:
            text = self.tr("Checked once the work is estimated.")
            hue = theme.muted_text()
        self.capacity.setText(text)
        pal = self.capacity.palette()
        pal.setColor(self.capacity.foregroundRole(), hue)
        self.capacity.setPalette(pal)

    # --- actions ---------------------------------------------------------------------------

    def _work_edited(self, items: tuple[WorkItem, ...]) -> None:
        self.editor.edit(lambda d: replace(d, work_items=items))

    def ask_for_review(self) -> None:
        problem = self.review.ask_for_review()
        if problem is not None:
            self.notice.error.show_message(problem.message, problem.hint)

    def open_sign_off(self, department: str) -> SignOffDialog:
        status = self.status.gate.status_of(department) if self.status else None

        def sign(member_uid: str, verdict: object, conditions: str, pin: str | None) -> SalesDeskError | None:
            return self.review.sign_off(department, member_uid, verdict, conditions, pin)  # type: ignore[arg-type]

        dialog = SignOffDialog(department, self.review.signers(department),
                               status.open_mandatory if status else (), sign, self)
        if self.sign_dialog is not None:
            self.sign_dialog.deleteLater()
        self.sign_dialog = dialog
        dialog.open()
        return dialog


register_step("feasibility", FeasibilityStep)
