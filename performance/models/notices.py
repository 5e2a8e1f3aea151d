"""Contract performance notices recorded as published (Procurement Act 2023, regulation 39)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from contracts.models import Contract
from core.formatting import long_date
from core.history import HistoricalRecords


class PerformanceNotice(models.Model):
    """A contract performance notice (Procurement Act 2023, regulation 39) recorded as published:
    one per contract, period and kind. Notices not recorded here are due (exchange/selectors/notices.py)."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", "12-month assessment"
        TERMINATION = "termination", "On termination"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="performance_notices")
    period_start = models.DateField()
    period_end = models.DateField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    published_on = models.DateField("published on")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "period_start", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "period_start", "kind"], name="one_performance_notice_per_period"
            ),
            models.CheckConstraint(
                name="performance_notice_period_ends_after_start",
                condition=Q(period_end__gte=models.F("period_start")),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"Performance notice for {self.contract.reference}, {long_date(self.period_start)} to "
            f"{long_date(self.period_end)} (published {long_date(self.published_on)})"
        )
