"""Benchmark of the dashboards (and the lists beside them) on a register at national scale.

It runs against a database already seeded by `manage.py seed_scale` (DATABASE_URL), for example:

    DJANGO_SECRET_KEY=bench DJANGO_SECURE_SSL_REDIRECT=false DJANGO_ALLOWED_HOSTS=testserver \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cr_scale_10k .venv/bin/python benchmarks/dashboards.py

or, with --seed-contracts N, on a throw-away test database (the database name with a test_
prefix, dropped again at the end, even on failure) that it seeds itself first (`make benchmark`).

Each page is asked for with Django's test client, signed in with force_login, and timed
in-process with time.perf_counter around client.get: URL routing, middleware, session, queries
and template rendering; no web server and no network. Per page it prints the first (cold)
request's time, then, after 3 warm-up requests, the median and 95th percentile of --runs
requests in milliseconds, and the SQL queries of one request. The 95th percentile includes the
pauses of Python's cyclic garbage collector.

Pages, in this order:

    the Procurement dashboard (dashboard:procurement) as procurement1, unfiltered and filtered by
        the category with the most contracts (?category=<id>)
    every panel list it links to (each distinct /dashboard/lists/... path in its HTML, without
        the query string)
    the SRO dashboard (dashboard:sro) as the SRO named on the most contracts
    My work (dashboard:my_work) as the OCO named on the most contracts
    the register (contracts:list) and the escalations (escalations:list) as procurement1

A page whose URL name does not exist is listed as not available, so the script runs on a
branch without the dashboards. It is a benchmark, not a test: a page that answers anything but
200 is reported and not timed. The sessions it signs in with are deleted at the end.
"""

# ruff: noqa: E402 - Django has to be set up before the project's models are imported.

import argparse
import html
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.bootstrap import django_setup, throwaway_database

django_setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from benchmarks.register_list import positive_int
from benchmarks.timing import WARM_UP_REQUESTS, requests_timed
from contracts.models import Category, Contract, Escalation
from meetings.models import Meeting
from performance.models import Kpi, KpiResult

PANEL_LIST_PREFIX = "/dashboard/lists/"


@dataclass
class Page:
    label: str
    user: User | None
    url_name: str = ""  # reversed when the page is measured; "" when `url` is given
    query: str = ""
    url: str = ""


@dataclass
class Timing:
    cold_ms: float
    median_ms: float
    p95_ms: float
    queries: int


def _get(client: Client, url: str):
    # secure=True: the request looks as it does behind the TLS proxy, whatever SECURE_SSL_REDIRECT says.
    return client.get(url, secure=True)


def measure(client: Client, url: str, *, runs: int) -> tuple[Timing | None, int, bytes]:
    """The page's timing (None unless it answers 200), its status and its first response's body."""
    started = time.perf_counter()
    response = _get(client, url)
    cold_ms = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        return None, response.status_code, b""
    measured = requests_timed(lambda: _get(client, url), runs=runs)
    return Timing(cold_ms, measured.median_ms, measured.p95_ms, measured.queries), 200, response.content


def panel_lists(content: bytes) -> list[str]:
    """The distinct /dashboard/lists/ paths linked from a page, in order, without query strings."""
    paths = []
    for href in re.findall(rb'href="([^"]+)"', content):
        path = urlsplit(html.unescape(href.decode())).path
        if path.startswith(PANEL_LIST_PREFIX) and path not in paths:
            paths.append(path)
    return paths


def _busiest(role_users, relation: str) -> User | None:
    return role_users.annotate(named_on=Count(relation)).order_by("-named_on", "pk").first()


