"""Realistic sample inputs for every document, used by tests, benchmarks and the app's self-test.

The people come from several countries on purpose, so that every sample exercises accented
Latin, Greek, Cyrillic, Chinese, Arabic and Hebrew. Everything is fixed (no "today"), so a
sample renders to the same bytes every time.
"""

from __future__ import annotations

import math
import struct
import zlib
from datetime import date, datetime, timedelta
from decimal import Decimal

from .letterhead import default_logo_png
from .model import (
    ActionItemRow,
    ActionPlanDoc,
    AgreementDoc,
    BriefDoc,
    ChecklistRow,
    Company,
    FeasibilityDoc,
    HelpContactRow,
    Person,
    PriceLineRow,
    QuoteDoc,
    QuoteScheduleRow,
    ScheduleRow,
    SignatureBlock,
    SignOffRow,
    StakeholderRow,
    TermRow,
)

MULTI_SCRIPT_NAMES = (
    "Zoë Ångström-Łukasiewicz",
    "Дмитрий Иванов",
    "李明",
    "Ζωή Παπαδοπούλου",
    "محمد العلي",
    "דוד כהן",
)

CUSTOMER = "Hellenic Fresh Foods S.A."
CUSTOMER_ADDRESS = ("Leoforos Kifisias 214", "151 24 Marousi, Athens", "Greece")
DEAL_REF = "D-2025-0117"
DEAL_TITLE = "Cold-store conveyor line and scanner rollout, Marousi warehouse"


def sample_company() -> Company:
    return Company(
        name="Northwind Conveyor Systems GmbH",
        address_lines=("Hafenstraße 12", "20457 Hamburg", "Germany"),
        phone="+49 40 555 0192",
        email="sales@northwind-conveyors.example",
        website="www.northwind-conveyors.example",
        logo_png=default_logo_png(),
    )


def sample_parties() -> tuple[Person, ...]:
    ours = "Northwind Conveyor Systems GmbH"
    return (
        Person("Sarah O'Connor", "Sales representative", ours, "ours",
               "Owns the agreement; first point of contact until kickoff",
               "s.oconnor@northwind-conveyors.example", "+49 40 555 0110"),
        Person("Zoë Ångström-Łukasiewicz", "Account manager", ours, "ours",
               "Runs the kickoff and day-to-day contact after it; reviews the terms with you",
               "z.angstrom@northwind-conveyors.example", "+49 40 555 0133"),
        Person("Дмитрий Иванов", "Operations lead", ours, "ours",
               "Manufacturing, shipping and installation schedule",
               "d.ivanov@northwind-conveyors.example", "+49 40 555 0150"),
        Person("李明", "Engineering lead", ours, "ours",
               "Layout drawings, controls integration, acceptance test",
               "li.ming@northwind-conveyors.example", "+49 40 555 0161"),
        Person("Jean-Luc Moreau", "Operations director", CUSTOMER, "theirs",
               "Signs for the customer; decides on scope changes",
               "jl.moreau@hellenicfresh.example", "+30 210 555 7700"),
        Person("Ζωή Παπαδοπούλου", "Warehouse manager", CUSTOMER, "theirs",
               "Site access, floor clearance, operator availability for training",
               "z.papadopoulou@hellenicfresh.example", "+30 210 555 7712"),
        Person("محمد العلي", "IT manager", CUSTOMER, "theirs",
               "Warehouse management system interface and network ports",
               "m.alali@hellenicfresh.example", "+30 210 555 7730"),
        Person("דוד כהן", "Finance controller", CUSTOMER, "theirs",
               "Purchase order, invoices and payment",
               "d.cohen@hellenicfresh.example", "+30 210 555 7745"),
    )


def sample_action_items() -> tuple[ActionItemRow, ...]:
    return (
        ActionItemRow("דוד כהן", "theirs", "Issue the purchase order for the agreed total", date(2025, 3, 21)),
        ActionItemRow("Ζωή Παπαδοπούλου", "theirs",
                      "Send the floor plan with column positions and drain locations", date(2025, 3, 24)),
        ActionItemRow("محمد العلي", "theirs",
                      "Confirm the WMS version and open the two network ports for the scanners",
                      date(2025, 3, 28)),
        ActionItemRow("李明", "ours", "Deliver layout drawings for approval", date(2025, 4, 4)),
        ActionItemRow("Jean-Luc Moreau", "theirs", "Approve the layout drawings (or return comments)",
                      date(2025, 4, 11)),
        ActionItemRow("Zoë Ångström-Łukasiewicz", "ours",
                      "Hold the kickoff meeting and review every term with the account team", date(2025, 4, 15)),
        ActionItemRow("Дмитрий Иванов", "ours", "Manufacture and factory-test the conveyor modules",
                      date(2025, 5, 20)),
        ActionItemRow("Ζωή Παπαδοπούλου", "theirs", "Clear bay 4 and provide a forklift with driver",
                      date(2025, 5, 30)),
        ActionItemRow("Дмитрий Иванов", "ours", "Ship, install and commission the line", date(2025, 6, 12)),
        ActionItemRow("Zoë Ångström-Łukasiewicz", "ours", "Train two shifts of operators (4 sessions)",
                      date(2025, 6, 20)),
        ActionItemRow("李明", "ours", "Run the acceptance test together with the customer", date(2025, 6, 24)),
    )


