"""Meetings: arrange-by dates passed, short notice, minutes missing, overdue actions."""

from datetime import date, datetime, timedelta

from django.db.models import Case, Count, DateField, Expression, F, Func, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, NullIf, TruncDate
from django.utils import timezone

from contracts.models import ContractQuerySet
from core.dates import add_months
from core.sql import AddMonths
from dashboard.selectors.common import ContractGroups, active_figures, in_scope
from meetings.models import Action, Meeting, MeetingQuerySet
from meetings.schedule import (
    CADENCE_BY_QUADRANT,
    CADENCE_MONTHS,
    DEFAULT_CADENCE,
    LEAD_TIME_MONTHS,
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


def _arrange_by(*, today: date, now: datetime | None) -> tuple[dict[str, Expression], Q]:
    """Of a contract: its cadence and last meeting's date (annotations), and whether its next
    face-to-face meeting should have been arranged by now and is not (meetings.schedule, in SQL): due
    one cadence after the last held one, or after the start."""
    now = now or timezone.now()
    # The last held meeting and the latest planned one are stored on the contract's meeting plan by the
    # meeting services (meetings.services.dates): a join, not a search of each contract's meetings. A
    # meeting is arranged ahead exactly when the latest planned one starts now or later.
    annotations: dict[str, Expression] = {
        "cadence": _cadence(),
        "last_meeting_on": Coalesce(F("meeting_plan__last_held_on"), F("start_date")),
    }
    # Passed when the last meeting is before the cadence's first day not passed: one CASE on the
    # cadence, worked out once per contract (NULL, never passed, for no face-to-face meetings).
    first_days = {
        str(cadence): _first_day_not_passed(months, today=today) for cadence, months in CADENCE_MONTHS.items()
    }
    not_arranged = Q(meeting_plan__last_planned_at__isnull=True) | Q(meeting_plan__last_planned_at__lt=now)
    # Not arranged first: a contract with a meeting ahead skips the cadence's CASE.
    return annotations, not_arranged & Q(last_meeting_on__lt=_OnCadence(F("cadence"), first_days))


def arrange_by_passed(contracts: ContractQuerySet, *, today: date, now: datetime | None = None) -> QuerySet:
    """Active contracts whose next face-to-face meeting should have been arranged by now and is not."""
    annotations, passed = _arrange_by(today=today, now=now)
    return contracts.active().annotate(**annotations).filter(passed)


def arrange_by_passed_aggregates(contracts: ContractQuerySet, *, today: date) -> tuple[ContractQuerySet, dict]:
    """The contracts annotated for, and the aggregate of, the arrange-by-passed count of a pass over
    the active ones (dashboard.selectors.common.active_figures)."""
    annotations, passed = _arrange_by(today=today, now=None)
    return contracts.annotate(**annotations), {"arrange_by_passed": Count("pk", filter=passed)}


class _OnCadence(Func):
    """`CASE cadence WHEN 'monthly' THEN <date> ... END`: the date for the contract's cadence, the
    cadence expression compiled (and evaluated) once rather than once per branch; NULL for others."""

    output_field = DateField()

    def __init__(self, cadence, dates: dict[str, date]):
        self.dates = dates
        super().__init__(cadence)

    def as_sql(self, compiler, connection, function=None, template=None, arg_joiner=None, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        branches = " ".join("WHEN %s THEN %s" for _ in self.dates)
        values = [value for item in self.dates.items() for value in item]
        return f"CASE {sql} {branches} END", (*params, *values)


def _since(today: date) -> datetime:
    return timezone.make_aware(datetime.combine(add_months(today, -12), datetime.min.time()))


def _judged_since(contracts: ContractQuerySet, *, today: date) -> MeetingQuerySet:
    """Face-to-face meetings, planned or held, of the last twelve months and ahead: the rows of the
    index meeting_face_to_face_judged (cancelled and postponed ones are neither late nor short notice)."""
    return in_scope(
        Meeting.objects.filter(
            kind=Meeting.Kind.FACE_TO_FACE, status__in=Meeting.JUDGED_STATUSES, starts_at__gte=_since(today)
        ),
        contracts,
    )


def _short_notice(now: datetime) -> Q:
    """Of meetings annotated with their local date `on`: held before now, and arranged less than six
    months ahead."""
    # The cheap comparison first: a meeting still ahead skips the local date's arithmetic.
    return Q(starts_at__lt=now) & Q(on__lt=AddMonths(F("arranged_on"), LEAD_TIME_MONTHS))


def _on_day() -> TruncDate:
    return TruncDate("starts_at", tzinfo=timezone.get_current_timezone())


def short_notice_meetings(contracts: ContractQuerySet, *, today: date) -> QuerySet[Meeting]:
    """Face-to-face meetings of the last twelve months arranged less than six months ahead."""
    return _judged_since(contracts, today=today).annotate(on=_on_day()).filter(_short_notice(timezone.now()))


def meetings_arranged_late(contracts: ContractQuerySet, *, today: date, lateness: str = "") -> QuerySet[Meeting]:
    """Face-to-face meetings of the last twelve months and ahead, planned or held, that were late or
    arranged late (Meeting.lateness, annotated as `timeliness`), or only `lateness`."""
    return _judged_since(contracts, today=today).arranged_late(lateness)


def meetings_without_minutes(contracts: ContractQuerySet) -> QuerySet[Meeting]:
    """Held meetings with neither minutes written nor a minutes file."""
    return in_scope(Meeting.objects.filter(status=Meeting.Status.HELD, minutes="", minutes_file=""), contracts)


def overdue_actions(contracts: ContractQuerySet, *, today: date) -> QuerySet[Action]:
    return in_scope(Action.objects.filter(done_on__isnull=True, due_date__lt=today), contracts, "meeting__contract")


def meetings(contracts: ContractQuerySet, *, today: date, groups: ContractGroups | None = None) -> dict:
    """Six counts, four queries: lateness and short notice in one pass over the index of recent
    face-to-face meetings; arrange-by passed in a pass over the contracts (`groups` when the
    dashboard has made it with the other panels' figures); the others each over a small partial index."""
    counts = (
        _judged_since(contracts, today=today)
        .with_lateness()
        .annotate(on=_on_day())
        .aggregate(
            late=Count("starts_at", filter=Q(timeliness=Lateness.LATE)),
            arranged_late=Count("starts_at", filter=Q(timeliness=Lateness.ARRANGED_LATE)),
            short_notice=Count("starts_at", filter=_short_notice(timezone.now())),
        )
    )
    if groups is None:
        annotated, aggregates = arrange_by_passed_aggregates(contracts, today=today)
        groups = ContractGroups(rows=[], figures=active_figures(annotated, aggregates))
    return {
        **counts,
        "arrange_by_passed": groups.figures["arrange_by_passed"],
        "without_minutes": meetings_without_minutes(contracts).count(),
        "overdue_actions": overdue_actions(contracts, today=today).count(),
    }
