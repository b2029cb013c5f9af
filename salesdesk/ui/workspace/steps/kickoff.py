"""Kickoff: the first shipment date, the account manager's acknowledgement of every non-standard term,
the kickoff meeting (date, attendees on both sides), and the first shipment marked sent — without a
kickoff only with the reason the team ships anyway.

The kickoff service decides (who may acknowledge, when a kickoff may be recorded, when a shipment
may leave); this page collects and shows its answers. A warning stands at the top while the first
shipment is within five working days and no kickoff has been held.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from salesdesk.domain.calendar import WorkCalendar
from salesdesk.domain.errors import SalesDeskError
from salesdesk.domain.model import Deal, Side, Stage
from salesdesk.services.kickoff_rules import kickoff_due_soon, unacknowledged_terms
from salesdesk.services.promise import calendar_from_settings
from salesdesk.ui import theme
from salesdesk.ui.text import count_label, format_date
from salesdesk.ui.widgets.fields import ErrorLabel, add_row, align_form_labels, hint_label, section_title
from salesdesk.ui.widgets.inputs import GrowingTextEdit, OptionalDateEdit
from salesdesk.ui.workspace.agreement.people import People
from salesdesk.ui.workspace.agreement.record import Banner
from salesdesk.ui.workspace.binding import DealBinding
from salesdesk.ui.workspace.delivery.actions import change_stored_deal, member_names
from salesdesk.ui.workspace.delivery.attendees import AttendeePicker
from salesdesk.ui.workspace.delivery.reason_dialog import ReasonDialog, from_qdate, to_qdate
from salesdesk.ui.workspace.delivery.term_ack import TermAcknowledgement
from salesdesk.ui.workspace.steps import StepContext, StepPage, register_step

CONTENT_WIDTH = 900
_CLOSED = (Stage.DECLINED, Stage.LOST)
_AGREED_OR_LATER = (Stage.AGREED, Stage.KICKED_OFF, Stage.DELIVERING, Stage.DELIVERED)
_UNSET = object()


class KickoffStep(StepPage):
    fields = frozenset({"first_shipment_date"})

    def __init__(self, ctx: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        services = ctx.ui.services
        self.kickoff = services.kickoff
        self.binding = DealBinding(self.editor)
        self.cards: list[TermAcknowledgement] = []
        self.ship_dialog: ReasonDialog | None = None
        self._shown_kickoff: object = _UNSET
        self._calendar: WorkCalendar | None = None  # the team calendar, read when a deal is (re)loaded

        body = QWidget()
        body.setMaximumWidth(CONTENT_WIDTH)
        self.column = QVBoxLayout(body)
        self.column.setContentsMargins(24, 8, 24, 24)
        self.column.setSpacing(6)
        self.banner = Banner()
        self.column.addWidget(self.banner)
        self.summary = hint_label("")
        self.column.addWidget(self.summary)
        self._shipment_section()
        self._terms_section()
        self._meeting_section()
        self.column.addStretch(1)
        align_form_labels(body)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.editor.changed.connect(self._show_warning)

    # --- sections ----------------------------------------------------------------------------

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.column.addLayout(form)
        return form

    def _shipment_section(self) -> None:
        self.column.addWidget(section_title(self.tr("First shipment")))
        form = self._form()
        self.first_shipment = OptionalDateEdit()
        self.first_shipment.setMaximumWidth(180)
        add_row(form, self.errors, "first_shipment_date", self.tr("&Planned for"), self.first_shipment)
        self.binding.date(self.first_shipment, "first_shipment_date")
        self.shipped = QLabel()
        self.shipped.setWordWrap(True)
        self.shipped.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ship_button = QPushButton(self.tr("&Mark first shipment sent…"))
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.shipped)
        line.addSpacing(12)
        line.addWidget(self.ship_button)
        line.addStretch(1)
        sent_label = QLabel(self.tr("Sent"))
        form.addRow(sent_label, row)
        self.ship_button.clicked.connect(self.ship)

    def _terms_section(self) -> None:
        self.column.addWidget(section_title(self.tr("Non-standard terms")))
        self.column.addWidget(hint_label(self.tr(
            "Terms negotiated outside the standard program get lost between the rep and the people who look after "
            "the customer day to day. The account manager reads each one and acknowledges it before the kickoff.")))
        form = self._form()
        self.acknowledger = QComboBox()
        self.acknowledger.setMaximumWidth(360)
        add_row(form, self.errors, "acknowledged_by", self.tr("&Account manager"), self.acknowledger)
        self.cards_box = QVBoxLayout()
        self.cards_box.setSpacing(6)
        self.column.addLayout(self.cards_box)
        self.no_terms = hint_label(self.tr("This deal has no non-standard terms: nothing to acknowledge."))
        self.column.addWidget(self.no_terms)
        self.terms_error = ErrorLabel()
        self.column.addWidget(self.terms_error)

    def _meeting_section(self) -> None:
        self.column.addWidget(section_title(self.tr("Kickoff meeting")))
        self.column.addWidget(hint_label(self.tr(
            "Both sides go through the agreement, the terms, who does what by when, and who to call for help. "
            "Record it once it has been held.")))
        self.held = QLabel()
        self.held.setWordWrap(True)
        self.column.addWidget(self.held)
        form = self._form()
        self.held_on = QDateEdit(to_qdate(date.today()))
        self.held_on.setCalendarPopup(True)
        self.held_on.setDisplayFormat("d MMM yyyy")
        self.held_on.setMaximumWidth(180)
        add_row(form, self.errors, "held_on", self.tr("&Held on"), self.held_on)
        self.ours = AttendeePicker(self.tr("Attendees from our team"), self.tr("Someone else from our side…"))
        self.theirs = AttendeePicker(self.tr("Attendees from the customer"),
                                     self.tr("Someone else from the customer…"))
        self.ours_title = QLabel(self.tr("Our team"))
        self.theirs_title = QLabel(self.tr("Customer"))
        for title, picker in ((self.ours_title, self.ours), (self.theirs_title, self.theirs)):
            title.setBuddy(picker.list)
            font = title.font()
            font.setBold(True)
            title.setFont(font)
        people = QWidget()
        grid = QGridLayout(people)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.ours_title, 0, 0)
        grid.addWidget(self.theirs_title, 0, 1)
        grid.addWidget(self.ours, 1, 0)
        grid.addWidget(self.theirs, 1, 1)
        add_row(form, self.errors, "attendees", self.tr("A&ttendees"), people)
        self.notes = GrowingTextEdit(min_lines=2)
        add_row(form, self.errors, "notes", self.tr("N&otes"), self.notes)
        self.record_button = QPushButton(self.tr("&Record the kickoff"))
        self.record_button.setDefault(False)
        self.record_error = ErrorLabel()
        self.errors.general = self.record_error
        bar = QHBoxLayout()
        bar.addWidget(self.record_button)
        bar.addStretch(1)
        self.column.addLayout(bar)
        self.column.addWidget(self.record_error)
        self.record_button.clicked.connect(self.record)

    # --- the deal in -------------------------------------------------------------------------

    def show_deal(self, deal: Deal) -> None:
        self.binding.fill(deal)
        services = self.ctx.ui.services
        self._calendar = calendar_from_settings(services.settings.load())
        people = People.load(services, deal)
        names = member_names(services)
        self._fill_acknowledger(deal, people)
        self._fill_terms(deal, names)
        self._fill_meeting(deal, people)
        self._show_shipment(deal)
        self._show_warning(deal)

    def entered(self) -> None:
        self._show_warning(self.editor.deal)

    def _fill_acknowledger(self, deal: Deal, people: People) -> None:
        """Who acknowledges: as chosen before; else the deal's account manager; else whoever is signed in."""
        managers = [p.member_uid for p in deal.parties if p.side is Side.OURS and p.member_uid
                    and "account manager" in people.role(Side.OURS, p.member_uid).casefold()]
        chosen = self.acknowledger.currentData() or (managers[0] if managers else self.ctx.ui.user.uid)
        self.acknowledger.clear()
        for label, uid in people.member_choices():
            self.acknowledger.addItem(label, uid)
        self.acknowledger.setCurrentIndex(max(0, self.acknowledger.findData(chosen)))

    def _fill_terms(self, deal: Deal, names: dict[str, str]) -> None:
        for card in self.cards:
            self.cards_box.removeWidget(card)
            card.deleteLater()
        self.cards = []
        closed = deal.stage in _CLOSED
        for term in (t for t in deal.terms if t.non_standard):
            card = TermAcknowledgement(term, names)
            card.button.setEnabled(not closed)
            card.acknowledge_requested.connect(self.acknowledge)
            self.cards.append(card)
            self.cards_box.addWidget(card)
        self.no_terms.setVisible(not self.cards)
        self.acknowledger.setEnabled(any(not c.acknowledged for c in self.cards) and not closed)
        self.terms_error.clear_message()

    def _fill_meeting(self, deal: Deal, people: People) -> None:
        ours = [(label, people.members[uid].name) for label, uid in people.member_choices()]
        theirs = [(label, people.contacts[uid].name) for label, uid in people.contact_choices()]
        self.theirs_title.setText(people.customer or self.tr("Customer"))
        kickoff = deal.kickoff
        if kickoff != self._shown_kickoff:  # keep what is being ticked while terms are acknowledged
            self._shown_kickoff = kickoff
            if kickoff is not None:
                self.held_on.setDate(to_qdate(kickoff.held_on))
                chosen_ours, chosen_theirs = list(kickoff.attendees_ours), list(kickoff.attendees_theirs)
                self.notes.set_text(kickoff.notes)
            else:
                self.held_on.setDate(to_qdate(date.today()))
                chosen_ours = [self.ctx.ui.user.name] + [people.name(Side.OURS, p.member_uid) for p in deal.parties
                                                         if p.side is Side.OURS and p.member_uid]
                chosen_theirs = [people.name(Side.THEIRS, p.contact_uid) for p in deal.parties
                                 if p.side is Side.THEIRS and p.contact_uid]
                self.notes.set_text("")
            self.ours.set_people(ours, [n for n in chosen_ours if n])
            self.theirs.set_people(theirs, [n for n in chosen_theirs if n])
        if kickoff is not None:
            self.held.setText(self.tr("Held on {day} with {ours} from our team and {theirs} from {customer}.").format(
                day=format_date(kickoff.held_on), ours=", ".join(kickoff.attendees_ours),
                theirs=", ".join(kickoff.attendees_theirs), customer=people.customer or self.tr("the customer")))
            self.record_button.setText(self.tr("Update the &kickoff record"))
        else:
            self.held.setText("")
            self.record_button.setText(self.tr("&Record the kickoff"))
        self.held.setVisible(kickoff is not None)
        can_record = deal.stage in _AGREED_OR_LATER
        self.record_button.setEnabled(can_record)
        self.record_button.setToolTip("" if can_record else self.tr(
            "The kickoff is held once both sides have signed the agreement."))

    def _show_shipment(self, deal: Deal) -> None:
        sent = deal.first_shipment_sent_on
        if sent is not None:
            text = self.tr("Sent on {day}.").format(day=format_date(sent))
            if deal.kickoff_override_reason:
                text += " " + self.tr("Shipped without a kickoff: {reason}").format(reason=deal.kickoff_override_reason)
        else:
            text = self.tr("Not sent yet.")
        self.shipped.setText(text)
        can_ship = sent is None and deal.stage in (Stage.AGREED, Stage.KICKED_OFF)
        self.ship_button.setEnabled(can_ship)
        self.ship_button.setToolTip("" if can_ship else self.tr(
            "Only an agreed deal whose first shipment has not left yet can be marked sent."))
        self.first_shipment.setEnabled(sent is None and deal.stage not in (*_CLOSED, Stage.DELIVERED))

    def _show_warning(self, deal: Deal) -> None:
        """The banner (and the line under it): where the kickoff stands, and a warning when it is late."""
        open_terms = len(unacknowledged_terms(deal))
        terms = count_label(open_terms, self.tr("{n} non-standard term"), self.tr("{n} non-standard terms"))
        first = deal.first_shipment_date
        # Called at every edit of the deal (on any step): no database read here.
        calendar = self._calendar or calendar_from_settings(self.ctx.ui.services.settings.load())
        self._calendar = calendar
        today = date.today()
        if deal.kickoff is None and kickoff_due_soon(deal.stage, first, today=today, calendar=calendar):
            assert first is not None
            days = calendar.working_days_between(today, first)
            if first < today:
                headline = self.tr("The first shipment was due on {day} and there has been no kickoff").format(
                    day=format_date(first))
            elif days <= 0:
                headline = self.tr("The first shipment is due today and there has been no kickoff")
            else:
                headline = (self.tr("The first shipment is in {n} working day ({day}) and there has been no kickoff")
                            if days == 1 else
                            self.tr("The first shipment is in {n} working days ({day}) and there has been no "
                                    "kickoff")).format(n=days, day=format_date(first))
            todo = (self.tr("Acknowledge {terms}, then hold the kickoff and record it here.").format(terms=terms)
                    if open_terms else self.tr("Hold the kickoff with the customer and record it here."))
            self.banner.show_message(theme.PROBLEM_HUE if first <= today else theme.WARNING_HUE, headline, todo)
        else:
            self.banner.hide()
        self.summary.setText(self._summary(deal, open_terms, terms))

    def _summary(self, deal: Deal, open_terms: int, terms: str) -> str:
        if deal.stage in _CLOSED:
            return self.tr("This deal is {stage}: there is nothing to kick off.").format(stage=deal.stage.label.lower())
        if deal.stage not in _AGREED_OR_LATER:
            return self.tr("The kickoff comes once both sides have signed the agreement, before the first shipment. "
                           "Terms can be acknowledged already.")
        if deal.kickoff is None:
            if open_terms:
                return self.tr("Still to do: acknowledge {terms}, then record the kickoff.").format(terms=terms)
            return self.tr("Every non-standard term is acknowledged: record the kickoff once it has been held.")
        if deal.first_shipment_sent_on is None:
            return self.tr("Kicked off. Mark the first shipment sent when it leaves.")
        return self.tr("Kicked off and the first shipment has left.")

    # --- actions -----------------------------------------------------------------------------

    def acknowledge(self, term_uid: str) -> None:
        member = self.acknowledger.currentData()
        if not member:
            self.terms_error.show_message(self.tr("Choose the account manager who acknowledges the term."))
            return
        ref = self.editor.deal.ref
        try:
            change_stored_deal(self.editor, lambda: self.kickoff.acknowledge_term(
                ref, term_uid, member, expected_version=self.editor.deal.version))
        except SalesDeskError as exc:
            self.terms_error.show_message(exc.message, exc.hint)
            return
        waiting = next((c for c in self.cards if not c.acknowledged), None)
        (waiting.button if waiting is not None else self.record_button).setFocus(Qt.FocusReason.OtherFocusReason)

    def record(self) -> None:
        """Record (or correct) the kickoff meeting; an agreed deal moves to Kicked off."""
        self.errors.clear()
        ref = self.editor.deal.ref
        held_on = from_qdate(self.held_on.date())
        ours, theirs, notes = self.ours.names(), self.theirs.names(), self.notes.text()
        try:
            change_stored_deal(self.editor, lambda: self.kickoff.record_kickoff(
                ref, held_on, ours, theirs, notes, expected_version=self.editor.deal.version))
        except SalesDeskError as exc:
            self.errors.show(exc)

    def ship(self) -> None:
        """Ask when the first shipment left (and, without a kickoff, why it ships anyway)."""
        deal = self.editor.deal
        needs_reason = deal.kickoff is None
        ref = deal.ref

        def submit(day: date | None, reason: str) -> SalesDeskError | None:
            try:
                change_stored_deal(self.editor, lambda: self.kickoff.mark_first_shipment_sent(
                    ref, day or date.today(), reason or None, expected_version=self.editor.deal.version))
            except SalesDeskError as exc:
                if needs_reason and exc.field is None and not reason:
                    exc.field = "kickoff_override_reason"
                return exc
            return None

        if needs_reason:
            intro = self.tr("There has been no kickoff for {ref}. Shipping anyway is recorded with the reason, on the "
                            "deal and in its history.").format(ref=ref)
            self.ship_dialog = ReasonDialog(
                self.tr("Ship without a kickoff"), intro, self.tr("&Ship without a kickoff"), submit,
                reason_label=self.tr("&Reason"), reason_field="kickoff_override_reason",
                reason_hint=self.tr("Why the team ships before the kickoff (required)"),
                date_label=self.tr("&Sent on"), date_field="sent_on", parent=self)
        else:
            self.ship_dialog = ReasonDialog(
                self.tr("First shipment sent"), self.tr("The deal moves on to Delivering."),
                self.tr("&Mark sent"), submit, date_label=self.tr("&Sent on"), date_field="sent_on", parent=self)
        self.ship_dialog.open()


register_step("kickoff", KickoffStep)
