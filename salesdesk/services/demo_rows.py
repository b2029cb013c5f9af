"""The rows of one demo deal, built straight into the database's own representation.

A big demo is bound by how fast Python can put rows together, so a deal is not assembled as a
domain object and then mapped to rows: each row is a tuple in the column order of its table's
INSERT, with dates, times and amounts already as the driver wants them. Only what the domain
must compute itself goes through it: the padded schedule (``schedule``) and the reviewed form a
department signs (``reviewed_form``), so demo sign-offs are exactly as fresh as real ones.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, partial
from typing import Any

from salesdesk.domain.calendar import WorkCalendar
from salesdesk.domain.fingerprint import fingerprint_of, reviewed_form
from salesdesk.domain.model import (
    Answer,
    BreakdownCategory,
    ChecklistItem,
    Deal,
    DealLine,
    ItemStatus,
    Settings,
    Side,
    Stage,
    Verdict,
    WorkItem,
)
from salesdesk.domain.schedule import WorkItemSpec, schedule
from salesdesk.domain.search import search_key
from salesdesk.services import demo_data as data
from salesdesk.services.delivery import missed_date_breakdown_uid
from salesdesk.services.feasibility import condition_term_uid
from salesdesk.services.promise import calendar_from_settings, department_factor
from salesdesk.store import schema as t

#: The columns the demo fills, per table, in the order its rows are built.
COLUMNS: dict[str, tuple[str, ...]] = {
    "deals": (
        "id", "uid", "ref", "title", "customer_id", "stage", "owner_id", "product_line", "currency",
        "requested_date", "start_date", "promised_date", "value", "next_action_due", "needs_identified",
        "needs_clarified", "existing_technology", "customer_abilities", "training_recommendation",
        "break_in_period", "inclusions", "exclusions", "cost_overrun_handling", "disagreement_handling",
        "factor_override", "factor_override_reason", "gap_handling", "gap_reason", "decline_reason", "lost_reason",
        "first_shipment_date", "first_shipment_sent_on", "kickoff_override_reason", "version", "created_at",
        "updated_at", "exported_at", "exported_version", "imported_base_version", "search_text",
    ),
    "discovery_questions": ("uid", "position", "deal_id", "question", "answer"),
    "objections": ("uid", "position", "deal_id", "objection", "response"),
    "deal_lines": ("uid", "position", "deal_id", "description", "quantity", "unit", "unit_price"),
    "checklist_answers": ("uid", "position", "deal_id", "department", "question", "help_text", "mandatory",
                          "answer", "notes", "answered_by_id", "answered_at"),
    "work_items": ("uid", "position", "deal_id", "department", "task", "raw_days", "predecessors", "status",
                   "actual_start", "actual_done", "promised_due", "padded_days", "planned_start"),
    "reviewed_forms": ("fingerprint", "form"),
    "signoffs": ("uid", "deal_id", "department", "member_id", "verdict", "conditions", "fingerprint", "signed_at",
                 "current", "stale"),
    "parties": ("uid", "position", "deal_id", "side", "member_id", "contact_id", "responsibility"),
    "help_contacts": ("uid", "position", "deal_id", "topic", "name", "phone", "email"),
    "deal_terms": ("uid", "position", "deal_id", "standard_term_id", "title", "body", "non_standard",
                   "approved_by_id", "source", "acknowledged_by_id", "acknowledged_at"),
    "action_items": ("uid", "position", "deal_id", "owner_side", "owner_member_id", "owner_contact_id", "what",
                     "due_fixed", "due_work_item_uid", "due", "status", "done_on"),
    "stakeholders": ("uid", "position", "deal_id", "member_id", "how_they_win"),
    "kickoffs": ("uid", "deal_id", "held_on", "attendees_ours", "attendees_theirs", "notes"),
    "breakdowns": ("uid", "position", "deal_id", "category", "department", "occurred_on", "description",
                   "customer_impact", "cost", "resolution", "logged_by_id", "automatic"),
    "audit_log": ("at", "actor", "entity", "entity_uid", "deal_uid", "action", "field", "old", "new"),
}

#: The tables in an order that inserts every row after the rows it refers to.
TABLES = tuple(table.name for table in t.Base.metadata.sorted_tables if table.name in COLUMNS)

_SIGNED = frozenset({Stage.AGREED, Stage.KICKED_OFF, Stage.DELIVERING, Stage.DELIVERED})
_QUOTED_OR_LATER = _SIGNED | {Stage.QUOTED}
# Stages whose checklist was answered and signed off (declined and lost deals were reviewed too).
_REVIEWED = _QUOTED_OR_LATER | {Stage.CLEARED, Stage.DECLINED, Stage.LOST}
_IN_DELIVERY = frozenset({Stage.DELIVERING, Stage.DELIVERED})

_PRODUCT_LINES = list(data.CATALOGUE)
_QUANTITIES = [1, 1, 2, 3, 4, 6, 10]
_RAW_DAYS = [Decimal(d).quantize(Decimal("0.1")) for d in (0.5, 1, 1, 2, 2, 3, 4, 5, 6, 8, 10)]
_REQUEST_SHIFTS = [-20, -10, 0, 7, 14, 30]
_MANAGERS = ("Ana Rossi", "Olivia Brown")
_CUSTOM_TERM_COUNTS = [0, 1, 1, 2]
_BREAK_IN = ["4 weeks", "6 weeks", "3 months"]
_OUR_PARTIES = ("Sales: the promise and this agreement", "Account manager after signature",
                "Operations: schedule and installation")
_HELP_CONTACTS = (("Billing", "Kofi Mensah", "+44 114 496 0150", "kofi@brightline.example"),
                  ("Delivery", "Inês Costa", "+44 114 496 0160", "ines@brightline.example"),
                  ("Technical", "Lena Schmidt", "+44 114 496 0170", "lena@brightline.example"),
                  ("Escalation", "Olivia Brown", "+44 114 496 0100", "olivia@brightline.example"))
_OPERATIONS_LEAD = "Elena García"
_INCLUSIONS = "Delivery, installation, commissioning and training as listed."
_EXCLUSIONS = "Civil works, power supply to the machine, removal of the old equipment."
_COST_OVERRUNS = "Costs beyond the allowance for the unexpected are agreed in writing before they are incurred."
_DISAGREEMENTS = "Raised with the named contacts first, then management on both sides within 10 working days."
_MISSED = BreakdownCategory.MISSED_DELIVERY_DATE.value
_DONE, _OPEN = ItemStatus.DONE.value, ItemStatus.OPEN.value
_YES, _WITH_CONDITIONS = Answer.YES.value, Answer.WITH_CONDITIONS.value
_OURS, _THEIRS = Side.OURS.value, Side.THEIRS.value
_CLOCK = [f"{8 + minute // 60:02d}:{minute % 60:02d}:00.000000" for minute in range(600)]


# ----------------------------------------------------------------------------------- ids and times

_sequence = itertools.count()
_MASK48, _MASK62 = (1 << 48) - 1, (1 << 62) - 1
_VERSION_7, _VARIANT = 7 << 76, 2 << 62


def restart_uids(at: int) -> None:
    """Let the next uid count up from ``at`` (each chunk of deals has its own range)."""
    global _sequence
    _sequence = itertools.count(at)


def uid(rng: random.Random) -> str:
    """A time-ordered (version 7 layout) UUID from the seeded generator.

    Its leading 48 bits count up through the demo, so the unique uid indexes grow at their end
    instead of at random pages: a 100,000-deal demo writes gigabytes less. The low 74 bits are
    random, so the same seed gives the same ids.
    """
    r = rng.getrandbits(74)
    h = ((next(_sequence) & _MASK48) << 80 | _VERSION_7 | (r >> 62) << 64 | _VARIANT | r & _MASK62).to_bytes(16).hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def office_hours(d: date, rng: random.Random) -> datetime:
    """A moment in office hours (08:00–17:59 UTC) on ``d``."""
    minute = int(rng.random() * 600)
    return datetime(d.year, d.month, d.day, 8 + minute // 60, minute % 60, tzinfo=UTC)


# --------------------------------------------------------------------------- the company's cast


@dataclass
class Cast:
    members: dict[str, tuple[int, str, str]]  # name -> (row id, uid, department)
    customers: list[tuple[int, str, str, list[tuple[int, str, str]]]]  # (id, uid, name, contacts (id, uid, name))
    terms: list[tuple[int, str, str, str]]  # (id, uid, title, body)
    templates: dict[str, list[tuple[str, str, str, bool]]]  # product line -> (department, question, help, mandatory)

    def __post_init__(self) -> None:
        self.by_department: dict[str, list[tuple[int, str, str]]] = {}
        for member in self.members.values():
            self.by_department.setdefault(member[2], []).append(member)

    def member_of(self, department: str, rng: random.Random) -> tuple[int, str, str]:
        """Someone from ``department`` (the operations lead where it has nobody)."""
        found = self.by_department.get(department)
        return rng.choice(found) if found else self.members[_OPERATIONS_LEAD]


# ------------------------------------------------------------------------------ representation


class _Converted(dict[Any, Any]):
    """One column type's bind conversion, remembered per value: demo values repeat a lot."""

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        super().__init__({None: None})
        self._convert = convert

    def __missing__(self, value: Any) -> Any:
        converted = self[value] = self._convert(value)
        return converted


