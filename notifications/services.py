"""Sending notifications: in the app, by e-mail, and reminders exactly once."""

from __future__ import annotations

import logging
import time
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from celery.schedules import crontab
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from notifications.models import (
    TASK_KINDS,
    TASKS_PER_PERIOD,
    EmailSetting,
    Heartbeat,
    JobRun,
    Kind,
    Notification,
    NotificationPreference,
    ReminderLedger,
    task_group,
)
from notifications.queue import enqueue
from notifications.selectors import RUN_STUCK_AFTER

if TYPE_CHECKING:
    # Annotations only: notifications sits beside accounts, not above it (the layers contract).
    from accounts.models import User

logger = logging.getLogger(__name__)


def heartbeat_record(*, source: str) -> Heartbeat:
    return Heartbeat.objects.create(source=source)


def wants_email(*, user: User, kind: str) -> bool:
    # A deactivated account (someone who has left the force) gets nothing by e-mail.
    if not user.email or not user.is_active:
        return False
    preference = NotificationPreference.objects.filter(user=user, kind=kind).first()
    return preference is None or preference.email


def emails_each(*, user: User) -> bool:
    """Whether the person chose an e-mail for each notification as it happens (else: a daily digest)."""
    return EmailSetting.objects.filter(user=user, delivery=EmailSetting.Delivery.EACH).exists()


def is_local_path(url: str) -> bool:
    """A path on this site: never another host, never a scheme such as javascript:."""
    return url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None)


def _email_send(notification_id: int) -> bool:
    """Runs after the notification's transaction commits: no e-mail for a rolled-back reminder.
    Also run by the catch-up for an e-mail that could not be sent (mail server down, worker killed).
    The row stays locked while the e-mail goes, so two senders never send it twice."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return False  # sent already, or being sent right now
        return _email_deliver(notification)


def _email_deliver(notification: Notification) -> bool:
    notification_id = notification.pk
    if not is_local_path(notification.url):
        # The template prefixes SITE_URL: only a path on this site makes a link (as in the open view).
        notification.url = ""
    context = {
        "notification": notification,
        "recipient": notification.recipient,
        "site_url": settings.SITE_URL,
    }
    try:
        send_mail(
            subject=f"[Contract register] {notification.title}",
            message=render_to_string("notifications/email/notification.txt", context),
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
    except Exception:
        # The in-app notification stands; a failed e-mail is logged, not fatal, and the catch-up
        # tries it again for a day.
        logger.exception("E-mail for notification %s could not be sent", notification_id)
        return False
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    return True


@transaction.atomic
def notify(
    *,
    recipient: User,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    subject: models.Model | None = None,
    due_on: date | None = None,
) -> Notification:
    """Notify someone in the app, and by e-mail unless they opted out of this kind: at once if they
    chose each notification as it happens, otherwise in their daily digest (`digest.notifications_digest_send`).

    A task (`models.TASK_KINDS`) needs its subject: the service that does the thing resolves it."""
    if kind in TASK_KINDS and subject is None:
        raise ValueError(f"A {kind} notification is a task: it needs the subject that resolves it.")
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        title=title,
        body=body,
        url=url,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=subject.pk if subject is not None else None,
        due_on=due_on,
    )
    if wants_email(user=recipient, kind=kind) and emails_each(user=recipient):
        transaction.on_commit(lambda: _email_send(notification.pk))
    return notification


@transaction.atomic
def tasks_resolve(*, subject: models.Model, kinds: Collection[str], due_date: date | None = None) -> int:
    """The thing these tasks asked for is done: close everyone's open tasks of these kinds about the
    subject (for a KPI result, only the reminders of that period: `due_date` is its start). Called by
    the service that does it, in its transaction. Returns how many closed."""
    if not set(kinds) <= TASK_KINDS:
        raise ValueError(f"Not tasks: {sorted(set(kinds) - TASK_KINDS)}")
    tasks = Notification.objects.about(subject).open_tasks().filter(kind__in=list(kinds))
    if due_date is not None:
        tasks = tasks.filter(ledger__due_date=due_date)
    now = timezone.now()
    return tasks.update(resolved_at=now, read_at=Coalesce("read_at", Value(now)))


def remind(
    *,
    recipient: User,
    kind: str,
    subject: models.Model,
    due_date: date,
    title: str,
    body: str = "",
    url: str = "",
    due_on: date | None = None,
) -> Notification | None:
    """Send a reminder once: the ledger row (recipient, kind, subject, due date) and the
    notification are written in one transaction. Returns None when it was already sent.
    `due_date` is the reminder's key (a period's start, a week); `due_on`, the day a task is due by,
    which the To do tab shows and marks overdue once passed."""
    if subject.pk is None:
        raise ValueError("A reminder needs a saved subject.")
    with transaction.atomic():
        try:
            # Only the ledger insert may mean "already sent": any other failure
            # (in notify, or at commit) must surface, not pass for a duplicate.
            with transaction.atomic():
                ledger = ReminderLedger.objects.create(
                    recipient=recipient,
                    kind=kind,
                    subject_type=ContentType.objects.get_for_model(subject),
                    subject_id=subject.pk,
                    due_date=due_date,
                )
        except IntegrityError:
            # Already sent, by an earlier run or by a worker running at the same moment.
            return None
        notification = notify(
            recipient=recipient, kind=kind, title=title, body=body, url=url, subject=subject, due_on=due_on
        )
        ledger.notification = notification
        ledger.save(update_fields=["notification"])
        if notification.is_task:
            _tasks_replace(notification, due_date=due_date)
    if pause := getattr(settings, "REMINDER_TEST_PAUSE_SECONDS", 0):
        # Only tests/settings_worker.py sets it: a reminder job slow enough to kill its worker half-way.
        time.sleep(pause)
    return notification


def tasks_resolve_answered(*, model: type[models.Model], kinds: Collection[str], answered: Q | Exists) -> int:
    """Each reminder job's sweep: close the open tasks of these kinds about rows of `model` that
    `answered` (a condition on the notification: its `subject_id`, its `ledger__due_date`) finds done
    some other way than through a service that resolves them (an import, an administrator, a job
    changing a status, or before tasks existed). Returns how many closed."""
    if not set(kinds) <= TASK_KINDS:
        raise ValueError(f"Not tasks: {sorted(set(kinds) - TASK_KINDS)}")
    tasks = Notification.objects.open_tasks().filter(
        answered, kind__in=list(kinds), subject_type=ContentType.objects.get_for_model(model)
    )
    now = timezone.now()
    return tasks.update(resolved_at=now, read_at=Coalesce("read_at", Value(now)))


def _tasks_replace(notification: Notification, *, due_date: date) -> None:
    """A newer reminder of the same thing replaces the recipient's open older ones: one task each."""
    older = (
        Notification.objects.for_user(notification.recipient_id)
        .about(notification.subject)
        .open_tasks()
        .filter(kind__in=list(task_group(notification.kind)))
        .exclude(pk=notification.pk)
    )
    if notification.kind in TASKS_PER_PERIOD:
        older = older.filter(ledger__due_date=due_date)
    older.update(resolved_at=timezone.now(), replaced=True)


