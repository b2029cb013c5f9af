"""What a department reviewed when it signed off, in a canonical form; and what changed since.

A sign-off covers the lines, quantities, the deal's dates, the work items, the checklist answers
and the buffer factor override. ``reviewed_form`` writes them as sorted-key JSON (Decimals as
normalised strings, dates ISO, collections keyed by their stable uid so that re-ordering is not a
change); ``fingerprint`` is its SHA-256. A sign-off whose fingerprint no longer matches the deal
is stale, and ``what_changed`` says why in words a rep understands.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from salesdesk.domain.model import Answer, Deal, GapHandling

#: Bumped when the form changes shape; an old form still compares field by field.
FORM_VERSION = 1

ANSWER_WORDS: dict[Answer, str] = {
    Answer.YES: "yes",
    Answer.NO: "no",
    Answer.WITH_CONDITIONS: "with conditions",
    Answer.NOT_APPLICABLE: "n.a.",
}

_NONE = "none"

#: Questions are long; a reason names them by their first words.
QUESTION_LIMIT = 50


def _number(value: Decimal) -> str:
    """``Decimal('3.00')`` → ``"3"``, ``Decimal('2.50')`` → ``"2.5"``: one spelling per amount."""
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _form(deal: Deal) -> dict[str, Any]:
    override = deal.requested_date if deal.gap_handling is GapHandling.OVERRIDE else None
    return {
        "form": FORM_VERSION,
        "start_date": _iso(deal.start_date),
        "requested_date": _iso(deal.requested_date),
        # Promising the requested date although the padded one is later puts pressure on the
        # departments, so it is part of what they agreed to.
        "promise_override": _iso(override),
        "factor_override": _number(deal.factor_override) if deal.factor_override is not None else None,
        "lines": {
            line.uid: {
                "description": line.description,
                "quantity": _number(line.quantity),
                "unit": line.unit,
                "unit_price": _number(line.unit_price),
            }
            for line in deal.lines
        },
        "work_items": {
            item.uid: {
                "department": item.department,
                "task": item.task,
                "raw_days": _number(item.raw_days),
                "predecessors": sorted(item.predecessors),
            }
            for item in deal.work_items
        },
        "checklist": {
            item.uid: {
                "department": item.department,
                "question": item.question,
                "answer": item.answer.value if item.answer else None,
                "notes": item.notes,
            }
            for item in deal.checklist
        },
    }


def _dump(form: Mapping[str, Any]) -> str:
    return json.dumps(form, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def reviewed_form(deal: Deal) -> str:
    """The canonical JSON of everything a sign-off on ``deal`` covers."""
    return _dump(_form(deal))


def fingerprint(deal: Deal) -> str:
    """SHA-256 (hex) of ``reviewed_form(deal)``: equal exactly when nothing reviewed has changed."""
    return hashlib.sha256(reviewed_form(deal).encode("utf-8")).hexdigest()


def fingerprint_of(reviewed: str) -> str:
    """The fingerprint of a stored reviewed form."""
    return hashlib.sha256(reviewed.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------------------- what changed


def shorten(text: str, limit: int = 40) -> str:
    """``text`` on one line, cut at a word boundary with an ellipsis when longer than ``limit``."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def _quoted(text: str, limit: int = 40) -> str:
    return f"'{shorten(text, limit)}'"


def _shown(value: Any) -> str:
    return _NONE if value in (None, "") else str(value)


def _answer_word(value: Any) -> str:
    if value is None:
        return "unanswered"
    try:
        return ANSWER_WORDS[Answer(value)]
    except ValueError:
        return str(value)


def _names(uids: list[str], *tasks: Mapping[str, Any]) -> str:
    names = []
    for uid in uids:
        task = next((str(t[uid]["task"]) for t in tasks if uid in t), "an item no longer in the deal")
        names.append(_quoted(task))
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _table(form: Mapping[str, Any], key: str) -> dict[str, dict[str, Any]]:
    value = form.get(key)
    return dict(value) if isinstance(value, Mapping) else {}


