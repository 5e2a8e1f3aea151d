"""The figures of the dashboards, each computed by the database over the contracts in scope.

Every function takes the contracts already scoped to the user and narrowed by the dashboard's
filters, and costs a fixed number of queries whatever the size of the register."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    Expression,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf, TruncDate, TruncMonth
from django.utils import timezone

from accounts.models import TrainingRecord, User
from contracts.models import Contract, ContractQuerySet, Escalation, Quadrant, ReviewItem, ReviewRound, Saving
from core.dates import add_months
from core.sql import AddMonths, NoticeDate
from meetings.models import Action, Meeting
from meetings.schedule import CADENCE_BY_QUADRANT, CADENCE_MONTHS, DEFAULT_CADENCE, LEAD_TIME_MONTHS, Cadence
from performance.models import Kpi, KpiResult
from performance.ratings import POOR, Rating

ZERO = Decimal("0")
# The renewal bands of the dashboard, in months from today: [start, end).
BANDS = (("0-3", 0, 3), ("3-6", 3, 6), ("6-12", 6, 12))
HEATMAP_ROWS = 15


def _sum(field_name: str, **filters) -> Coalesce:
    return Coalesce(Sum(field_name, filter=Q(**filters) if filters else None), ZERO)


# --- Portfolio ----------------------------------------------------------------------------


@dataclass
class Portfolio:
    by_status: list[dict]
    by_category: list[dict]
    by_quadrant: dict[str, dict]
    active_count: int = 0
    active_total_value: Decimal = ZERO
    active_annual_value: Decimal = ZERO


def portfolio(contracts: ContractQuerySet) -> Portfolio:
    """Three queries: by status, active by category, active by Kraljic quadrant."""
    rows = {
        row["status"]: row
        for row in contracts.order_by()
        .values("status")
        .annotate(count=Count("pk"), total_value=_sum("total_value"), annual_value=_sum("annual_value"))
    }
    by_status = [
        {"status": status, "label": label, **rows.get(status, {"count": 0, "total_value": ZERO, "annual_value": ZERO})}
        for status, label in Contract.Status.choices
    ]
    nothing: dict[str, Any] = {"count": 0, "total_value": ZERO, "annual_value": ZERO}
    active = rows.get(Contract.Status.ACTIVE, nothing)
    by_category = list(
        contracts.active()
        .order_by()
        .values("category_id", "category__name")
        .annotate(count=Count("pk"), total_value=_sum("total_value"), annual_value=_sum("annual_value"))
        .order_by("-total_value", "category__name")
    )
    quadrants = {
        row["kraljic_quadrant"]: row
        for row in contracts.active()
        .order_by()
        .values("kraljic_quadrant")
        .annotate(count=Count("pk"), total_value=_sum("total_value"))
    }
    by_quadrant = {
        key: quadrants.get(key, {"count": 0, "total_value": ZERO})
        for key in [*Quadrant.values, ""]  # "" is not assessed
    }
    return Portfolio(
        by_status=by_status,
        by_category=by_category,
        by_quadrant=by_quadrant,
        active_count=active["count"],
        active_total_value=active["total_value"],
        active_annual_value=active["annual_value"],
    )


# --- Performance --------------------------------------------------------------------------


def _effective_rating() -> Case:
    return Case(When(rating_override="", then=F("rating")), default=F("rating_override"))


def _rating_counts() -> dict:
    return {key: Count("pk", filter=Q(latest_rating=key)) for key in Rating.values}


@dataclass
class Performance:
    latest: dict[str, int]  # active KPIs of active contracts by the rating of their latest result
    poor_contracts: int  # contracts with a KPI whose latest result is Requires improvement or Inadequate
    heatmap: list[dict]  # the contracts with the most poor latest results, with their KPIs by rating
    unrated_kpis: int = 0

    @property
    def rated_kpis(self) -> int:
        return sum(self.latest.values())


def _live_kpis(contracts: ContractQuerySet) -> QuerySet[Kpi]:
    return Kpi.objects.filter(contract__in=contracts.active(), is_active=True)


def performance(contracts: ContractQuerySet) -> Performance:
    """Four queries, over the KPIs' latest results (kept on each KPI), never over all results."""
    kpis = _live_kpis(contracts)
    counts = kpis.order_by().aggregate(unrated=Count("pk", filter=Q(latest_rating="")), **_rating_counts())
    poor = kpis.filter(latest_rating__in=POOR)
    poor_contracts = poor.order_by().aggregate(n=Count("contract", distinct=True))["n"]
    worst = list(
        poor.order_by()
        .values("contract")
        .annotate(
            inadequate=Count("pk", filter=Q(latest_rating=Rating.INADEQUATE)),
            requires_improvement=Count("pk", filter=Q(latest_rating=Rating.REQUIRES_IMPROVEMENT)),
        )
        .order_by("-inadequate", "-requires_improvement", "contract")[:HEATMAP_ROWS]
        .values_list("contract", flat=True)
    )
    rows = {
        row.pk: row
        for row in Contract.objects.filter(pk__in=worst)
        .select_related("supplier")
        .annotate(
            **{
                f"kpis_{key}": Count("kpis", filter=Q(kpis__is_active=True, kpis__latest_rating=key))
                for key in Rating.values
            }
        )
    }
    heatmap = [
        {"contract": rows[pk], "cells": [(key, getattr(rows[pk], f"kpis_{key}")) for key in Rating.values]}
        for pk in worst
        if pk in rows
    ]
    unrated = counts.pop("unrated")
    return Performance(latest=counts, poor_contracts=poor_contracts, heatmap=heatmap, unrated_kpis=unrated)