@dataclass
class JobProgress:
    sent: int = 0
    detail: str = ""
    # What the job could not do this run (it tries again on a later run): the run "needs attention".
    failures: list[str] = field(default_factory=list)

    def count(self, notification: Notification | None) -> None:
        if notification is not None:
            self.sent += 1

    def fail(self, message: str) -> None:
        self.failures.append(message)


@contextmanager
def job_run(job: str) -> Iterator[JobProgress]:
    """Record a scheduled job's run (start, end, outcome, notifications sent)."""
    run = JobRun.objects.create(job=job, started_at=timezone.now())
    progress = JobProgress()
    try:
        yield progress
    except Exception as error:
        JobRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(),
            outcome=JobRun.Outcome.FAILED,
            notifications_sent=progress.sent,
            detail=f"{type(error).__name__}: {error}"[:2000],
        )
        raise
    detail = " ".join([progress.detail, *progress.failures]).strip()
    JobRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(),
        outcome=JobRun.Outcome.ATTENTION if progress.failures else JobRun.Outcome.OK,
        notifications_sent=progress.sent,
        detail=detail[:2000],
    )


@transaction.atomic
def notification_preferences_save(*, user: User, email: Mapping[str, bool]) -> None:
    """Record, per kind, whether the user wants notifications of that kind by e-mail."""
    unknown = set(email) - set(Kind.values)
    if unknown:
        raise ValueError(f"Unknown notification kinds: {sorted(unknown)}")
    for kind, wanted in email.items():
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": wanted})


@transaction.atomic
def email_delivery_save(*, user: User, delivery: str) -> EmailSetting:
    """A daily digest, or each notification as it happens."""
    if delivery not in EmailSetting.Delivery.values:
        raise ValueError(f"Unknown e-mail delivery: {delivery}")
    setting, _ = EmailSetting.objects.update_or_create(user=user, defaults={"delivery": delivery})
    return setting


