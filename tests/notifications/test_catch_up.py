"""The catch-up job's decisions: which scheduled jobs missed their time, which e-mails to send
again, which imports to queue again. (tests/system/test_faults.py runs it end to end with real servers.)"""

import datetime
import json
from datetime import timedelta

import pytest
import redis
import time_machine
from celery.schedules import crontab
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from exchange.models import ImportJob
from exchange.services import imports
from notifications.models import JobRun, Kind, Notification, NotificationPreference
from notifications.services import emails_unsent_send, jobs_missed, notify
from tests.brokers import REDIS_SERVER, celery_broker, free_port, redis_server
from tests.exchange.test_imports import _csv, _row

SCHEDULE = {
    "heartbeat": {"task": "notifications.tasks.heartbeat", "schedule": crontab(minute="*/5")},
    "catch-up": {"task": "notifications.tasks.catch_up", "schedule": crontab(minute="*/10")},
    "daily": {"task": "meetings.tasks.send_meeting_lead_time_reminders", "schedule": crontab(hour=7, minute=0)},
    "half-yearly": {
        "task": "contracts.tasks.open_kraljic_review_round",
        "schedule": crontab(hour=7, minute=0, day_of_month=1, month_of_year="1,7"),
    },
}


def at(text: str) -> datetime.datetime:
    """A moment in UK time (GMT in January)."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)


def run(job: str, started: str, outcome=JobRun.Outcome.OK) -> None:
    JobRun.objects.create(job=job, started_at=at(started), outcome=outcome)


def missed(now: str) -> list[str]:
    with time_machine.travel(at(now), tick=False):
        return jobs_missed(now=timezone.now())


@pytest.fixture
def schedule(settings, db):
    settings.CELERY_BEAT_SCHEDULE = SCHEDULE


def test_a_job_is_missed_once_its_time_has_passed_without_a_successful_run(schedule):
    assert missed("2027-01-01 07:10") == []  # 07:00 may still be starting; 31 Dec's was over a day ago
    assert missed("2027-01-01 07:20") == ["daily", "half-yearly"]  # the heartbeat and catch-up never are
    run("half-yearly", "2027-01-01 07:21")
    run("daily", "2027-01-01 07:21", outcome=JobRun.Outcome.FAILED)
    assert missed("2027-01-01 07:30") == ["daily"]  # a failed run is tried again
    run("daily", "2027-01-01 07:31", outcome=JobRun.Outcome.RUNNING)
    assert missed("2027-01-01 07:40") == []  # running: its worker may finish it
    assert missed("2027-01-01 08:40") == ["daily"]  # "running" for over an hour: the worker was killed
    run("daily", "2027-01-01 08:41")
    assert missed("2027-01-02 07:10") == []
    assert missed("2027-01-02 07:20") == ["daily"]  # the half-yearly job is not due again until July
    assert missed("2027-07-01 09:00") == ["daily", "half-yearly"]


@pytest.fixture
def down_mail(settings):
    """A mail server that refuses every connection."""
    settings.EMAIL_BACKEND = "tests.test_catch_up.RefusingEmailBackend"


class RefusingEmailBackend:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("The mail server is down")


def test_emails_that_could_not_be_sent_go_once_the_mail_server_is_back(
    alice, bob, sam, settings, mailoutbox, down_mail, django_capture_on_commit_callbacks, emails_each
):
    emails_each(alice, bob, sam)
    NotificationPreference.objects.create(user=bob, kind=Kind.GENERAL, email=False)
    with time_machine.travel(at("2027-01-04 09:00"), tick=False), django_capture_on_commit_callbacks(execute=True):
        for person in (alice, bob, sam):
            notify(recipient=person, kind=Kind.GENERAL, title="The mail server was down")
    with time_machine.travel(at("2027-01-03 09:00"), tick=False), django_capture_on_commit_callbacks(execute=True):
        notify(recipient=alice, kind=Kind.GENERAL, title="Over a day old")
    sam.is_active = False  # Sam has left the force since
    sam.save()
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert emails_unsent_send(now=at("2027-01-04 09:05")) == 0  # too soon: the first try may be under way
    assert emails_unsent_send(now=at("2027-01-04 09:10")) == 1
    assert [(m.to, m.subject) for m in mailoutbox] == [([alice.email], "[Contract register] The mail server was down")]
    assert emails_unsent_send(now=at("2027-01-04 09:20")) == 0
    assert len(mailoutbox) == 1


@pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed: the test starts its own")
@pytest.mark.django_db(transaction=True)
def test_an_import_left_waiting_by_the_broker_is_queued_again(priya, alice, tmp_path):
    with celery_broker(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
        job = imports.import_job_create(upload=SimpleUploadedFile("c.csv", _csv([_row(1)])), by=priya)
    job.refresh_from_db()
    waiting = job.waiting_since
    assert waiting is not None and job.status == ImportJob.Status.PENDING

    with redis_server(tmp_path) as server, celery_broker(server.url):
        assert imports.import_jobs_requeue_waiting(now=waiting + timedelta(minutes=1)) == 0  # not long enough
        assert imports.import_jobs_requeue_waiting(now=waiting + timedelta(minutes=3)) == 1
        job.refresh_from_db()
        assert job.waiting_since is None  # the broker took it
        (message,) = redis.Redis(port=server.port).lrange("celery", 0, -1)
        headers = json.loads(message)["headers"]
        assert (headers["task"], headers["argsrepr"]) == ("contracts.tasks.run_import_job", f"({job.pk},)")
        assert imports.import_jobs_requeue_waiting(now=waiting + timedelta(minutes=30)) == 0  # queued once
