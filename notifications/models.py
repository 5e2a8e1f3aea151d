from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    """Every kind of notification. Apps add theirs here (this app sits below them)."""

    MEETING_ARRANGE_SOON = "meeting_arrange_soon", "Meeting to arrange within 14 days"
    MEETING_ARRANGE_TODAY = "meeting_arrange_today", "Meeting to arrange today"
    MEETING_ARRANGE_OVERDUE = "meeting_arrange_overdue", "Meeting not arranged in time"
    MEETING_ARRANGE_FLAG = "meeting_arrange_flag", "Meeting not arranged in time (Procurement Unit)"
    MEETING_ARRANGED_LATE = "meeting_arranged_late", "Meeting arranged late (Procurement Unit)"
    MEETING_UPCOMING = "meeting_upcoming", "Meeting coming up"
    ACTION_OVERDUE = "action_overdue", "Meeting action overdue"
    MINUTES_MISSING = "minutes_missing", "Meeting minutes not recorded"
    REVIEW_ROUND_OPENED = "review_round_opened", "Kraljic review round opened"
    REVIEW_ROUND_DUE = "review_round_due", "Kraljic review round due soon"
    REVIEW_ROUND_OVERDUE = "review_round_overdue", "Kraljic review round overdue"
    STRATEGIC_WITHOUT_SRO = "strategic_without_sro", "Strategic contract without an SRO"
    ESCALATION = "escalation", "Escalation raised or changed"
    ESCALATION_UPDATE = "escalation_update", "Update on an escalation"
    ESCALATION_OVERDUE = "escalation_overdue", "Escalation not answered by its respond-by date"
    KPI_INADEQUATE = "kpi_inadequate", "KPI result rated Inadequate"
    IMPROVEMENT_PLAN = "improvement_plan", "Improvement plan started"
    KPI_RESULT_DUE = "kpi_result_due", "KPI result due"
    KPI_RESULT_OVERDUE = "kpi_result_overdue", "KPI result overdue"
    CONTRACT_NOTICE_DATE = "contract_notice_date", "Contract notice date coming up"
    CONTRACT_END_DATE = "contract_end_date", "Contract end date coming up"
    CONTRACT_PAST_END = "contract_past_end", "Active contract past its end date"
    CONTRACT_EXPIRED = "contract_expired", "Contract expired at its end date"
    RENEWAL_DECISION_OVERDUE = "renewal_decision_overdue", "Renewal decision overdue"
    RENEWAL_DECISION_ESCALATED = "renewal_decision_escalated", "Renewal decision overdue (escalated)"
    TRAINING_DUE = "training_due", "Commercial-awareness training missing or expiring"
    SUPPLIER_INFORMATION = "supplier_information", "Financial or reputational information about a supplier"
    PERFORMANCE_NOTICE_DUE = "performance_notice_due", "Contract performance notice to publish"
    MI_SUBMITTED = "mi_submitted", "MI report submitted by the supplier, to verify"
    MI_FIGURE_QUERIED = "mi_figure_queried", "Figure queried by the contract owner (supplier portal)"
    MI_DUE_SUPPLIER = "mi_due_supplier", "MI report due soon (supplier portal)"
    MI_LATE_SUPPLIER = "mi_late_supplier", "MI report late (supplier portal)"
    SUPPLIER_NOTICE = "supplier_notice", "Notice to reply to (supplier portal)"
    MI_LATE_OCO = "mi_late_oco", "MI report late: chase the supplier"
    NOTICE_REPLY = "notice_reply", "Supplier's reply to an improvement notice (supplier portal)"
    GENERAL = "general", "General"


# The kinds that ask the recipient to do something: each is a task, tied to its subject, that the
# service doing the thing resolves (`services.tasks_resolve`). Every other kind is information,
# which the recipient reads or dismisses.
TASK_KINDS = frozenset(
    {
        Kind.MEETING_ARRANGE_SOON,
        Kind.MEETING_ARRANGE_TODAY,
        Kind.MEETING_ARRANGE_OVERDUE,
        Kind.ACTION_OVERDUE,
        Kind.MINUTES_MISSING,
        Kind.REVIEW_ROUND_OPENED,
        Kind.REVIEW_ROUND_DUE,
        Kind.REVIEW_ROUND_OVERDUE,
        Kind.STRATEGIC_WITHOUT_SRO,
        Kind.KPI_RESULT_DUE,
        Kind.KPI_RESULT_OVERDUE,
        Kind.CONTRACT_PAST_END,
        Kind.RENEWAL_DECISION_OVERDUE,
        Kind.TRAINING_DUE,
        Kind.PERFORMANCE_NOTICE_DUE,
        # The OCO's verification of what the supplier submitted through the portal.
        Kind.MI_SUBMITTED,
        Kind.MI_LATE_OCO,
        # The Procurement Unit's answer to an escalation past its respond-by date.
        Kind.ESCALATION_OVERDUE,
    }
)