def sample_help_contacts() -> tuple[HelpContactRow, ...]:
    return (
        HelpContactRow("Billing and invoices", "Petra Vogel", "+49 40 555 0120", "billing@northwind-conveyors.example"),
        HelpContactRow("Delivery dates and shipping", "Дмитрий Иванов", "+49 40 555 0150",
                       "d.ivanov@northwind-conveyors.example"),
        HelpContactRow("Technical questions and faults", "李明", "+49 40 555 0161",
                       "service@northwind-conveyors.example"),
        HelpContactRow("Anything else, or if in doubt", "Zoë Ångström-Łukasiewicz", "+49 40 555 0133",
                       "z.angstrom@northwind-conveyors.example"),
    )


def sample_price_lines() -> tuple[PriceLineRow, ...]:
    return (
        PriceLineRow("Cold-store roller conveyor module, 3 m, stainless", Decimal("14"), "pcs",
                     Decimal("4250.00"), Decimal("59500.00")),
        PriceLineRow("Curve module 90°, stainless", Decimal("4"), "pcs", Decimal("3180.00"), Decimal("12720.00")),
        PriceLineRow("Fixed-mount barcode scanner with WMS interface", Decimal("6"), "pcs",
                     Decimal("1395.00"), Decimal("8370.00")),
        PriceLineRow("Installation and commissioning", Decimal("9"), "days", Decimal("980.00"),
                     Decimal("8820.00")),
        PriceLineRow("Operator training, per session", Decimal("4"), "sessions", Decimal("650.00"),
                     Decimal("2600.00")),
    )


SUBTOTAL = Decimal("92010.00")
CONTINGENCY = Decimal("9201.00")
TOTAL = Decimal("101211.00")


def sample_terms() -> tuple[TermRow, ...]:
    return (
        TermRow("Delivery", "Delivered to the customer's site, installed and commissioned (DAP Marousi). "
                "Dates in this letter are the dates we commit to; each depends on the customer's "
                "actions listed above being done on time."),
        TermRow("Payment", "30 % with the purchase order, 60 % on delivery, 10 % on passed acceptance test. "
                "Invoices are payable within 30 days."),
        TermRow("Warranty", "24 months on parts and workmanship from the passed acceptance test."),
        TermRow("Extended payment on the final instalment",
                "The final 10 % is payable 60 days after the acceptance test instead of 30.",
                non_standard=True, approved_by="Martin Krüger, Sales manager"),
        TermRow("Spare-parts stock on site",
                "Northwind keeps a kit of wear parts (rollers, belts, one scanner) on the customer's site "
                "for the first 12 months at no charge.",
                non_standard=True, approved_by="Дмитрий Иванов, Operations lead"),
        TermRow("Changes to the scope", "Any change to quantities, layout or dates is agreed in writing and "
                "may move the promised dates; we will tell you by how much before you decide."),
    )


def _signature_png(seed: int = 3) -> bytes:
    """A hand-drawn-looking signature stroke, drawn without an imaging library (deterministic)."""
    w, h = 360, 120
    alpha = bytearray(w * h)
    radius = 2.1
    steps = 1400
    for k in range(steps + 1):
        t = k / steps
        x = 20 + 320 * t
        y = 68 - 26 * math.sin(t * math.pi * (5 + seed)) * (1 - t * 0.6) - 18 * math.sin(t * math.pi * 1.3)
        x += 9 * math.sin(t * math.pi * 11)
        for py in range(int(y - radius - 1), int(y + radius + 2)):
            for px in range(int(x - radius - 1), int(x + radius + 2)):
                if 0 <= px < w and 0 <= py < h:
                    d = math.hypot(px + 0.5 - x, py + 0.5 - y)
                    a = max(0.0, min(1.0, radius + 0.5 - d))
                    i = py * w + px
                    alpha[i] = max(alpha[i], round(255 * a))
    ink = bytes((0x1B, 0x2F, 0x5E))
    raw = b"".join(b"\x00" + b"".join(ink + bytes((alpha[y * w + x],)) for x in range(w)) for y in range(h))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def sample_signatures() -> tuple[SignatureBlock, ...]:
    return (
        SignatureBlock("ours", "Northwind Conveyor Systems GmbH", "Sarah O'Connor", "Sales representative",
                       date(2025, 3, 14), _signature_png(), "drawn"),
        SignatureBlock("theirs", CUSTOMER, "Jean-Luc Moreau", "Operations director",
                       date(2025, 3, 17), None, "paper"),
    )


