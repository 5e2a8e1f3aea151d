"""The contract's timeline (its administration log): one row per event, hand-typed or written by
the service that caused it, in that service's transaction.

The model was `meetings.Activity` until the timeline became the register's: it keeps its table
(`meetings_activity`) and rows, so that every app from contracts upwards can write to it."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from contracts.models.register import Contract
from core.formatting import long_date
from core.history import HistoricalRecords


def activity_upload_to(instance, filename: str) -> str:
    return f"activity-attachments/{uuid.uuid4().hex}"


def activity_kinds() -> list[tuple[str, str]]:
    """The timeline's kinds and their labels (`Activity.Kind`), read when asked. The field's `choices`
    name this function, not the list, so its migration does not change when a kind is added: a new
    kind costs no migration, and forms, the admin, History and `reporting.labels` still read the labels."""
    return Activity.Kind.choices


class ActivityQuerySet(models.QuerySet["Activity"]):
    def visible_to(self, user):
        return self.filter(contract__in=Contract.objects.visible_to(user))

    def about(self, subject: models.Model):
        """The entries written about one object (an escalation, an MI report, a meeting ...)."""
        return self.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)


class Activity(models.Model):
    """An entry on a contract's timeline."""

    # The registry of kinds: add one here, and only here (no migration: see `activity_kinds`).
    class Kind(models.TextChoices):
        # Typed by people on the administration log.
        CALL = "call", "Telephone call"
        SUPPLIER_EVENT = "supplier_event", "Supplier event"
        NOTE = "note", "Note"
        # Typed by people before the timeline was written by the services; now written by them.
        ESCALATION = "escalation", "Escalation to Procurement"
        MI_REPORT = "mi_report", "Management-information report received"
        MI_EVALUATION = "mi_evaluation", "Evaluation of management information"
        # Written by the service that causes the event.
        ESCALATION_RAISED = "escalation_raised", "Escalation raised"
        ESCALATION_UPDATED = "escalation_updated", "Escalation updated"
        ESCALATION_RESOLVED = "escalation_resolved", "Escalation resolved"
        MI_LATE = "mi_late", "Management-information report late"
        KPI_POOR_RESULT = "kpi_poor_result", "KPI result below standard"
        KPI_OVERRIDE = "kpi_override", "KPI rating overridden"
        IMPROVEMENT_PLAN = "improvement_plan", "Improvement plan"
        IMPROVEMENT_NOTICE = "improvement_notice", "Improvement notice"
        SERVICE_CREDIT = "service_credit", "Service credit or deduction"
        BREACH = "breach", "Breach of contract"
        MILESTONE_MISSED = "milestone_missed", "Milestone missed"
        MEETING_ARRANGED = "meeting_arranged", "Meeting arranged"
        MEETING_HELD = "meeting_held", "Meeting held"
        MEETING_CANCELLED = "meeting_cancelled", "Meeting cancelled"
        MINUTES = "minutes", "Meeting minutes"
        MEETING_ACTION = "meeting_action", "Meeting action"
        DOCUMENT = "document", "Document version"
        VARIATION = "variation", "Variation"
        NOTICE_PUBLISHED = "notice_published", "Notice published"
        SUPPLIER_INFORMATION = "supplier_information", "Supplier information"
        KRALJIC = "kraljic", "Kraljic reassessment"
        HANDOVER = "handover", "Handover"
        STATUS = "status", "Status change"
        # The supplier portal: an MI submission by the supplier, and the OCO's verification of each figure.
        SUPPLIER_SUBMISSION = "supplier_submission", "Submission by the supplier"
        SUPPLIER_FIGURE_ACCEPTED = "supplier_figure_accepted", "Supplier's figure accepted"
        SUPPLIER_FIGURE_QUERIED = "supplier_figure_queried", "Supplier's figure queried"
        LATE_PAYMENT = "late_payment", "Supplier paid late"

    # What people may type on the administration log; "Escalation to Procurement" raises a real one.
    TYPED_KINDS = (Kind.CALL, Kind.SUPPLIER_EVENT, Kind.NOTE, Kind.ESCALATION)

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=40, choices=activity_kinds)
    occurred_on = models.DateField("date", default=timezone.localdate)
    summary = models.CharField(max_length=255)
    details = models.TextField(blank=True)
    attachment = models.FileField(upload_to=activity_upload_to, max_length=200, blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    # Blank only for what the system did itself (a daily job moving a contract to expired).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="activities", null=True, blank=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The object the event is about (an escalation, an MI report, a meeting ...), when there is one.
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")

    history = HistoricalRecords(table_name="meetings_historicalactivity")
    objects = ActivityQuerySet.as_manager()

    class Meta:
        db_table = "meetings_activity"
        ordering = ["-occurred_on", "-recorded_at"]
        verbose_name_plural = "activities"
        indexes = [
            models.Index(fields=["contract", "-occurred_on"], name="activity_timeline_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="activity_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {long_date(self.occurred_on)}: {self.summary}"

    @property
    def is_typed(self) -> bool:
        return self.kind in self.TYPED_KINDS

    def clean(self):
        if self.occurred_on and self.occurred_on > timezone.localdate():
            raise ValidationError(
                {"occurred_on": "An activity is recorded after it happens: the date is in the future."}
            )
