"""Action plan & parties: who is involved on both sides and what each is responsible for, who to
call for what, who does what by when, and everyone on our side who touches this customer and how they win.

An action item is due on a fixed date or together with a work item: then it shows that work
item's padded (promised) due date and moves when the schedule moves. Rows the rep added but left
blank are not saved.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QScrollArea, QVBoxLayout, QWidget

from salesdesk.domain.model import ActionItem, Deal, HelpContact, ItemStatus, Party, Side, Stakeholder
from salesdesk.services.documents_data import action_item_due, work_item_dues
from salesdesk.ui import theme
from salesdesk.ui.text import format_date
from salesdesk.ui.widgets.fields import hint_label, section_title, with_error
from salesdesk.ui.workspace.agreement.people import People, person_key, split_key
from salesdesk.ui.workspace.agreement.rows_table import Column, Kind, RowsTable
from salesdesk.ui.workspace.steps import StepContext, StepPage, register_step

CONTENT_WIDTH = 980
HELP_TOPICS = ("Billing", "Delivery", "Technical", "Escalation")
STATUS_LABELS = {ItemStatus.OPEN: "Open", ItemStatus.IN_PROGRESS: "In progress", ItemStatus.DONE: "Done"}


def _uid() -> str:
    return str(uuid.uuid4())


class ActionPlanStep(StepPage):
    fields = frozenset({"parties", "help_contacts", "action_items", "stakeholders"})

    def __init__(self, ctx: StepContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.people = People()
        self.dues: dict[str, date] = {}
        self.tasks: dict[str, str] = {}  # work item uid -> task
        body = QWidget()
        body.setMaximumWidth(CONTENT_WIDTH)
        self.column = QVBoxLayout(body)
        self.column.setContentsMargins(24, 8, 24, 24)
        self.column.setSpacing(6)
        self.summary = hint_label("")
        self.column.addWidget(self.summary)
        self._parties_section()
        self._actions_section()
        self._help_section()
        self._stakeholders_section()
        self.column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _section(self, title: str, hint: str, table: RowsTable, field: str) -> None:
        self.column.addWidget(section_title(title))
        self.column.addWidget(hint_label(hint))
        self.column.addWidget(with_error(table, self.errors, field))

    # --- parties -----------------------------------------------------------------------------

    def _parties_section(self) -> None:
        self.parties = RowsTable([
            Column(self.tr("Side"), lambda p: self.people.side_label(p.side), width=100, muted=lambda _p: True),
            Column(self.tr("Person"), lambda p: self.people.name(p.side, p.member_uid or p.contact_uid)
                   or self.tr("Choose…"), Kind.CHOICE, width=190,
                   value=lambda p: person_key(p.side, p.member_uid or p.contact_uid),
                   choices=lambda p: self.people.choices(p.side), apply=_party_person,
                   muted=lambda p: not (p.member_uid or p.contact_uid)),
            Column(self.tr("Role"), lambda p: self.people.role(p.side, p.member_uid or p.contact_uid), width=170,
                   muted=lambda _p: True),
            Column(self.tr("Responsible for"), lambda p: p.responsibility, Kind.TEXT,
                   apply=lambda p, v: replace(p, responsibility=v)),
        ], self.tr("Parties"), max_rows=12)
        self.parties.add_button(self.tr("Add from &our team"), lambda: Party(_uid(), Side.OURS, ""), edit_column=1)
        self.parties.add_button(self.tr("Add from the c&ustomer"), lambda: Party(_uid(), Side.THEIRS, ""),
                                edit_column=1)
        self.parties.edited.connect(self._parties_edited)
        self._section(self.tr("Parties on both sides"), self.tr(
            "Everyone involved — management, operations, accounting, engineering, shipping, the technical and "
            "delivery people — on our side and the customer's, and what each one is responsible for."),
            self.parties, "parties")

    def _started_parties(self) -> tuple[Party, ...]:
        return tuple(p for p in self.parties.rows() if p.member_uid or p.contact_uid or p.responsibility.strip())

    def _parties_edited(self) -> None:
        rows = self._started_parties()
        self.editor.edit(lambda d: replace(d, parties=rows))
        self._update_summary()

    # --- action items ------------------------------------------------------------------------

    def _actions_section(self) -> None:
        self.action_items = RowsTable([
            Column(self.tr("Who"), self._owner_name, Kind.CHOICE, width=150,
                   value=lambda a: person_key(a.owner_side, a.owner_member_uid or a.owner_contact_uid),
                   choices=lambda _a: self.people.choices(None), apply=_action_owner,
                   tip=lambda a: self.people.side_label(a.owner_side),
                   muted=lambda a: not (a.owner_member_uid or a.owner_contact_uid)),
            Column(self.tr("What"), lambda a: a.what, Kind.TEXT, apply=lambda a, v: replace(a, what=v)),
            Column(self.tr("Due"), self._due_kind, Kind.CHOICE, width=165,
                   value=lambda a: f"w:{a.due_work_item_uid}" if a.due_work_item_uid else "fixed",
                   choices=lambda _a: self._due_choices(), apply=self._set_due_kind),
            Column(self.tr("Date"), self._due_text, Kind.DATE, width=105,
                   value=lambda a: a.due_fixed, apply=lambda a, v: replace(a, due_fixed=v),
                   editable=lambda a: a.due_work_item_uid is None, tip=self._due_tip,
                   pill=lambda a: theme.WARNING_HUE if self._due(a) is None else None),
            Column(self.tr("Status"), lambda a: self.tr(STATUS_LABELS[a.status]), Kind.CHOICE, width=95,
                   value=lambda a: a.status.value,
                   choices=lambda _a: [(self.tr(label), s.value) for s, label in STATUS_LABELS.items()],
                   apply=_action_status),
        ], self.tr("Action items"), max_rows=14)
        self.action_items.add_button(self.tr("Add &action item"), lambda: ActionItem(_uid(), Side.OURS, ""), edit_column=0)
        self.action_items.edited.connect(self._actions_edited)
        self._section(self.tr("Who does what by when"), self.tr(
            "Each action item has an owner on either side and a date: a fixed day, or the day a work item is "
            "due — then it shows that item's padded due date and moves when the schedule moves."),
            self.action_items, "action_items")

    def _owner_name(self, a: ActionItem) -> str:
        return self.people.name(a.owner_side, a.owner_member_uid or a.owner_contact_uid) or self.tr("Not named yet")

    def _due(self, a: ActionItem) -> date | None:
        return action_item_due(a, self.dues)

    def _due_kind(self, a: ActionItem) -> str:
        if a.due_work_item_uid:
            task = self.tasks.get(a.due_work_item_uid, self.tr("a removed work item"))
            return self.tr("With “{task}”").format(task=task)
        return self.tr("Fixed date")

    def _due_choices(self) -> list[tuple[str, str]]:
        choices = [(self.tr("On a fixed date"), "fixed")]
        for uid, task in self.tasks.items():
            due = self.dues.get(uid)
            when = f" ({format_date(due)})" if due else ""
            choices.append((self.tr("When “{task}” is due").format(task=task) + when, f"w:{uid}"))
        return choices

    def _set_due_kind(self, a: ActionItem, value: Any) -> ActionItem:
        if isinstance(value, str) and value.startswith("w:"):
            return replace(a, due_work_item_uid=value[2:], due_fixed=None)
        return replace(a, due_work_item_uid=None, due_fixed=a.due_fixed or self._due(a))

    def _due_text(self, a: ActionItem) -> str:
        due = self._due(a)
        return format_date(due) if due else self.tr("No date")

    def _due_tip(self, a: ActionItem) -> str:
        if a.due_work_item_uid:
            task = self.tasks.get(a.due_work_item_uid, "")
            return self.tr("The padded due date of “{task}”: it moves when the schedule moves.").format(task=task)
        return self.tr("A fixed date. Press F2 to change it; Delete empties it.")

    def _started_actions(self) -> tuple[ActionItem, ...]:
        return tuple(a for a in self.action_items.rows()
                     if a.what.strip() or a.owner_member_uid or a.owner_contact_uid or a.due_fixed or a.due_work_item_uid)

    def _actions_edited(self) -> None:
        rows = self._started_actions()
        self.editor.edit(lambda d: replace(d, action_items=rows))
        self._update_summary()

    # --- who to call -------------------------------------------------------------------------

    def _help_section(self) -> None:
        self.help = RowsTable([
            Column(self.tr("Topic"), lambda h: h.topic, Kind.TEXT_CHOICE, width=150,
                   choices=lambda _h: [(self.tr(t), self.tr(t)) for t in HELP_TOPICS],
                   apply=lambda h, v: replace(h, topic=str(v or "").strip())),
            Column(self.tr("Who to call"), lambda h: h.name, Kind.TEXT_CHOICE, width=200,
                   choices=lambda _h: [(name, person_key(side, uid)) for name, side, uid in self.people.everyone()],
                   apply=self._help_name),
            Column(self.tr("Phone"), lambda h: h.phone, Kind.TEXT, width=160, apply=lambda h, v: replace(h, phone=v)),
            Column(self.tr("E-mail"), lambda h: h.email, Kind.TEXT, apply=lambda h, v: replace(h, email=v)),
        ], self.tr("Help contacts"), max_rows=8)
        self.help.add_button(self.tr("Add &help contact"), lambda: HelpContact(_uid(), "", ""), edit_column=0)
        self.help.edited.connect(self._help_edited)
        self._section(self.tr("Who to call for what"), self.tr(
            "Billing, delivery, technical questions, escalation — or any topic you type. Pick a person to fill in "
            "their phone and e-mail."), self.help, "help_contacts")

    def _help_name(self, h: HelpContact, value: Any) -> HelpContact:
        text = str(value or "").strip()
        if text.startswith(("m:", "c:")):
            side, uid = split_key(text)
            phone, email = self.people.phone_and_email(side, uid or "")
            return replace(h, name=self.people.name(side, uid), phone=h.phone or phone, email=h.email or email)
        return replace(h, name=text)

    def _started_help(self) -> tuple[HelpContact, ...]:
        return tuple(h for h in self.help.rows() if h.topic or h.name or h.phone or h.email)

    def _help_edited(self) -> None:
        rows = self._started_help()
        self.editor.edit(lambda d: replace(d, help_contacts=rows))

    # --- stakeholder map ---------------------------------------------------------------------

    def _stakeholders_section(self) -> None:
        self.stakeholders = RowsTable([
            Column(self.tr("Team member"), lambda s: self.people.member_name(s.member_uid) or self.tr("Choose…"),
                   Kind.CHOICE, width=200, value=lambda s: s.member_uid,
                   choices=lambda _s: self.people.member_choices(), apply=lambda s, v: replace(s, member_uid=v or ""),
                   muted=lambda s: not s.member_uid),
            Column(self.tr("Department"), lambda s: self._department(s.member_uid), width=150,
                   muted=lambda _s: True),
            Column(self.tr("How they win"), lambda s: s.how_they_win, Kind.TEXT,
                   apply=lambda s, v: replace(s, how_they_win=v)),
        ], self.tr("Stakeholder map"), max_rows=12)
        self.stakeholders.add_button(self.tr("Add &stakeholder"), lambda: Stakeholder(_uid(), "", ""), edit_column=0)
        self.add_our_parties = QPushButton(self.tr("Add our &parties"))
        self.add_our_parties.setToolTip(self.tr("Add everyone named on our side of the parties who is not on the map"))
        self.add_our_parties.clicked.connect(self._add_our_parties)
        self.stakeholders.add_widget(self.add_our_parties)
        self.stakeholders.edited.connect(self._stakeholders_edited)
        self._section(self.tr("Stakeholder map"), self.tr(
            "Everyone in our organisation who touches this customer — and, next to each name, how they win "
            "when this deal goes well."), self.stakeholders, "stakeholders")

    def _department(self, uid: str) -> str:
        member = self.people.members.get(uid)
        return member.department if member else ""

    def _add_our_parties(self) -> None:
        present = {s.member_uid for s in self.stakeholders.rows()}
        for party in self.parties.rows():
            if party.side is Side.OURS and party.member_uid and party.member_uid not in present:
                present.add(party.member_uid)
                self.stakeholders.add_row(Stakeholder(_uid(), party.member_uid, ""), edit_column=2)

    def _started_stakeholders(self) -> tuple[Stakeholder, ...]:
        return tuple(s for s in self.stakeholders.rows() if s.member_uid)

    def _stakeholders_edited(self) -> None:
        rows = self._started_stakeholders()
        self.editor.edit(lambda d: replace(d, stakeholders=rows))

    # --- the deal in -------------------------------------------------------------------------

    def show_deal(self, deal: Deal) -> None:
        self._load_surroundings(deal)
        self.parties.set_rows(deal.parties)
        self.action_items.set_rows(deal.action_items)
        self.help.set_rows(deal.help_contacts)
        self.stakeholders.set_rows(deal.stakeholders)
        self._update_summary()

    def entered(self) -> None:
        """Contacts, the team and the schedule may have changed in other steps, and so may the rows
        (Delivery marks action items done): show them as they are now."""
        deal = self.editor.deal
        self._load_surroundings(deal)
        for table, field, started in ((self.parties, "parties", self._started_parties),
                                      (self.action_items, "action_items", self._started_actions),
                                      (self.help, "help_contacts", self._started_help),
                                      (self.stakeholders, "stakeholders", self._started_stakeholders)):
            if started() != getattr(deal, field):
                table.set_rows(getattr(deal, field))
            else:
                table.model.refresh()
        self._update_summary()

    def _load_surroundings(self, deal: Deal) -> None:
        services = self.ctx.ui.services
        self.people = People.load(services, deal)
        self.tasks = {w.uid: w.task for w in deal.work_items}
        self.dues = work_item_dues(deal, services.settings.load())

    def _update_summary(self) -> None:
        deal = self.editor.deal
        ours = sum(1 for p in deal.parties if p.side is Side.OURS)
        undated = sum(1 for a in deal.action_items if self._due(a) is None)
        if not deal.action_items:
            actions = self.tr("no action items yet")
        elif undated:
            actions = self.tr("{n} action items, {undated} without a date").format(n=len(deal.action_items),
                                                                                 undated=undated)
        else:
            actions = self.tr("{n} action items, all dated").format(n=len(deal.action_items))
        parties = self.tr("Parties: {ours} on our side, {theirs} on the customer's").format(
            ours=ours, theirs=len(deal.parties) - ours) if deal.parties else self.tr("No parties named yet")
        parts = [parties, actions,
            self.tr("{n} people to call for help").format(n=len(deal.help_contacts))]
        self.summary.setText("  ·  ".join(parts))


def _party_person(p: Party, key: Any) -> Party:
    _side, uid = split_key(key)
    if p.side is Side.OURS:
        return replace(p, member_uid=uid, contact_uid=None)
    return replace(p, contact_uid=uid, member_uid=None)


def _action_owner(a: ActionItem, key: Any) -> ActionItem:
    side, uid = split_key(key)
    if uid is None:
        return a
    if side is Side.OURS:
        return replace(a, owner_side=side, owner_member_uid=uid, owner_contact_uid=None)
    return replace(a, owner_side=side, owner_contact_uid=uid, owner_member_uid=None)


def _action_status(a: ActionItem, value: Any) -> ActionItem:
    status = ItemStatus(value)
    if status is ItemStatus.DONE:
        return replace(a, status=status, done_on=a.done_on or date.today())
    return replace(a, status=status, done_on=None)


register_step("action_plan", ActionPlanStep)
