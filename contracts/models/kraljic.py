"""Kraljic segmentation: weighted criteria, assessments, and the six-monthly review rounds."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.urls import reverse

from contracts.models.reference import Quadrant
from contracts.models.register import Contract
from core.formatting import long_date
from core.history import HistoricalRecords


class Axis(models.TextChoices):
    PROFIT_IMPACT = "profit_impact", "Profit impact"
    SUPPLY_RISK = "supply_risk", "Supply risk"


class KraljicCriterion(models.Model):
    """Reference data (edited by administrators): one weighted criterion on one axis."""

    axis = models.CharField(max_length=20, choices=Axis.choices)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True, help_text="What a score of 1 and of 5 mean.")
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Relative weight within its axis; the weights of an axis need not add up to anything.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("active", default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["axis", "position", "name"]
        verbose_name_plural = "Kraljic criteria"
        constraints = [
            models.UniqueConstraint(fields=["axis", "name"], name="kraljic_criterion_unique_name"),
            models.CheckConstraint(name="kraljic_weight_positive", condition=Q(weight__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.get_axis_display()}: {self.name} (weight {self.weight})"


class KraljicSettings(models.Model):
    """Reference data: the score at or above which an axis counts as high. One row."""

    profit_impact_threshold = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=Decimal("3.00"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    supply_risk_threshold = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=Decimal("3.00"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "Kraljic settings"

    def __str__(self) -> str:
        return f"High from {self.profit_impact_threshold} (profit impact), {self.supply_risk_threshold} (supply risk)"

    @classmethod
    def current(cls) -> "KraljicSettings":
        settings_row, _ = cls.objects.get_or_create(pk=1)
        return settings_row

    def quadrant(self, *, profit_impact: Decimal, supply_risk: Decimal) -> str:
        high_impact = profit_impact >= self.profit_impact_threshold
        high_risk = supply_risk >= self.supply_risk_threshold
        if high_impact and high_risk:
            return Quadrant.STRATEGIC
        if high_impact:
            return Quadrant.LEVERAGE
        if high_risk:
            return Quadrant.BOTTLENECK
        return Quadrant.NON_CRITICAL


class ReviewRoundQuerySet(models.QuerySet["ReviewRound"]):
    def with_progress(self):
        """Each round annotated with `total` contracts and how many are `reviewed`."""
        return self.annotate(total=Count("items"), reviewed=Count("items", filter=Q(items__reviewed_at__isnull=False)))

    def with_overdue(self, *, today: date):
        """Each round annotated with `overdue`: still open after its due date with contracts not yet
        reviewed. A round whose every contract is reviewed is complete, not overdue, even unclosed."""
        unreviewed = ReviewItem.objects.filter(review_round=OuterRef("pk"), reviewed_at__isnull=True)
        overdue = Q(closed_at__isnull=True, due_date__lt=today) & Exists(unreviewed)
        return self.annotate(overdue=ExpressionWrapper(overdue, output_field=BooleanField()))

    def overdue(self, *, today: date):
        return self.with_overdue(today=today).filter(overdue=True)


class ReviewRound(models.Model):
    """The Procurement Unit's six-monthly review of every active contract's quadrant."""

    year = models.PositiveSmallIntegerField()
    half = models.PositiveSmallIntegerField(choices=[(1, "January to June"), (2, "July to December")])
    opened_at = models.DateTimeField()
    due_date = models.DateField(help_text="The end of the round's second month.")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.TextField(blank=True, help_text="Written when the round is closed: the quadrants that changed.")

    history = HistoricalRecords()
    objects = ReviewRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-half"]
        constraints = [
            models.UniqueConstraint(fields=["year", "half"], name="one_review_round_per_half_year"),
        ]

    def __str__(self) -> str:
        return f"Kraljic review {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:review_round", args=[self.pk])

    @property
    def label(self) -> str:
        return f"{'January' if self.half == 1 else 'July'} {self.year}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @staticmethod
    def half_of(day: date) -> tuple[int, int]:
        return day.year, 1 if day.month <= 6 else 2


class KraljicAssessment(models.Model):
    """One assessment of a contract: its scores per criterion, the two weighted scores, the quadrant."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="kraljic_assessments")
    profit_impact = models.DecimalField(max_digits=3, decimal_places=2)
    supply_risk = models.DecimalField(max_digits=3, decimal_places=2)
    quadrant = models.CharField(max_length=20, choices=Quadrant.choices)
    rationale = models.TextField(blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    review_round = models.ForeignKey(
        ReviewRound, on_delete=models.SET_NULL, null=True, blank=True, related_name="assessments"
    )
    confirms = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The earlier assessment this one confirmed unchanged in a review.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-created_at"]
        get_latest_by = ["assessed_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                name="kraljic_scores_between_1_and_5",
                condition=Q(profit_impact__gte=1, profit_impact__lte=5, supply_risk__gte=1, supply_risk__lte=5),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference}: {self.get_quadrant_display()} on {long_date(self.assessed_on)}"


class KraljicScore(models.Model):
    assessment = models.ForeignKey(KraljicAssessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(KraljicCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    weight = models.DecimalField(
        max_digits=5, decimal_places=2, help_text="The criterion's weight when the assessment was made."
    )

    class Meta:
        ordering = ["criterion__axis", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(name="kraljic_score_1_to_5", condition=Q(score__gte=1, score__lte=5)),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.score}"


class ReviewItem(models.Model):
    """A contract to review in a round; done when an assessment in the round is recorded for it."""

    review_round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="items")
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="review_items")
    previous = models.ForeignKey(KraljicAssessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    assessment = models.ForeignKey(
        KraljicAssessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["contract__reference"]
        constraints = [
            models.UniqueConstraint(fields=["review_round", "contract"], name="one_review_item_per_contract"),
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference} in {self.review_round}"
