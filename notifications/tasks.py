from celery import shared_task
from django.utils import timezone

from notifications import digest, services


@shared_task
def heartbeat(source: str = "beat") -> int:
    return services.heartbeat_record(source=source).pk


@shared_task
def catch_up() -> int:
    """Every 10 minutes: what a broker or worker outage left undone (config/settings.py)."""
    with services.job_run("catch-up") as progress:
        services.catch_up(now=timezone.now(), progress=progress)
    return progress.sent


@shared_task
def send_digests() -> int:
    """Daily (config/settings.py): each person's e-mail digest of their new notifications."""
    with services.job_run("notification-digest") as progress:
        digest.notifications_digest_send(today=timezone.localdate(), progress=progress)
    return progress.sent
