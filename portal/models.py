"""The supplier portal's own records: invitations to it, and the MI submissions made through it.

Who a supplier's person is: a `User` in the Supplier role (accounts.roles.SUPPLIER) linked to one
`SupplierContact` (`SupplierContact.user`), so to one supplier. Their scope is `portal.scope`."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from contracts.models import Contract, Escalation
from core.history import HistoricalRecords
from performance.models import Kpi, KpiResult, MiReport
from suppliers.models import SupplierContact


class Invitation(models.Model):
    """A single-use link, e-mailed to a supplier's contact, to set a password and an authenticator app.
    Only the SHA-256 digest of its key is kept; the key itself is in the e-mail alone."""

    contact = models.ForeignKey(SupplierContact, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation of {self.contact} ({self.email})"


def submission_upload_to(instance, filename: str) -> str:
    return f"mi-submissions/{uuid.uuid4().hex}"


class Submission(models.Model):
    """An MI report as the supplier submitted it: the file and the period's figure for each KPI."""

    mi_report = models.ForeignKey(MiReport, on_delete=models.CASCADE, related_name="submissions")
    file = models.FileField(upload_to=submission_upload_to, max_length=200)
    file_name = models.CharField(max_length=255)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"Submission of {self.mi_report}"

    def get_absolute_url(self) -> str:
        """The OCO's verification page (the timeline links its entries here)."""
        return reverse("supplier_access:submission", args=[self.pk])


class Figure(models.Model):
    """One KPI's figure for the report's period: pending until the OCO accepts it (a KPI result is
    recorded, source "supplier, verified by ...") or queries it (with a reason; the supplier resubmits)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the OCO to verify"
        ACCEPTED = "accepted", "Accepted"
        QUERIED = "queried", "Queried"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="figures")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    actual = models.DecimalField(max_digits=14, decimal_places=2)
    commentary = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    query_reason = models.TextField(blank=True)
    result = models.ForeignKey(KpiResult, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "kpi"], name="one_figure_per_kpi_and_submission"),
            models.CheckConstraint(name="a_query_has_a_reason", condition=~Q(status="queried") | ~Q(query_reason="")),
        ]

    def __str__(self) -> str:
        return f"{self.kpi.name}: {self.actual} ({self.get_status_display()})"


class RepeatedLateness(models.Model):
    """Repeated late MI reports on a contract, escalated to the Procurement Unit once
    (portal.services.lateness): the report that made it the third late one in 12 months is its key."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="+")
    report = models.OneToOneField(MiReport, on_delete=models.CASCADE, related_name="+")
    escalation = models.OneToOneField(Escalation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "repeated lateness"

    def __str__(self) -> str:
        return f"Repeated late MI reports on {self.contract}"
