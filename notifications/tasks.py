from celery import shared_task
from django.utils import timezone

from notifications import services


@shared_task
def heartbeat(source: str = "beat") -> int:
    return services.heartbeat_record(source=source).pk


@shared_task
def catch_up() -> int:
    """Every 10 minutes: what a broker or worker outage left undone (config/settings.py)."""
    with services.job_run("catch-up") as progress:
        services.catch_up(now=timezone.now(), progress=progress)
    return progress.sent
