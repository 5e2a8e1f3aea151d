"""What the scale register is made of: names, proportions, and the cases every dashboard panel needs."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from contracts.models import Contract, Quadrant

PASSWORD = "scale-password-123"  # noqa: S105 - published on purpose: benchmark databases only
KPIS_PER_CONTRACT = 8
MONTHS_OF_RESULTS = 36
PROCUREMENT_OFFICERS = 5

GOOD, MIXED, POOR = 0, 1, 2  # how a contract's supplier performs
ACTIVE, DRAFT = Contract.Status.ACTIVE, Contract.Status.DRAFT
EXPIRED, TERMINATED = Contract.Status.EXPIRED, Contract.Status.TERMINATED
STRATEGIC, LEVERAGE = Quadrant.STRATEGIC, Quadrant.LEVERAGE
BOTTLENECK, NON_CRITICAL = Quadrant.BOTTLENECK, Quadrant.NON_CRITICAL

# End dates, in days from today: (band, first, last, weight). The dashboards' renewal bands are
# 0-3, 3-6 and 6-12 months ahead, and past the end date but still active.
END_BANDS = (
    ("past", -700, -3, 22),
    ("0-3", 1, 85, 5),
    ("3-6", 95, 175, 5),
    ("6-12", 190, 355, 10),
    ("later", 370, 2190, 58),
)
TERMS = ((12, 15), (24, 20), (36, 25), (48, 15), (60, 15), (84, 6), (120, 4))  # months, weight

# The first contracts cover every case a dashboard panel shows, so that even a small seed has each.
COVER = (
    {"band": "0-3", "status": ACTIVE, "quadrant": STRATEGIC, "sro": "budget", "profile": POOR},
    {"band": "3-6", "status": ACTIVE, "quadrant": STRATEGIC, "sro": None},
    {"band": "6-12", "status": ACTIVE, "quadrant": STRATEGIC, "sro": "plain"},
    {"band": "past", "status": ACTIVE, "quadrant": LEVERAGE},
    {"band": "past", "status": EXPIRED, "quadrant": NON_CRITICAL},
    {"band": "later", "status": DRAFT, "quadrant": BOTTLENECK},
    {"band": "later", "status": TERMINATED, "quadrant": NON_CRITICAL},
    {"band": "later", "status": ACTIVE, "quadrant": NON_CRITICAL, "oco": None},
    {"band": "later", "status": ACTIVE, "quadrant": "", "profile": MIXED},
    {"band": "later", "status": ACTIVE, "quadrant": LEVERAGE, "sro": "budget", "savings": 2, "escalation": True},
)

# Category: (weight, contract titles).
CATEGORIES = {
    "Fleet and vehicles": (9, ("Vehicle leasing", "Fleet maintenance", "Blue-light vehicle conversion", "Tyres")),
    "ICT infrastructure": (9, ("ICT managed service desk", "Data centre hosting", "Network services")),
    "Software and licences": (7, ("Records management system", "Digital evidence platform", "Software licences")),
    "Estates and facilities": (9, ("Hard facilities management", "Cleaning services", "Grounds maintenance")),
    "Forensic services": (6, ("Forensic toxicology", "DNA profiling", "Digital forensics")),
    "Custody services": (5, ("Custody healthcare", "Detainee meals", "Custody CCTV maintenance")),
    "Uniform and equipment": (7, ("Uniform supply", "Body armour", "Public order equipment")),
    "Professional services": (6, ("Management consultancy", "Internal audit", "Recruitment services")),
    "Communications and radio": (5, ("Airwave terminals", "Control room telephony", "Radio maintenance")),
    "Health and welfare": (4, ("Occupational health", "Employee assistance", "Physiotherapy")),
    "Training": (4, ("Driver training", "Public order training", "Leadership development")),
    "Security and guarding": (4, ("Security guarding", "Alarm monitoring", "Access control")),
    "Energy and utilities": (3, ("Electricity supply", "Gas supply", "Water services")),
    "Legal services": (3, ("Legal advice", "Civil litigation", "Interpreting and translation")),
    "Transport and travel": (3, ("Prisoner transport", "Vehicle recovery", "Business travel")),
}
AREAS = ("North", "South", "East", "West", "Headquarters", "Custody suites", "Training centre", "Force-wide")
SUPPLIER_PREFIXES = (
    "Pennine", "Albion", "Caledonian", "Wessex", "Mercia", "Northumbria", "Thames", "Severn", "Kestrel", "Sentinel",
    "Harrowgate", "Beacon", "Meridian", "Redbrick", "Thornbury", "Ashdown", "Lexington", "Greyfriars", "Vantage",
    "Brightline", "Cotswold", "Fenland", "Solent", "Chiltern", "Mendip", "Trent", "Humber", "Dartmoor", "Cheviot",
    "Lowland",
)  # fmt: skip
SUPPLIER_TRADES = (
    "Fleet Services", "Digital", "Forensic Science", "Facilities Management", "Security Systems", "Healthcare",
    "Uniforms", "Communications", "Consulting", "Laboratories", "Logistics", "Software", "Engineering", "Catering",
    "Energy", "Legal",
)  # fmt: skip
SUPPLIER_SUFFIXES = ("Ltd", "Limited", "plc", "LLP", "Group Ltd", "Services Ltd")
FIRST_NAMES = (
    "James", "Aisha", "Gareth", "Helen", "David", "Priya", "Tom", "Sarah", "Mohammed", "Emma", "Rhys", "Fiona",
    "Daniel", "Grace", "Oliver", "Hannah", "Liam", "Chloe", "Samuel", "Zara", "Owen", "Megan", "Callum", "Niamh",
    "Ravi", "Lucy", "Ethan", "Amira", "Jack", "Sophie",
)  # fmt: skip
LAST_NAMES = (
    "Whitfield", "Khan", "Llewellyn", "Marsh", "Okafor", "Sharma", "Evans", "Campbell", "Hughes", "Patel", "Morgan",
    "Clarke", "Murphy", "Ahmed", "Taylor", "Robinson", "Walsh", "Fraser", "Jenkins", "Begum", "Turner", "Kaur",
    "Harrison", "Doyle", "Reid", "Price", "Lloyd", "Nowak", "Bennett", "Stewart",
)  # fmt: skip
KPI_NAMES = (
    "Service availability", "Incidents resolved within target time", "Orders delivered on time and in full",
    "Calls answered within 20 seconds", "Invoices accurate first time", "Complaints resolved within 10 working days",
    "Staff vetted and trained", "Management information on time", "Social value commitments delivered",
    "Work right first time", "Emergency call-outs attended within 2 hours", "Planned maintenance on schedule",
)  # fmt: skip
# A KPI's target, tolerance and the gap below (target - tolerance) at which it is Inadequate.
KPI_TARGETS = ((95, 3, 7), (90, 3, 10), (98, 1, 4), (92, 2, 8), (85, 5, 10), (97, 2, 5), (90, 4, 8), (99, 0.5, 2.5))


@dataclass
class Plan:
    """What is decided about one contract in Python; SQL fills in the rest from it."""

    id: int
    status: str
    start: date
    end: date
    quadrant: str
    oco_id: int | None
    sro_id: int | None
    recorder_id: int
    annual_value: Decimal
    profile: int
    poor_kpis: int
    poor_months: int
    plans_ahead: bool
    virtual_meetings: int
    activities: int
    escalation: bool
    savings: int
    first_assessment_id: int | None = None
    current_assessment_id: int | None = None


@dataclass(frozen=True)
class Clock:
    """The moment of the seed: every date is relative to it."""

    now: datetime
    today: date
    tz: str
    first_period: date  # the first KPI period: the 1st of the month 36 months ago
    last_period: date  # the last: last month