def sample_agreement() -> AgreementDoc:
    return AgreementDoc(
        doc_id="AGR-2025-0117",
        revision=2,
        company=sample_company(),
        customer_name=CUSTOMER,
        customer_address_lines=CUSTOMER_ADDRESS,
        deal_ref=DEAL_REF,
        deal_title=DEAL_TITLE,
        date=date(2025, 3, 14),
        parties=sample_parties(),
        action_items=sample_action_items(),
        promised_date=date(2025, 6, 24),
        work_due_dates=tuple((row.task, row.due) for row in sample_schedule()),
        lines=sample_price_lines(),
        subtotal=SUBTOTAL,
        contingency=CONTINGENCY,
        contingency_label="10 % of subtotal",
        total=TOTAL,
        currency="EUR",
        terms=sample_terms(),
        training_recommendation=(
            "Your operators know manual picking well but have not run an automated line before. "
            "We recommend four half-day sessions for two shifts, plus a one-day session for the two "
            "maintenance technicians on clearing jams and replacing rollers."
        ),
        break_in_period=(
            "Expect about three weeks of break-in after commissioning: throughput starts near 60 % of "
            "the design rate and rises as operators get used to the line and the scanner rules are tuned. "
            "Our engineer is on call every working day during this period."
        ),
        inclusions=(
            "Conveyor modules, curves and controls as listed in the price table",
            "Scanner integration with your WMS through its standard import interface",
            "Installation, commissioning and the acceptance test",
            "Four operator training sessions and printed quick guides in Greek and English",
        ),
        exclusions=(
            "Electrical supply to the control cabinet (your electrician, to our drawing)",
            "Changes to the WMS itself",
            "Floor repairs or levelling beyond ±5 mm over 3 m",
        ),
        cost_overrun_handling=(
            "Unforeseen work is first paid from the allowance for the unexpected. Before it is used up we "
            "tell you in writing what happened and what it costs; nothing beyond the agreed total is "
            "invoiced without your written approval."
        ),
        disagreement_handling=(
            "Either side raises a disagreement with the other side's named contact. If it is not settled "
            "within 10 working days, the Operations director and our Sales manager meet (on site or by "
            "video) to decide. Work that is not affected continues meanwhile."
        ),
        help_contacts=sample_help_contacts(),
        stakeholders=(
            StakeholderRow("Sarah O'Connor", "Sales", "A signed agreement the team can keep, and a reference customer"),
            StakeholderRow("Zoë Ångström-Łukasiewicz", "Account management",
                           "A smooth kickoff and no surprises in the first year"),
            StakeholderRow("Дмитрий Иванов", "Operations", "Dates his team set themselves, with a buffer"),
            StakeholderRow("李明", "Engineering", "Complete site information before drawing starts"),
            StakeholderRow("Petra Vogel", "Accounting", "Invoices paid on the agreed schedule"),
            StakeholderRow("Tomasz Wójcik", "Shipping", "Two weeks' notice of the delivery slot"),
        ),
        signatures=sample_signatures(),
    )


def sample_action_plan() -> ActionPlanDoc:
    return ActionPlanDoc(
        doc_id="PLAN-2025-0117",
        revision=2,
        company=sample_company(),
        customer_name=CUSTOMER,
        deal_ref=DEAL_REF,
        deal_title=DEAL_TITLE,
        date=date(2025, 3, 14),
        action_items=sample_action_items(),
        help_contacts=sample_help_contacts(),
    )


def sample_brief() -> BriefDoc:
    return BriefDoc(
        doc_id="BRIEF-2025-0117",
        revision=1,
        company=sample_company(),
        customer_name=CUSTOMER,
        deal_ref=DEAL_REF,
        deal_title=DEAL_TITLE,
        meeting_date=date(2025, 3, 12),
        needs_identified="Faster order picking in the cold store before the summer peak.",
        needs_clarified=(
            "Pick 1,400 cases per hour (today 800) at +2 °C with the existing WMS, without a second shift; "
            "the line must be running by the end of June."
        ),
        open_questions=(
            "Which WMS version runs today, and who can change its import settings?",
            "Is the floor in bay 4 level within ±5 mm over 3 m?",
            "Can bay 4 be cleared for two weeks in late May?",
        ),
        objections=(
            ("Your price is 12 % above the other offer.",
             "It includes installation, training and a 10 % allowance for the unexpected, shown separately."),
            ("End of June is too late.",
             "Operations padded their estimates; mid-June would be a promise we might break."),
        ),
        operations_said=(
            "Operations (Дмитрий Иванов): feasible with conditions — bay 4 cleared by 30 May",
            "Engineering (李明): feasible — needs the floor plan by 24 March",
            "Shipping: feasible",
        ),
        promised_date=date(2025, 6, 24),
        requested_date=date(2025, 6, 2),
        conditions=("Bay 4 cleared and a forklift available from 30 May", "WMS version confirmed by 28 March"),
        people=sample_parties(),
    )


