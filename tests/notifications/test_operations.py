"""The Operations page: for administrators only, every scheduled job with its last run, what it sent,
failures and lateness, at a fixed number of queries; schedules read as words."""

import datetime
from datetime import timedelta

import pytest
import time_machine
from celery.schedules import crontab
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Heartbeat, JobRun
from notifications.selectors import schedule_in_words
from notifications.services import job_run
from tests.notifications.test_notifications import DUE, _remind

SCHEDULE = {
    "heartbeat": {"task": "notifications.tasks.heartbeat", "schedule": crontab(minute="*/5")},
    "meeting-lead-time-reminders": {
        "task": "meetings.tasks.send_meeting_lead_time_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "kraljic-review": {
        "task": "contracts.tasks.open_review_round",
        "schedule": crontab(hour=7, minute=0, day_of_month=1, month_of_year="1,7"),
    },
}


@pytest.fixture
def schedule(settings):
    settings.CELERY_BEAT_SCHEDULE = dict(SCHEDULE)
    return settings.CELERY_BEAT_SCHEDULE


@pytest.mark.parametrize("persona", ["alice", "priya", "sam"], indirect=True)
def test_operations_are_for_administrators_only(client, persona):
    client.force_login(persona)
    response = client.get(reverse("notifications:operations"))
    assert response.status_code == 403
    assert 'href="/notifications/operations/"' not in client.get(reverse("contracts:list")).content.decode()


def test_operations_lists_every_job_in_the_real_schedule(client, admin_user, settings):
    client.force_login(admin_user)
    response = client.get(reverse("notifications:operations"))
    assert response.status_code == 200
    page = response.content.decode()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert name in page and entry["task"] in page
    assert 'href="/notifications/operations/"' in page  # the navbar link, for administrators


def test_operations_shows_the_last_run_and_what_it_sent(client, admin_user, alice, contract, schedule):
    with (
        time_machine.travel(datetime.datetime(2026, 11, 24, 7, 0, tzinfo=datetime.UTC)),
        job_run("meeting-lead-time-reminders") as progress,
    ):
        progress.count(None)
    with time_machine.travel(datetime.datetime(2026, 11, 25, 7, 0, 5, tzinfo=datetime.UTC)):
        with job_run("meeting-lead-time-reminders") as progress:
            progress.count(_remind(alice, contract))
            progress.count(_remind(alice, contract, due_date=DUE + timedelta(days=1)))
            progress.count(_remind(alice, contract))  # already sent: not counted
        Heartbeat.objects.create(source="beat")

    client.force_login(admin_user)
    with time_machine.travel(datetime.datetime(2026, 11, 25, 7, 5, tzinfo=datetime.UTC)):
        response = client.get(reverse("notifications:operations"))
    job = next(j for j in response.context["jobs"] if j.name == "meeting-lead-time-reminders")
    assert job.last_run.notifications_sent == 2
    assert job.last_run.outcome == JobRun.Outcome.OK
    assert job.schedule == "daily at 07:00"
    assert job.warnings == []
    page = response.content.decode()
    row = page[page.index('id="job-meeting-lead-time-reminders"') :]
    row = row[: row.index("</tr>")]
    assert "25 Nov 2026 07:00" in row and "Succeeded" in row and '<td class="numeric">2</td>' in row
    assert "Every job ran on time." in page  # the Kraljic job has never run, but it is not a daily job
    assert "every 5 minutes" in page and "at 07:00 on 1 January and July" in page
    assert response.context["heartbeat_warning"] == ""


def test_operations_shows_a_failed_run(client, admin_user, schedule):
    with pytest.raises(ZeroDivisionError), job_run("meeting-lead-time-reminders"):
        1 / 0  # noqa: B018
    client.force_login(admin_user)
    page = client.get(reverse("notifications:operations")).content.decode()
    row = page[page.index('id="job-meeting-lead-time-reminders"') :]
    row = row[: row.index("</tr>")]
    assert "Failed" in row
    assert "ZeroDivisionError: division by zero" in row
    assert "The last run failed." in row


def test_operations_warns_when_a_daily_job_or_the_heartbeat_is_late(client, admin_user, schedule):
    with time_machine.travel(datetime.datetime(2026, 11, 24, 5, 0, tzinfo=datetime.UTC)):
        with job_run("meeting-lead-time-reminders"):
            pass
        Heartbeat.objects.create(source="beat")
    client.force_login(admin_user)
    with time_machine.travel(datetime.datetime(2026, 11, 25, 7, 30, tzinfo=datetime.UTC)):
        response = client.get(reverse("notifications:operations"))
    page = response.content.decode()
    job = next(j for j in response.context["jobs"] if j.name == "meeting-lead-time-reminders")
    assert job.warnings == ["Has not run in the last 26 hours."]
    assert "No heartbeat in the last 15 minutes" in page
    assert "2 jobs need attention" in page  # the lead-time job and the heartbeat

    with time_machine.travel(datetime.datetime(2026, 11, 25, 7, 30, tzinfo=datetime.UTC)):
        Heartbeat.objects.create(source="beat")
        response = client.get(reverse("notifications:operations"))
    assert response.context["heartbeat_warning"] == ""


def test_operations_queries_do_not_grow_with_jobs_or_runs(client, admin_user, settings, django_assert_max_num_queries):
    client.force_login(admin_user)
    settings.CELERY_BEAT_SCHEDULE = {"heartbeat": SCHEDULE["heartbeat"], "one": SCHEDULE["meeting-lead-time-reminders"]}
    with job_run("one"):
        pass
    with django_assert_max_num_queries(9):
        few = client.get(reverse("notifications:operations"))
    assert few.status_code == 200

    settings.CELERY_BEAT_SCHEDULE = {
        "heartbeat": SCHEDULE["heartbeat"],
        **{f"job-{n}": SCHEDULE["meeting-lead-time-reminders"] for n in range(30)},
    }
    for n in range(30):
        for _ in range(5):
            with job_run(f"job-{n}") as progress:
                progress.sent = n
    with CaptureQueriesContext(connection) as captured, django_assert_max_num_queries(9):
        many = client.get(reverse("notifications:operations"))
    assert len(many.context["jobs"]) == 31
    assert next(j for j in many.context["jobs"] if j.name == "job-29").last_run.notifications_sent == 29
    assert len([q for q in captured.captured_queries if "notifications_jobrun" in q["sql"]]) == 1


@pytest.mark.parametrize(
    ("schedule_", "words"),
    [
        (crontab(hour=7, minute=0), "daily at 07:00"),
        (crontab(minute="*/5"), "every 5 minutes"),
        (crontab(minute=0), "hourly"),
        (crontab(hour=7, minute=30, day_of_week="mon-fri"), "at 07:30 on weekdays"),
        (crontab(hour=7, minute=0, day_of_week=1), "at 07:00 every Monday"),
        (crontab(hour=7, minute=0, day_of_month=1, month_of_year="1,7"), "at 07:00 on 1 January and July"),
        (timedelta(minutes=5), "every 5 minutes"),
        (timedelta(days=1), "every day"),
        (30, "every 30 seconds"),
        (30.0, "every 30 seconds"),
    ],
)
def test_schedules_read_as_words(schedule_, words):
    assert schedule_in_words(schedule_) == words


def test_an_unusual_crontab_falls_back_to_its_own_notation():
    assert "(m/h/dM/MY/d)" in schedule_in_words(crontab(minute="*/10", hour="8-17"))
