"""The cast and catalogue of the demo company: people, customers, products, phrases."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

COMPANY: dict[str, Any] = {  # Settings fields
    "company_name": "Brightline Industrial Systems Ltd",
    "company_address": "Unit 4, Riverside Park\nSheffield S9 2RX\nUnited Kingdom",
    "company_phone": "+44 114 496 0123",
    "company_email": "hello@brightline.example",
    "company_website": "brightline.example",
}

# (name, department, role, can sign agreements)
TEAM: tuple[tuple[str, str, str, bool], ...] = (
    ("Ana Rossi", "Sales", "Sales manager", True),
    ("Ben Okafor", "Sales", "Account executive", False),
    ("Chloé Martin", "Sales", "Account executive", False),
    ("Dmitri Ivanov", "Sales", "Account executive", False),
    ("Elena García", "Operations", "Operations lead", False),
    ("Farid Haddad", "Engineering", "Lead engineer", False),
    ("Grace Liu", "Engineering", "Applications engineer", False),
    ("Hans Becker", "Manufacturing", "Production manager", False),
    ("Inês Costa", "Shipping/Receiving", "Logistics coordinator", False),
    ("Jakub Nowak", "Inventory control", "Inventory controller", False),
    ("Kofi Mensah", "Accounting", "Credit controller", False),
    ("Lena Schmidt", "Technical support", "Support lead", False),
    ("Maya Cohen", "Customer service", "Account manager", False),
    ("Noah Williams", "Customer service", "Account manager", False),
    ("Olivia Brown", "Management", "Managing director", True),
)

SALES_REPS = ("Ana Rossi", "Ben Okafor", "Chloé Martin", "Dmitri Ivanov")
ACCOUNT_MANAGERS = ("Maya Cohen", "Noah Williams")

# Department -> (buffer factor, weekly capacity in working days, how the team really performs:
# the mean ratio of actual to raw working days, used to make a believable history).
DEPARTMENTS: dict[str, tuple[Decimal | None, Decimal | None, float]] = {
    "Operations": (Decimal("2.0"), Decimal("40"), 1.5),
    "Engineering": (Decimal("2.5"), Decimal("30"), 1.9),
    "Manufacturing": (Decimal("2.0"), Decimal("60"), 1.45),
    "Shipping/Receiving": (Decimal("1.5"), Decimal("25"), 1.1),
    "Inventory control": (Decimal("1.5"), Decimal("20"), 1.2),
    "Technical support": (Decimal("2.0"), Decimal("25"), 1.35),
    "Accounting": (None, None, 1.0),
}

NAME_PARTS = (
    ("Northwind", "Harbour", "Granite", "Summit", "Meridian", "Cobalt", "Riverbend", "Ironbridge", "Silverline",
     "Pinecrest", "Blue Ridge", "Oakfield", "Westmark", "Kestrel", "Lighthouse", "Redwood", "Atlas", "Beacon"),
    ("Plastics", "Foods", "Packaging", "Logistics", "Pharma", "Metals", "Textiles", "Brewing", "Paper", "Ceramics",
     "Automotive", "Dairy", "Printing", "Glass", "Timber", "Chemicals"),
    ("Ltd", "GmbH", "S.A.", "B.V.", "Inc.", "plc", "S.r.l.", "AB", "Oy", "A/S"),
)

INTERNATIONAL_CUSTOMERS = (
    "Ζωή Βιομηχανική Α.Ε.",
    "ООО «Сибирь Металл»",
    "上海精密机械有限公司",
    "شركة الخليج للصناعات",
    "כהן תעשיות בע״מ",
    "Åkerström & Söner AB",
    "Łódź Przemysł Sp. z o.o.",
)

FIRST_NAMES = ("Sofia", "Liam", "Amara", "Mateo", "Yuki", "Priya", "Tomasz", "Freya", "Omar", "Lucía", "Jonas",
               "Aisha", "Henrik", "Mei", "Rafael", "Zoë", "Ioannis", "Olga", "Chidi", "Ingrid")
LAST_NAMES = ("Andersen", "Moreau", "Kowalski", "Tanaka", "Patel", "Fischer", "Silva", "Novak", "Haddad",
              "O'Brien", "Rossi", "Eriksson", "Papadopoulos", "Volkova", "Adeyemi", "Lindqvist", "Chen", "Dubois")
CONTACT_ROLES = (
    ("Plant manager", "Management"),
    ("Operations manager", "Operations"),
    ("Maintenance lead", "Engineering"),
    ("Purchasing manager", "Accounting"),
    ("Receiving supervisor", "Shipping/Receiving"),
    ("IT manager", "Technical"),
    ("Line supervisor", "Manufacturing"),
)

# product line -> (deal titles, catalogue lines (description, unit, price range))
CATALOGUE: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str, int, int], ...]]] = {
    "Equipment and installation": (
        ("Packaging line upgrade", "Second filling station", "Conveyor replacement", "Palletiser retrofit",
         "Labelling cell", "Cold-room automation"),
        (
            ("Filling machine FX-400", "ea", 38_000, 92_000),
            ("Conveyor section, 3 m", "ea", 2_400, 4_800),
            ("Installation and commissioning", "day", 900, 1_400),
            ("Control cabinet with PLC", "ea", 9_000, 21_000),
            ("Operator training", "day", 700, 1_100),
            ("Spare parts kit", "set", 1_200, 3_500),
        ),
    ),
    "Software and integration": (
        ("Line monitoring roll-out", "ERP integration", "Traceability system", "Maintenance planning software"),
        (
            ("Software licence, per site", "ea", 12_000, 45_000),
            ("Integration with the customer's ERP", "day", 850, 1_300),
            ("Data migration", "day", 800, 1_200),
            ("User training", "day", 700, 1_000),
            ("Support during break-in, 3 months", "ea", 3_000, 7_500),
        ),
    ),
    "Consumables and spare parts": (
        ("Annual spare parts supply", "Consumables call-off contract", "Wear parts programme"),
        (
            ("Seal kits", "box", 180, 420),
            ("Filter cartridges", "box", 90, 260),
            ("Wear parts, quarterly delivery", "lot", 2_400, 6_800),
        ),
    ),
}

# department -> tasks it estimates
TASKS: dict[str, tuple[str, ...]] = {
    "Engineering": ("Site survey and measurements", "Detailed design", "Interface specification", "Control software"),
    "Manufacturing": ("Build the machine", "Build conveyor sections", "Factory acceptance test"),
    "Inventory control": ("Order long-lead parts", "Pick and kit parts"),
    "Shipping/Receiving": ("Ship to site", "Arrange crane and access"),
    "Operations": ("Installation on site", "Commissioning", "Go-live support"),
    "Technical support": ("Operator training", "Break-in support visit"),
}

NEEDS = (
    ("More output from the existing line", "Raise throughput from 40 to 60 units a minute without a new building."),
    ("Fewer stoppages", "Cut unplanned downtime on line 2, today about 6 hours a week, mostly jams at the labeller."),
    ("Traceability for an audit", "Every batch traceable to its raw material before the retailer's audit in spring."),
    ("Replace obsolete controls", "The current PLCs are no longer supported; spare parts come from second-hand dealers."),
    ("Reliable supply of wear parts", "No more emergency orders: a planned quarterly delivery with stock held for them."),
)
TECHNOLOGY = (
    "Line 2 runs a 2009 filler with S7-300 controls; the labeller is a third-party unit from 2015.",
    "Mixed fleet: two machines of our previous generation (2012) and one competitor unit; ERP is SAP ECC 6.",
    "Paper-based batch records; a 15-year-old Access database on the shop floor PC.",
    "Modern plant built 2019; Profinet throughout; MES from a local integrator.",
)
ABILITIES = (
    ("Two experienced maintenance technicians; operators are new to servo machines.",
     "Two days of operator training on site, one day for maintenance on the servo drives."),
    ("Strong IT team, little automation experience.", "One day for IT on the interfaces, two days for key users."),
    ("Experienced team that ran our previous generation.", "Half a day on what changed from the previous generation."),
)
QUESTIONS = (
    ("What happens today when the line stops?", "The operator calls maintenance; nobody logs the cause."),
    ("Who decides on the purchase, and who signs?", "The plant manager decides; the finance director signs above 50k."),
    ("What other equipment must ours work with?", "The existing labeller and the ERP for batch numbers."),
    ("When must it be running, and why then?", "Before the seasonal peak in March."),
    ("What went wrong the last time you bought equipment?", "The supplier promised six weeks and took four months."),
    ("Who will run it day to day?", "The second shift team, five operators."),
)
OBJECTIONS = (
    ("Your lead time is longer than your competitor's.",
     "Ours is a date we keep: it includes an allowance for the unexpected, and we can show our on-time record."),
    ("The price is above budget.", "We can phase the delivery: the filler now, the conveyors in the next budget year."),
    ("We had a bad experience with an integration before.",
     "Our engineer visits the site before we quote and the interfaces are specified in the agreement."),
)
NON_STANDARD_TERMS = (
    ("Extended payment terms", "Invoices for this deal are payable within 60 days instead of 30."),
    ("Penalty for late delivery", "For each full week of delay beyond the promised date, 0.5 % of the price, capped at 5 %."),
    ("Price held for 18 months", "Unit prices for repeat orders are held for 18 months from signature."),
    ("Weekend installation", "Installation takes place over two weekends so the line keeps running in the week."),
    ("Consignment stock", "We keep two spare parts kits on consignment at the customer's site."),
)
CONDITIONS = (
    "Customer provides the crane and a clear access path on the installation days.",
    "Drawings of the existing line confirmed in writing before detailed design starts.",
    "Long-lead servo drives ordered within 5 days of signature.",
    "The customer's IT opens the firewall for the integration two weeks before go-live.",
)
DECLINE_REASONS = (
    "Engineering: the customer's 1990s control system cannot be interfaced without a full rewrite.",
    "Manufacturing: capacity is committed to two other customers until the requested date; saying yes would bump them.",
    "Shipping/Receiving: the site has no access for a 12 m trailer and the customer will not arrange a crane.",
)
LOST_REASONS = ("Chose a competitor with a shorter (unpadded) lead time.", "Project cancelled after a budget freeze.",
                "Customer decided to refurbish the old line instead.")
BREAKDOWNS = (
    ("bad_technical_information", "Engineering", "The floor drawings were out of date; the conveyor had to be re-routed.",
     "Installation one week later than planned.", "Revised drawings agreed on site."),
    ("poor_communication", "Operations", "The customer was not told the installation needed a production stop.",
     "Half a shift of lost production.", "Kickoff checklist now includes production stops."),
    ("unexpected_problem", "Operations", "The existing labeller's firmware could not be updated; old technology nobody asked about.",
     "Interim manual labelling for three days.", "Replacement firmware sourced from the labeller's maker."),
    ("unrealistic_expectations", "Sales", "The customer expected full speed from day one of the break-in period.",
     "Complaint to the managing director.", "Break-in period explained again; extra support visit."),
    ("undisclosed_information", "Engineering", "A planned building extension was not mentioned during discovery.",
     "Layout redesign.", "Design change agreed and priced."),
    ("quality_error", "Manufacturing", "Two conveyor sections delivered with the wrong guard rails.",
     "Line could not start on the planned day.", "Correct parts shipped by courier."),
    ("other", "Accounting", "Invoice sent to the wrong entity.", "Payment delayed by a month.", "Invoice reissued."),
)
STAKEHOLDER_WINS = {
    "Sales": "Books a deal the team can deliver and keeps the customer for the next one.",
    "Operations": "Gets a realistic schedule and a say before the promise is made.",
    "Engineering": "Gets complete technical information before design starts.",
    "Manufacturing": "Can plan the build around the other customers' orders.",
    "Shipping/Receiving": "Knows the site access and delivery windows in advance.",
    "Accounting": "Payment terms it agreed to, and a customer who pays on time.",
    "Technical support": "A trained customer and fewer emergency calls in the break-in period.",
    "Customer service": "Knows every negotiated term before the first shipment.",
    "Management": "Promises kept; fewer escalations.",
}
