"""Improvement plans: what the supplier must improve on a KPI, by when, followed up by whom."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract
from core.formatting import long_date
from core.history import HistoricalRecords
from performance.models.kpis import Kpi, KpiResult


class ImprovementPlan(models.Model):
    """What the supplier must improve on a KPI, by when, who follows it up and when it is reviewed:
    the "proper opportunity to improve" on which a Procurement Act failure notice later rests."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IMPROVED = "improved", "Improved"
        NOT_IMPROVED = "not_improved", "Not improved"
        WITHDRAWN = "withdrawn", "Withdrawn"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="improvement_plans")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="improvement_plans", null=True, blank=True)
    result = models.ForeignKey(
        KpiResult,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvement_plans",
        help_text="The result that prompted it.",
    )
    must_improve = models.TextField("what must improve")
    improve_by = models.DateField("improve by")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="improvement_plans",
        help_text="Who follows it up with the supplier.",
    )
    review_on = models.DateField("review date")
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["improve_by", "pk"]

    def __str__(self) -> str:
        return f"Improvement plan for {self.kpi or self.contract} by {long_date(self.improve_by)}"

    def get_absolute_url(self) -> str:
        return reverse("performance:improvement_plan", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.improve_by < timezone.localdate()
