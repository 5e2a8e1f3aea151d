"""The contract's remedies: improvement notices with a cure period, service credits and deductions
against a KPI's periods, breaches and what came of them; and the section 72 rules they decide.

Procurement Act 2023, section 72: a contract performance notice is due within 30 days when
- a breach of a contract under the Act resulted in its termination, partial termination, an award
  of damages or a settlement agreement (`BREACH_OUTCOMES_NEEDING_NOTICE`), or
- a supplier that was told it was not performing to the authority's satisfaction and given a proper
  opportunity to improve (an improvement notice and its cure period) failed to improve (`NOT_CURED`),
whatever the contract's value. Each rule is written once: a pure function of one row's facts
(`breach_needs_notice`, `failure_needs_notice`, `section72_due_by`), which the one-row properties
call, and the same constants in the queryset methods (`needing_performance_notices`)."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract
from core.formatting import long_date, pounds
from core.history import HistoricalRecords
from performance.models.kpis import Kpi
from performance.models.plans import ImprovementPlan

# Section 72: the notice is published within 30 days of the event (the register's deadlines count
# the event's date plus 30 days, as for termination notices).
SECTION_72_DAYS = 30


def section72_due_by(event_on: date) -> date:
    """The day a section 72 contract performance notice is due: the event's date plus 30 days."""
    return event_on + timedelta(days=SECTION_72_DAYS)


class BreachOutcome(models.TextChoices):
    OPEN = "open", "Not yet resolved"
    TERMINATION = "termination", "Contract terminated"
    PARTIAL_TERMINATION = "partial_termination", "Contract partly terminated"
    DAMAGES = "damages", "Damages awarded"
    SETTLEMENT = "settlement", "Settlement agreed"
    RESOLVED = "resolved", "Resolved with none of these"


class CureOutcome(models.TextChoices):
    PENDING = "pending", "Cure period running"
    CURED = "cured", "Cured: the supplier improved"
    NOT_CURED = "not_cured", "Not cured: the supplier failed to improve"


BREACH_OUTCOMES_NEEDING_NOTICE = (
    BreachOutcome.TERMINATION,
    BreachOutcome.PARTIAL_TERMINATION,
    BreachOutcome.DAMAGES,
    BreachOutcome.SETTLEMENT,
)
BREACH_OUTCOMES_WITH_VALUE = (BreachOutcome.DAMAGES, BreachOutcome.SETTLEMENT)


def breach_needs_notice(*, under_act: bool, outcome: str) -> bool:
    """Section 72(1): a breach that resulted in termination, partial termination, damages or a settlement."""
    return under_act and outcome in BREACH_OUTCOMES_NEEDING_NOTICE


def failure_needs_notice(*, under_act: bool, outcome: str) -> bool:
    """Section 72(2): a supplier given notice and a proper opportunity to improve that failed to."""
    return under_act and outcome == CureOutcome.NOT_CURED


class _RemedyQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(contract__in=Contract.objects.visible_to(user))

    def _under_act(self):
        return self.filter(contract__in=Contract.objects.under_act())

    def notice_unpublished(self):
        return self.filter(notice_published_on__isnull=True)


class ImprovementNoticeQuerySet(_RemedyQuerySet):
    def needing_performance_notices(self):
        """Section 72(2), for many rows: `failure_needs_notice`."""
        return self._under_act().filter(outcome=CureOutcome.NOT_CURED)


class BreachQuerySet(_RemedyQuerySet):
    def needing_performance_notices(self):
        """Section 72(1), for many rows: `breach_needs_notice`."""
        return self._under_act().filter(outcome__in=BREACH_OUTCOMES_NEEDING_NOTICE)


