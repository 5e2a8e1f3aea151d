"""Escalations to the Procurement Unit: from performance, supplier information, or raised by hand."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from contracts.models.register import Contract
from suppliers.models import SupplierInformation


class EscalationQuerySet(models.QuerySet["Escalation"]):
    def visible_to(self, user):
        return self.filter(contract__in=Contract.objects.visible_to(user))

    def open(self):
        return self.filter(status__in=[Escalation.Status.OPEN, Escalation.Status.IN_PROGRESS])


class Escalation(models.Model):
    class Source(models.TextChoices):
        PERSISTENT_POOR_PERFORMANCE = "persistent_poor_performance", "Persistent poor performance"
        SIGNIFICANT_PERFORMANCE_ISSUE = "significant_performance_issue", "Significant performance issue"
        FINANCIAL = "financial", "Financial"
        REPUTATIONAL = "reputational", "Reputational"
        DISPUTE = "dispute", "Dispute"
        OTHER = "other", "Other"

    # The same scale as supplier information, which raises escalations of its severity.
    Severity = SupplierInformation.Severity

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Closed"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="escalations")
    source = models.CharField(max_length=40, choices=Source.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    title = models.CharField(max_length=255)
    details = models.TextField(blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    raised_on = models.DateField(default=timezone.localdate)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalations_owned",
        help_text="The Procurement Unit officer handling it.",
    )
    actions = models.TextField(blank=True, help_text="What is being done.")
    resolution = models.TextField(blank=True)
    supplier_information = models.ForeignKey(
        SupplierInformation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalations",
        help_text="The supplier information that raised it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = EscalationQuerySet.as_manager()

    class Meta:
        ordering = ["raised_on", "pk"]
        indexes = [models.Index(fields=["status", "severity"], name="escalation_open_idx")]
        constraints = [
            # A piece of supplier information escalates each affected contract once.
            models.UniqueConstraint(
                fields=["supplier_information", "contract"],
                condition=Q(supplier_information__isnull=False),
                name="one_escalation_per_supplier_information_and_contract",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("escalations:detail", args=[self.pk])
