from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from contracts.models.querysets import ContractQuerySet, register_order
from contracts.models.reference import Category, Quadrant
from contracts.models.regime import Procurement
from core.dates import validate_register_date
from core.formatting import pounds
from core.history import HistoricalRecords
from market.models import CPV_GROUP_DIGITS
from suppliers.models import Supplier


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
