"""Finding 2 of issue 14: the calendar feed is scoped like every other read, never cached by a
shared cache, and its token (the key to it) never written to the logs."""

import datetime as dt
import io
import logging.config
from types import SimpleNamespace

import pytest
from django.urls import reverse
from icalendar import Calendar

from config.logging import logging_config
from contracts import services
from meetings.services import calendar_feed_renew
from tests.meeting_factories import MeetingFactory


def _uids(content: bytes) -> list[str]:
    return [str(e["uid"]) for e in Calendar.from_ical(content).walk("VEVENT")]


def test_feed_drops_the_meeting_once_the_contract_has_a_new_oco(client, alice, bob, priya, contract):
    meeting = MeetingFactory(contract=contract, attendees=[alice], agenda="Price review")
    feed = calendar_feed_renew(user=alice)
    assert _uids(client.get(feed.get_absolute_url()).content) == [f"meeting-{meeting.pk}@contract-register"]

    contract.oco = bob
    services.contract_save(contract=contract, by=priya)

    response = client.get(feed.get_absolute_url())
    assert response.status_code == 200
    assert _uids(response.content) == []
    assert b"Price review" not in response.content
    bob_feed = calendar_feed_renew(user=bob)
    assert _uids(client.get(bob_feed.get_absolute_url()).content) == [f"meeting-{meeting.pk}@contract-register"]


def test_feed_is_never_kept_by_a_shared_cache(client, alice, contract):
    feed = calendar_feed_renew(user=alice)
    assert client.get(feed.get_absolute_url())["Cache-Control"] == "private, no-store"


@pytest.fixture
def production_log():
    """The production logging configuration (JSON lines, the request log on), written to a buffer;
    the loggers it changes are put back afterwards."""
    names = ["", "config.requests", "django", "django.server"]
    saved = {name: (lg.level, lg.propagate, list(lg.handlers)) for name in names for lg in [logging.getLogger(name)]}
    buffer = io.StringIO()
    config = logging_config(log_format="json", level="INFO")
    config["handlers"]["console"]["stream"] = buffer
    logging.config.dictConfig(config)
    yield buffer
    for name, (level, propagate, handlers) in saved.items():
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.propagate = propagate
        logger.handlers[:] = handlers


def test_feed_token_is_never_written_to_the_logs(client, alice, contract, production_log):
    feed = calendar_feed_renew(user=alice)
    assert client.get(feed.get_absolute_url()).status_code == 200
    assert client.get(reverse("meetings:feed", args=["a-token-that-was-revoked"])).status_code == 404
    logged = production_log.getvalue()
    assert '"path": "/meetings/calendar/[token].ics"' in logged  # the request log still has its line
    assert "Not Found: /meetings/calendar/[token].ics" in logged
    assert feed.token not in logged
    assert "a-token-that-was-revoked" not in logged


def test_gunicorn_access_log_leaves_the_token_out():
    from gunicorn.config import Config

    from config.gunicorn_logging import RedactingLogger

    path = "/meetings/calendar/s3cr3t-T0KEN.ics"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://example.org" + path,
    }
    atoms = RedactingLogger(Config()).atoms(
        SimpleNamespace(status="200 OK", headers=[], sent=10), SimpleNamespace(headers=[]), environ, dt.timedelta(0)
    )
    assert atoms["r"] == "GET /meetings/calendar/[token].ics HTTP/1.1"
    assert "s3cr3t-T0KEN" not in str(atoms)
