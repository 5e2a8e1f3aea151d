"""Benchmark: opening a six-monthly Kraljic review round over 2,000 active contracts.

Opening a round lists every active contract for review (one ReviewItem each) and
notifies the Procurement Unit. The issue asks for under 5 seconds with a number of
queries that does not grow with the number of contracts. This script loads a
register into a throw-away test database (as benchmarks/register_list.py does),
makes N contracts active, opens the round of a half-year and prints the seconds
and the queries; then it does the same with a tenth of the contracts active, to
show the query count does not change.

    .venv/bin/python benchmarks/review_round.py [--contracts 2000]

Against PostgreSQL, as in production (`make benchmark` runs it):

    DJANGO_SECRET_KEY=bench DATABASE_URL=postgres://postgres@127.0.0.1:5432/contract_register_bench \\
    .venv/bin/python benchmarks/review_round.py
"""

# ruff: noqa: E402 - Django has to be set up before the project's models are imported.

import argparse
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.bootstrap import django_setup, throwaway_database

django_setup()

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.register_list import positive_int, seed
from contracts import services
from contracts.models import Contract, ReviewItem


def open_round(today: date) -> tuple[int, float, int]:
    """Items listed, seconds, queries."""
    ContentType.objects.clear_cache()  # each round starts cold, so the two counts compare fairly
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        review_round, created = services.review_round_open(today=today)
        seconds = time.perf_counter() - started
    assert created, "a round for this half-year already existed"
    return ReviewItem.objects.filter(review_round=review_round).count(), seconds, len(queries)


def run(*, contracts: int) -> None:
    seed(contracts, today=date(2027, 1, 1), rng=random.Random(2026))
    Contract.objects.update(status=Contract.Status.ACTIVE)
    version = ".".join(str(part) for part in connection.get_database_version())
    print(f"Database: {connection.display_name} {version}")
    header = f"{'round':<16} {'active contracts':>17} {'seconds':>8} {'queries':>8}"
    print(header)
    print("-" * len(header))
    listed, seconds, queries = open_round(date(2027, 1, 1))
    print(f"{'January 2027':<16} {listed:>17,} {seconds:>8.3f} {queries:>8}")
    keep = set(Contract.objects.order_by("pk").values_list("pk", flat=True)[: max(1, contracts // 10)])
    Contract.objects.exclude(pk__in=keep).update(status=Contract.Status.EXPIRED)
    listed, seconds, queries = open_round(date(2027, 7, 1))
    print(f"{'July 2027':<16} {listed:>17,} {seconds:>8.3f} {queries:>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Time opening a Kraljic review round.")
    parser.add_argument("--contracts", type=positive_int, default=2_000, help="active contracts (2000)")
    args = parser.parse_args()
    with throwaway_database():
        run(contracts=args.contracts)


if __name__ == "__main__":
    main()
