from django.db import models


class Heartbeat(models.Model):
    """Written by the Celery worker when beat (or anyone) sends the heartbeat task.

    The newest row tells an administrator that broker, worker and database
    are talking to each other.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    source = models.CharField(max_length=100, default="beat")

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"Heartbeat from {self.source} at {self.created_at:%d/%m/%Y %H:%M}"