def pages() -> list[Page]:
    procurement = User.objects.get(username="procurement1")
    category = Category.objects.annotate(contract_count=Count("contracts")).order_by("-contract_count", "pk").first()
    sro = _busiest(User.objects.sros(), "contracts_as_sro")
    oco = _busiest(User.objects.ocos(), "contracts_as_oco")

    def named(user: User | None, relation: str) -> str:
        return f"{user.username}, on {getattr(user, relation).count():,} contracts" if user else "nobody"

    return [
        Page("Procurement dashboard", procurement, "dashboard:procurement"),
        Page(
            f"Procurement dashboard, category {category.name}" if category else "Procurement dashboard, a category",
            procurement,
            "dashboard:procurement",
            query=f"category={category.pk}" if category else "",
        ),
        # The panel lists follow here, found in the dashboard's HTML.
        Page(f"SRO dashboard ({named(sro, 'contracts_as_sro')})", sro, "dashboard:sro"),
        Page(f"My work ({named(oco, 'contracts_as_oco')})", oco, "dashboard:my_work"),
        Page("Register (contracts:list)", procurement, "contracts:list"),
        Page("Escalations (escalations:list)", procurement, "escalations:list"),
    ]


def run(*, runs: int) -> None:
    version = ".".join(str(part) for part in connection.get_database_version())
    print(f"Database: {connection.display_name} {version} ({connection.settings_dict['NAME']})")
    sizes = {
        "contracts": Contract.objects.count(),
        "KPIs": Kpi.objects.count(),
        "KPI results": KpiResult.objects.count(),
        "meetings": Meeting.objects.count(),
        "escalations": Escalation.objects.count(),
    }
    print("Data: " + ", ".join(f"{count:,} {name}" for name, count in sizes.items()))
    if not sizes["contracts"] or not User.objects.filter(username="procurement1").exists():
        raise SystemExit("This database has no scale register: seed it with `manage.py seed_scale` first.")
    print(f"Runs: {runs} per page, after a cold request and {WARM_UP_REQUESTS} warm-up requests\n")
    header = f"{'page':<66} {'cold ms':>8} {'median ms':>10} {'p95 ms':>8} {'queries':>8}"
    print(header)
    print("-" * len(header))
    clients: dict[int, Client] = {}
    queue = pages()
    while queue:
        page = queue.pop(0)
        if page.user is None:
            print(f"{page.label:<66} skipped: no such user in this register")
            continue
        url = page.url
        if not url:
            try:
                url = reverse(page.url_name)
            except NoReverseMatch:
                print(f"{page.label:<66} not available (no URL named {page.url_name!r})")
                continue
            url = f"{url}?{page.query}" if page.query else url
        if page.user.pk not in clients:
            clients[page.user.pk] = Client()
            clients[page.user.pk].force_login(page.user)
        timing, status, content = measure(clients[page.user.pk], url, runs=runs)
        if timing is None:
            print(f"{page.label:<66} answered {status}, not timed ({url})")
            continue
        print(
            f"{page.label:<66} {timing.cold_ms:>8.1f} {timing.median_ms:>10.1f} {timing.p95_ms:>8.1f} "
            f"{timing.queries:>8}"
        )
        if page.url_name == "dashboard:procurement" and not page.query:
            lists = [Page(f"  panel list {path}", page.user, url=path) for path in panel_lists(content)]
            if not lists:
                print(f"  (no links to {PANEL_LIST_PREFIX} on the dashboard)")
            queue[1:1] = lists  # after the filtered dashboard
    for client in clients.values():
        client.logout()


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the dashboards on a register at national scale.")
    parser.add_argument("--runs", type=positive_int, default=30, help="timed requests per page (30)")
    parser.add_argument(
        "--seed-contracts",
        type=positive_int,
        help="seed a throw-away test database with this many contracts (seed_scale) instead of using DATABASE_URL's",
    )
    args = parser.parse_args()

    # DEBUG off, as in production: no query log slowing every request down. The test client's host.
    settings.DEBUG = False
    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if args.seed_contracts is None:
        run(runs=args.runs)
        return
    with throwaway_database(test_environment=False):
        # A throw-away database: its users' published password is harmless.
        settings.DEMO_DATA_ALLOWED = True
        call_command("seed_scale", contracts=args.seed_contracts, stdout=sys.stderr)
        run(runs=args.runs)


if __name__ == "__main__":
    main()
