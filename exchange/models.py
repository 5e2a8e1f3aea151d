"""The exchange's models: a spreadsheet import's job, and the API's tokens."""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse


def import_upload_to(instance, filename: str) -> str:
    # Random names, as for contract documents: nothing of the original name reaches the file system.
    return f"contract-imports/{uuid.uuid4().hex}"


class ImportJobQuerySet(models.QuerySet):
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
        # Moved from the contracts app with its table (exchange/migrations/0001_initial.py).
        db_table = "contracts_importjob"
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


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, *, now):
        """Not expired, and of an active user."""
        return self.filter(expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    """A key to the read-only API, kept only as its SHA-256 digest: the key itself is shown once, when the
    token is made (exchange.services.tokens). The first characters are kept too, to find the row."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What uses it, for example “Reporting system”.")
    prefix = models.CharField(max_length=8, db_index=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(help_text="The token stops working then.")
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["user", "name", "pk"]
        verbose_name = "API token"

    PREFIX_LENGTH = 8

    def __str__(self) -> str:
        return f"{self.name} ({self.user}, {self.prefix}…)"

    def set_new_key(self) -> str:
        """A new random key for this token (unsaved): returns the key, keeps its digest and first characters."""
        key = secrets.token_urlsafe(32)  # 43 characters, never 40 hexadecimal ones (an old key's shape)
        self.prefix, self.digest = key[: self.PREFIX_LENGTH], token_digest(key)
        return key
