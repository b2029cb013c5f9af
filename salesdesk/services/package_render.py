"""The readable files of a deal package: the terms as a plain web page, the action items as CSV and
as a calendar, and the action plan PDF. Each is a pure function of the deal, so an unchanged deal
gives byte-identical files (time stamps come from the deal's ``updated_at``, never from the clock).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from html import escape

from icalendar import Calendar, Event

from salesdesk.documents import build_action_plan
from salesdesk.documents.common import format_date
from salesdesk.documents.model import ActionItemRow as PlanItem
from salesdesk.documents.model import ActionPlanDoc, Company
from salesdesk.documents.model import HelpContactRow as PlanHelp
from salesdesk.domain.model import ActionItem, Customer, Deal, ItemStatus, Settings, Side, TeamMember
from salesdesk.services.package_format import RevisionWithPdf

STATUS_WORDS = {ItemStatus.OPEN: "Open", ItemStatus.IN_PROGRESS: "In progress", ItemStatus.DONE: "Done"}
CSV_COLUMNS = ("owner", "side", "what", "due", "status", "done on")
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
#: Cells Excel would run as a formula; they are written with a leading apostrophe.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def company_from_settings(st: Settings) -> Company:
    return Company(
        name=st.company_name,
        address_lines=tuple(line.strip() for line in st.company_address.splitlines() if line.strip()),
        phone=st.company_phone, email=st.company_email, website=st.company_website, logo_png=st.logo_png,
    )


@dataclass(frozen=True)
class DealPicture:
    """Everything the readable files show about one deal."""

    deal: Deal
    customer: Customer
    members: Mapping[str, TeamMember]
    company: Company
    dues: Mapping[str, date | None]  # action item uid -> its resolved (promised) due date
    revisions: Sequence[RevisionWithPdf] = ()

    @property
    def stamp(self) -> datetime:
        """When the deal last changed: the time stamp every file carries."""
        return self.deal.updated_at or self.deal.created_at or _EPOCH

    def member_name(self, uid: str | None) -> str:
        member = self.members.get(uid or "")
        return member.name if member else ""

    def owner(self, item: ActionItem) -> str:
        if item.owner_member_uid:
            return self.member_name(item.owner_member_uid)
        contact = next((c for c in self.customer.contacts if c.uid == item.owner_contact_uid), None)
        return contact.name if contact else ""

    def organisation(self, side: Side | str) -> str:
        return self.company.name if Side(side) is Side.OURS else self.customer.name

    def ordered_items(self) -> list[ActionItem]:
        """Action items soonest first; those without a date last, in the order they were agreed."""
        items = list(self.deal.action_items)
        return sorted(items, key=lambda a: (self.dues.get(a.uid) is None, self.dues.get(a.uid) or date.min))


# --- terms.html --------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;max-width:46rem;
margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b;background:#fff}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.1rem;margin:0 0 .3rem}
.company{color:#555;margin:0}.facts{color:#333}.summary{font-weight:600}
.term{border:1px solid #d8d8d8;border-radius:6px;padding:.8rem 1rem;margin:1rem 0}
.nonstandard{border-left:6px solid #b45309;background:#fff8eb}
.badge{display:inline-block;font-size:.75rem;font-weight:700;letter-spacing:.03em;text-transform:uppercase;
background:#b45309;color:#fff;border-radius:3px;padding:.05rem .4rem;margin-left:.4rem;vertical-align:middle}
.meta{font-size:.9rem;color:#5b4200;margin:.2rem 0 .5rem}.body{white-space:pre-wrap;margin:0}
footer{margin-top:2rem;font-size:.85rem;color:#666}
@media print{.term{break-inside:avoid}}
"""