def _ordered(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The uids of both versions: the deal's present order first, then those since removed."""
    return [*new, *(uid for uid in old if uid not in new)]


def _date_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    reasons = []
    for key, label in (("requested_date", "requested date"), ("start_date", "start date")):
        if old.get(key) != new.get(key):
            reasons.append(f"{label} {_shown(old.get(key))} → {_shown(new.get(key))}")
    before, after = old.get("promise_override"), new.get("promise_override")
    if before != after:
        if after is None:
            reasons.append(f"the promise of {before} ahead of the padded date was withdrawn")
        else:
            reasons.append(f"the promise was set to the requested date {after}, ahead of the padded date")
    if old.get("factor_override") != new.get("factor_override"):
        reasons.append(
            f"buffer factor for this deal {_shown(old.get('factor_override'))} → {_shown(new.get('factor_override'))}"
        )
    return reasons


def _line_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    before, after = _table(old, "lines"), _table(new, "lines")
    reasons = []
    for uid in _ordered(before, after):
        a, b = before.get(uid), after.get(uid)
        if a is None and b is not None:
            reasons.append(f"line {_quoted(b['description'])} added")
        elif b is None and a is not None:
            reasons.append(f"line {_quoted(a['description'])} removed")
        elif a is not None and b is not None and a != b:
            name = _quoted(b["description"])
            if a.get("description") != b["description"]:
                reasons.append(f"line {_quoted(a.get('description', ''))} renamed to {name}")
            for key, label in (("quantity", "quantity"), ("unit", "unit"), ("unit_price", "unit price")):
                if a.get(key) != b.get(key):
                    reasons.append(f"line {name} {label} {_shown(a.get(key))} → {_shown(b.get(key))}")
    return reasons


def _work_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    before, after = _table(old, "work_items"), _table(new, "work_items")
    reasons = []
    for uid in _ordered(before, after):
        a, b = before.get(uid), after.get(uid)
        if a is None and b is not None:
            reasons.append(f"work item {_quoted(b['task'])} added")
        elif b is None and a is not None:
            reasons.append(f"work item {_quoted(a['task'])} removed")
        elif a is not None and b is not None and a != b:
            name = _quoted(b["task"])
            if a.get("task") != b["task"]:
                reasons.append(f"work item {_quoted(a.get('task', ''))} renamed to {name}")
            if a.get("department") != b.get("department"):
                reasons.append(f"work item {name} moved from {a.get('department')} to {b.get('department')}")
            if a.get("raw_days") != b.get("raw_days"):
                reasons.append(f"work item {name} raw days {_shown(a.get('raw_days'))} → {_shown(b.get('raw_days'))}")
            if sorted(a.get("predecessors", [])) != sorted(b.get("predecessors", [])):
                waits = list(b.get("predecessors", []))
                if waits:
                    reasons.append(f"work item {name} now waits for {_names(waits, after, before)}")
                else:
                    reasons.append(f"work item {name} no longer waits for other work")
    return reasons


def _checklist_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    before, after = _table(old, "checklist"), _table(new, "checklist")
    reasons = []
    for uid in _ordered(before, after):
        a, b = before.get(uid), after.get(uid)
        if a is None and b is not None:
            reasons.append(f"checklist question {_quoted(b['question'], QUESTION_LIMIT)} added")
        elif b is None and a is not None:
            reasons.append(f"checklist question {_quoted(a['question'], QUESTION_LIMIT)} removed")
        elif a is not None and b is not None and a != b:
            name = _quoted(b["question"], QUESTION_LIMIT)
            if a.get("question") != b["question"]:
                old_name = _quoted(a.get("question", ""), QUESTION_LIMIT)
                reasons.append(f"checklist question {old_name} reworded to {name}")
            if a.get("department") != b.get("department"):
                reasons.append(f"checklist question {name} moved from {a.get('department')} to {b.get('department')}")
            if a.get("answer") != b.get("answer"):
                reasons.append(
                    f"answer to {name} changed {_answer_word(a.get('answer'))} → {_answer_word(b.get('answer'))}"
                )
            if a.get("notes", "") != b.get("notes", ""):
                reasons.append(f"notes on {name} changed")
    return reasons


def what_changed(old_reviewed: str, deal: Deal) -> list[str]:
    """Readable reasons why ``deal`` differs from the stored ``old_reviewed`` form.

    For example ``["line 'Pump' quantity 2 → 3", "work item 'Install' added"]``. Empty when
    nothing reviewed has changed.
    """
    new = _form(deal)
    if old_reviewed == _dump(new):
        return []
    try:
        old = json.loads(old_reviewed)
    except ValueError:
        old = None
    if not isinstance(old, dict):
        return ["what was reviewed is not on record"]
    reasons = [
        *_date_changes(old, new),
        *_line_changes(old, new),
        *_work_changes(old, new),
        *_checklist_changes(old, new),
    ]
    return reasons or ["what was reviewed has changed"]