def _as_is(value: Any) -> Any:
    return value


def _converter(column_type: Any, dialect: Any) -> _Converted:
    process = column_type._cached_bind_processor(dialect)
    return _Converted(process or _as_is)


# ------------------------------------------------------------------------------------ the builder


class DealRows:
    """Builds demo deals as rows, for one database dialect and one demo's cast and settings."""

    def __init__(self, cast: Cast, st: Settings, today: date, dialect: Any) -> None:
        self.cast, self.today, self.currency = cast, today, st.currency
        self.calendar: WorkCalendar = calendar_from_settings(st)
        self.factor = cache(partial(department_factor, st))
        sqlite = dialect.name == "sqlite"
        # SQLite keeps dates and times as text, SQLAlchemy's formats; other drivers take objects.
        self.day = _Converted(date.isoformat if sqlite else _as_is)
        self.moment = self._sqlite_moment if sqlite else office_hours
        self.money = _converter(t.DealRowORM.__table__.c.value.type, dialect)
        self.quantity = _converter(t.LineRow.__table__.c.quantity.type, dialect)
        self.unit_price = _converter(t.LineRow.__table__.c.unit_price.type, dialect)
        self.raw_days = _converter(t.WorkItemRow.__table__.c.raw_days.type, dialect)
        quote = dialect.identifier_preparer.quote
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        self.sql = {name: f"INSERT INTO {quote(name)} ({', '.join(map(quote, columns))}) "
                          f"VALUES ({', '.join([mark] * len(columns))})" for name, columns in COLUMNS.items()}

    def _sqlite_moment(self, d: date, rng: random.Random) -> str:
        return f"{self.day[d]} {_CLOCK[int(rng.random() * 600)]}"

    def work_items(self, rng: random.Random, product_line: str) -> list[WorkItemSpec]:
        """The work a deal of ``product_line`` needs, each item waiting for the one before it most of the time."""
        if product_line == "Consumables and spare parts":
            plan = [("Inventory control", 1), ("Shipping/Receiving", 1)]
        elif product_line == "Software and integration":
            plan = [("Engineering", 2), ("Operations", 1), ("Technical support", 1)]
        else:
            plan = [("Engineering", 1), ("Inventory control", 1), ("Manufacturing", 1), ("Shipping/Receiving", 1),
                    ("Operations", 1), ("Technical support", 1)]
            plan = plan[: rng.randint(3, 6)]
        items: list[WorkItemSpec] = []
        for dept, count in plan:
            for task in rng.sample(data.TASKS[dept], count):
                raw = rng.choice(_RAW_DAYS)
                preds = (items[-1].key,) if items and rng.random() < 0.75 else ()
                items.append(WorkItemSpec(uid(rng), dept, task, raw, preds))
        return items

    def add(self, out: dict[str, list[tuple[Any, ...]]], rng: random.Random, deal_id: int, stage: Stage,
            created: date, ref: str) -> None:
        """Append deal ``deal_id`` and everything its stage implies to ``out`` (rows per table)."""
        cast, day, moment, today = self.cast, self.day, self.moment, self.today
        members = cast.members
        choice, randint, chance = rng.choice, rng.randint, rng.random
        product_line = choice(_PRODUCT_LINES)
        titles, catalogue = data.CATALOGUE[product_line]
        customer_id, customer_uid, customer_name, contacts = choice(cast.customers)
        owner = choice(data.SALES_REPS)
        start = created + timedelta(days=randint(5, 20))
        need, clarified = choice(data.NEEDS)
        abilities, training = choice(data.ABILITIES)
        lines = tuple(DealLine(uid(rng), desc, Decimal(choice(_QUANTITIES)), Decimal(randint(lo, hi)), unit)
                      for desc, unit, lo, hi in rng.sample(catalogue, min(len(catalogue), randint(1, 4))))
        work = self.work_items(rng, product_line) if stage is not Stage.DISCOVERY or chance() < 0.5 else []
        sched = schedule(work, start, self.calendar, self.factor) if work else None
        promised = sched.promised_date if sched else None
        requested = None
        if promised:
            requested = max(promised - timedelta(days=choice(_REQUEST_SHIFTS)), start + timedelta(days=1))

        # The checklist, answered as far as the stage implies.
        reviewed = stage in _REVIEWED
        checklist: list[ChecklistItem] = []  # what the reviewed form reads of the answers
        departments = {w.department for w in work}
        if stage is not Stage.DISCOVERY:
            rows = out["checklist_answers"]
            feasibility = stage is Stage.FEASIBILITY
            answered_on = created + timedelta(days=3)
            for position, (dept, question, help_text, mandatory) in enumerate(cast.templates.get(product_line, ())):
                item_uid = uid(rng)
                departments.add(dept)
                if reviewed:
                    answer = Answer.YES if chance() < 0.85 else Answer.WITH_CONDITIONS
                    by = cast.member_of(dept, rng)
                    rows.append((item_uid, position, deal_id, dept, question, help_text, mandatory, answer.value, "",
                                 by[0], moment(answered_on, rng)))
                    checklist.append(ChecklistItem(item_uid, dept, question, help_text, mandatory, answer, "", by[1]))
                else:  # under review: about half answered so far
                    draft = (_YES if chance() < 0.85 else _WITH_CONDITIONS) if feasibility and chance() < 0.5 else None
                    rows.append((item_uid, position, deal_id, dept, question, help_text, mandatory, draft, "", None,
                                 None))

        # Sign-offs: every involved department, on the form it reviewed.
        terms: list[list[Any]] = []  # [uid, standard term id, title, body, non-standard, approved by id, source]
        decline_reason = lost_reason = ""
        if reviewed:
            form = reviewed_form(Deal(
                uid="", ref=ref, title="", customer_uid=customer_uid, customer_name=customer_name, stage=stage,
                owner_uid=None, version=1, start_date=start, requested_date=requested, lines=lines,
                work_items=tuple(WorkItem(w.key, w.department, w.task, w.raw_days, w.predecessors) for w in work),
                checklist=tuple(checklist)))
            fingerprint = fingerprint_of(form)
            out["reviewed_forms"].append((fingerprint, form))
            rows = out["signoffs"]
            ordered = sorted(departments)
            declining = choice(ordered) if stage is Stage.DECLINED and ordered else None
            signed_on = created + timedelta(days=4)
            for dept in ordered:
                signer = cast.member_of(dept, rng)
                verdict, conditions = Verdict.FEASIBLE, ""
                if dept == declining:
                    verdict = Verdict.NOT_FEASIBLE
                    conditions = decline_reason = choice(data.DECLINE_REASONS)
                elif chance() < 0.2:
                    verdict, conditions = Verdict.FEASIBLE_WITH_CONDITIONS, choice(data.CONDITIONS)
                signoff_uid = uid(rng)
                rows.append((signoff_uid, deal_id, dept, signer[0], verdict.value, conditions, fingerprint,
                             moment(signed_on, rng), True, False))
                if verdict is Verdict.FEASIBLE_WITH_CONDITIONS:
                    terms.append([condition_term_uid(signoff_uid), None, f"Condition from {dept}", conditions, True,
                                  signer[0], "signoff"])
        if stage is Stage.LOST:
            lost_reason = choice(data.LOST_REASONS)
        quoted_or_later = stage in _QUOTED_OR_LATER
        if quoted_or_later:
            for term_id, _term_uid, title, body in rng.sample(cast.terms, min(len(cast.terms), randint(4, 7))):
                terms.append([uid(rng), term_id, title, body, False, None, "library"])
            manager = members[choice(_MANAGERS)][0]
            for title, body in rng.sample(data.NON_STANDARD_TERMS, choice(_CUSTOM_TERM_COUNTS)):
                terms.append([uid(rng), None, title, body, True, manager, "custom"])

        # Delivery history: actual dates from how each department really performs.
        progress: list[tuple[str, str, str, date | None, date]] = []  # (uid, department, task, done on, due)
        breakdowns: list[tuple[Any, ...]] = []
        if sched:
            rows = out["work_items"]
            delivered, delivering = stage is Stage.DELIVERED, stage is Stage.DELIVERING
            finished_so_far = True  # work is finished in order: nothing after an unfinished item is done
            for position, (w, planned) in enumerate(zip(work, sched.items, strict=True)):
                done = delivered or (finished_so_far and delivering and planned.due < today and chance() < 0.8)
                finished_so_far = done
                finished = None
                if done:
                    ratio = max(0.5, rng.lognormvariate(0, 0.35) * data.DEPARTMENTS[w.department][2])
                    took = max(1, int((w.raw_days * Decimal(str(ratio))).to_integral_value(ROUND_HALF_UP)))
                    finished = self.calendar.add_working_days(planned.start, took)
                    if finished > planned.due:
                        breakdowns.append((
                            missed_date_breakdown_uid(w.key), _MISSED, w.department, day[finished],
                            f"'{w.task}' finished {finished.isoformat()}, promised {planned.due.isoformat()}.",
                            "Later than promised.", self.money[Decimal("0")], "", None, True))
                rows.append((w.key, position, deal_id, w.department, w.task, self.raw_days[w.raw_days],
                             ",".join(w.predecessors), _DONE if done else _OPEN, day[planned.start if done else None],
                             day[finished], day[planned.due], planned.padded_days, day[planned.start]))
                progress.append((w.key, w.department, w.task, finished, planned.due))
        if stage in _IN_DELIVERY and chance() < 0.35:
            category, dept, description, impact, resolution = choice(data.BREAKDOWNS)
            breakdown_uid = uid(rng)
            occurred = start + timedelta(days=randint(10, 40))
            cost = self.money[Decimal(randint(0, 40) * 100)]
            breakdowns.append((breakdown_uid, BreakdownCategory(category).value, dept, day[occurred], description,
                               impact, cost, resolution, members[choice(data.ACCOUNT_MANAGERS)][0], False))

        # Parties, help contacts, action items, stakeholders, kickoff.
        first_shipment = sent = None
        next_due: date | None = None
        if quoted_or_later:
            am = choice(data.ACCOUNT_MANAGERS)
            ours = (owner, am, _OPERATIONS_LEAD)
            rows = out["parties"]
            for position, (name, responsibility) in enumerate(zip(ours, _OUR_PARTIES, strict=True)):
                rows.append((uid(rng), position, deal_id, _OURS, members[name][0], None, responsibility))
            for position, (contact_id, _contact_uid, _name) in enumerate(contacts[:2], 3):
                rows.append((uid(rng), position, deal_id, _THEIRS, None, contact_id,
                             "Decides and accepts on the customer's side"))
            rows = out["help_contacts"]
            for position, (topic, name, phone, email) in enumerate(_HELP_CONTACTS):
                rows.append((uid(rng), position, deal_id, topic, name, phone, email))
            rows = out["action_items"]
            for position, (item_uid, dept, task, done_on, due) in enumerate(progress[:3]):
                action_uid = uid(rng)
                rows.append((action_uid, position, deal_id, _OURS, cast.member_of(dept, rng)[0], None, task, None,
                             item_uid, day[due], _OPEN if done_on is None else _DONE, day[done_on]))
                if done_on is None and (next_due is None or due < next_due):
                    next_due = due
            if contacts:
                due = start + timedelta(days=7)
                done = due < today and stage in _SIGNED
                rows.append((uid(rng), len(progress[:3]), deal_id, _THEIRS, None, contacts[0][0],
                             "Confirm site access and drawings in writing", day[due], None, day[due],
                             _DONE if done else _OPEN, day[due] if done else None))
                if not done and (next_due is None or due < next_due):
                    next_due = due
            rows = out["stakeholders"]
            for position, name in enumerate(dict.fromkeys(ours)):  # a set's order would change from run to run
                rows.append((uid(rng), position, deal_id, members[name][0],
                             data.STAKEHOLDER_WINS.get(members[name][2], "Promises kept.")))
            if stage in _SIGNED and sched:
                first_shipment = sched.items[0].due
                if stage is not Stage.AGREED:
                    kickoff_uid = uid(rng)
                    held_on = first_shipment - timedelta(days=randint(3, 10))
                    out["kickoffs"].append((kickoff_uid, deal_id, day[held_on], "\n".join(ours),
                                            "\n".join(c[2] for c in contacts[:2]),
                                            "Terms reviewed; non-standard terms acknowledged."))
                    if stage in _IN_DELIVERY:
                        sent = first_shipment
                    for term in terms:  # the account manager acknowledges every non-standard term
                        term += [members[am][0], moment(held_on, rng)] if term[4] else [None, None]
        rows = out["deal_terms"]
        for position, (term_uid, term_id, title, body, non_standard, approved, source, *acknowledged) in enumerate(terms):
            rows.append((term_uid, position, deal_id, term_id, title, body, non_standard, approved, source,
                         *(acknowledged or (None, None))))
        rows = out["breakdowns"]
        for position, (breakdown_uid, *breakdown) in enumerate(breakdowns):
            rows.append((breakdown_uid, position, deal_id, *breakdown))

        # The deal itself, its discovery notes and the audit entry of its creation.
        deal_uid = uid(rng)
        title = choice(titles)
        technology = choice(data.TECHNOLOGY)
        break_in = choice(_BREAK_IN)
        rows = out["discovery_questions"]
        for position, (question, answer_text) in enumerate(rng.sample(data.QUESTIONS, 3)):
            rows.append((uid(rng), position, deal_id, question, answer_text))
        rows = out["objections"]
        for position, (objection, response) in enumerate(rng.sample(data.OBJECTIONS, randint(0, 2))):
            rows.append((uid(rng), position, deal_id, objection, response))
        rows = out["deal_lines"]
        for position, line in enumerate(lines):
            rows.append((line.uid, position, deal_id, line.description, self.quantity[line.quantity], line.unit,
                         self.unit_price[line.unit_price]))
        at = moment(created, rng)
        gap = ("later_date_accepted" if requested and promised and requested < promised
               and stage is not Stage.DISCOVERY else None)
        value = sum((line.total for line in lines), Decimal("0.00"))
        out["deals"].append((
            deal_id, deal_uid, ref, title, customer_id, stage.value, members[owner][0], product_line, self.currency,
            day[requested], day[start], day[promised], self.money[value], day[next_due], need, clarified, technology,
            abilities, training, break_in, _INCLUSIONS, _EXCLUSIONS, _COST_OVERRUNS, _DISAGREEMENTS, None, "", gap, "",
            decline_reason, lost_reason, day[first_shipment], day[sent], "", 1, at, at, None, None, None,
            search_key(ref, title, customer_name)))
        out["audit_log"].append((at, "demo", "deal", deal_uid, deal_uid, "create", "", None,
                                 f"{ref} {title} (demo data, stage {stage.label})"))
