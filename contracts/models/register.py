from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from contracts.models.dates import UNDATED_DECISION_MONTHS, NoticeDate, renewal_decided, taken_extension_months
from contracts.models.regime import ActRulesQuerySet, Procurement
from core import access
from core.dates import validate_register_date
from core.formatting import pounds
from core.sql import AddMonths, AddMonthsOf
from market.models import CPV_GROUP_DIGITS
from suppliers.models import Supplier


class Category(models.Model):
    """Reference data: the force's spend categories (edited in the admin)."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Quadrant(models.TextChoices):
    """The Kraljic quadrants (the assessments live in contracts/models/kraljic.py)."""

    STRATEGIC = "strategic", "Strategic"
    LEVERAGE = "leverage", "Leverage"
    BOTTLENECK = "bottleneck", "Bottleneck"
    NON_CRITICAL = "non_critical", "Non-critical"


# The SRO rules of the policy for a strategic contract: it has an SRO, who is a budget holder and still here.
# Contract.sro_problem says the same of one contract in words.
SRO_MISSING = Q(sro__isnull=True)
SRO_UNFIT = Q(sro__is_budget_holder=False) | Q(sro__is_active=False)


def register_order() -> list:
    """The expressions of the register's default order (ContractQuerySet.in_register_order), which its
    index (Contract.Meta.indexes) must repeat exactly for PostgreSQL to read the order from it."""
    active, draft = "active", "draft"  # Contract.Status, which is defined below
    group = models.Case(models.When(status=active, then=0), models.When(status=draft, then=1), default=2)
    ending = models.Case(models.When(status__in=[active, draft], then=F("end_date")))
    return [group.asc(), ending.asc(nulls_last=True), F("end_date").desc(), F("reference").asc()]


class ContractQuerySet(ActRulesQuerySet["Contract"]):
    def visible_to(self, user):
        """An OCO or SRO sees the contracts on which they are named; the
        Procurement Unit and administrators see the whole register. A supplier's person sees nothing
        of it (the supplier portal has its own scope: portal.scope)."""
        if not user.is_authenticated or user.is_supplier:
            return self.none()
        if user.sees_everything:
            return self
        return self.filter(access.named_on(user))

    def for_page(self):
        """What a contract page shows about every contract: its supplier, category, OCO and SRO."""
        return self.select_related("supplier", "category", "oco", "sro")

    def in_register_order(self):
        """The register's default order: active contracts ending soonest first, then drafts by end date,
        then those that have ended, the most recently ended first (read from the index
        contract_register_order: a page of the register reads 25 index entries, not a sort of them all)."""
        return self.order_by(*register_order())

    def active(self):
        return self.filter(status=Contract.Status.ACTIVE)

    def strategic(self):
        return self.filter(kraljic_quadrant=Quadrant.STRATEGIC)

    def breaking_sro_rules(self):
        """Active strategic contracts without an SRO, or whose SRO is not a budget holder or has left."""
        return self.active().strategic().filter(SRO_MISSING | SRO_UNFIT)

    def without_sro(self):
        return self.active().strategic().filter(SRO_MISSING)

    def with_unfit_sro(self):
        """Active strategic contracts whose SRO is not a budget holder, or has left."""
        return self.active().strategic().filter(SRO_UNFIT)

    def with_notice_date(self):
        """Each contract annotated with `notice_on`, its notice date (Contract.notice_date)."""
        return self.annotate(notice_on=NoticeDate())

    def expiring(self, *, within: timedelta, today: date | None = None):
        today = today or timezone.localdate()
        return self.active().filter(end_date__gte=today, end_date__lte=today + within)

    def past_end_without_extension(self, *, today: date):
        """Active contracts past their end date with no extension taken up that runs past today: they
        have expired (services.contracts_expire moves them). Taken extensions run from the original end."""
        return (
            self.active()
            .filter(end_date__lt=today)
            .alias(taken_months=taken_extension_months())
            .alias(taken_to=AddMonthsOf(Coalesce("original_end_date", "end_date"), F("taken_months")))
            .filter(Q(taken_months=0) | Q(taken_to__lt=today))
        )

    def with_renewal_dates(self, *, today: date):
        """Each contract annotated with `notice_on`; `decide_by`, the notice date less
        RENEWAL_DECISION_LEAD_MONTHS; `renewal_decided`, whether its current term has a renewal
        decision; and `decision_overdue`: decide-by passed, no decision, the contract not yet ended."""
        overdue = Q(decide_by__lt=today, renewal_decided=False, end_date__gte=today)
        return (
            self.with_notice_date()
            .alias(undated_from=AddMonths(NoticeDate(), -UNDATED_DECISION_MONTHS))
            .annotate(
                decide_by=AddMonths(NoticeDate(), -settings.RENEWAL_DECISION_LEAD_MONTHS),
                renewal_decided=renewal_decided(),
            )
            .annotate(decision_overdue=ExpressionWrapper(overdue, output_field=BooleanField()))
        )

    def renewal_decision_due(self, *, today: date, within: timedelta):
        """Active contracts not yet ended with no renewal decision for their current term, whose
        decide-by date has passed or falls within `within` (with_renewal_dates)."""
        due = Q(renewal_decided=False, end_date__gte=today, decide_by__lte=today + within)
        return self.active().with_renewal_dates(today=today).filter(due)

    def renewal_decision_overdue(self, *, today: date):
        """Active contracts whose renewal decision is overdue (with_renewal_dates)."""
        return self.active().with_renewal_dates(today=today).filter(decision_overdue=True)


class Contract(Procurement):
    """A contract on the register (the law it was procured under, and what follows: models/regime.py)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired"
        TERMINATED = "terminated", "Terminated"

    class Nature(models.TextChoices):
        """What the contract buys: the Procurement Act 2023 change rules differ for works."""

        GOODS = "goods", "Goods"
        SERVICES = "services", "Services"
        WORKS = "works", "Works"

    class ProcurementRoute(models.TextChoices):
        OPEN = "open", "Open procedure"
        COMPETITIVE_FLEXIBLE = "competitive_flexible", "Competitive flexible procedure"
        FRAMEWORK = "framework", "Call-off from a framework"
        DYNAMIC_MARKET = "dynamic_market", "Dynamic market"
        DIRECT_AWARD = "direct_award", "Direct award"
        BELOW_THRESHOLD = "below_threshold", "Below-threshold quotation"
        COLLABORATIVE = "collaborative", "Collaborative (another force or body)"
        OTHER = "other", "Other"

    # Fields an OCO may change on their own contracts; the rest is the
    # Procurement Unit's.
    OPERATIONAL_FIELDS = ("description", "cost_centre", "operational_notes")
    # Ten years: a longer notice period is a typing slip (and its notice date would run off the calendar).
    MAX_NOTICE_PERIOD_DAYS = 3650

    reference = models.CharField(
        max_length=50,
        unique=True,
        error_messages={"unique": "A contract with this reference is already on the register."},
    )
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="contracts")
    # A joint award (several suppliers on one award notice): `supplier` is the lead, whom every list,
    # escalation and KPI is about; the others are named here (docs/architecture.md, "Joint awards").
    joint_suppliers = models.ManyToManyField(
        Supplier,
        blank=True,
        related_name="joint_contracts",
        help_text="The other suppliers of a joint award, besides the lead supplier.",
    )
    cpv_code = models.CharField(
        "CPV code",
        max_length=10,
        blank=True,
        validators=[
            RegexValidator(r"^\d{8}(-\d)?$", "A CPV code is 8 digits, with or without its check digit (45000000-7).")
        ],
        help_text="The Common Procurement Vocabulary code of what is bought, e.g. 50110000-9: it finds "
        "comparable published awards.",
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="contracts")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    nature = models.CharField(
        "goods, services or works", max_length=10, choices=Nature.choices, default=Nature.SERVICES
    )
    start_date = models.DateField()
    end_date = models.DateField(db_index=True)
    extended_end_date = models.DateField(
        "latest end date with all extensions",
        null=True,
        blank=True,
        help_text="The end date if every extension option is taken up.",
    )
    notice_period_days = models.PositiveIntegerField("notice period (days)", default=90)
    total_value = models.DecimalField(
        "total value (£)",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text="The current value: the original value changed by any variations.",
    )
    original_total_value = models.DecimalField(
        "original total value (£)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The value when awarded, before variations.",
    )
    original_end_date = models.DateField(
        null=True, blank=True, help_text="The end date when awarded, before variations."
    )
    annual_value = models.DecimalField(
        "annual value (£)", max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    cost_centre = models.CharField(max_length=30, blank=True)
    finance_reference = models.CharField("finance system (Agresso) reference", max_length=50, blank=True, db_index=True)
    # The procurement's identifier on Find a Tender (its ocid), once known: the notices the force publishes
    # about the contract carry it; the publication check fills it from the first notice Find a Tender shows.
    find_a_tender_ocid = models.CharField(
        "Find a Tender procurement identifier (ocid)",
        max_length=100,
        blank=True,
        validators=[
            RegexValidator(
                r"^ocds-[a-z0-9]{6}-[A-Za-z0-9][A-Za-z0-9-]*$",
                "Enter the procurement identifier as Find a Tender shows it, for example ocds-h6vhtk-04a1b2.",
            )
        ],
        help_text="As Find a Tender shows it, for example ocds-h6vhtk-04a1b2. Blank until the procurement has one.",
    )
    procurement_route = models.CharField(max_length=30, choices=ProcurementRoute.choices, default=ProcurementRoute.OPEN)
    oco = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="OCO",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts_as_oco",
        help_text="Operational Contract Owner: manages day-to-day delivery.",
    )
    sro = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="SRO",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts_as_sro",
        help_text="Senior Representative Owner: required for strategic contracts.",
    )
    operational_notes = models.TextField(blank=True, help_text="Day-to-day notes kept by the OCO.")
    # The current Kraljic assessment, kept here so lists and the matrix read it without a subquery.
    kraljic_quadrant = models.CharField(
        "Kraljic quadrant", max_length=20, choices=Quadrant.choices, blank=True, db_index=True
    )
    kraljic_assessment = models.ForeignKey(
        "contracts.KraljicAssessment",
        verbose_name="current Kraljic assessment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: every save adds one, so an edit form that carries the version it was
    # loaded with can tell that someone else saved the contract meanwhile (services.contract_save).
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])
    objects = ContractQuerySet.as_manager()

    # The dates, money and owners of a contract, in the order the register's form and the spreadsheet
    # import (exchange/resources.py) both take them.
    TERMS_AND_OWNERS = (
        "start_date",
        "end_date",
        "extended_end_date",
        "notice_period_days",
        "total_value",
        "annual_value",
        "cost_centre",
        "finance_reference",
        "oco",
        "sro",
    )

    class Meta:
        ordering = ["end_date", "reference"]
        indexes = [models.Index(*register_order(), name="contract_register_order")]
        constraints = [
            models.CheckConstraint(
                name="contract_ends_after_start",
                condition=Q(end_date__gte=F("start_date")),
                violation_error_message="The end date must be on or after the start date.",
            ),
            models.CheckConstraint(
                name="contract_extensions_after_end",
                condition=Q(extended_end_date__isnull=True) | Q(extended_end_date__gte=F("end_date")),
                violation_error_message="The latest end date with extensions must be on or after the end date.",
            ),
            models.CheckConstraint(
                name="contract_total_value_not_negative",
                condition=Q(total_value__gte=0),
                violation_error_message="The total value cannot be negative.",
            ),
            models.CheckConstraint(
                name="contract_annual_value_not_negative",
                condition=Q(annual_value__gte=0),
                violation_error_message="The annual value cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def save(self, *args, **kwargs):
        """Every save of a changed contract adds one to its version, whoever saves it (a form, an
        import, a variation, the admin), in the database itself: two saves at once add two."""
        if self._state.adding:
            return super().save(*args, **kwargs)
        self.version = F("version") + 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)
        # The new number is read from the database when (and only if) it is asked for.
        del self.__dict__["version"]
        return None

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", args=[self.pk])

    def clean(self):
        errors: dict[str, str | list[str]] = {}
        # The forms check these next to their fields; imports (spreadsheet, OCDS) arrive here.
        for name in ("start_date", "end_date", "extended_end_date", "procurement_started_on"):
            if getattr(self, name):
                try:
                    validate_register_date(getattr(self, name))
                except ValidationError as error:
                    errors[name] = error.messages
        if errors:
            raise ValidationError(errors)
        if self.notice_period_days and self.notice_period_days > self.MAX_NOTICE_PERIOD_DAYS:
            errors["notice_period_days"] = (
                f"A notice period is at most {self.MAX_NOTICE_PERIOD_DAYS:,} days (ten years)."
            )
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date must be on or after the start date."
        if self.end_date and self.extended_end_date and self.extended_end_date < self.end_date:
            errors["extended_end_date"] = "The latest end date with extensions must be on or after the end date."
        if self.total_value is not None and self.annual_value is not None and self.annual_value > self.total_value:
            errors["annual_value"] = (
                f"The annual value cannot be more than the total value ({pounds(self.total_value)}): "
                "the total covers the whole term."
            )
        errors.update(self.procurement_errors())
        if self.oco is not None and not self.oco.is_oco:
            errors["oco"] = f"{self.oco} is not an Operational Contract Owner."
        if self.sro is not None and not self.sro.is_sro:
            errors["sro"] = f"{self.sro} is not a Senior Representative Owner."
        if errors:
            raise ValidationError(errors)

    # The CPV nomenclature's "group" (its first three digits, e.g. 501 "repair and maintenance of
    # vehicles"): what market comparisons compare within (market/models.py says why three).
    CPV_GROUP_DIGITS = CPV_GROUP_DIGITS

    @property
    def cpv_group(self) -> str:
        return self.cpv_code[: self.CPV_GROUP_DIGITS] if self.cpv_code else ""

    @property
    def duration_days(self) -> int:
        """Days from the start to the end date (the contract's length, for market comparison)."""
        return (self.end_date - self.start_date).days

    @property
    def sro_problem(self) -> str:
        """Why this contract breaks the SRO rules, or "" (strategic contracts need a budget-holding SRO)."""
        if self.kraljic_quadrant != Quadrant.STRATEGIC or self.status != self.Status.ACTIVE:
            return ""
        if self.sro is None:
            return "This strategic contract has no SRO."
        if not self.sro.is_active:
            return f"This strategic contract's SRO, {self.sro}, has left (account deactivated)."
        if not self.sro.is_budget_holder:
            return f"This strategic contract's SRO, {self.sro}, is not a budget holder."
        return ""

    @property
    def renewal_owner(self):
        """Who must make the renewal decision: the OCO, or the SRO when there is no active OCO."""
        return self.oco if self.oco is not None and self.oco.is_active else self.sro

    @property
    def notice_date(self) -> date:
        """The last day on which notice can be given before the end date."""
        return self.end_date - timedelta(days=self.notice_period_days)

    def days_until(self, day: date, *, today: date | None = None) -> int:
        return (day - (today or timezone.localdate())).days

    @property
    def days_remaining(self) -> int:
        return self.days_until(self.end_date)

    @property
    def days_to_notice(self) -> int:
        return self.days_until(self.notice_date)
