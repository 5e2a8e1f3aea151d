"""Benchmark of the register list page (contracts:list) on a large register.

It creates a throw-away test database on the configured DATABASE_URL (the
database name with a test_ prefix, dropped again at the end, even on failure),
bulk-loads N contracts with their suppliers, categories and users, then asks
for the list page with Django's test client. A request is timed in-process
with time.perf_counter around client.get: URL routing, middleware, session,
queries and template rendering; no web server and no network.

Run it from the project root:

    .venv/bin/python benchmarks/register_list.py [--contracts 10000] [--runs 30]

Against PostgreSQL, as in production:

    DJANGO_SECRET_KEY=bench DJANGO_SECURE_SSL_REDIRECT=false DJANGO_ALLOWED_HOSTS=testserver \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/contract_register_bench \\
    .venv/bin/python benchmarks/register_list.py

Without DATABASE_URL it runs on an in-memory SQLite database (set
DJANGO_DEBUG=1 there for the dev secret key). Either way the requests run with
DEBUG off, as in production. Static files are not collected for a benchmark:
unless DJANGO_STATIC_MANIFEST is set, the script uses the plain static storage.

Scenarios, each requested --runs times after 3 warm-up requests:

    (a) the Procurement Unit's whole register, no filters
    (b) a free-text search (?q=forensic) that matches some contracts
    (c) active, total value £100,000 to £5,000,000, ending in the next two years,
        sorted by total value, largest first
    (d) an OCO's own list, no filters

Each is timed as rendered (the cache cleared before each request: the list keeps its page there until
the register changes); (a) and (d) also from the cache. For each it prints the rows the filters match,
the median and 95th-percentile time of one request in milliseconds, and the SQL queries of one request.
The 95th percentile includes the pauses of Python's cyclic garbage collector, which runs a full
collection every ten or so requests.

It is a benchmark, not a test: it checks only that every response is 200.
"""

# ruff: noqa: E402 - Django has to be set up before the project's models are imported.

import argparse
import math
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
from benchmarks.bootstrap import django_setup, throwaway_database

django_setup()

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import User
from benchmarks.timing import WARM_UP_REQUESTS, requests_timed
from contracts.models import Category, Contract
from suppliers.models import Supplier

SEARCH = "forensic"

CATEGORIES = (
    "Fleet",
    "ICT",
    "Estates and facilities",
    "Forensics",
    "Custody",
    "Uniform and equipment",
    "Professional services",
    "Communications",
)
SUPPLIER_PREFIXES = (
    "Pennine", "Albion", "Caledonian", "Wessex", "Mercia", "Northumbria", "Thames", "Severn", "Kestrel", "Sentinel",
    "Harrowgate", "Beacon", "Meridian", "Redbrick", "Thornbury", "Ashdown", "Lexington", "Greyfriars", "Vantage",
    "Brightline",
)  # fmt: skip
SUPPLIER_TRADES = (
    "Fleet Services", "Digital", "Forensic Science", "Facilities Management", "Security Systems", "Healthcare",
    "Uniforms", "Communications", "Consulting", "Laboratories",
)  # fmt: skip
TITLES = (
    "Vehicle leasing and fleet maintenance", "Blue-light conversion of response vehicles", "Vehicle recovery",
    "Tyre supply and fitting", "Fleet telematics", "Body-worn video cameras and evidence platform",
    "Digital evidence management", "ICT managed service desk", "Mobile devices and airtime", "Software licensing",
    "Cyber security monitoring", "ANPR camera maintenance", "Radio terminal maintenance", "Control room telephony",
    "Forensic toxicology services", "DNA profiling and forensic biology", "Digital forensics",
    "Forensic collision investigation", "Custody healthcare services", "Custody detainee meals",
    "Custody suite CCTV maintenance", "Hard facilities management", "Cleaning and hygiene services",
    "Grounds maintenance", "Security guarding", "Uniform supply", "Body armour", "Public order equipment",
    "Interpreting and translation services", "Legal advice", "Occupational health services",
    "Public information campaigns",
)  # fmt: skip
AREAS = ("North", "South", "East", "West", "Headquarters", "Custody suites", "Training centre", "Force-wide")


def _person(username: str, first_name: str, last_name: str, role: str) -> User:
    user = User(username=username, first_name=first_name, last_name=last_name, is_budget_holder=role == roles.SRO)
    user.set_unusable_password()  # force_login needs none, and hashing one costs time
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


def seed(contracts: int, *, today: date, rng: random.Random) -> dict[str, User]:
    """Bulk-load the register; return the users by username."""
    users = {
        "procurement": _person("procurement", "Priya", "Sharma", roles.PROCUREMENT),
        "oco1": _person("oco1", "James", "Whitfield", roles.OCO),
        "oco2": _person("oco2", "Aisha", "Khan", roles.OCO),
        "oco3": _person("oco3", "Gareth", "Llewellyn", roles.OCO),
        "sro1": _person("sro1", "Helen", "Marsh", roles.SRO),
        "sro2": _person("sro2", "David", "Okafor", roles.SRO),
    }
    ocos = [users["oco1"], users["oco2"], users["oco3"]]
    sros = [users["sro1"], users["sro2"]]
    categories = Category.objects.bulk_create(Category(name=name) for name in CATEGORIES)
    names = [f"{prefix} {trade} Ltd" for prefix in SUPPLIER_PREFIXES for trade in SUPPLIER_TRADES]
    suppliers = Supplier.objects.bulk_create(
        Supplier(name=name, companies_house_number=f"{10_000_000 + 7_919 * number:08d}")
        for number, name in enumerate(names)
    )
    Contract.objects.bulk_create(
        (
            _contract(number, today=today, rng=rng, suppliers=suppliers, categories=categories, ocos=ocos, sros=sros)
            for number in range(1, contracts + 1)
        ),
        batch_size=1000,
    )
    with connection.cursor() as cursor:
        # Fresh planner statistics, as autovacuum would gather them on a live register.
        cursor.execute("ANALYZE")
    return users


