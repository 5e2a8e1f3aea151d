"""The daily e-mail digest: one e-mail per person a day listing their new notifications, for everyone
who has not chosen an e-mail for each notification as it happens (`models.EmailSetting`)."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone

from notifications.models import DigestSent, EmailSetting, Notification, NotificationPreference
from notifications.services import JobProgress, is_local_path

logger = logging.getLogger(__name__)

# A digest lists what came since the last one; a day or two missed (an outage) still reaches it.
DIGEST_LOOKBACK = timedelta(days=3)


def _waiting(*, now: datetime):
    """Notifications a digest still has to tell: not e-mailed, not opted out of, not read or done in
    the app already, for an active person with an address who did not choose each one at once."""
    opted_out = NotificationPreference.objects.filter(user=OuterRef("recipient"), kind=OuterRef("kind"), email=False)
    each = EmailSetting.objects.filter(user=OuterRef("recipient"), delivery=EmailSetting.Delivery.EACH)
    return (
        Notification.objects.filter(
            emailed_at__isnull=True,
            read_at__isnull=True,
            resolved_at__isnull=True,
            created_at__gte=now - DIGEST_LOOKBACK,
            created_at__lte=now,
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .exclude(Exists(opted_out))
        .exclude(Exists(each))
    )


def notifications_digest_send(*, today: date, progress: JobProgress | None = None) -> int:
    """Send each person today's digest, once: run twice, late, or by several workers at once, the
    ledger's unique (person, day) row lets one of them send it. Returns how many digests went."""
    progress = progress or JobProgress()
    now = timezone.now()
    sent = 0
    for recipient_id in _waiting(now=now).order_by().values_list("recipient_id", flat=True).distinct():
        if _digest_send(recipient_id=recipient_id, day=today, now=now):
            sent += 1
    progress.sent += sent
    return sent


def _digest_send(*, recipient_id: int, day: date, now: datetime) -> bool:
    with transaction.atomic():
        try:
            # Only the ledger insert may mean "already sent"; a worker sending the same digest right
            # now holds this row until it commits, and a rolled-back send frees it again.
            with transaction.atomic():
                ledger = DigestSent.objects.create(recipient_id=recipient_id, day=day)
        except IntegrityError:
            return False
        notifications = list(
            _waiting(now=now)
            .filter(recipient_id=recipient_id)
            .select_related("recipient")
            .select_for_update(of=("self",))
            .order_by("created_at", "pk")
        )
        if not notifications:
            transaction.set_rollback(True)
            return False
        recipient = notifications[0].recipient
        for notification in notifications:
            # The template prefixes SITE_URL: only a path on this site makes a link.
            notification.link = notification.url if is_local_path(notification.url) else ""
        tasks = [n for n in notifications if n.is_task]
        information = [n for n in notifications if not n.is_task]
        context = {
            "recipient": recipient,
            "tasks": tasks,
            "information": information,
            "site_url": settings.SITE_URL,
        }
        count = len(notifications)
        try:
            send_mail(
                subject=f"[Contract register] {count} new notification{'s' if count != 1 else ''}",
                message=render_to_string("notifications/email/digest.txt", context),
                from_email=None,
                recipient_list=[recipient.email],
            )
        except Exception:
            # Nothing recorded: the next run (the catch-up re-runs a failed job) tries again.
            logger.exception("The digest for user %s could not be sent", recipient_id)
            transaction.set_rollback(True)
            return False
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())
        ledger.notifications = count
        ledger.save(update_fields=["notifications"])
    return True
