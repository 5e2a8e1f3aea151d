"""The session is written when it changes or its last save is a minute old, not on every request,
and still ends after eight hours without a request: kept in the database, or read through a shared cache
as production does (cached_db, config/settings.py)."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD


@pytest.fixture(autouse=True, params=["db", "cached_db"])
def session_engine(request, settings):
    settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{request.param}"
    return request.param


def _session_writes(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    writes = [q for q in queries if "django_session" in q["sql"] and q["sql"].startswith(("UPDATE", "INSERT"))]
    return status, len(writes)


def test_a_request_soon_after_the_last_writes_no_session(client, alice):
    start = timezone.now()
    url = reverse("contracts:list")
    with time_machine.travel(start, tick=False) as clock:
        client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
        clock.move_to(start + dt.timedelta(seconds=30))
        assert _session_writes(client, url) == (200, 0)
        clock.move_to(start + dt.timedelta(seconds=90))
        assert _session_writes(client, url) == (200, 1)  # a minute since the last save: expiry pushed on
        clock.move_to(start + dt.timedelta(seconds=100))
        assert _session_writes(client, url) == (200, 0)


def test_busy_minutes_still_end_after_eight_idle_hours(client, alice):
    start = timezone.now()
    url = reverse("contracts:list")
    with time_machine.travel(start, tick=False) as clock:
        client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
        for seconds in range(0, 600, 20):  # ten busy minutes
            clock.move_to(start + dt.timedelta(seconds=seconds))
            assert client.get(url).status_code == 200
        last_request = start + dt.timedelta(seconds=580)
        clock.move_to(last_request + dt.timedelta(hours=7, minutes=58))
        assert client.get(url).status_code == 200  # within eight idle hours (less the minute)
        clock.move_to(last_request + dt.timedelta(hours=7, minutes=58) + dt.timedelta(hours=8, seconds=1))
        assert client.get(url).status_code == 302  # eight hours without a request: signed out


def test_a_page_that_changes_nothing_reads_the_session_from_the_cache(client, alice, session_engine):
    client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
    client.get(reverse("contracts:list"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("contracts:list")).status_code == 200
    session_queries = [q for q in queries if "django_session" in q["sql"]]
    assert len(session_queries) == (1 if session_engine == "db" else 0)
