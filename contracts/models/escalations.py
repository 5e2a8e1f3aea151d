"""Escalations to the Procurement Unit: from performance, supplier information, or raised by hand;
their threads of updates, and the date by which the Procurement Unit responds."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from contracts.models.register import Contract
from core.dates import add_working_days
from core.history import HistoricalRecords
from suppliers.models import SupplierInformation


class EscalationQuerySet(models.QuerySet["Escalation"]):
    def visible_to(self, user):
        return self.filter(contract__in=Contract.objects.visible_to(user))

    def open(self):
        return self.filter(status__in=[Escalation.Status.OPEN, Escalation.Status.IN_PROGRESS])

    def overdue(self, *, today: date):
        """Open, past the date the Procurement Unit should have responded by, and not yet answered."""
        return self.open().filter(answered_on__isnull=True, respond_by__lt=today)


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
    respond_by = models.DateField(
        "respond by",
        null=True,
        blank=True,
        help_text="When the Procurement Unit should respond: working days from raising it, by severity.",
    )
    # The day the Procurement Unit first answered (a post in the thread or a change of status).
    answered_on = models.DateField(null=True, blank=True)
    # Shared with the supplier (portal.services.notices): what their people read on the supplier portal, and
    # the date they should reply by. Blank: not shared; the rest of the escalation is never shown to them.
    supplier_notice = models.TextField("what the supplier is told", blank=True)
    supplier_respond_by = models.DateField("the supplier replies by", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = EscalationQuerySet.as_manager()

    class Meta:
        ordering = ["raised_on", "pk"]
        indexes = [
            models.Index(fields=["status", "severity"], name="escalation_open_idx"),
            # The oldest open escalations (the dashboards' "oldest" and the open list, oldest first): read
            # in order from here and joined to their contracts one by one, not the register hashed.
            # Equalities, not IN: PostgreSQL gives this definition back as it takes it (seed_scale).
            models.Index(
                fields=["raised_on", "id"],
                condition=Q(status="open") | Q(status="in_progress"),
                name="escalation_open_oldest",
            ),
        ]
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

    @staticmethod
    def respond_by_for(*, severity: str, raised_on: date) -> date:
        """The respond-by date: ESCALATION_RESPONSE_WORKING_DAYS (by severity) working days after raising."""
        return add_working_days(raised_on, settings.ESCALATION_RESPONSE_WORKING_DAYS[severity])

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        """As `EscalationQuerySet.overdue`, for one row already loaded."""
        return (
            self.is_open
            and self.answered_on is None
            and self.respond_by is not None
            and self.respond_by < timezone.localdate()
        )


def escalation_attachment_upload_to(instance, filename: str) -> str:
    return f"escalation-attachments/{uuid.uuid4().hex}"


class EscalationUpdateQuerySet(models.QuerySet["EscalationUpdate"]):
    def visible_to(self, user):
        return self.filter(escalation__contract__in=Contract.objects.visible_to(user))


class EscalationUpdate(models.Model):
    """A post in an escalation's thread: by its OCO or the Procurement Unit (an update, with an
    optional attachment) or its SRO (a comment). A change of status made with it is kept on it."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    attachment = models.FileField(upload_to=escalation_attachment_upload_to, max_length=200, blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    status_before = models.CharField(max_length=20, choices=Escalation.Status.choices, blank=True)
    status_after = models.CharField(max_length=20, choices=Escalation.Status.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = EscalationUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Update on escalation {self.escalation_id} by {self.author}"

    @property
    def changed_status(self) -> bool:
        return bool(self.status_after) and self.status_after != self.status_before
