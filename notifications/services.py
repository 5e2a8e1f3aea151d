"""Sending notifications: in the app, by e-mail, and reminders exactly once."""

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.models import User
from notifications.models import Heartbeat, JobRun, Kind, Notification, NotificationPreference, ReminderLedger

logger = logging.getLogger(__name__)


def heartbeat_record(*, source: str) -> Heartbeat:
    return Heartbeat.objects.create(source=source)


def wants_email(*, user: User, kind: str) -> bool:
    # A deactivated account (someone who has left the force) gets nothing by e-mail.
    if not user.email or not user.is_active:
        return False
    preference = NotificationPreference.objects.filter(user=user, kind=kind).first()
    return preference is None or preference.email


def is_local_path(url: str) -> bool:
    """A path on this site: never another host, never a scheme such as javascript:."""
    return url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None)


def _email_send(notification_id: int) -> None:
    """Runs after the notification's transaction commits: no e-mail for a rolled-back reminder."""
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
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
        # The in-app notification stands; a failed e-mail is logged, not fatal.
        logger.exception("E-mail for notification %s could not be sent", notification_id)
        return
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())


@transaction.atomic
def notify(*, recipient: User, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    """Notify someone in the app, and by e-mail unless they opted out of this kind."""
    notification = Notification.objects.create(recipient=recipient, kind=kind, title=title, body=body, url=url)
    if wants_email(user=recipient, kind=kind):
        transaction.on_commit(lambda: _email_send(notification.pk))
    return notification


def remind(
    *,
    recipient: User,
    kind: str,
    subject: models.Model,
    due_date: date,
    title: str,
    body: str = "",
    url: str = "",
) -> Notification | None:
    """Send a reminder once: the ledger row (recipient, kind, subject, due date) and the
    notification are written in one transaction. Returns None when it was already sent."""
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
        notification = notify(recipient=recipient, kind=kind, title=title, body=body, url=url)
        ledger.notification = notification
        ledger.save(update_fields=["notification"])
        return notification


@dataclass
class JobProgress:
    sent: int = 0
    detail: str = ""

    def count(self, notification: Notification | None) -> None:
        if notification is not None:
            self.sent += 1


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
    JobRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(),
        outcome=JobRun.Outcome.OK,
        notifications_sent=progress.sent,
        detail=progress.detail,
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
def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    """Mark some (or all) of a user's unread notifications read; returns how many."""
    unread = Notification.objects.for_user(user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


__all__ = [
    "Kind",
    "heartbeat_record",
    "is_local_path",
    "job_run",
    "notification_preferences_save",
    "notifications_mark_read",
    "notify",
    "remind",
    "wants_email",
]
