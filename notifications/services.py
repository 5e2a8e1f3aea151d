from notifications.models import Heartbeat


def heartbeat_record(*, source: str) -> Heartbeat:
    return Heartbeat.objects.create(source=source)
