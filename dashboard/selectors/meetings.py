"""Meetings: arrange-by dates passed, short notice, minutes missing, overdue actions."""

from datetime import date, datetime, timedelta

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, NullIf, TruncDate
from django.utils import timezone

from contracts.models import ContractQuerySet
from core.dates import add_months
from core.sql import AddMonths
from meetings.models import Action, Meeting
from meetings.schedule import (
    CADENCE_BY_QUADRANT,
    CADENCE_MONTHS,
    DEFAULT_CADENCE,
    LEAD_TIME_MONTHS,
    Cadence,
    Lateness,
)

# --- Meetings -----------------------------------------------------------------------------


def _cadence() -> Coalesce:
    """The contract's face-to-face cadence: the Procurement Unit's choice, else its quadrant's default."""
    by_quadrant = [When(kraljic_quadrant=quadrant, then=Value(str(c))) for quadrant, c in CADENCE_BY_QUADRANT.items()]
    return Coalesce(
        NullIf(F("meeting_plan__cadence"), Value("")), Case(*by_quadrant, default=Value(str(DEFAULT_CADENCE)))
    )


def arrange_by_date(day: date, months: int) -> date:
    return add_months(add_months(day, months), -LEAD_TIME_MONTHS)


def _first_day_not_passed(months: int, *, today: date) -> date:
    """The earliest last-meeting date whose next meeting's arrange-by date is today or later: the
    arrange-by date only grows with the last meeting's date, so one comparison per cadence does."""
    day = add_months(add_months(today, LEAD_TIME_MONTHS), -months)
    while arrange_by_date(day - timedelta(days=1), months) >= today:
        day -= timedelta(days=1)
    while arrange_by_date(day, months) < today:
        day += timedelta(days=1)
    return day


def arrange_by_passed(contracts: ContractQuerySet, *, today: date, now: datetime | None = None) -> QuerySet:
    """Active contracts whose next face-to-face meeting should have been arranged by now and is not
    (meetings.schedule, in SQL): due one cadence after the last held one, or after the start."""
    now = now or timezone.now()
    face_to_face = Meeting.objects.filter(contract=OuterRef("pk"), kind=Meeting.Kind.FACE_TO_FACE)
    planned = face_to_face.filter(status=Meeting.Status.PLANNED, starts_at__gte=now)
    # The last held meeting is stored on the contract's meeting plan by the meeting services
    # (meetings.services.dates): a join, not a search of each contract's meetings.
    annotated = contracts.active().annotate(
        cadence=_cadence(),
        last_meeting_on=Coalesce(F("meeting_plan__last_held_on"), F("start_date")),
    )
    passed = Q()
    for cadence, months in CADENCE_MONTHS.items():
        passed |= Q(cadence=str(cadence), last_meeting_on__lt=_first_day_not_passed(months, today=today))
    return annotated.filter(passed).exclude(cadence=str(Cadence.NONE)).filter(~Exists(planned))


def short_notice_meetings(contracts: ContractQuerySet, *, today: date) -> QuerySet[Meeting]:
    """Face-to-face meetings of the last twelve months arranged less than six months ahead."""
    since = timezone.make_aware(datetime.combine(add_months(today, -12), datetime.min.time()))
    return (
        Meeting.objects.filter(
            contract__in=contracts,
            kind=Meeting.Kind.FACE_TO_FACE,
            starts_at__gte=since,
            starts_at__lt=timezone.now(),
        )
        .exclude(status__in=[Meeting.Status.CANCELLED, Meeting.Status.POSTPONED])
        .annotate(on=TruncDate("starts_at", tzinfo=timezone.get_current_timezone()))
        .filter(on__lt=AddMonths(F("arranged_on"), LEAD_TIME_MONTHS))
    )


def meetings_arranged_late(contracts: ContractQuerySet, *, today: date, lateness: str = "") -> QuerySet[Meeting]:
    """Face-to-face meetings of the last twelve months and ahead, planned or held, that were late or
    arranged late (Meeting.lateness, annotated as `timeliness`), or only `lateness`."""
    since = timezone.make_aware(datetime.combine(add_months(today, -12), datetime.min.time()))
    return Meeting.objects.filter(contract__in=contracts, starts_at__gte=since).arranged_late(lateness)


def meetings_without_minutes(contracts: ContractQuerySet) -> QuerySet[Meeting]:
    """Held meetings with neither minutes written nor a minutes file."""
    return Meeting.objects.filter(contract__in=contracts, status=Meeting.Status.HELD, minutes="", minutes_file="")


def overdue_actions(contracts: ContractQuerySet, *, today: date) -> QuerySet[Action]:
    return Action.objects.filter(meeting__contract__in=contracts, done_on__isnull=True, due_date__lt=today)


def meetings(contracts: ContractQuerySet, *, today: date) -> dict:
    """Six counts, five queries."""
    lateness = meetings_arranged_late(contracts, today=today).aggregate(
        late=Count("pk", filter=Q(timeliness=Lateness.LATE)),
        arranged_late=Count("pk", filter=Q(timeliness=Lateness.ARRANGED_LATE)),
    )
    return {
        **lateness,
        "arrange_by_passed": arrange_by_passed(contracts, today=today).count(),
        "short_notice": short_notice_meetings(contracts, today=today).count(),
        "without_minutes": meetings_without_minutes(contracts).count(),
        "overdue_actions": overdue_actions(contracts, today=today).count(),
    }