# Tasks that ask for the same thing: a newer reminder about the same subject replaces the open older
# ones (the weekly "not arranged" reminder, "due" becoming "overdue"), so one thing to do is one task.
# KPI results are due per period: there the reminder's date (the period's start) must match too.
TASK_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({Kind.MEETING_ARRANGE_SOON, Kind.MEETING_ARRANGE_TODAY, Kind.MEETING_ARRANGE_OVERDUE}),
    frozenset({Kind.REVIEW_ROUND_OPENED, Kind.REVIEW_ROUND_DUE, Kind.REVIEW_ROUND_OVERDUE}),
    frozenset({Kind.KPI_RESULT_DUE, Kind.KPI_RESULT_OVERDUE}),
    frozenset({Kind.CONTRACT_PAST_END}),
    frozenset({Kind.RENEWAL_DECISION_OVERDUE}),
    frozenset({Kind.TRAINING_DUE}),
)
TASKS_PER_PERIOD = frozenset({Kind.KPI_RESULT_DUE, Kind.KPI_RESULT_OVERDUE, Kind.PERFORMANCE_NOTICE_DUE})


def is_task(kind: str) -> bool:
    return kind in TASK_KINDS


def task_group(kind: str) -> frozenset[str]:
    """The kinds a new reminder of this kind replaces, if still open (its own kind at least)."""
    return next((group for group in TASK_GROUPS if kind in group), frozenset({kind}))


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def tasks(self):
        return self.filter(kind__in=TASK_KINDS)

    def open_tasks(self):
        """What the bell counts: tasks whose action is not done yet."""
        return self.tasks().filter(resolved_at__isnull=True)

    def information(self):
        return self.exclude(kind__in=TASK_KINDS)

    def about(self, subject: models.Model):
        return self.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)


class Notification(models.Model):
    """An in-app notification; e-mailed too unless the recipient opted out of its kind."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True, help_text="Where the recipient acts on it.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # What it is about: a task is resolved through its subject (the KPI, the meeting, the contract ...).
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    resolved_at = models.DateTimeField(
        null=True, blank=True, help_text="When the task was done (or replaced by a newer reminder)."
    )
    replaced = models.BooleanField(default=False, help_text="Closed because a newer reminder asks the same.")
    due_on = models.DateField(
        null=True, blank=True, help_text="The day the task is due by, where it has one: past it, the task is overdue."
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "resolved_at"], name="notification_open_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="notification_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient}: {self.title}"

    @property
    def is_task(self) -> bool:
        return is_task(self.kind)

    @property
    def is_open_task(self) -> bool:
        return self.is_task and self.resolved_at is None


class ReminderLedger(models.Model):
    """One row per reminder ever sent: its unique key makes every reminder exactly-once.

    Written in the same transaction as the notification, so a reminder job run
    twice, late, or by several workers at once sends each reminder once."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    due_date = models.DateField(help_text="The date the reminder is about (arrange-by date, meeting date, due date).")
    notification = models.OneToOneField(Notification, on_delete=models.SET_NULL, null=True, related_name="ledger")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_type", "subject_id", "due_date"], name="reminder_sent_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} about #{self.subject_id} due {self.due_date}"


class NotificationPreference(models.Model):
    """A user's choice per kind: e-mail or in-app only. No row means e-mail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} by e-mail {'on' if self.email else 'off'}"


class EmailSetting(models.Model):
    """How a person wants their e-mail: one daily digest (no row), or each notification as it happens."""

    class Delivery(models.TextChoices):
        DIGEST = "digest", "One e-mail a day listing the day's new notifications"
        EACH = "each", "Each notification as it happens"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_setting")
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.DIGEST)

    def __str__(self) -> str:
        return f"{self.user}: {self.get_delivery_display()}"


class DigestSent(models.Model):
    """One row per person and day a digest went out: its unique key makes the digest exactly-once,
    however many times (or by however many workers at once) the digest job runs."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    notifications = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipient", "day"], name="one_digest_per_day")]

    def __str__(self) -> str:
        return f"Digest to {self.recipient} for {self.day}"


class JobRun(models.Model):
    """What a scheduled job did: written by the job itself, read by the operations view."""

    class Outcome(models.TextChoices):
        RUNNING = "running", "Running"
        OK = "ok", "Succeeded"
        # It ran, but some of its work failed and waits for a later run (the detail says which).
        ATTENTION = "attention", "Needs attention"
        FAILED = "failed", "Failed"

    job = models.CharField(max_length=100, db_index=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    notifications_sent = models.PositiveIntegerField(default=0)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"
        indexes = [models.Index(fields=["job", "-started_at"], name="jobrun_latest_idx")]
        constraints = [
            models.CheckConstraint(
                name="jobrun_finished_after_start",
                condition=Q(finished_at__isnull=True) | Q(finished_at__gte=models.F("started_at")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.job} at {self.started_at:%d/%m/%Y %H:%M}: {self.get_outcome_display()}"


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
