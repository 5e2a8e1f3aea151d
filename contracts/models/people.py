"""Who held the OCO or SRO role on a contract, from when to when (the contract's own `oco` and `sro`
are who holds it now)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from contracts.models.register import Contract
from core.history import HistoricalRecords


class ContractAssignment(models.Model):
    """Who held the OCO or SRO role on a contract, from when to when."""

    class Role(models.TextChoices):
        OCO = "oco", "OCO"
        SRO = "sro", "SRO"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(max_length=3, choices=Role.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contract_assignments")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "role", "-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "role"],
                condition=Q(ended_at__isnull=True),
                name="one_current_holder_per_role",
            ),
            models.CheckConstraint(
                name="assignment_ends_after_start",
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.user} on {self.contract.reference}"
