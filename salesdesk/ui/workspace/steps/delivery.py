"""Delivery & breakdowns: work items and action items marked done with their actual dates (or reopened),
the breakdown log, and "Mark as lost…" when the customer walks away.

Every change goes through the delivery service, which decides what follows: a work item finished
after its promised date logs a "missed delivery date" breakdown by itself, and the deal becomes
Delivered once every item is done. The page then shows the stored deal again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import Deal, ItemStatus, Side, Stage
from salesdesk.domain.steps import StepStatus
from salesdesk.services.delivery import DELIVERY_STAGES, ItemDone
from salesdesk.services.promise import calendar_from_settings, deal_schedule
from salesdesk.ui import dialogs, theme
from salesdesk.ui.text import count_label, format_date, stage_label
from salesdesk.ui.widgets.fields import ErrorLabel, hint_label, section_title
from salesdesk.ui.widgets.pill import Pill
from salesdesk.ui.workspace.agreement.people import People
from salesdesk.ui.workspace.agreement.record import Banner
from salesdesk.ui.workspace.delivery.actions import change_stored_deal, member_names
from salesdesk.ui.workspace.delivery.breakdown_dialog import BreakdownDialog, category_label
from salesdesk.ui.workspace.delivery.breakdowns import BreakdownLog
from salesdesk.ui.workspace.delivery.items import ItemRow, ItemsTable
from salesdesk.ui.workspace.delivery.reason_dialog import ReasonDialog
from salesdesk.ui.workspace.steps import StepContext, StepPage, register_step

CONTENT_WIDTH = 1100
_OPEN = (Stage.DISCOVERY, Stage.FEASIBILITY, Stage.CLEARED, Stage.QUOTED, Stage.AGREED, Stage.KICKED_OFF,
         Stage.DELIVERING)


class DeliveryStep(StepPage):
    def __init__(self, ctx: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        services = ctx.ui.services
        self.delivery = services.delivery
        self.breakdown_dialog: BreakdownDialog | None = None
        self.lost_dialog: ReasonDialog | None = None
        self.names: dict[str, str] = {}
        self.currency = "EUR"

        body = QWidget()
        body.setMaximumWidth(CONTENT_WIDTH)
        column = QVBoxLayout(body)
        column.setContentsMargins(24, 8, 24, 24)
        column.setSpacing(6)
        self.stage = Pill()
        self.summary = hint_label("")
        self.lost_button = QPushButton(self.tr("Mark as &lost…"))
        self.lost_button.clicked.connect(self.mark_lost)
        top = QHBoxLayout()
        top.addWidget(self.stage, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.summary, 1)
        top.addWidget(self.lost_button)
        column.addLayout(top)
        self.banner = Banner()
        column.addWidget(self.banner)

        column.addWidget(section_title(self.tr("Work items")))
        column.addWidget(hint_label(self.tr(
            "Mark each piece of work done with the dates it really started and finished. Work finished after its "
            "promised date logs a \"missed delivery date\" breakdown by itself.")))
        self.work = ItemsTable([self.tr("Department"), self.tr("Task"), self.tr("Promised"), self.tr("Started"),
                                self.tr("Finished"), self.tr("Days"), self.tr("Status"), ""],
                               self.tr("Work items"), with_start=True)
        for index, tip in ((5, self.tr("Working days the work took, counted with the team calendar")),
                           (6, self.tr("Late: working days after the promised date"))):
            header_item = self.work.horizontalHeaderItem(index)
            if header_item is not None:
                header_item.setToolTip(tip)
        self.no_work = hint_label(self.tr("No work items: the departments estimate them on the Feasibility step."))
        self.work_error = ErrorLabel()
        column.addWidget(self.work)
        column.addWidget(self.no_work)
        column.addWidget(self.work_error)

        column.addWidget(section_title(self.tr("Action items")))
        self.action_items = ItemsTable([self.tr("Who"), self.tr("What"), self.tr("Due"), self.tr("Done on"),
                                   self.tr("Status"), ""], self.tr("Action items"), with_start=False)
        self.no_actions = hint_label(self.tr("No action items: say who does what by when on the Action plan step."))
        self.actions_error = ErrorLabel()
        column.addWidget(self.action_items)
        column.addWidget(self.no_actions)
        column.addWidget(self.actions_error)

        column.addWidget(section_title(self.tr("Breakdowns")))
        column.addWidget(hint_label(self.tr(
            "Anything that went wrong for the customer: bad technical information, poor communication, an unexpected "
            "problem, undisclosed information, a quality error… with what it did to the customer and what it cost.")))
        self.breakdowns = BreakdownLog()
        self.breakdowns_error = ErrorLabel()
        column.addWidget(self.breakdowns)
        column.addWidget(self.breakdowns_error)
        column.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        for table in (self.work, self.action_items):
            table.done_requested.connect(self.mark_done)
            table.reopen_requested.connect(self.reopen)
        self.breakdowns.add_requested.connect(lambda: self.edit_breakdown(None))
        self.breakdowns.edit_requested.connect(self.edit_breakdown)
        self.breakdowns.remove_requested.connect(self.remove_breakdown)

    # --- the deal in -------------------------------------------------------------------------

    def show_deal(self, deal: Deal) -> None:
        services = self.ctx.ui.services
        settings = services.settings.load()
        self.currency = deal.currency or settings.currency
        self.names = member_names(services)
        people = People.load(services, deal)
        calendar = calendar_from_settings(settings)
        try:
            planned = {item.key: item.start for item in deal_schedule(deal, settings).items}
        except SalesDeskError:
            planned = {}
        editable = deal.stage in DELIVERY_STAGES
        work_rows = []
        for w in deal.work_items:
            done = w.status is ItemStatus.DONE
            taken = (calendar.working_days_between(w.actual_start, w.actual_done)
                     if done and w.actual_start and w.actual_done else None)
            late = (calendar.working_days_between(w.promised_due, w.actual_done)
                    if done and w.promised_due and w.actual_done and w.actual_done > w.promised_due else 0)
            work_rows.append(ItemRow(w.uid, w.department, w.task, w.promised_due, done,
                                     w.actual_start if done else planned.get(w.uid), w.actual_done, taken, late))
        promised = {w.uid: w.promised_due for w in deal.work_items}
        action_rows = []
        for a in deal.action_items:
            side, uid = (Side.OURS, a.owner_member_uid) if a.owner_side is Side.OURS else (Side.THEIRS,
                                                                                          a.owner_contact_uid)
            who = people.name(side, uid) or (people.company if side is Side.OURS else people.customer)
            due = a.due_fixed or promised.get(a.due_work_item_uid or "")
            done = a.status is ItemStatus.DONE
            late = 1 if done and due and a.done_on and a.done_on > due else 0
            action_rows.append(ItemRow(a.uid, who, a.what, due, done, None, a.done_on, None, late))
        self.work.set_rows(work_rows, editable)
        self.action_items.set_rows(action_rows, editable)
        for table, rows, empty in ((self.work, work_rows, self.no_work),
                                   (self.action_items, action_rows, self.no_actions)):
            table.setVisible(bool(rows))
            empty.setVisible(not rows)
        self.breakdowns.set_breakdowns(deal.breakdowns, self.names, self.currency, deal.stage is not Stage.DECLINED)
        self._show_summary(deal)

    def _show_summary(self, deal: Deal) -> None:
        self.stage.set_pill(stage_label(deal.stage), theme.STAGE_HUES[deal.stage])
        work_done = sum(1 for w in deal.work_items if w.status is ItemStatus.DONE)
        actions_done = sum(1 for a in deal.action_items if a.status is ItemStatus.DONE)
        parts = [self.tr("{done} of {total} done").format(done=work_done, total=count_label(
            len(deal.work_items), self.tr("{n} work item"), self.tr("{n} work items"))),
            self.tr("{done} of {total} done").format(done=actions_done, total=count_label(
                len(deal.action_items), self.tr("{n} action item"), self.tr("{n} action items")))]
        if deal.promised_date:
            parts.append(self.tr("promised for {day}").format(day=format_date(deal.promised_date)))
        self.summary.setText(" · ".join(parts))
        self.lost_button.setEnabled(deal.stage in _OPEN)
        if deal.stage is Stage.LOST:
            self.banner.show_message(theme.STAGE_HUES[Stage.LOST], self.tr("This deal was lost"),
                                     deal.lost_reason)
        elif deal.stage is Stage.DELIVERED:
            finished = max((w.actual_done for w in deal.work_items if w.actual_done), default=None)
            kept = deal.promised_date is None or finished is None or finished <= deal.promised_date
            headline = (self.tr("Delivered on {day}, as promised").format(day=format_date(finished)) if kept and finished
                        else self.tr("Delivered on {day}, after the promised {promised}").format(
                            day=format_date(finished), promised=format_date(deal.promised_date)) if finished
                        else self.tr("Delivered"))
            self.banner.show_message(theme.STEP_HUES[StepStatus.DONE] if kept else theme.WARNING_HUE, headline,
                                     self.tr("Every work item and action item is done."))
        elif deal.stage not in DELIVERY_STAGES:
            self.banner.show_message(theme.STEP_HUES[StepStatus.NOT_STARTED], self.tr("Nothing is being delivered yet"),
                                     self.tr("Items are marked done once the agreement is signed; breakdowns can be "
                                             "logged at any time."))
        else:
            self.banner.hide()

    def clear_errors(self) -> None:
        super().clear_errors()
        for label in (self.work_error, self.actions_error, self.breakdowns_error):
            label.clear_message()

    # --- items -------------------------------------------------------------------------------

    def _item_error(self, uid: str) -> ErrorLabel:
        return self.work_error if any(r.uid == uid for r in self.work.rows) else self.actions_error

    def _item_name(self, uid: str) -> str:
        row = next((r for r in self.work.rows + self.action_items.rows if r.uid == uid), None)
        return row.what if row else ""

    def mark_done(self, uid: str, started: date | None, done_on: date) -> None:
        self.clear_errors()
        ref, what = self.editor.deal.ref, self._item_name(uid)
        try:
            result: ItemDone = change_stored_deal(self.editor, lambda: self.delivery.mark_done(
                ref, uid, done_on, started_on=started))
        except SalesDeskError as exc:
            self._item_error(uid).show_message(f"{what}: {exc.message}", exc.hint)
            return
        self._tell_done(what, result)

    def _tell_done(self, what: str, result: ItemDone) -> None:
        deal = result.deal
        if result.breakdown is not None:
            days = (self.tr("{n} working day late") if result.late_by == 1
                    else self.tr("{n} working days late")).format(n=result.late_by)
            self.banner.show_message(theme.WARNING_HUE, self.tr("“{what}” is done, {days}").format(what=what, days=days),
                                     self.tr("A “{category}” breakdown was logged automatically below; add what it "
                                             "meant for the customer and what it cost.").format(
                                         category=category_label(result.breakdown.category)))
            self.breakdowns.select(result.breakdown.uid)
        elif deal.stage is not Stage.DELIVERED:
            taken = ("" if result.working_days is None else " " + (
                self.tr("in {n} working day") if result.working_days == 1 else self.tr("in {n} working days"))
                .format(n=result.working_days))
            self.banner.show_message(theme.STEP_HUES[StepStatus.DONE],
                                     self.tr("“{what}” is done{taken}").format(what=what, taken=taken))

    def reopen(self, uid: str) -> None:
        self.clear_errors()
        ref, what = self.editor.deal.ref, self._item_name(uid)
        try:
            change_stored_deal(self.editor, lambda: self.delivery.reopen(ref, uid))
        except SalesDeskError as exc:
            self._item_error(uid).show_message(f"{what}: {exc.message}", exc.hint)

    # --- breakdowns --------------------------------------------------------------------------

    def _departments(self) -> list[str]:
        names = [d.name for d in self.ctx.ui.services.settings.load().departments]
        return names + sorted({w.department for w in self.editor.deal.work_items} - set(names))

    def edit_breakdown(self, uid: str | None) -> None:
        """Open the dialog to log a new breakdown (``uid`` None) or edit one."""
        self.clear_errors()
        deal = self.editor.deal
        current = next((b for b in deal.breakdowns if b.uid == uid), None) if uid else None
        members = [(m.name, m.uid) for m in self.ctx.ui.services.team.list_members()]
        ref = deal.ref

        def submit(values: dict[str, Any]) -> SalesDeskError | None:
            try:
                if current is None:
                    saved = change_stored_deal(self.editor, lambda: self.delivery.log_breakdown(ref, **values))
                else:
                    saved = change_stored_deal(self.editor, lambda: self.delivery.edit_breakdown(
                        ref, current.uid, **values))
            except SalesDeskError as exc:
                return exc
            self.breakdowns.select(saved.uid)
            return None

        self.breakdown_dialog = BreakdownDialog(submit, self._departments(), members, self.currency,
                                                breakdown=current, logged_by=self.ctx.ui.user.uid, parent=self)
        self.breakdown_dialog.open()

    def remove_breakdown(self, uid: str) -> None:
        self.clear_errors()
        deal = self.editor.deal
        found = next((b for b in deal.breakdowns if b.uid == uid), None)
        if found is None:
            return
        question = self.tr("Remove the breakdown of {day} ({category})?\n\n{what}\n\nThe deal's history keeps what "
                           "it said.").format(day=format_date(found.occurred_on),
                                               category=category_label(found.category), what=found.description)
        if not dialogs.confirm(self, self.tr("Remove the breakdown"), question, yes=self.tr("Remove"),
                               no=self.tr("Keep it")):
            return
        try:
            change_stored_deal(self.editor, lambda: self.delivery.remove_breakdown(deal.ref, uid))
        except SalesDeskError as exc:
            self.breakdowns_error.show_message(exc.message, exc.hint)

    # --- lost --------------------------------------------------------------------------------

    def mark_lost(self) -> None:
        ref = self.editor.deal.ref

        def submit(_day: date | None, reason: str) -> SalesDeskError | None:
            try:
                change_stored_deal(self.editor, lambda: self.delivery.mark_lost(ref, reason))
            except SalesDeskError as exc:
                if exc.field is None:
                    exc.field = "lost_reason"
                return exc
            return None

        self.lost_dialog = ReasonDialog(
            self.tr("Mark {ref} as lost").format(ref=ref),
            self.tr("The customer walked away. Say why, so the team can learn from it; the deal stays readable but "
                    "nothing more is delivered."), self.tr("Mark as &lost"), submit,
            reason_label=self.tr("&Why"), reason_field="lost_reason",
            reason_hint=self.tr("What the customer said, and what we could have done (required)"), parent=self)
        self.lost_dialog.open()


register_step("delivery", DeliveryStep)
