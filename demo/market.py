"""Demo market dataset: CPV codes on the demo contracts and, for their CPV groups, published awards of
other buyers as Contracts Finder would list them. Generated, not copied: the real notices in
../shared/data/ocds/ are for tests and `manage.py load_market_awards` (their README asks that they
stay outside the project). Deterministic, so a second run adds nothing."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from contracts.models import Contract
from core.dates import add_months
from market.models import MarketAward, annualise

# Demo contract -> its CPV code (with check digit, as Find a Tender shows it).
CPV_CODES = {
    "CON-2023-001": "50112000-3",  # repair and maintenance services of cars
    "CON-2024-008": "50118000-5",  # automobile emergency services
    "CON-2024-009": "34350000-5",  # tyres
    "CON-2023-009": "50700000-2",  # repair and maintenance services of building installations
    "CON-2023-012": "90910000-9",  # cleaning services
    "CON-2026-002": "79710000-4",  # security services
    "CON-2022-004": "72253000-3",  # helpdesk and support services
    "CON-2023-002": "32323500-8",  # video-surveillance system
    "CON-2024-011": "18100000-0",  # occupational clothing
    "CON-2024-014": "64212000-5",  # mobile-telephone services
}

BUYERS = (
    "Police and Crime Commissioner for Northshire",
    "Chief Constable of Eastmoor Police",
    "Police, Fire and Crime Commissioner for Westvale",
    "Southdown County Council",
    "Marshfield City Council",
    "Harbourside NHS Foundation Trust",
    "Fire and Rescue Authority for Greyhills",
    "University of Kingsbridge",
    "Office of the Police and Crime Commissioner for Lakeland",
    "Riverside Borough Council",
)

# CPV group -> (what the notices call it, suppliers, a typical annual value in £).
GROUPS = {
    "501": (
        "Fleet maintenance and repair",
        ("Midshire Motors Ltd", "Apex Fleet Care Ltd", "Roadworthy Garages Ltd"),
        1_300_000,
    ),
    "343": ("Tyre supply and fitting", ("Tread Right Ltd", "National Tyre Services plc"), 75_000),
    "507": (
        "Building services maintenance",
        ("Keystone Mechanical Ltd", "Brightwell FM Ltd", "Corbel Estates Ltd"),
        1_700_000,
    ),
    "909": (
        "Cleaning services",
        ("Sparkle Contract Cleaning Ltd", "Clearview Hygiene Ltd", "Civic Cleaning plc"),
        260_000,
    ),
    "797": ("Security guarding", ("Sentry Guarding Ltd", "Watchpoint Security Ltd"), 230_000),
    "722": ("ICT service desk", ("Bluepeak IT Services Ltd", "Northgate Support Ltd"), 1_400_000),
    "323": ("Body-worn and in-vehicle video", ("Lens Systems Ltd", "Evidentia Video Ltd"), 800_000),
    "181": ("Uniform managed service", ("Cobalt Workwear Ltd", "Uniform Direct Ltd"), 700_000),
    "642": ("Mobile voice and data", ("Signal Mobile Ltd", "Meridian Telecom plc"), 380_000),
}
AWARDS_PER_GROUP = 14
OCID_PREFIX = "demo-market"


def _awards(today: date) -> list[MarketAward]:
    generator = random.Random(20)  # noqa: S311  (demo data, repeatable)
    now = timezone.now()
    awards = []
    for group, (label, suppliers, typical) in GROUPS.items():
        code = next(c for c in CPV_CODES.values() if c.startswith(group)).split("-")[0]
        for n in range(AWARDS_PER_GROUP):
            months = generator.choice((24, 36, 36, 48, 48, 60))
            start = today - timedelta(days=generator.randrange(30, 900))
            end = add_months(start, months) - timedelta(days=1)
            annual = Decimal(typical * generator.lognormvariate(0, 0.3)).quantize(Decimal("1000"))
            value = annual * months / 12
            duration = (end - start).days
            awards.append(
                MarketAward(
                    ocid=f"{OCID_PREFIX}-{group}-{n:02d}",
                    award_id=f"{OCID_PREFIX}-{group}-{n:02d}-1",
                    source="Demo (generated)",
                    title=f"{label}{' (lot ' + str(n % 3 + 1) + ')' if n % 4 == 0 else ''}",
                    buyer=BUYERS[(n + len(group) * int(group)) % len(BUYERS)],
                    suppliers=suppliers[n % len(suppliers)],
                    cpv_code=code,
                    cpv_group=group,
                    value=value,
                    start_date=start,
                    end_date=end,
                    duration_days=duration,
                    annual_value=annualise(value, duration),
                    awarded_on=start - timedelta(days=45),
                    loaded_at=now,
                )
            )
    return awards


def counts() -> dict[str, int]:
    return {"market awards": MarketAward.objects.count()}


def seed(*, today: date) -> None:
    for reference, code in CPV_CODES.items():
        Contract.objects.filter(reference=reference, cpv_code="").update(cpv_code=code)
    if not MarketAward.objects.filter(ocid__startswith=OCID_PREFIX).exists():
        MarketAward.objects.bulk_create(_awards(today))
