"""Timing a page in-process, the same way in every benchmark: warm-up requests, one request counted
for its SQL queries, then the timed runs (time.perf_counter around the request)."""

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

WARM_UP_REQUESTS = 3


@dataclass(frozen=True)
class Measured:
    median_ms: float
    p95_ms: float
    queries: int
    response: Any  # the response of the request whose queries were counted


def requests_timed(get: Callable[[], Any], *, runs: int) -> Measured:
    """`get` asks for the page once; it is called WARM_UP_REQUESTS times, once more with its queries
    counted, then `runs` times timed. The 95th percentile is the nearest rank."""
    for _ in range(WARM_UP_REQUESTS):
        get()
    with CaptureQueriesContext(connection) as queries:
        response = get()
    query_count = len(queries)  # counted now: the next request's request_started signal empties the query log
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        get()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[math.ceil(0.95 * len(timings)) - 1]
    return Measured(statistics.median(timings), p95, query_count, response)
