"""Key suppliers: designated by the Procurement Unit "based on contract value/risk/complexity", each with
a relationship plan, and reviewed in the six-monthly review round. Which suppliers the rule suggests is
`contracts.selectors.key_suppliers`."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from contracts.models.kraljic import ReviewRound
from core.history import HistoricalRecords
from suppliers.models import Supplier


class KeySupplier(models.Model):
    class Meetings(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        SIX_MONTHLY = "six_monthly", "Every six months"

    supplier = models.OneToOneField(Supplier, on_delete=models.CASCADE, related_name="key_supplier")
    reason = models.TextField(help_text="Why it is a key supplier: its contracts' value, risk or complexity.")
    designated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    designated_on = models.DateField()
    # The relationship plan.
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="key_suppliers_led",
        verbose_name="relationship lead",
    )
    objectives = models.TextField("relationship objectives", blank=True)
    meeting_frequency = models.CharField(
        "review meetings", max_length=20, choices=Meetings.choices, default=Meetings.QUARTERLY
    )
    next_meeting_on = models.DateField("next review meeting", null=True, blank=True)
    # The six-monthly review.
    reviewed_on = models.DateField(null=True, blank=True)
    review_round = models.ForeignKey(
        ReviewRound,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="key_suppliers_reviewed",
        help_text="The review round in which it was last confirmed as a key supplier.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["supplier__name"]

    def __str__(self) -> str:
        return f"Key supplier: {self.supplier}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:key_supplier", args=[self.supplier_id])
