from celery import shared_task

from notifications import services


@shared_task
def heartbeat(source: str = "beat") -> int:
    return services.heartbeat_record(source=source).pk