def _contract(number: int, *, today: date, rng: random.Random, suppliers, categories, ocos, sros) -> Contract:
    start = today - timedelta(days=rng.randint(-180, 6 * 365))
    term_months = rng.choice((6, 12, 24, 36, 48, 60, 84))
    end = start + timedelta(days=round(term_months * 30.44) - 1)
    if start > today:
        status = Contract.Status.DRAFT
    elif end < today:
        status = rng.choices((Contract.Status.EXPIRED, Contract.Status.TERMINATED), weights=(9, 1))[0]
    else:
        status = rng.choices((Contract.Status.ACTIVE, Contract.Status.TERMINATED), weights=(19, 1))[0]
    # Log-uniform from £5,000 to £12,000,000: many small contracts, a few very large ones.
    total = Decimal(round(math.exp(rng.uniform(math.log(5_000), math.log(12_000_000))), -3))
    return Contract(
        reference=f"CON-{start.year}-{number:05d}",
        title=f"{rng.choice(TITLES)} ({rng.choice(AREAS)})",
        supplier=rng.choice(suppliers),
        category=rng.choice(categories),
        status=status,
        start_date=start,
        end_date=end,
        extended_end_date=end + timedelta(days=365 * rng.choice((1, 2))) if rng.random() < 0.3 else None,
        notice_period_days=rng.choice((30, 60, 90, 120, 180)),
        total_value=total,
        annual_value=(total * 12 / max(term_months, 12)).quantize(Decimal("0.01")),
        cost_centre=f"CC{rng.randint(1000, 9999)}",
        finance_reference=f"AGR-{100_000 + number}",
        procurement_route=rng.choice(Contract.ProcurementRoute.values),
        oco=rng.choice(ocos) if rng.random() < 0.95 else None,
        sro=rng.choice(sros) if total >= 1_000_000 else None,
    )


def _get(client: Client, url: str, *, from_cache: bool = False):
    if not from_cache:
        cache.clear()  # the page rendered: the list keeps it in the cache until the register changes
    # secure=True: the request looks as it does behind the TLS proxy, whatever SECURE_SSL_REDIRECT says.
    response = client.get(url, secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}, not 200")
    return response


def measure(client: Client, url: str, *, runs: int, from_cache: bool = False) -> tuple[int | None, float, float, int]:
    """Rows matched (None from the cache), median ms, 95th-percentile ms, SQL queries of one request."""
    measured = requests_timed(lambda: _get(client, url, from_cache=from_cache), runs=runs)
    rows = None if from_cache else measured.response.context["totals"]["count"]
    return rows, measured.median_ms, measured.p95_ms, measured.queries


def scenarios(today: date) -> list[tuple[str, str, str]]:
    """(label, username, query string) of each scenario."""
    filtered = (
        "status=active&total_value_min=100000&total_value_max=5000000"
        f"&end_date_after={today}&end_date_before={today + timedelta(days=730)}&sort=-total_value"
    )
    return [
        ("(a) whole register, no filters", "procurement", ""),
        (f"(b) search q={SEARCH}", "procurement", f"q={SEARCH}"),
        ("(c) active, £100k-£5m, ends within 2 years, by value", "procurement", filtered),
        ("(d) an OCO's own list (oco1), no filters", "oco1", ""),
    ]


def run(*, contracts: int, runs: int) -> None:
    today = timezone.localdate()
    started = time.perf_counter()
    users = seed(contracts, today=today, rng=random.Random(2026))
    loaded = time.perf_counter() - started
    version = ".".join(str(part) for part in connection.get_database_version())
    print(f"Database: {connection.display_name} {version} ({connection.settings_dict['NAME']})")
    print(f"Contracts: {Contract.objects.count():,} (loaded in {loaded:.1f} s)")
    print(f"Runs: {runs} per scenario, after {WARM_UP_REQUESTS} warm-up requests\n")
    header = f"{'scenario':<55} {'rows':>7} {'median ms':>10} {'p95 ms':>8} {'queries':>8}"
    print(header)
    print("-" * len(header))
    list_url = reverse("contracts:list")
    for label, username, query in scenarios(today):
        client = Client()
        client.force_login(users[username])
        url = f"{list_url}?{query}" if query else list_url
        for from_cache in (False, True) if not query else (False,):
            rows, median, p95, queries = measure(client, url, runs=runs, from_cache=from_cache)
            shown = label + (", from the cache" if from_cache else "")
            print(f"{shown:<55} {'-' if rows is None else f'{rows:,}':>7} {median:>10.1f} {p95:>8.1f} {queries:>8}")


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive whole number")
    return number


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the register list page on a large register.")
    parser.add_argument("--contracts", type=positive_int, default=10_000, help="contracts to load (10000)")
    parser.add_argument("--runs", type=positive_int, default=30, help="timed requests per scenario (30)")
    args = parser.parse_args()

    # DEBUG off, as in production: no query log slowing every request down.
    with throwaway_database():
        run(contracts=args.contracts, runs=args.runs)


if __name__ == "__main__":
    main()
