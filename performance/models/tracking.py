"""Milestones of a contract and the supplier's MI reports."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from contracts.models import Contract
from core.formatting import long_date
from core.history import HistoricalRecords


class Milestone(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        MET = "met", "Met"
        NOT_MET = "not_met", "Not met"
        PARTIALLY_MET = "partially_met", "Partially met"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=255)
    due_date = models.DateField()
    met_on = models.DateField("date met", null=True, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.SCHEDULED)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="milestones"
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.contract.reference}, due {long_date(self.due_date)})"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.SCHEDULED and self.due_date < timezone.localdate()

    def clean(self):
        if self.status == self.Status.MET and not self.met_on:
            raise ValidationError({"met_on": "Say when the milestone was met."})
        if self.met_on and self.met_on > timezone.localdate():
            raise ValidationError({"met_on": "A milestone cannot be met in the future."})


def mi_upload_to(instance, filename: str) -> str:
    return f"mi-reports/{uuid.uuid4().hex}"


class MiReport(models.Model):
    """A supplier's management-information report: expected by a date, received, evaluated."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="mi_reports")
    period_label = models.CharField("period", max_length=100, help_text="For example: July 2026, Q2 2026-27.")
    period_start = models.DateField()
    period_end = models.DateField()
    expected_by = models.DateField()
    received_on = models.DateField(null=True, blank=True)
    file = models.FileField(upload_to=mi_upload_to, max_length=200, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    evaluation = models.TextField(blank=True, help_text="What the OCO made of it.")
    issues_found = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start", "pk"]
        verbose_name = "MI report"
        verbose_name_plural = "MI reports"
        constraints = [
            models.CheckConstraint(
                name="mi_period_ends_after_start", condition=Q(period_end__gte=models.F("period_start"))
            ),
        ]
        # Reports still awaited (late ones on My work and the task list): a few of every report.
        indexes = [
            models.Index(fields=["contract", "expected_by"], condition=Q(received_on=None), name="mi_report_awaited")
        ]

    def __str__(self) -> str:
        return f"MI report {self.period_label} ({self.contract.reference})"

    @property
    def is_late(self) -> bool:
        return self.received_on is None and self.expected_by < timezone.localdate()
