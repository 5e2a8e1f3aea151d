import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse


def import_upload_to(instance, filename: str) -> str:
    # Random names, as for contract documents: nothing of the original name reaches the file system.
    return f"contract-imports/{uuid.uuid4().hex}"


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    def visible_to(self, user):
        """Someone sees the imports they started; administrators see every import."""
        if not user.is_authenticated:
            return self.none()
        if user.is_administrator:
            return self
        return self.filter(created_by=user)


class ImportJob(models.Model):
    """One spreadsheet upload: previewed (a dry run), then confirmed and imported all-or-nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", "Checking the file"
        PREVIEWED = "previewed", "Previewed"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    file = models.FileField(upload_to=import_upload_to, max_length=200)
    original_name = models.CharField(max_length=255)
    format = models.CharField(max_length=4, choices=Format.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs")
    new_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # [{"line": 7, "column": "end_date", "message": "..."}]; line 1 is the header.
    errors = models.JSONField(default=list, blank=True)
    # [{"line": 2, "reference": "...", "title": "...", "action": "new|update|skip"}], from the dry run.
    rows = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Set while its task is not yet with the broker (Redis was down when it was queued); cleared
    # when the broker takes it or a worker starts it. The catch-up job queues it again.
    waiting_since = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import of {self.original_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("imports:detail", args=[self.pk])

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def can_confirm(self) -> bool:
        return self.status == self.Status.PREVIEWED and self.error_count == 0 and self.progress_total > 0
