"""A contract's formal life: variations, extension options, renewal decisions, its end, savings."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from contracts.models.documents import ContractDocument
from contracts.models.register import Contract
from core.dates import add_months, add_working_days, financial_year_label, financial_year_of
from core.formatting import long_date, pounds
from core.history import HistoricalRecords

# Procurement Act 2023, section 80: a contract termination notice within 30 days.
TERMINATION_NOTICE_DAYS = 30
# The voluntary standstill after a contract change notice (section 76): eight working days.
STANDSTILL_WORKING_DAYS = 8


class Variation(models.Model):
    """A change to a contract, proposed and then agreed. Its value and end date changes make the
    contract's current ones. Where section 75 asks for a contract change notice, the notice comes
    first: the variation is agreed only once its notice is recorded as published (or an exemption
    from it recorded with its reason)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        AGREED = "agreed", "Agreed"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="variations")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    agreed_on = models.DateField("date agreed", null=True, blank=True)
    description = models.TextField()
    reason = models.TextField()
    value_change = models.DecimalField(
        "change in value (£)",
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        help_text="Positive for an increase, negative for a decrease.",
    )
    new_end_date = models.DateField(
        null=True, blank=True, help_text="The end date after this change; blank when the term does not change."
    )
    made_with = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="+",
        verbose_name="could reasonably have been made together with",
        help_text="Earlier variations that could reasonably have been made together with this one: "
        "they count together for the change notice rule.",
    )
    documents = models.ManyToManyField(ContractDocument, blank=True, related_name="variations")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    change_notice_required = models.BooleanField(default=False)
    change_notice_reason = models.CharField(max_length=255, blank=True)
    change_notice_published_on = models.DateField("change notice published on", null=True, blank=True)
    change_notice_exemption = models.TextField(
        "no change notice, because",
        blank=True,
        help_text="Why the modification may be made without publishing a contract change notice.",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="variation_number_unique"),
            models.CheckConstraint(
                name="variation_agreed_has_date",
                condition=Q(status="proposed") | Q(agreed_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Variation {self.number} to {self.contract.reference}"

    @property
    def is_agreed(self) -> bool:
        return self.status == self.Status.AGREED

    @property
    def notice_answered(self) -> bool:
        """Nothing about the change notice stands in the way of agreeing it."""
        return (
            not self.change_notice_required
            or self.change_notice_published_on is not None
            or bool(self.change_notice_exemption.strip())
        )

    @property
    def standstill_ends_on(self):
        """The last day of the voluntary standstill after the change notice was published (section 76)."""
        if self.change_notice_published_on is None:
            return None
        return add_working_days(self.change_notice_published_on, STANDSTILL_WORKING_DAYS)

    def standstill_running(self, today) -> bool:
        ends = self.standstill_ends_on
        return ends is not None and today <= ends

    def clean(self):
        errors = {}
        contract = self.contract
        if self.agreed_on and self.agreed_on < contract.start_date:
            errors["agreed_on"] = "A variation cannot be agreed before the contract starts."
        if self.agreed_on and self.agreed_on > timezone.localdate():
            errors["agreed_on"] = "Record a variation once it is agreed: the date is in the future."
        if self.new_end_date and self.new_end_date < contract.start_date:
            errors["new_end_date"] = "The new end date must be after the contract starts."
        limit = contract.extended_end_date
        if self.new_end_date and limit and self.new_end_date > limit:
            errors["new_end_date"] = (
                f"The new end date is after the latest date the contract allows ({long_date(limit)})."
            )
        if errors:
            raise ValidationError(errors)


class ExtensionOption(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", "Not decided"
        TAKEN = "taken", "Taken up"
        DECLINED = "declined", "Declined"

    MAX_LENGTH_MONTHS = 240

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="extension_options")
    length_months = models.PositiveSmallIntegerField("length (months)")
    decide_by = models.DateField("decide by")
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "decide_by"]

    def __str__(self) -> str:
        return (
            f"{self.length_months}-month extension of {self.contract.reference}, decide by {long_date(self.decide_by)}"
        )

    def clean(self):
        contract = self.contract
        if not self.length_months:
            raise ValidationError({"length_months": "An extension is at least a month long."})
        if self.length_months > self.MAX_LENGTH_MONTHS:
            # Before the date arithmetic below, which a huge number would run off the calendar.
            raise ValidationError({"length_months": "An extension option is at most 240 months (20 years)."})
        limit = contract.extended_end_date
        if limit is None:
            raise ValidationError({"length_months": "Set the contract's latest end date with all extensions first."})
        taken = sum(
            o.length_months
            for o in contract.extension_options.exclude(pk=self.pk).exclude(decision=self.Decision.DECLINED)
        )
        end = add_months(contract.original_end_date or contract.end_date, taken + self.length_months)
        if end > limit:
            raise ValidationError(
                {
                    "length_months": f"With this option the contract would run to {long_date(end)}, beyond the "
                    f"latest date it allows ({long_date(limit)})."
                }
            )
        if self.decide_by and self.decide_by > contract.end_date:
            raise ValidationError({"decide_by": "Decide before the contract ends."})


class RenewalDecision(models.Model):
    class Decision(models.TextChoices):
        EXTEND = "extend", "Extend"
        REPROCURE = "reprocure", "Re-procure"
        LET_EXPIRE = "let_expire", "Let expire"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="renewal_decisions")
    decision = models.CharField(max_length=12, choices=Decision.choices)
    notes = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(default=timezone.localdate)
    end_date = models.DateField(
        "end date decided on",
        null=True,
        blank=True,
        help_text="The contract's end date when the decision was made: a later term needs its own decision.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.contract.reference}: {self.get_decision_display()} ({long_date(self.decided_on)})"


class ContractEndingQuerySet(models.QuerySet):
    def termination_notice_due(self, *, contracts=None):
        """Endings of contracts under the Act (section 80) whose contract termination notice is not yet
        recorded as published, oldest first (of `contracts` when given)."""
        endings = self.filter(
            notice_published_on__isnull=True, contract__in=Contract.objects.needing_termination_notices()
        )
        if contracts is not None:
            endings = endings.filter(contract__in=contracts)
        return endings.order_by("ended_on", "pk")


class ContractEnding(models.Model):
    """How a contract ended, and what its contract termination notice needs (Procurement Act 2023, s.80)."""

    class Kind(models.TextChoices):
        TERMINATED = "terminated", "Terminated"
        EXPIRED = "expired", "Let expire"

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="ending")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    ended_on = models.DateField()
    reason = models.TextField()
    ended_early_for_breach = models.BooleanField(default=False)
    breach_details = models.TextField(blank=True)
    damages_or_settlement = models.TextField("damages or settlement", blank=True)
    notice_published_on = models.DateField("termination notice published on", null=True, blank=True)
    # Blank when the register recorded it itself: a contract that reached its end date (contracts_expire).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = ContractEndingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="breach_needs_details",
                condition=Q(ended_early_for_breach=False) | ~Q(breach_details=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference} {self.get_kind_display().lower()} on {long_date(self.ended_on)}"

    @property
    def notice_due_by(self):
        return self.ended_on + timedelta(days=TERMINATION_NOTICE_DAYS)

    def clean(self):
        errors = {}
        if self.ended_on and self.contract_id and self.ended_on < self.contract.start_date:
            errors["ended_on"] = "A contract cannot end before it starts."
        if self.ended_on and self.ended_on > timezone.localdate():
            errors["ended_on"] = "Record the ending once it has happened; until then record a renewal decision."
        if self.ended_early_for_breach and not self.breach_details.strip():
            errors["breach_details"] = "Describe the breach."
        if self.ended_early_for_breach and self.kind != self.Kind.TERMINATED:
            errors["ended_early_for_breach"] = "Only a terminated contract ends early for breach."
        if errors:
            raise ValidationError(errors)


class SavingQuerySet(models.QuerySet["Saving"]):
    def visible_to(self, user):
        return self.filter(contract__in=Contract.objects.visible_to(user))


class Saving(models.Model):
    class Kind(models.TextChoices):
        CASH_RELEASING = "cash_releasing", "Cash-releasing"
        COST_AVOIDANCE = "cost_avoidance", "Cost avoidance"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="savings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount = models.DecimalField("amount (£)", max_digits=14, decimal_places=2)
    achieved_on = models.DateField("date achieved")
    financial_year = models.PositiveSmallIntegerField(
        help_text="The year the financial year starts: 2026 is April 2026 to March 2027."
    )
    description = models.TextField()
    evidence = models.TextField(blank=True, help_text="Where the saving is shown: invoices, quotes, a report.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    validated_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    objects = SavingQuerySet.as_manager()

    class Meta:
        ordering = ["-achieved_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="saving_amount_positive",
                condition=Q(amount__gt=0),
                violation_error_message="A saving is a positive amount.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} saving of {pounds(self.amount)} on {self.contract.reference}"

    financial_year_of = staticmethod(financial_year_of)

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.financial_year)

    def clean(self):
        if self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": "A saving is a positive amount."})
