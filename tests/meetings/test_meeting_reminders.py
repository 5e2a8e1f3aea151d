"""Meeting reminders: the right people, on the right days, exactly once."""

import datetime as dt
import time
from datetime import date

import pytest
import time_machine
from celery.beat import EmbeddedService
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery import app
from meetings import services, tasks
from meetings.schedule import Cadence
from notifications.models import JobRun, Kind, Notification, ReminderLedger
from tests import factories
from tests.concurrency import four_at_once
from tests.meeting_factories import ActionFactory, MeetingFactory


def at(day: date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def annual_contract(alice, priya):
    """Annual cadence; last held meeting 30 Jun 2026, so the next is due 30 Jun 2027
    and must be arranged by 30 Dec 2026."""
    contract = factories.ContractFactory(reference="CON-ANNUAL", oco=alice, start_date=date(2024, 1, 1))
    services.meeting_plan_set(contract=contract, cadence=Cadence.ANNUAL, by=priya)
    with time_machine.travel(at(date(2026, 1, 1)), tick=False):
        MeetingFactory(contract=contract, starts_at=at(date(2026, 6, 30)), arranged_on=date(2025, 12, 1))
    contract.meetings.update(status="held")
    return contract


def kinds_sent(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("created_at", "pk").values_list("kind", flat=True))


def run_lead_time_job(day: date):
    with time_machine.travel(at(day, 7), tick=False):
        return tasks.send_meeting_lead_time_reminders()


@pytest.mark.parametrize(
    ("day", "oco_kinds", "flagged"),
    [
        (date(2026, 12, 15), [], False),  # 15 days before the arrange-by date: nothing yet
        (date(2026, 12, 16), [Kind.MEETING_ARRANGE_SOON], False),  # 14 days before
        (date(2026, 12, 30), [Kind.MEETING_ARRANGE_TODAY], False),  # on the day
        (date(2026, 12, 31), [Kind.MEETING_ARRANGE_OVERDUE], True),  # passed: OCO, and Procurement flagged
    ],
)
def test_lead_time_reminders_fall_on_the_right_days(annual_contract, alice, priya, day, oco_kinds, flagged, mailoutbox):
    run_lead_time_job(day)
    assert kinds_sent(alice) == oco_kinds
    assert kinds_sent(priya) == ([Kind.MEETING_ARRANGE_FLAG] if flagged else [])


def test_after_the_arrange_by_date_the_oco_is_reminded_weekly(annual_contract, alice, priya):
    for day in range(31):  # every day from 31 Dec 2026 for a month
        run_lead_time_job(date(2026, 12, 31) + dt.timedelta(days=day))
    assert kinds_sent(alice).count(Kind.MEETING_ARRANGE_OVERDUE) == 5  # days 0, 7, 14, 21, 28
    assert kinds_sent(priya) == [Kind.MEETING_ARRANGE_FLAG]  # the Procurement Unit is flagged once


def test_arranging_the_meeting_stops_the_reminders(annual_contract, alice):
    with time_machine.travel(at(date(2026, 12, 20)), tick=False):
        MeetingFactory(contract=annual_contract, starts_at=at(date(2027, 6, 15)), arranged_on=date(2026, 12, 20))
    run_lead_time_job(date(2026, 12, 31))
    assert kinds_sent(alice) == []


def test_a_missed_run_is_caught_up_by_the_next(annual_contract, alice):
    # Beat was down from 16 to 29 Dec: the first run after the window opened still reminds.
    run_lead_time_job(date(2026, 12, 29))
    assert kinds_sent(alice) == [Kind.MEETING_ARRANGE_SOON]


def test_each_reminder_job_run_twice_on_a_day_sends_once(
    annual_contract, alice, priya, sam, mailoutbox, django_capture_on_commit_callbacks, emails_each
):
    emails_each(alice, priya, sam)
    with time_machine.travel(at(date(2026, 12, 31)), tick=False):
        # A virtual meeting: it does not arrange the face-to-face one, so the lead-time job still reminds.
        upcoming = MeetingFactory(
            contract=annual_contract,
            kind="virtual",
            starts_at=at(date(2027, 1, 1), 14),
            arranged_on=date(2026, 6, 1),
            attendees=[alice, sam],
        )
    ActionFactory(meeting=upcoming, owner=sam, due_date=date(2027, 1, 5))
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            run_lead_time_job(date(2026, 12, 31))
            with time_machine.travel(at(date(2026, 12, 31), 7), tick=False):
                tasks.send_meeting_reminders()
    assert sorted(kinds_sent(alice)) == sorted([Kind.MEETING_ARRANGE_OVERDUE, Kind.MEETING_UPCOMING])
    assert kinds_sent(sam) == [Kind.MEETING_UPCOMING]
    assert kinds_sent(priya) == [Kind.MEETING_ARRANGE_FLAG]
    assert len(mailoutbox) == Notification.objects.count() == 4
    runs = JobRun.objects.filter(job="meeting-lead-time-reminders").order_by("pk")  # same pinned clock
    assert [(r.outcome, r.notifications_sent) for r in runs] == [("ok", 2), ("ok", 0)]


def test_upcoming_reminders_a_week_and_a_day_before(annual_contract, alice):
    with time_machine.travel(at(date(2027, 1, 1)), tick=False):
        MeetingFactory(
            contract=annual_contract, starts_at=at(date(2027, 1, 20)), arranged_on=date(2026, 7, 1), attendees=[alice]
        )
    for day in range(1, 20):
        with time_machine.travel(at(date(2027, 1, day), 7), tick=False):
            services.meeting_upcoming_reminders_send(today=timezone.localdate())
    titles = list(Notification.objects.filter(recipient=alice).order_by("pk").values_list("title", flat=True))
    assert len(titles) == 2
    assert titles[0].endswith("on 20 Jan 2027") and titles[1].endswith("tomorrow")


def test_overdue_actions_and_missing_minutes(annual_contract, alice, sam):
    meeting = annual_contract.meetings.get()
    ActionFactory(meeting=meeting, owner=sam, due_date=date(2026, 7, 10))
    ActionFactory(meeting=meeting, owner=sam, due_date=date(2026, 7, 10), done_on=date(2026, 7, 9))
    # Held on Tue 30 Jun 2026: five working days later is Tue 7 Jul.
    with time_machine.travel(at(date(2026, 7, 6)), tick=False):
        services.minutes_missing_send(today=date(2026, 7, 6))
    assert kinds_sent(alice) == []
    with time_machine.travel(at(date(2026, 7, 7)), tick=False):
        services.minutes_missing_send(today=date(2026, 7, 7))
        services.actions_overdue_send(today=date(2026, 7, 11))
    assert kinds_sent(alice) == [Kind.MINUTES_MISSING]
    assert kinds_sent(sam) == [Kind.ACTION_OVERDUE]


@pytest.mark.django_db(transaction=True)
def test_four_workers_at_once_send_each_reminder_once(alice, priya, mailoutbox, emails_each):
    emails_each(alice, priya)
    contract = factories.ContractFactory(reference="CON-RACE", oco=alice, start_date=date(2024, 1, 1))
    services.meeting_plan_set(contract=contract, cadence=Cadence.QUARTERLY, by=priya)
    four_at_once(lambda: services.meeting_lead_time_reminders_send(today=date(2026, 12, 31)))
    assert kinds_sent(alice) == [Kind.MEETING_ARRANGE_OVERDUE]
    assert kinds_sent(priya) == [Kind.MEETING_ARRANGE_FLAG]
    assert ReminderLedger.objects.count() == 2
    assert len(mailoutbox) == 2


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_beat_and_a_real_worker_deliver_a_reminder(alice, priya, tmp_path):
    """Beat fires the lead-time job within seconds; the worker consumes it from the broker
    (Redis in CI) and writes the OCO's notification to the database."""
    contract = factories.ContractFactory(reference="CON-E2E", oco=alice, start_date=date(2020, 1, 1))
    services.meeting_plan_set(contract=contract, cadence=Cadence.QUARTERLY, by=priya)
    original = app.conf.beat_schedule
    app.conf.beat_schedule = {
        "meeting-lead-time-reminders": {"task": "meetings.tasks.send_meeting_lead_time_reminders", "schedule": 1.0}
    }
    beat = EmbeddedService(app, thread=True, schedule_filename=str(tmp_path / "beat-schedule"))
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            beat.start()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not Notification.objects.filter(recipient=alice).exists():
                time.sleep(0.2)
            beat.stop()
    finally:
        app.conf.beat_schedule = original
    notification = Notification.objects.get(recipient=alice)
    assert notification.kind == Kind.MEETING_ARRANGE_OVERDUE
    assert "CON-E2E" in notification.title
    assert JobRun.objects.filter(job="meeting-lead-time-reminders", outcome="ok").exists()
