"""Faults, with real servers and real workers: Redis stopped while people work, and a worker killed
in the middle of a reminder job. In both, nothing is lost and no reminder is sent twice."""

import logging
import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from celery.beat import EmbeddedService
from celery.contrib.testing.worker import start_worker
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from redis import StrictRedis

from config.celery import app
from contracts import services
from contracts.models import Contract, Escalation
from exchange.models import ImportJob
from notifications.models import JobRun, Kind, Notification, ReminderLedger
from notifications.queue import enqueue
from notifications.services import jobs_missed
from tests import factories
from tests.brokers import REDIS_SERVER, celery_broker, redis_server
from tests.exchange.test_imports import _csv, _row

pytestmark = [
    pytest.mark.celery,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed: these tests start their own"),
]

BASE_DIR = Path(settings.BASE_DIR)
EXPIRY_JOB = "contract-expiry-alerts"


def wait_for(condition, timeout: float = 30.0, what: str = "the workers", every: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out waiting for {what}.")
        time.sleep(every)


def expiring_contracts(count: int, *, oco, sro, by) -> list[Contract]:
    """Active contracts ending in 20 days: each owes its OCO, its SRO and the Procurement Unit an
    end-date alert today (their notice dates have passed, which alerts nobody)."""
    today = timezone.localdate()
    return [
        services.contract_save(
            contract=factories.ContractFactory(
                oco=oco, sro=sro, start_date=today - timedelta(days=400), end_date=today + timedelta(days=20)
            ),
            by=by,
        )
        for _ in range(count)
    ]


def sent_once(expected: int) -> None:
    """Each reminder exactly once: one ledger row, one notification, no two alike."""
    ledger = list(ReminderLedger.objects.values_list("recipient", "kind", "subject_id", "due_date"))
    assert len(ledger) == len(set(ledger)) == expected
    notifications = list(Notification.objects.exclude(kind=Kind.ESCALATION).values_list("recipient", "title"))
    assert len(notifications) == len(set(notifications)) == expected
    assert not ReminderLedger.objects.filter(notification__isnull=True).exists()


@pytest.fixture
def queue_log():
    """What notifications.queue logs. Its own handler and level: an in-thread worker (an earlier
    test's) leaves the root logger without handlers and at level ERROR."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(level=logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger("notifications.queue")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    yield records
    logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.fixture
def beat_every_second(tmp_path):
    """Beat, in a thread, sending the catch-up job every second (every 10 minutes in production)."""
    original = app.conf.beat_schedule
    app.conf.beat_schedule = {"catch-up": {"task": "notifications.tasks.catch_up", "schedule": 1.0}}
    beat = EmbeddedService(app, thread=True, schedule_filename=str(tmp_path / "beat-schedule"))
    yield beat
    if beat.is_alive():
        beat.stop()
    app.conf.beat_schedule = original


@pytest.fixture
def expiry_job_an_hour_ago(settings):
    """The expiry alerts' daily time set to the last whole hour but one, so that it passed over a quarter
    of an hour ago, within the day, whatever the time of day the test runs (at its real 06:45 the
    catch-up would rightly not count it as missed until 07:00)."""
    hour = (timezone.localtime() - timedelta(hours=1)).hour
    settings.CELERY_BEAT_SCHEDULE = {
        **settings.CELERY_BEAT_SCHEDULE,
        EXPIRY_JOB: {**settings.CELERY_BEAT_SCHEDULE[EXPIRY_JOB], "schedule": crontab(hour=hour, minute=0)},
    }


def test_redis_stopped_pages_work_and_the_waiting_work_runs_once_when_it_is_back(
    client, tmp_path, priya, alice, sam, admin_user, queue_log, beat_every_second, emails_each, expiry_job_an_hour_ago
):
    emails_each(priya, alice, sam)  # each e-mail as it happens, not a daily digest: counted below
    contracts = expiring_contracts(2, oco=alice, sro=sam, by=priya)
    contract = contracts[0]
    # The other daily jobs ran today; the expiry alerts' time passed while Redis was down.
    now = timezone.now()
    for name in jobs_missed(now=now):
        if name != EXPIRY_JOB:
            JobRun.objects.create(job=name, started_at=now, finished_at=now, outcome=JobRun.Outcome.OK)
    factories.CategoryFactory(name="ICT")

    with redis_server(tmp_path) as redis, celery_broker(redis.url):
        beat_every_second.start()
        redis.stop()
        assert EXPIRY_JOB in jobs_missed(now=timezone.now())
        assert enqueue("contracts.tasks.send_expiry_alerts") is False  # refused, and nothing raised

        # A page that queues work answers at once and keeps the work, marked as waiting.
        client.force_login(priya)
        started = time.monotonic()
        response = client.post(reverse("imports:start"), {"file": SimpleUploadedFile("c.csv", _csv([_row(1)]))})
        assert response.status_code == 302
        assert time.monotonic() - started < 5
        job = ImportJob.objects.get()
        assert job.status == ImportJob.Status.PENDING and job.waiting_since is not None
        assert Path(job.file.path).exists()
        assert [r.getMessage().split(" (")[0] for r in queue_log] == [
            "Task contracts.tasks.send_expiry_alerts could not be queued",
            "Task contracts.tasks.run_import_job could not be queued",
        ]
        page = client.get(job.get_absolute_url()).content.decode()
        assert "The task queue cannot be reached just now. Your file is saved" in page

        # Everything else works as usual, writes included (notifications go without the broker).
        for url in [
            reverse("home"),
            reverse("dashboard:procurement"),
            reverse("contracts:list"),
            contract.get_absolute_url(),
            reverse("contracts:edit", args=[contract.pk]),
            reverse("contracts:history", args=[contract.pk]),
            reverse("suppliers:list"),
            reverse("meetings:contract", args=[contract.pk]),
            reverse("lifecycle:renewals"),
            reverse("notifications:list"),
            reverse("imports:start"),
        ]:
            assert client.get(url, follow=True).status_code == 200, url
        # The health check tells the load balancer and the operations team what is down.
        health = client.get(reverse("healthz"))
        assert health.status_code == 503 and health.json()["broker"] == "unreachable"
        data = {"source": "significant_performance_issue", "severity": "medium", "title": "Late", "details": "x"}
        assert client.post(reverse("escalations:raise", args=[contract.pk]), data).status_code == 302
        assert Escalation.objects.filter(contract=contract).exists()
        assert Notification.objects.filter(kind=Kind.ESCALATION).exists()
        client.force_login(admin_user)
        assert client.get(reverse("notifications:operations")).status_code == 200
        escalation_mail = len(mail.outbox)
        assert not JobRun.objects.filter(job="catch-up").exists()  # beat kept trying, in vain

        # Redis is back, empty (it kept nothing on disk); the outage lasted a quarter of an hour.
        redis.start()
        ImportJob.objects.update(waiting_since=F("waiting_since") - timedelta(minutes=15))
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            # Beat's next catch-up queues the missed job and the waiting import; the ones after it,
            # and any second run of the job they cause, send nothing more.
            wait_for(
                lambda: (
                    ImportJob.objects.get().status == ImportJob.Status.PREVIEWED
                    and JobRun.objects.filter(job=EXPIRY_JOB, outcome=JobRun.Outcome.OK).exists()
                    and JobRun.objects.filter(job="catch-up", detail="").exists()
                ),
                what="the catch-up",
            )
            beat_every_second.stop()  # then let the worker finish what beat sent
            queue = StrictRedis(port=redis.port)
            wait_for(lambda: queue.llen("celery") == 0 and not queue.hlen("unacked"), what="the queue to drain")

    job = ImportJob.objects.get()
    assert (job.waiting_since, job.new_count, job.error_count) == (None, 1, 0)
    details = set(JobRun.objects.filter(job="catch-up").values_list("detail", flat=True))
    assert details == {"Queued the jobs that missed their time: contract-expiry-alerts.", ""}
    runs = JobRun.objects.filter(job=EXPIRY_JOB)
    assert {run.outcome for run in runs} == {JobRun.Outcome.OK}
    assert sorted(run.notifications_sent for run in runs)[-1] == sum(run.notifications_sent for run in runs) == 6
    # Two contracts, three people each (OCO, SRO, Procurement Unit): six reminders, once each.
    sent_once(6)
    expiry_mail = [m for m in mail.outbox[escalation_mail:] if "end date in 20 days" in m.subject]
    assert len(expiry_mail) == len({(tuple(m.to), m.subject) for m in expiry_mail}) == 6


def _worker(log: Path, env: dict) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-l", "INFO"]
    command += ["--without-mingle", "--without-gossip", "--without-heartbeat"]
    with log.open("ab") as output:
        return subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603


def _stop(worker: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if worker.poll() is None:
        worker.send_signal(sig)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def test_a_worker_killed_in_the_middle_of_a_reminder_job_leaves_each_reminder_sent_once(
    tmp_path, priya, alice, sam, emails_each
):
    emails_each(alice, sam, priya)  # an e-mail per reminder, as it is sent (not the daily digest)
    contracts = expiring_contracts(12, oco=alice, sro=sam, by=priya)
    expected = 3 * len(contracts)
    mail_dir = tmp_path / "mail"
    db = connection.settings_dict
    with redis_server(tmp_path) as redis, celery_broker(redis.url):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings_worker",
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "CELERY_BROKER_URL": redis.url,
            "CELERY_VISIBILITY_TIMEOUT": "1",  # the killed worker's task comes back after a second
            "EMAIL_URL": "filemail://",
            "EMAIL_FILE_PATH": str(mail_dir),
        }
        first = _worker(tmp_path / "worker-1.log", {**env, "REMINDER_TEST_PAUSE_SECONDS": "0.3"})
        second = None
        try:
            assert enqueue("contracts.tasks.send_expiry_alerts")
            # Killed (no goodbye to the broker, no rollback of its own) after a few reminders and
            # their e-mails, while it pauses between two reminders.
            wait_for(
                lambda: Notification.objects.filter(emailed_at__isnull=False).count() >= 6, what="the first", every=0.02
            )
            _stop(first, signal.SIGKILL)
            done_before = ReminderLedger.objects.count()
            assert 6 <= done_before < expected
            assert JobRun.objects.get(job=EXPIRY_JOB).outcome == JobRun.Outcome.RUNNING  # it never finished

            second = _worker(tmp_path / "worker-2.log", env)
            wait_for(
                lambda: JobRun.objects.filter(job=EXPIRY_JOB, outcome=JobRun.Outcome.OK).exists(),
                what=f"the second worker (see {tmp_path}/worker-2.log)",
            )
        finally:
            _stop(first, signal.SIGKILL)
            if second is not None:
                _stop(second)

    sent_once(expected)
    ok = JobRun.objects.get(job=EXPIRY_JOB, outcome=JobRun.Outcome.OK)
    assert ok.notifications_sent == expected - done_before  # the second run sent only what was left
    # One e-mail per reminder (the file backend appends to a file the e-mails sent in one second).
    separator = "\n" + "-" * 79 + "\n"
    emails = [e for path in mail_dir.iterdir() for e in path.read_text().split(separator) if e.strip()]
    sent = [
        (re.search(r"^To: (.+)$", e, re.M).group(1), re.search(r"^Subject: (.+)$", e, re.M).group(1)) for e in emails
    ]
    assert len(sent) == len(set(sent)) == expected
    wanted = {
        (n.recipient.email, f"[Contract register] {n.title}") for n in Notification.objects.select_related("recipient")
    }
    assert set(sent) == wanted
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