@transaction.atomic
def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    """Mark some (or all) of a user's unread notifications read; returns how many."""
    unread = Notification.objects.for_user(user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def information_dismiss(*, user: User, ids: list[int] | None = None) -> int:
    """Dismiss some (or all) of a user's unread information (never a task: a task closes when it is
    done). Returns how many."""
    unread = Notification.objects.for_user(user).information().unread()
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


# Catch-up: what a broker or worker outage left undone. ---------------------------------------

# A job queued on time has had this long to start before the catch-up counts it as missed.
CATCH_UP_AFTER = timedelta(minutes=15)
# How far back the catch-up looks: a job runs once for today, whatever it missed before (every
# job is date-driven: one run catches up the days it missed).
CATCH_UP_WINDOW = timedelta(days=1)
# A notification whose e-mail could not be sent is tried again from this age until a day old.
EMAIL_RETRY_AFTER = timedelta(minutes=10)


def _latest_due(schedule: crontab, *, now: datetime) -> datetime | None:
    """The last time in the catch-up window at which beat should have sent the job, at least
    CATCH_UP_AFTER ago; None when there is none."""
    latest, after, limit = None, now - CATCH_UP_WINDOW, now - CATCH_UP_AFTER
    while True:
        start, delta, _ = schedule.remaining_delta(after)
        due = start + delta
        if due > limit:
            return latest
        latest = after = due


def _caught_up_entries() -> dict[str, dict]:
    """The scheduled jobs the catch-up watches: those beat sends at set hours (not the heartbeat,
    not the catch-up itself, which run every few minutes anyway)."""
    return {
        name: entry
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if isinstance(entry["schedule"], crontab) and len(entry["schedule"].hour) < 24
    }


def jobs_missed(*, now: datetime) -> list[str]:
    """The scheduled jobs whose time has passed in the last day without a run that succeeded since,
    or one still running (a run "running" for over an hour was killed): beat could not send them,
    or their message was lost."""
    entries = _caught_up_entries()
    runs = JobRun.objects.filter(job__in=list(entries), started_at__gte=now - CATCH_UP_WINDOW).filter(
        Q(outcome__in=[JobRun.Outcome.OK, JobRun.Outcome.ATTENTION])
        | Q(outcome=JobRun.Outcome.RUNNING, started_at__gte=now - RUN_STUCK_AFTER)
    )
    latest_run: dict[str, datetime] = {}
    for job, started_at in runs.values_list("job", "started_at"):
        latest_run[job] = max(started_at, latest_run.get(job, started_at))
    missed = []
    for name, entry in entries.items():
        due = _latest_due(entry["schedule"], now=now)
        if due is not None and (name not in latest_run or latest_run[name] < due):
            missed.append(name)
    return missed


def emails_unsent_send(*, now: datetime) -> int:
    """Send the e-mails of the last day's notifications that could not be sent (the mail server
    was down, or the worker was killed between the notification and its e-mail). Returns how many."""
    opted_out = NotificationPreference.objects.filter(user=OuterRef("recipient"), kind=OuterRef("kind"), email=False)
    unsent = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            created_at__gte=now - CATCH_UP_WINDOW,
            created_at__lte=now - EMAIL_RETRY_AFTER,
            recipient__is_active=True,
            # Only those sent one by one: a digest's notifications go in the next digest (the digest
            # job is caught up like any other job).
            recipient__email_setting__delivery=EmailSetting.Delivery.EACH,
        )
        .exclude(recipient__email="")
        .exclude(Exists(opted_out))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(_email_send(pk) for pk in unsent)


def catch_up(*, now: datetime, progress: JobProgress | None = None) -> list[str]:
    """Queue each scheduled job missed today, send the e-mails that could not be sent, and send
    the CATCH_UP_TASKS. Returns the jobs queued."""
    progress = progress or JobProgress()
    entries = settings.CELERY_BEAT_SCHEDULE
    queued = [
        name for name in jobs_missed(now=now) if enqueue(entries[name]["task"], options=entries[name].get("options"))
    ]
    emails = emails_unsent_send(now=now)
    for task in settings.CATCH_UP_TASKS:
        enqueue(task)
    done = []
    if queued:
        done.append("Queued the jobs that missed their time: " + ", ".join(queued) + ".")
    if emails:
        done.append(f"Sent {emails} e-mail{'s' if emails != 1 else ''} that could not be sent before.")
    progress.detail = " ".join(done)
    if done:
        logger.warning("Catch-up: %s", progress.detail)
    return queued


__all__ = [
    "Kind",
    "catch_up",
    "email_delivery_save",
    "emails_each",
    "emails_unsent_send",
    "heartbeat_record",
    "information_dismiss",
    "is_local_path",
    "job_run",
    "jobs_missed",
    "notification_preferences_save",
    "notifications_mark_read",
    "notify",
    "remind",
    "tasks_resolve",
    "tasks_resolve_answered",
    "wants_email",
]