def sample_quote() -> QuoteDoc:
    return QuoteDoc(
        doc_id="Q-2025-0117",
        revision=1,
        company=sample_company(),
        customer_name=CUSTOMER,
        customer_address_lines=CUSTOMER_ADDRESS,
        deal_ref=DEAL_REF,
        deal_title=DEAL_TITLE,
        date=date(2025, 3, 10),
        valid_until=date(2025, 4, 9),
        lines=sample_price_lines(),
        subtotal=SUBTOTAL,
        contingency=CONTINGENCY,
        contingency_label="10 % of subtotal",
        total=TOTAL,
        currency="EUR",
        schedule_rows=tuple(QuoteScheduleRow(r.department, r.task, r.due) for r in sample_schedule()),
        promised_date=date(2025, 6, 24),
        notes=(
            "Prices exclude VAT. Delivery DAP Marousi, installed and commissioned.",
            "Dates assume the purchase order by 21 March and the floor plan by 24 March.",
        ),
    )


def _working_days_after(start: date, days: int) -> date:
    """The ``days``-th Monday-to-Friday day after ``start`` (the samples ignore holidays)."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def sample_schedule() -> tuple[ScheduleRow, ...]:
    """Raw estimates padded by each department's factor, chained like the real promise engine does."""
    items = (
        ("Engineering", "Layout drawings", 5, Decimal("2.0"), None),
        ("Operations", "Manufacture and factory test", 16, Decimal("2.0"), 0),
        ("Shipping", "Transport to site", 2, Decimal("1.5"), 1),
        ("Operations", "Installation and commissioning", 9, Decimal("1.5"), 2),
        ("Engineering", "Acceptance test", 4, Decimal("2.0"), 3),
    )
    start = date(2025, 3, 21)
    rows: list[ScheduleRow] = []
    for department, task, raw, factor, after in items:
        padded = math.ceil(raw * factor)
        begin = start if after is None else rows[after].due
        rows.append(ScheduleRow(department, task, raw, factor, padded, begin, _working_days_after(begin, padded)))
    return tuple(rows)


def sample_feasibility() -> FeasibilityDoc:
    schedule = sample_schedule()
    promised = schedule[-1].due
    requested = date(2025, 6, 2)
    return FeasibilityDoc(
        doc_id="FEAS-2025-0117",
        revision=3,
        company=sample_company(),
        customer_name=CUSTOMER,
        deal_ref=DEAL_REF,
        deal_title=DEAL_TITLE,
        date=date(2025, 3, 7),
        checklist=(
            ChecklistRow("Engineering", "Do we have the customer's floor plan with column positions?", True,
                         "with conditions", "Promised by 24 March", "李明"),
            ChecklistRow("Engineering", "Is the existing WMS a version our scanner interface supports?", True,
                         "yes", "Version 7.2 confirmed by phone", "李明"),
            ChecklistRow("Engineering", "Any legacy equipment the line must connect to?", False,
                         "n.a.", "", "李明"),
            ChecklistRow("Operations", "Can the modules be built in stainless for +2 °C?", True, "yes", "",
                         "Дмитрий Иванов"),
            ChecklistRow("Operations", "Would this bump another customer's order?", True, "no",
                         "Capacity check passed for weeks 17–22", "Дмитрий Иванов"),
            ChecklistRow("Shipping", "Can the site take a 13.6 m trailer?", True, None, "", ""),
            ChecklistRow("Accounting", "Is the customer's credit limit sufficient?", True, "yes",
                         "Limit EUR 150,000", "Petra Vogel"),
        ),
        schedule=schedule,
        signoffs=(
            SignOffRow("Engineering", "李明", "feasible", "", datetime(2025, 3, 6, 16, 40)),
            SignOffRow("Operations", "Дмитрий Иванов", "feasible_with_conditions",
                       "Bay 4 cleared and a forklift available from 30 May", datetime(2025, 3, 6, 17, 5)),
            SignOffRow("Shipping", "Tomasz Wójcik", "feasible", "", datetime(2025, 3, 4, 9, 12), stale=True),
            SignOffRow("Accounting", "Petra Vogel", "feasible", "", datetime(2025, 3, 5, 11, 30)),
        ),
        requested_date=requested,
        promised_date=promised,
        requested_gap_days=(promised - requested).days,
        capacity_warnings=(
            "Operations would be at 112 % of capacity in week 19: order D-2025-0098 (Baltic Cold Chain) "
            "would slip by about 3 working days.",
        ),
    )
