"""Benchmark of a contract's Performance page (performance:contract) with years of results.

It creates a throw-away test database on the configured DATABASE_URL (as benchmarks/register_list.py
does; dropped again at the end, even on failure), bulk-loads one contract with 10 monthly KPIs and
five years of results on each (600 results; the latest period of some KPIs left due, so the page
shows inline forms too), then asks for the page as the contract's OCO with Django's test client.
A request is timed in-process with time.perf_counter around client.get: routing, middleware,
session, queries and template rendering; no web server and no network.

    .venv/bin/python benchmarks/performance_page.py [--kpis 10] [--years 5] [--runs 30]

Against PostgreSQL, as in production (`make benchmark` runs it):

    DJANGO_SECRET_KEY=bench DJANGO_SECURE_SSL_REDIRECT=false DJANGO_ALLOWED_HOSTS=testserver \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cr_perf_bench .venv/bin/python benchmarks/performance_page.py

It prints the SQL queries of one request, the median and 95th-percentile time over --runs requests
(after 3 warm-up requests), and the same for a contract with one KPI and two results: the query
count must be the same for both. It is a benchmark, not a test: it checks only that every response
is 200 and shows what was loaded.
"""

# ruff: noqa: E402 - Django has to be set up before the project's models are imported.

import argparse
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.bootstrap import django_setup, throwaway_database

django_setup()

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import User
from benchmarks.register_list import _person, positive_int
from benchmarks.timing import WARM_UP_REQUESTS, requests_timed
from contracts.models import Category, Contract
from core.dates import add_months
from performance.models import Kpi, KpiResult
from performance.periods import Frequency
from performance.ratings import Direction
from suppliers.models import Supplier

KPI_NAMES = (
    "Calls answered within 20 seconds", "Priority incidents resolved within 4 hours", "Vehicles available for duty",
    "Invoices accurate first time", "Scheduled maintenance completed on time", "Customer satisfaction",
    "Service desk first-time fix", "Spare parts delivered next day", "Reports delivered by the 5th working day",
    "Health and safety incidents", "Complaints upheld", "Social value hours delivered",
)  # fmt: skip


def _contract(reference: str, *, today: date, years: int, oco: User) -> Contract:
    supplier, _ = Supplier.objects.get_or_create(name="Pennine Fleet Services Ltd", companies_house_number="10007919")
    category, _ = Category.objects.get_or_create(name="Fleet")
    return Contract.objects.create(
        reference=reference,
        title="Vehicle leasing and fleet maintenance (Force-wide)",
        supplier=supplier,
        category=category,
        status=Contract.Status.ACTIVE,
        start_date=add_months(today.replace(day=1), -12 * years - 1),
        end_date=today + timedelta(days=730),
        total_value=Decimal("7500000"),
        annual_value=Decimal("1000000"),
        oco=oco,
    )


def seed(
    contract: Contract, *, kpis: int, results: int, today: date, rng: random.Random, by: User, leave_due: bool = True
) -> None:
    """`kpis` monthly KPIs on the contract with `results` results each up to last month (bulk-created);
    with `leave_due`, every third KPI lacks its latest result, so the page shows its inline form."""
    last = add_months(today.replace(day=1), -1)
    first = add_months(last, -(results - 1))
    created = Kpi.objects.bulk_create(
        Kpi(
            contract=contract,
            name=KPI_NAMES[number % len(KPI_NAMES)] + (f" ({number + 1})" if number >= len(KPI_NAMES) else ""),
            unit=Kpi.Unit.PERCENTAGE,
            target=Decimal("95"),
            direction=Direction.HIGHER,
            tolerance=Decimal("3"),
            inadequate_threshold=Decimal("85"),
            frequency=Frequency.MONTHLY,
            start_date=first,
            is_published=number < 3,
        )
        for number in range(kpis)
    )
    rows = []
    for number, kpi in enumerate(created):
        kpi.contract = contract
        periods = kpi.periods(until=last)
        if leave_due and number % 3 == 0:
            periods = periods[:-1]
        for period in periods:
            actual = Decimal(min(100, round(rng.gauss(94, 5), 1))).quantize(Decimal("0.1"))
            rows.append(
                KpiResult(
                    kpi=kpi,
                    period_start=period.start,
                    period_end=period.end,
                    actual=actual,
                    commentary=rng.choice(("", "", "Within the agreed range.", "Two vehicles off the road.")),
                    rating=kpi.rate(actual),
                    recorded_by=by,
                )
            )
    KpiResult.objects.bulk_create(rows, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(client: Client, url: str, *, runs: int) -> tuple[float, float, int, int]:
    """Median ms, 95th-percentile ms, SQL queries of one request, bytes of the page."""
    measured = requests_timed(lambda: _get(client, url), runs=runs)
    return measured.median_ms, measured.p95_ms, measured.queries, len(measured.response.content)


def _get(client: Client, url: str):
    response = client.get(url, secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}, not 200")
    return response


def run(*, kpis: int, years: int, runs: int) -> None:
    today = timezone.localdate()
    rng = random.Random(2026)
    oco = _person("oco1", "James", "Whitfield", roles.OCO)
    big = _contract("CON-BENCH-BIG", today=today, years=years, oco=oco)
    small = _contract("CON-BENCH-SMALL", today=today, years=years, oco=oco)
    started = time.perf_counter()
    seed(big, kpis=kpis, results=12 * years, today=today, rng=rng, by=oco)
    seed(small, kpis=1, results=2, today=today, rng=rng, by=oco, leave_due=False)
    loaded = time.perf_counter() - started
    version = ".".join(str(part) for part in connection.get_database_version())
    print(f"Database: {connection.display_name} {version} ({connection.settings_dict['NAME']})")
    print(f"Loaded {Kpi.objects.count()} KPIs and {KpiResult.objects.count():,} results in {loaded:.1f} s")
    print(f"Runs: {runs} per scenario, after {WARM_UP_REQUESTS} warm-up requests\n")
    header = f"{'scenario':<44} {'results':>8} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'KB':>6}"
    print(header)
    print("-" * len(header))
    client = Client()
    client.force_login(oco)
    for label, contract in (
        (f"(a) {kpis} KPIs, {years} years of monthly results", big),
        ("(b) 1 KPI, 2 results", small),
    ):
        count = KpiResult.objects.filter(kpi__contract=contract).count()
        url = reverse("performance:contract", args=[contract.pk])
        median, p95, queries, size = measure(client, url, runs=runs)
        print(f"{label:<44} {count:>8,} {median:>10.1f} {p95:>8.1f} {queries:>8} {size / 1024:>6.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Time a contract's Performance page with years of results.")
    parser.add_argument("--kpis", type=positive_int, default=10, help="KPIs on the contract (10)")
    parser.add_argument("--years", type=positive_int, default=5, help="years of monthly results on each (5)")
    parser.add_argument("--runs", type=positive_int, default=30, help="timed requests per scenario (30)")
    args = parser.parse_args()
    with throwaway_database():
        run(kpis=args.kpis, years=args.years, runs=args.runs)


if __name__ == "__main__":
    main()