class _Section72Notice(models.Model):
    """What improvement notices and breaches share: when their outcome was decided and their notice."""

    outcome_on = models.DateField("outcome decided on", null=True, blank=True)
    outcome_notes = models.TextField("about the outcome", blank=True)
    notice_published_on = models.DateField("performance notice published on", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def needs_performance_notice(self) -> bool:
        raise NotImplementedError

    @property
    def notice_due_by(self) -> date | None:
        """When the section 72 notice is due, or None when none is."""
        if not self.needs_performance_notice or self.outcome_on is None:
            return None
        return section72_due_by(self.outcome_on)

    def notice_overdue(self, today: date) -> bool:
        due = self.notice_due_by
        return due is not None and self.notice_published_on is None and due < today

    def _outcome_date_errors(self, *, since: date | None, since_text: str) -> dict[str, str]:
        errors = {}
        if self.outcome_on and self.outcome_on > timezone.localdate():
            errors["outcome_on"] = "Record the outcome once it is decided: the date is in the future."
        elif self.outcome_on and since and self.outcome_on < since:
            errors["outcome_on"] = f"The outcome cannot be decided before {since_text} ({long_date(since)})."
        return errors


class ImprovementNotice(_Section72Notice):
    """A formal notice to the supplier that it is not performing to the force's satisfaction, with a
    cure period: the notice and "proper opportunity to improve" of section 72(2)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="improvement_notices")
    plan = models.ForeignKey(
        ImprovementPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name="improvement plan",
        help_text="The improvement plan the notice formalises, if any.",
    )
    issued_on = models.DateField("notice given on")
    failure = models.TextField("what the supplier is failing to do")
    required_action = models.TextField("what the supplier must do")
    cure_by = models.DateField("cure period ends on")
    outcome = models.CharField(max_length=12, choices=CureOutcome.choices, default=CureOutcome.PENDING)
    # Shared with the supplier (portal.services.notices): their people read the notice on the supplier portal
    # and reply by this date. Blank: not shared. Its plan, outcome notes and history are never shown to them.
    supplier_respond_by = models.DateField("the supplier replies by", null=True, blank=True)

    history = HistoricalRecords()
    objects = ImprovementNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(name="cure_period_after_notice", condition=Q(cure_by__gte=models.F("issued_on"))),
            models.CheckConstraint(
                name="improvement_notice_outcome_dated",
                condition=Q(outcome=CureOutcome.PENDING, outcome_on__isnull=True)
                | (~Q(outcome=CureOutcome.PENDING) & Q(outcome_on__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"Improvement notice of {self.issued_on:%d/%m/%Y} on {self.contract.reference}"

    def get_absolute_url(self) -> str:
        return reverse("performance:improvement_notice", args=[self.pk])

    @property
    def needs_performance_notice(self) -> bool:
        return failure_needs_notice(under_act=self.contract.under_act, outcome=self.outcome)

    def reply_late(self, on: date) -> bool:
        """A supplier's reply sent on this day comes after the reply-by date (it is kept, marked late)."""
        return self.supplier_respond_by is not None and on > self.supplier_respond_by

    @property
    def cure_period_running(self) -> bool:
        return self.outcome == CureOutcome.PENDING and self.cure_by >= timezone.localdate()

    def clean(self):
        errors = {}
        if self.issued_on and self.issued_on > timezone.localdate():
            errors["issued_on"] = "Record the notice once it is given: the date is in the future."
        if self.issued_on and self.cure_by and self.cure_by < self.issued_on:
            errors["cure_by"] = "The cure period ends on or after the day the notice is given."
        if self.plan is not None and self.contract_id and self.plan.contract_id != self.contract_id:
            errors["plan"] = "Choose an improvement plan of this contract."
        if self.outcome != CureOutcome.PENDING and not self.outcome_on:
            errors["outcome_on"] = "Say when the outcome was decided."
        if self.outcome == CureOutcome.PENDING and self.outcome_on:
            errors["outcome_on"] = "Leave the date blank while the cure period runs."
        errors.update(self._outcome_date_errors(since=self.issued_on, since_text="the notice was given"))
        if (
            self.outcome == CureOutcome.NOT_CURED
            and self.outcome_on
            and self.cure_by
            and self.outcome_on <= self.cure_by
            and "outcome_on" not in errors
        ):
            errors["outcome"] = (
                f"The cure period runs to {long_date(self.cure_by)}: the supplier has failed to improve "
                "only once it has ended."
            )
        if errors:
            raise ValidationError(errors)


def notice_reply_upload_to(instance, filename: str) -> str:
    return f"notice-replies/{uuid.uuid4().hex}"


class ImprovementNoticeReply(models.Model):
    """The supplier's reply to an improvement notice shared with them (portal.services.notices), with an
    optional attachment served only after a scope check. A reply after the reply-by date is accepted and
    kept as late."""

    notice = models.ForeignKey(ImprovementNotice, on_delete=models.CASCADE, related_name="supplier_replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    attachment = models.FileField(upload_to=notice_reply_upload_to, max_length=200, blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    late = models.BooleanField(default=False, help_text="Sent after the reply-by date.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "improvement notice replies"

    def __str__(self) -> str:
        return f"Reply to {self.notice} by {self.author}"


class ServiceCredit(models.Model):
    """A service credit or deduction for a KPI's reporting period, as invoiced."""

    class Kind(models.TextChoices):
        SERVICE_CREDIT = "service_credit", "Service credit"
        DEDUCTION = "deduction", "Deduction"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="service_credits")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="service_credits", verbose_name="KPI")
    period_start = models.DateField("period starts on")
    period_end = models.DateField("period ends on")
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.SERVICE_CREDIT)
    amount = models.DecimalField("amount (£)", max_digits=14, decimal_places=2)
    invoice_reference = models.CharField("invoice or credit note reference", max_length=100)
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = _RemedyQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="service_credit_amount_positive",
                condition=Q(amount__gt=0),
                violation_error_message="A service credit or deduction is a positive amount.",
            ),
            models.CheckConstraint(
                name="service_credit_period_ends_after_start",
                condition=Q(period_end__gte=models.F("period_start")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of £{self.amount:,.2f} on {self.kpi.name} ({self.period_start:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("performance:remedies", args=[self.contract_id]) + f"#credit-{self.pk}"

    def clean(self):
        if self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": "A service credit or deduction is a positive amount."})
        if self.kpi_id and self.contract_id and self.kpi.contract_id != self.contract_id:
            raise ValidationError({"kpi": "Choose a KPI of this contract."})


class Breach(_Section72Notice):
    """A breach of the contract by the supplier, and what it resulted in."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="breaches")
    identified_on = models.DateField("breach identified on")
    requirement = models.CharField(
        "term or requirement breached",
        max_length=255,
        help_text="For example “Schedule 2, paragraph 4.1: response times”.",
    )
    description = models.TextField("what happened")
    outcome = models.CharField(max_length=20, choices=BreachOutcome.choices, default=BreachOutcome.OPEN)
    value = models.DecimalField(
        "value (£)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The damages awarded or the sum the settlement agreed.",
    )

    history = HistoricalRecords()
    objects = BreachQuerySet.as_manager()

    class Meta:
        ordering = ["-identified_on", "-pk"]
        verbose_name_plural = "breaches"
        constraints = [
            models.CheckConstraint(
                name="breach_outcome_dated",
                condition=Q(outcome=BreachOutcome.OPEN, outcome_on__isnull=True)
                | (~Q(outcome=BreachOutcome.OPEN) & Q(outcome_on__isnull=False)),
            ),
            models.CheckConstraint(name="breach_value_not_negative", condition=Q(value__isnull=True) | Q(value__gte=0)),
        ]

    def __str__(self) -> str:
        return f"Breach of {self.identified_on:%d/%m/%Y} on {self.contract.reference}"

    def get_absolute_url(self) -> str:
        return reverse("performance:breach", args=[self.pk])

    @property
    def needs_performance_notice(self) -> bool:
        return breach_needs_notice(under_act=self.contract.under_act, outcome=self.outcome)

    @property
    def outcome_words(self) -> str:
        """ "settlement agreed, £18,500 (1.5% of the contract's value)"."""
        words = self.get_outcome_display().lower()
        if self.value is not None and self.outcome in BREACH_OUTCOMES_WITH_VALUE:
            words += f", {pounds(self.value)}"
            share = self.share_of_contract_value
            if share is not None:
                words += f" ({share:.1%} of the contract's value)"
        return words

    @property
    def share_of_contract_value(self) -> Decimal | None:
        """The value as a share of the contract's current value (0.062 for 6.2%)."""
        if self.value is None or not self.contract.total_value:
            return None
        return self.value / self.contract.total_value

    def clean(self):
        errors = {}
        if self.identified_on and self.identified_on > timezone.localdate():
            errors["identified_on"] = "Record a breach once it is identified: the date is in the future."
        if self.outcome != BreachOutcome.OPEN and not self.outcome_on:
            errors["outcome_on"] = "Say when the outcome was decided."
        if self.outcome == BreachOutcome.OPEN and self.outcome_on:
            errors["outcome_on"] = "Leave the date blank until the outcome is decided."
        errors.update(self._outcome_date_errors(since=self.identified_on, since_text="the breach was identified"))
        if self.outcome in BREACH_OUTCOMES_WITH_VALUE and self.value is None:
            errors["value"] = "Give the value of the damages or the settlement (0 when there is none)."
        if self.value is not None and self.value < 0:
            errors["value"] = "The value cannot be negative."
        if errors:
            raise ValidationError(errors)