def trend_months(today: date) -> list[date]:
    """The first days of the twelve months before this one, oldest first."""
    first = today.replace(day=1)
    return [add_months(first, -offset) for offset in range(12, 0, -1)]


def performance_trend(contracts: ContractQuerySet, *, today: date, filtered: bool) -> dict:
    """KPI results of the last twelve months by month and rating (one query over the results)."""
    months = trend_months(today)
    results = KpiResult.objects.filter(period_start__gte=months[0], period_start__lt=today.replace(day=1))
    if filtered:
        results = results.filter(kpi__contract__in=contracts)
    counts = {
        (row["month"], row["effective"]): row["n"]
        for row in results.annotate(month=TruncMonth("period_start"), effective=_effective_rating())
        .values("month", "effective")
        .annotate(n=Count("pk"))
        .order_by()
    }

    return {
        "months": months,
        "series": [
            {"rating": key, "label": label, "counts": [counts.get((m, key), 0) for m in months]}
            for key, label in Rating.choices
        ],
    }


# --- Renewals -----------------------------------------------------------------------------


def band_dates(band: str, *, today: date) -> tuple[date, date]:
    """The first day of a band and the first day after it."""
    for name, start, end in BANDS:
        if name == band:
            return add_months(today, start), add_months(today, end)
    raise ValueError(band)


def with_notice_date(contracts: ContractQuerySet) -> QuerySet:
    return contracts.annotate(notice_on=NoticeDate())


