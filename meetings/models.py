import secrets
import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract

# Migration 0001 names the upload path of the administration log, which now lives in contracts.
from contracts.models.timeline import activity_upload_to  # noqa: F401
from core.formatting import long_date
from core.history import HistoricalRecords
from core.sql import AddMonths
from meetings.schedule import LEAD_TIME_MONTHS, Cadence, Lateness, add_months
from meetings.schedule import lateness as lateness_of
from suppliers.models import SupplierContact


class ContractMeetingPlan(models.Model):
    """How often a contract's face-to-face supplier meetings are held.

    Without a row (or with a blank cadence) the cadence follows the contract's
    Kraljic quadrant; the Procurement Unit may set it explicitly."""

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="meeting_plan")
    cadence = models.CharField("face-to-face meeting cadence", max_length=20, choices=Cadence.choices, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # The date of the last held face-to-face meeting, kept by the meeting services
    # (meetings.services.dates): the "not arranged in time" list reads it instead of every meeting.
    last_held_on = models.DateField("last face-to-face meeting held", null=True, blank=True, editable=False)
    # When the latest planned face-to-face meeting starts, kept with last_held_on: a contract has a
    # meeting arranged ahead exactly when this is now or later, so the list needs no search of meetings.
    last_planned_at = models.DateTimeField("latest planned face-to-face meeting", null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["last_held_on", "last_planned_at"])

    class Meta:
        indexes = [models.Index(fields=["last_held_on"], name="meeting_plan_last_held")]

    def __str__(self) -> str:
        return f"Meeting plan of {self.contract.reference}: {self.get_cadence_display() or 'from Kraljic quadrant'}"


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def visible_to(self, user):
        return self.filter(contract__in=Contract.objects.visible_to(user))

    def face_to_face(self):
        return self.filter(kind=Meeting.Kind.FACE_TO_FACE)

    def planned(self):
        return self.filter(status=Meeting.Status.PLANNED)

    def held(self):
        return self.filter(status=Meeting.Status.HELD)

    def with_lateness(self):
        """Annotate `timeliness`: `Meeting.lateness` ("late", "arranged_late" or blank) in SQL, so
        lists and dashboards count and filter on it without a query per meeting."""
        judged = Q(kind=Meeting.Kind.FACE_TO_FACE, status__in=Meeting.JUDGED_STATUSES, due_on__isnull=False)
        on = TruncDate("starts_at", tzinfo=timezone.get_current_timezone())
        return self.annotate(
            timeliness=Case(
                When(judged & Q(due_on__lt=on), then=Value(str(Lateness.LATE))),
                When(
                    judged & Q(arranged_on__gt=AddMonths(F("due_on"), -LEAD_TIME_MONTHS)),
                    then=Value(str(Lateness.ARRANGED_LATE)),
                ),
                default=Value(str(Lateness.ON_TIME)),
                output_field=models.CharField(),
            )
        )

    def arranged_late(self, lateness: str = ""):
        """Face-to-face meetings, planned or held, that were late or arranged late (or only `lateness`)."""
        meetings = self.with_lateness().exclude(timeliness=Lateness.ON_TIME)
        return meetings.filter(timeliness=lateness) if lateness else meetings


def minutes_upload_to(instance, filename: str) -> str:
    return f"meeting-minutes/{uuid.uuid4().hex}"


class Meeting(models.Model):
    class Kind(models.TextChoices):
        FACE_TO_FACE = "face_to_face", "Face-to-face"
        VIRTUAL = "virtual", "Virtual"
        TELEPHONE = "telephone", "Telephone"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"
        POSTPONED = "postponed", "Postponed"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FACE_TO_FACE)
    starts_at = models.DateTimeField("date and time")
    duration_minutes = models.PositiveIntegerField("duration (minutes)", default=60)
    location = models.CharField(max_length=255, blank=True)
    # When the meeting was recorded, from the system's clock (meetings.services.meeting_save): never typed.
    arranged_on = models.DateField("date arranged", default=timezone.localdate, editable=False)
    # Face-to-face only: when it was due under the contract's cadence, worked out when it was arranged.
    due_on = models.DateField("due by", null=True, blank=True, editable=False)
    agenda = models.TextField(blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="meetings", verbose_name="force attendees"
    )
    supplier_attendees = models.ManyToManyField(SupplierContact, blank=True, related_name="meetings")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True)
    short_notice_reason = models.TextField(
        blank=True, help_text="Why this face-to-face meeting is arranged less than six months ahead."
    )
    minutes = models.TextField(blank=True)
    minutes_file = models.FileField(upload_to=minutes_upload_to, max_length=200, blank=True)
    minutes_file_name = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meetings_created")
    created_at = models.DateTimeField(auto_now_add=True)

    # The statuses judged for lateness: a cancelled or postponed meeting is neither late nor on time.
    JUDGED_STATUSES = (Status.PLANNED, Status.HELD)

    history = HistoricalRecords(m2m_fields=["attendees"])
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["contract", "kind", "status", "starts_at"], name="meeting_schedule_idx"),
            # The dashboards' "minutes missing" panel: a small slice of every meeting in the register.
            models.Index(
                fields=["contract"], condition=Q(status="held", minutes="", minutes_file=""), name="meeting_no_minutes"
            ),
            # The dashboards' lateness and short-notice counts: face-to-face meetings planned or held
            # since a date, read from this index alone.
            models.Index(
                fields=["starts_at"],
                include=["contract", "kind", "status", "arranged_on", "due_on"],
                # Equalities, not IN: PostgreSQL gives the definition back in the form it takes (seed_scale
                # drops and makes indexes again from it); a query's IN still implies it.
                condition=Q(kind="face_to_face") & (Q(status="planned") | Q(status="held")),
                name="meeting_face_to_face_judged",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} meeting on {long_date(self.local_date)} ({self.contract.reference})"

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    @property
    def local_date(self) -> date:
        return timezone.localdate(self.starts_at)

    @property
    def lead_time_days(self) -> int:
        return (self.local_date - self.arranged_on).days

    @property
    def arrange_by(self) -> date | None:
        return add_months(self.due_on, -LEAD_TIME_MONTHS) if self.due_on else None

    @property
    def lateness(self) -> str:
        """ "late", "arranged_late" or blank: meetings.schedule.lateness, as `with_lateness` annotates it."""
        if self.kind != self.Kind.FACE_TO_FACE or self.status not in self.JUDGED_STATUSES or self.starts_at is None:
            return Lateness.ON_TIME
        return lateness_of(on=self.local_date, arranged_on=self.arranged_on, due=self.due_on)

    def get_lateness_display(self) -> str:
        return Lateness(self.lateness).label

    @property
    def lateness_note(self) -> str:
        """ "late: it was due by 1 April 2026", "arranged late: ..."; blank when on time."""
        if self.lateness == Lateness.LATE:
            assert self.due_on is not None
            return f"late: it was due by {long_date(self.due_on)}"
        if self.lateness == Lateness.ARRANGED_LATE:
            assert self.arrange_by is not None
            return f"arranged late: it was to be arranged by {long_date(self.arrange_by)}"
        return ""

    @property
    def is_short_notice(self) -> bool:
        """A face-to-face meeting arranged less than six months before it takes place."""
        if self.kind != self.Kind.FACE_TO_FACE or self.starts_at is None or self.arranged_on is None:
            return False
        return self.local_date < add_months(self.arranged_on, LEAD_TIME_MONTHS)

    @property
    def open_actions_count(self) -> int:
        # Counted in Python so a prefetched `actions` costs no query per meeting.
        return sum(1 for action in self.actions.all() if action.done_on is None)

    @property
    def has_minutes(self) -> bool:
        return bool(self.minutes.strip() or self.minutes_file)

    def clean(self):
        errors = {}
        if self.starts_at and self.status == self.Status.PLANNED and self.starts_at < timezone.now():
            errors["status"] = "This meeting is in the past: record it as held, cancelled or postponed, not planned."
        if self.starts_at and self.status == self.Status.HELD and self.starts_at > timezone.now():
            errors["status"] = "A meeting in the future cannot have been held yet."
        if self.is_short_notice and not self.short_notice_reason.strip():
            errors["short_notice_reason"] = "This face-to-face meeting is arranged less than six months ahead: say why."
        if errors:
            raise ValidationError(errors)


class Action(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_actions")
    due_date = models.DateField()
    done_on = models.DateField("done on", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        # Open actions by due date (overdue actions on the dashboards and My work), not every action.
        indexes = [models.Index(fields=["due_date"], condition=Q(done_on=None), name="action_open_due")]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_date < timezone.localdate()

    def clean(self):
        if self.due_date and self.meeting_id and self.due_date < self.meeting.local_date:
            raise ValidationError({"due_date": "An action cannot be due before the meeting that agreed it."})


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A private, revocable address of a user's meetings as an iCalendar feed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:feed", args=[self.token])