def terms_html(p: DealPicture) -> bytes:
    """The deal's terms as one self-contained page (no scripts, nothing loaded from anywhere)."""
    d, e = p.deal, escape
    flagged = sum(1 for t in d.terms if t.non_standard)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Terms — {e(p.customer.name)} — {e(d.ref)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f'<header><p class="company">{e(p.company.name)}</p><h1>Terms of the agreement</h1>',
        f'<p class="facts">{e(d.ref)} — {e(d.title)}<br>Customer: {e(p.customer.name)}<br>'
        f"Stage: {e(d.stage.label)} · as of {e(format_date(p.stamp.date()))}</p></header>",
    ]
    if not d.terms:
        parts.append("<p>No terms have been agreed for this deal yet.</p>")
    else:
        count = f"{len(d.terms)} term{'s' if len(d.terms) != 1 else ''}"
        special = (f", of which {flagged} {'was' if flagged == 1 else 'were'} negotiated outside the standard "
                   "program (marked <strong>Non-standard</strong>)" if flagged else ", all standard")
        parts.append(f'<p class="summary">{count}{special}.</p><main>')
        for i, t in enumerate(d.terms, 1):
            badge = '<span class="badge">Non-standard</span>' if t.non_standard else ""
            parts.append(f'<section class="term{" nonstandard" if t.non_standard else ""}">')
            parts.append(f"<h2>{i}. {e(t.title)}{badge}</h2>")
            if t.non_standard:
                approved = p.member_name(t.approved_by) or "nobody recorded"
                if t.acknowledged_by:
                    when = f" on {format_date(t.acknowledged_at.date())}" if t.acknowledged_at else ""
                    ack = f"acknowledged by {e(p.member_name(t.acknowledged_by) or 'someone')}{e(when)}"
                else:
                    ack = "not yet acknowledged by the account manager"
                parts.append(f'<p class="meta">Approved by {e(approved)}; {ack}.</p>')
            parts.append(f'<p class="body">{e(t.body)}</p></section>')
        parts.append("</main>")
    signed = [r for r in p.revisions if r.file_name]
    if signed:
        parts.append("<h2>The signed agreement</h2><ul>")
        for r in sorted(signed, key=lambda r: r.revision.number):
            rev, name = r.revision, r.file_name or ""
            when = f", signed {format_date(rev.signed_at.date())}" if rev.signed_at else ""
            state = " (superseded by a later revision)" if rev.status == "superseded" else ""
            parts.append(f'<li><a href="{e(name)}">Revision {rev.number}</a>{e(when)}{state}</li>')
        parts.append("</ul>")
    parts.append("<footer>Exported from SalesDesk. This page is a copy to read; the signed agreement is what "
                 "binds both sides.</footer></body></html>")
    return ("\n".join(parts) + "\n").encode("utf-8")


# --- action-items.csv --------------------------------------------------------------------------


def _cell(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def action_items_csv(p: DealPicture) -> bytes:
    """The action items as CSV for Excel: UTF-8 with a byte order mark, one row per item."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for a in p.ordered_items():
        due = p.dues.get(a.uid)
        writer.writerow([
            _cell(p.owner(a)), _cell(p.organisation(a.owner_side)), _cell(a.what),
            due.isoformat() if due else "", STATUS_WORDS[a.status], a.done_on.isoformat() if a.done_on else "",
        ])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


# --- action-items.ics --------------------------------------------------------------------------


def action_items_ics(p: DealPicture) -> bytes:
    """One all-day event per dated action item. UIDs come from the items, DTSTAMP from the deal."""
    d = p.deal
    cal = Calendar()
    cal.add("prodid", "-//SalesDesk//Action items//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{d.ref} {p.customer.name}")
    for a in p.ordered_items():
        due = p.dues.get(a.uid)
        if due is None:
            continue
        event = Event()
        event.add("uid", f"{a.uid}@salesdesk")
        event.add("dtstamp", p.stamp.astimezone(UTC))
        event.add("last-modified", p.stamp.astimezone(UTC))
        event.add("sequence", d.version)
        event.add("dtstart", due)
        event.add("dtend", due + timedelta(days=1))
        done = " (done)" if a.status is ItemStatus.DONE else ""
        event.add("summary", f"{d.ref}: {a.what}{done}")
        owner = p.owner(a) or "not named"
        lines = [f"Who: {owner} ({p.organisation(a.owner_side)})", f"Deal: {d.ref} — {d.title}",
                 f"Customer: {p.customer.name}", f"Status: {STATUS_WORDS[a.status]}"]
        if a.done_on:
            lines.append(f"Done on: {a.done_on.isoformat()}")
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return bytes(cal.to_ical())


# --- action-plan.pdf ---------------------------------------------------------------------------


def action_plan_pdf(p: DealPicture, doc_id: str) -> bytes:
    """The current action plan (items without a date yet are left to the CSV and the deal)."""
    d = p.deal
    items = [
        PlanItem(owner=p.owner(a) or "—", owner_side=a.owner_side.value, what=a.what, due=due,
                 status=STATUS_WORDS[a.status])
        for a in p.ordered_items()
        if (due := p.dues.get(a.uid)) is not None
    ]
    helps = [PlanHelp(h.topic, h.name, h.phone, h.email) for h in d.help_contacts]
    doc = ActionPlanDoc(
        doc_id=doc_id, revision=d.version, company=p.company, customer_name=p.customer.name, deal_ref=d.ref,
        deal_title=d.title, date=p.stamp.date(), action_items=items, help_contacts=helps,
    )
    return bytes(build_action_plan(doc))