def renewals(contracts: ContractQuerySet, *, today: date) -> dict:
    """One query: active contracts ending, or reaching their notice date, in each band; and those
    past their end date still active."""
    aggregates: dict[str, Expression] = {}
    for name, _start, _end in BANDS:
        first, after = band_dates(name, today=today)
        aggregates[f"ending_{name}"] = Count("pk", filter=Q(end_date__gte=first, end_date__lt=after))
        aggregates[f"ending_{name}_value"] = _sum("total_value", end_date__gte=first, end_date__lt=after)
        aggregates[f"notice_{name}"] = Count("pk", filter=Q(notice_on__gte=first, notice_on__lt=after))
    aggregates["past_end"] = Count("pk", filter=Q(end_date__lt=today))
    aggregates["past_end_value"] = _sum("total_value", end_date__lt=today)
    figures = with_notice_date(contracts.active()).order_by().aggregate(**aggregates)
    return {
        "bands": [
            {
                "band": name,
                "label": f"{start} to {end} months",
                "ending": figures[f"ending_{name}"],
                "ending_value": figures[f"ending_{name}_value"],
                "notice": figures[f"notice_{name}"],
            }
            for name, start, end in BANDS
        ],
        "past_end": figures["past_end"],
        "past_end_value": figures["past_end_value"],
    }


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
    last_held = face_to_face.filter(status=Meeting.Status.HELD).order_by("-starts_at").values("starts_at")[:1]
    planned = face_to_face.filter(status=Meeting.Status.PLANNED, starts_at__gte=now)
    annotated = contracts.active().annotate(
        cadence=_cadence(),
        last_meeting_on=Coalesce(
            TruncDate(Subquery(last_held), tzinfo=timezone.get_current_timezone()), F("start_date")
        ),
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


def meetings_without_minutes(contracts: ContractQuerySet) -> QuerySet[Meeting]:
    """Held meetings with neither minutes written nor a minutes file."""
    return Meeting.objects.filter(contract__in=contracts, status=Meeting.Status.HELD, minutes="", minutes_file="")


def overdue_actions(contracts: ContractQuerySet, *, today: date) -> QuerySet[Action]:
    return Action.objects.filter(meeting__contract__in=contracts, done_on__isnull=True, due_date__lt=today)


def meetings(contracts: ContractQuerySet, *, today: date) -> dict:
    """Four counts, four queries."""
    return {
        "arrange_by_passed": arrange_by_passed(contracts, today=today).count(),
        "short_notice": short_notice_meetings(contracts, today=today).count(),
        "without_minutes": meetings_without_minutes(contracts).count(),
        "overdue_actions": overdue_actions(contracts, today=today).count(),
    }


# --- Governance ---------------------------------------------------------------------------


def strategic_without_sro(contracts: ContractQuerySet) -> ContractQuerySet:
    return contracts.active().strategic().filter(sro__isnull=True)


def sro_not_budget_holder(contracts: ContractQuerySet) -> ContractQuerySet:
    """Active strategic contracts whose SRO is not a budget holder, or has left."""
    return contracts.active().strategic().filter(Q(sro__is_budget_holder=False) | Q(sro__is_active=False))


def without_oco(contracts: ContractQuerySet) -> ContractQuerySet:
    return contracts.active().filter(oco__isnull=True)


def ocos_without_training(contracts: ContractQuerySet, *, today: date) -> QuerySet[User]:
    """OCOs named on the active contracts without current commercial-awareness training."""
    current = TrainingRecord.objects.current(on=today).filter(course=TrainingRecord.Course.COMMERCIAL_AWARENESS)
    return User.objects.filter(pk__in=contracts.active().values("oco")).exclude(pk__in=current.values("user"))


@dataclass
class ReviewProgress:
    review_round: ReviewRound | None
    items: int = 0
    reviewed: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.reviewed / self.items) if self.items else 0


def review_progress(contracts: ContractQuerySet) -> ReviewProgress:
    review_round = ReviewRound.objects.order_by("-year", "-half").first()
    if review_round is None:
        return ReviewProgress(review_round=None)
    figures = ReviewItem.objects.filter(review_round=review_round, contract__in=contracts).aggregate(
        items=Count("pk"), reviewed=Count("pk", filter=Q(assessment__isnull=False))
    )
    return ReviewProgress(review_round=review_round, **figures)


