"""KPIs and SLAs of a contract, the results an OCO logs each period, their monthly rating counts and poor runs."""

import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse

from contracts.models import Contract, Escalation
from core.formatting import long_date
from core.history import HistoricalRecords
from performance.periods import Frequency, Period, period_containing, periods_between
from performance.ratings import RATING_WORDS, Direction, Rating, rate


class KpiQuerySet(models.QuerySet["Kpi"]):
    def visible_to(self, user):
        return self.filter(contract__in=Contract.objects.visible_to(user))

    def active(self):
        return self.filter(is_active=True)

    def published(self):
        return self.filter(is_published=True)

    def refresh_latest(self) -> int:
        """Copy each KPI's latest result (period and effective rating) onto the KPI, in one UPDATE.

        The dashboards read these two columns instead of searching millions of results."""
        latest = KpiResult.objects.filter(kpi=models.OuterRef("pk")).order_by("-period_start")
        return self.update(
            latest_period_start=models.Subquery(latest.values("period_start")[:1]),
            latest_rating=Coalesce(
                models.Subquery(
                    latest.annotate(
                        effective=models.Case(models.When(rating_override="", then="rating"), default="rating_override")
                    ).values("effective")[:1]
                ),
                models.Value(""),
            ),
        )


class Kpi(models.Model):
    """A KPI or SLA of a contract: what is measured, its target and how a result is rated."""

    class Kind(models.TextChoices):
        KPI = "kpi", "KPI"
        SLA = "sla", "SLA"

    class Unit(models.TextChoices):
        PERCENTAGE = "percentage", "Percentage"
        COUNT = "count", "Count"
        DAYS = "days", "Days"
        HOURS = "hours", "Hours"
        POUNDS = "pounds", "Pounds"
        YES_NO = "yes_no", "Yes/no"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=3, choices=Kind.choices, default=Kind.KPI)
    unit = models.CharField(max_length=12, choices=Unit.choices, default=Unit.PERCENTAGE)
    target = models.DecimalField(max_digits=14, decimal_places=2)
    direction = models.CharField(max_length=6, choices=Direction.choices, default=Direction.HIGHER)
    tolerance = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        help_text="How far from the target a result may be and still count as Approaching target.",
    )
    inadequate_threshold = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text="Beyond this (below it when higher is better, above it when lower is better) a result is Inadequate.",
    )
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.MONTHLY)
    start_date = models.DateField(help_text="The first reporting period starts on this day.")
    end_date = models.DateField(null=True, blank=True, help_text="Blank: until the contract ends.")
    is_published = models.BooleanField(
        "published KPI", default=False, help_text="One of the contract's KPIs published under the Procurement Act 2023."
    )
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The latest result, kept by the services that record results (KpiQuerySet.refresh_latest).
    latest_period_start = models.DateField("latest result's period", null=True, blank=True, editable=False)
    latest_rating = models.CharField(
        "latest rating", max_length=25, choices=Rating.choices, blank=True, editable=False, db_index=True
    )

    history = HistoricalRecords(excluded_fields=["latest_period_start", "latest_rating"])
    objects = KpiQuerySet.as_manager()

    # What a KPI is and how its results are rated, in the order the KPI form and the API both give them.
    DEFINITION = (
        "name",
        "description",
        "kind",
        "unit",
        "direction",
        "target",
        "tolerance",
        "inadequate_threshold",
        "frequency",
        "start_date",
        "end_date",
        "is_published",
        "is_active",
    )

    class Meta:
        ordering = ["contract", "name"]
        verbose_name = "KPI"
        verbose_name_plural = "KPIs"
        constraints = [
            models.CheckConstraint(name="kpi_tolerance_not_negative", condition=Q(tolerance__gte=0)),
        ]
        # Live KPIs counted by their latest rating (KpiRatings' rebuild and ad hoc counts): read from this
        # index alone (an index-only scan), not from the table with its long descriptions. The dashboards
        # read KpiRatings instead.
        indexes = [
            models.Index(fields=["contract", "latest_rating"], include=["is_active"], name="kpi_contract_rating"),
            # ... and the contracts with poorly rated live KPIs (the heat map, the poor contracts):
            # a small slice of every KPI in the register.
            models.Index(
                fields=["contract"],
                include=["latest_rating"],
                # Equalities, not IN: PostgreSQL gives this definition back as it takes it (seed_scale).
                condition=Q(is_active=True)
                & (Q(latest_rating=Rating.REQUIRES_IMPROVEMENT) | Q(latest_rating=Rating.INADEQUATE)),
                name="kpi_live_poor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.contract.reference})"

    def get_absolute_url(self) -> str:
        return reverse("performance:contract", args=[self.contract_id]) + f"#kpi-{self.pk}"

    @property
    def last_day(self) -> date:
        """The last day the KPI is measured: its own end date, or the contract's."""
        return self.end_date or self.contract.end_date

    def clean(self):
        errors = {}
        if self.unit == self.Unit.PERCENTAGE:
            for name in ("target", "inadequate_threshold"):
                value = getattr(self, name)
                if value is not None and not 0 <= value <= 100:
                    errors[name] = "A percentage runs from 0 to 100."
        if self.target is not None and self.inadequate_threshold is not None and self.tolerance is not None:
            if self.direction == Direction.HIGHER and self.inadequate_threshold > self.target - self.tolerance:
                errors["inadequate_threshold"] = (
                    "When higher is better, the Inadequate threshold must be at most the target minus the tolerance."
                )
            if self.direction == Direction.LOWER and self.inadequate_threshold < self.target + self.tolerance:
                errors["inadequate_threshold"] = (
                    "When lower is better, the Inadequate threshold must be at least the target plus the tolerance."
                )
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date must be on or after the start date."
        if errors:
            raise ValidationError(errors)

    def rate(self, actual: Decimal) -> str:
        return rate(
            actual=actual,
            target=self.target,
            direction=self.direction,
            tolerance=self.tolerance,
            inadequate_threshold=self.inadequate_threshold,
        )

    def periods(self, *, until: date, since: date | None = None) -> list[Period]:
        """The reporting periods that have started by `until` (and end on or after `since`), within the KPI's life."""
        return periods_between(
            start=self.start_date, frequency=self.frequency, until=min(until, self.last_day), since=since
        )

    def period_for(self, period_start: date) -> Period | None:
        """The period starting on `period_start`, or None when no period of this KPI starts then."""
        period = period_containing(start=self.start_date, frequency=self.frequency, day=period_start)
        if period is None or period.start != period_start or period.start > self.last_day:
            return None
        return period

    def validate_actual(self, actual: Decimal) -> None:
        if self.unit == self.Unit.PERCENTAGE and not 0 <= actual <= 100:
            raise ValidationError({"actual": "A percentage runs from 0 to 100."})
        if self.unit == self.Unit.YES_NO and actual not in (0, 1):
            raise ValidationError({"actual": "Record 1 for yes or 0 for no."})
        if self.unit != self.Unit.YES_NO and actual < 0 and self.unit != self.Unit.POUNDS:
            raise ValidationError({"actual": "This measure cannot be negative."})


def evidence_upload_to(instance, filename: str) -> str:
    return f"kpi-evidence/{uuid.uuid4().hex}"


class KpiResult(models.Model):
    """What the supplier achieved on a KPI in one period; one per KPI and period, corrected by editing."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="results")
    period_start = models.DateField()
    period_end = models.DateField()
    actual = models.DecimalField(max_digits=14, decimal_places=2)
    commentary = models.TextField(blank=True)
    evidence = models.FileField(upload_to=evidence_upload_to, max_length=200, blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    rating = models.CharField(max_length=25, choices=Rating.choices, help_text="Rated from the target and thresholds.")
    rating_override = models.CharField(max_length=25, choices=Rating.choices, blank=True)
    override_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Blank when keyed in by its recorder; "supplier, verified by <OCO>" from the supplier portal.
    source = models.CharField(max_length=255, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    # Not stored: set for display by performance.charts.decorate.
    label: str
    display_actual: str
    # Not stored: read by performance.charts.contract_performance for the results table.
    updated_day: date
    # Not stored: set for a row of the results table by performance.rows.result_rows.
    correct_url: str
    override_url: str
    evidence_url: str
    updated_on: str
    is_poor: bool
    rating_cell: str
    details: str
    actions: str
    row: str
    row_readonly: str

    class Meta:
        ordering = ["kpi", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "period_start"], name="one_result_per_period"),
            models.CheckConstraint(
                name="result_period_ends_after_start", condition=Q(period_end__gte=models.F("period_start"))
            ),
            models.CheckConstraint(
                name="override_needs_a_reason",
                condition=Q(rating_override="") | ~Q(override_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi.name}, {long_date(self.period_start)}: {self.actual} ({self.get_effective_rating_display()})"

    @property
    def effective_rating(self) -> str:
        return self.rating_override or self.rating

    def get_effective_rating_display(self) -> str:
        return RATING_WORDS[self.effective_rating]  # a dict, not Rating(...): read for hundreds of results a page


class RatingMonth(models.Model):
    """How many KPI results of a month have each (effective) rating: one row per contract, month and
    rating, and the whole register's rows with no contract. Kept by the services that record, override
    and delete results (performance.services.rating_months), in their transaction; rebuilt from the
    results by `manage.py rating_months_rebuild`. The dashboard's 12-month trend reads these."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, null=True, related_name="+")
    month = models.DateField(help_text="The first day of the month the results' periods start in.")
    rating = models.CharField(max_length=25, choices=Rating.choices)
    results = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contract", "month", "rating"], name="rating_month_per_contract"),
            models.UniqueConstraint(
                fields=["month", "rating"], condition=Q(contract=None), name="rating_month_per_register"
            ),
        ]
        indexes = [models.Index(fields=["month"], condition=Q(contract=None), name="rating_month_register")]

    def __str__(self) -> str:
        return f"{self.month:%b %Y} {self.rating}: {self.results}"


class KpiRatings(models.Model):
    """A contract's active KPIs counted by the rating of their latest result (`unrated`: no result yet):
    one row per contract that has had KPIs. Kept by the services that change a KPI's latest rating or
    whether it counts (performance.services.kpi_ratings: record, override, delete, the KPI's save and
    deletion), in their transaction; rebuilt from the KPIs by `manage.py kpi_ratings_rebuild`. The
    Procurement dashboard's totals and heat map, and the poor-performance list, read these rows, an
    eighth of the KPIs'."""

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, primary_key=True, related_name="kpi_ratings")
    good = models.IntegerField(default=0)
    approaching = models.IntegerField(default=0)
    requires_improvement = models.IntegerField(default=0)
    inadequate = models.IntegerField(default=0)
    other = models.IntegerField(default=0)
    unrated = models.IntegerField(default=0)

    # A field for each rating (named as its value) and one for none yet.
    FIELDS = (*Rating.values, "unrated")

    class Meta:
        verbose_name = "KPI ratings of a contract"
        verbose_name_plural = "KPI ratings of contracts"
        indexes = [
            # The contracts with poorly rated KPIs, the worst first (the heat map, the poor list).
            models.Index(
                models.F("inadequate").desc(),
                models.F("requires_improvement").desc(),
                "contract",
                condition=Q(inadequate__gt=0) | Q(requires_improvement__gt=0),
                name="kpi_ratings_poor",
            ),
        ]

    def __str__(self) -> str:
        return f"KPI ratings of contract {self.contract_id}"

    @property
    def counts(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in self.FIELDS}

    @staticmethod
    def poor(through: str = "") -> Q:
        """Rows with an active KPI whose latest result is Requires improvement or Inadequate (the rows
        reached `through` a relation, e.g. "kpi_ratings__" from contracts). The index kpi_ratings_poor's rows."""
        return Q(**{f"{through}inadequate__gt": 0}) | Q(**{f"{through}requires_improvement__gt": 0})


class PoorPerformanceRun(models.Model):
    """A run of consecutive poor results on a KPI, escalated once: the run's first period is its key."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="poor_runs")
    first_period_start = models.DateField()
    escalation = models.OneToOneField(Escalation, on_delete=models.PROTECT, related_name="poor_performance_run")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kpi", "first_period_start"], name="one_escalation_per_poor_run"),
        ]

    def __str__(self) -> str:
        return f"Poor run on {self.kpi} from {long_date(self.first_period_start)}"