def governance(contracts: ContractQuerySet, *, today: date) -> dict:
    counts = (
        contracts.active()
        .order_by()
        .aggregate(
            strategic_without_sro=Count("pk", filter=Q(kraljic_quadrant=Quadrant.STRATEGIC, sro__isnull=True)),
            sro_not_budget_holder=Count(
                "pk",
                filter=Q(kraljic_quadrant=Quadrant.STRATEGIC)
                & (Q(sro__is_budget_holder=False) | Q(sro__is_active=False)),
            ),
            without_oco=Count("pk", filter=Q(oco__isnull=True)),
        )
    )
    training_kept = TrainingRecord.objects.exists()
    counts["training_kept"] = training_kept
    counts["ocos_without_training"] = ocos_without_training(contracts, today=today).count() if training_kept else 0
    counts["review"] = review_progress(contracts)
    return counts


# --- Escalations --------------------------------------------------------------------------


def open_escalations(contracts: ContractQuerySet) -> QuerySet[Escalation]:
    return Escalation.objects.open().filter(contract__in=contracts)


def escalations(contracts: ContractQuerySet) -> dict:
    """Open escalations by source and severity, and the oldest few (two queries)."""
    escalations = open_escalations(contracts)
    cells = {
        (row["source"], row["severity"]): row
        for row in escalations.order_by()
        .values("source", "severity")
        .annotate(count=Count("pk"), oldest=Min("raised_on"))
    }
    severities = list(reversed(Escalation.Severity.choices))  # the most severe first
    rows = []
    for source, label in Escalation.Source.choices:
        counts = [
            (severity, severity_label, cells[(source, severity)]["count"] if (source, severity) in cells else 0)
            for severity, severity_label in severities
        ]
        rows.append({"source": source, "label": label, "cells": counts, "total": sum(c for _, _, c in counts)})
    return {
        "severities": severities,
        "rows": rows,
        "total": sum(row["total"] for row in rows),
        "oldest": list(escalations.select_related("contract").order_by("raised_on", "pk")[:5]),
    }


# --- Value for money ----------------------------------------------------------------------


def financial_year(today: date) -> int:
    return Saving.financial_year_of(today)


def savings_this_year(contracts: ContractQuerySet, *, today: date) -> QuerySet[Saving]:
    return Saving.objects.filter(contract__in=contracts, financial_year=financial_year(today))


@dataclass
class ValueForMoney:
    year: int
    count: int = 0
    total: Decimal = ZERO
    by_kind: list[dict] = field(default_factory=list)
    contracts: int = 0
    contracts_value: Decimal = ZERO
    any_savings: bool = False

    @property
    def label(self) -> str:
        return f"{self.year}-{str(self.year + 1)[-2:]}"

    @property
    def percent_of_value(self) -> Decimal | None:
        if not self.contracts_value:
            return None
        return (100 * self.total / self.contracts_value).quantize(Decimal("0.1"))


def value_for_money(contracts: ContractQuerySet, *, today: date) -> ValueForMoney:
    """Savings recorded this financial year (April to March) against the value of their contracts."""
    year = financial_year(today)
    savings = savings_this_year(contracts, today=today)
    totals = savings.order_by().aggregate(
        count=Count("pk"),
        total=_sum("amount"),
        **{f"kind_{kind}": _sum("amount", kind=kind) for kind in Saving.Kind.values},
    )
    value = (
        contracts.filter(pk__in=savings.values("contract"))
        .order_by()
        .aggregate(n=Count("pk"), value=_sum("total_value"))
    )
    return ValueForMoney(
        year=year,
        count=totals["count"],
        total=totals["total"],
        by_kind=[
            {"kind": kind, "label": label, "total": totals[f"kind_{kind}"]} for kind, label in Saving.Kind.choices
        ],
        contracts=value["n"],
        contracts_value=value["value"],
        any_savings=totals["count"] > 0 or Saving.objects.exists(),
    )


# --- Per-contract ratings (the SRO's overview) --------------------------------------------

RATING_KEYS = Rating.values
RATING_LABELS = Rating.labels


def kpi_rating_counts() -> dict:
    """Annotations: each contract's active KPIs by the rating of their latest result."""
    return {
        f"kpis_{key}": Count("kpis", filter=Q(kpis__is_active=True, kpis__latest_rating=key), distinct=True)
        for key in RATING_KEYS
    }
