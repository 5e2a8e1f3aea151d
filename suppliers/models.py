from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from core import access
from core.formatting import long_date
from core.history import HistoricalRecords
from suppliers.identity import normalise_name

companies_house_number_validator = RegexValidator(
    r"^(\d{8}|[A-Z]{2}\d{6})$",
    "A Companies House number is 8 characters: 8 digits (01234567) or 2 letters and 6 digits (SC123456).",
)
ppon_validator = RegexValidator(
    r"^P[A-Z]{3}-\d{4}-[A-Z]{4}$",
    "A PPON is P, three letters, four digits and four letters (PMZV-7732-XXTT), as Find a Tender gave it.",
)
vat_number_validator = RegexValidator(
    r"^(GB)?(\d{9}|\d{12}|GD\d{3}|HA\d{3})$",
    "A UK VAT number is 9 or 12 digits, optionally after GB (GB123456789).",
)


class SupplierQuerySet(models.QuerySet["Supplier"]):
    def visible_to(self, user):
        """The Procurement Unit and administrators see every supplier; an OCO or
        SRO sees the suppliers of the contracts on which they are named; a supplier's person, none here."""
        if not user.is_authenticated or user.is_supplier:
            return self.none()
        if user.sees_everything:
            return self
        return self.filter(access.named_on(user, "contracts")).distinct()

    def current(self):
        """Suppliers not merged into another (a merged one is kept only so its page can redirect)."""
        return self.filter(merged_into__isnull=True)

    def _is_designated_key(self) -> Exists:
        # A subquery, not a join: it neither multiplies rows nor disturbs the contract counts and sums
        # annotated on the same queryset. The designation (contracts.KeySupplier, related name
        # "key_supplier") sits above suppliers, so it is named by its relation, not imported.
        return Exists(self.model._default_manager.filter(pk=OuterRef("pk"), key_supplier__isnull=False))

    def with_key_flag(self):
        """`is_key`: designated a key supplier by the Procurement Unit (the rule that suggests
        candidates is `contracts.selectors.key_suppliers`)."""
        return self.annotate(is_key=self._is_designated_key())

    def key(self):
        return self.filter(self._is_designated_key())


class Supplier(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ON_HOLD = "on_hold", "On hold"
        INACTIVE = "inactive", "Inactive"
        DISSOLVED = "dissolved", "Dissolved"

    name = models.CharField(max_length=200, db_index=True)
    companies_house_number = models.CharField(
        "Companies House number",
        max_length=8,
        blank=True,
        validators=[companies_house_number_validator],
        help_text="8 digits, or 2 letters and 6 digits (e.g. SC123456).",
    )
    vat_number = models.CharField("VAT number", max_length=14, blank=True, validators=[vat_number_validator])
    ppon = models.CharField(
        "PPON",
        max_length=14,
        blank=True,
        validators=[ppon_validator],
        help_text="Public Procurement Organisation Number from Find a Tender (e.g. PMZV-7732-XXTT).",
    )
    # The name as matching compares it (suppliers.identity.normalise_name), kept by save().
    normalised_name = models.CharField(max_length=200, db_index=True, editable=False, default="")
    # Set when the Procurement Unit merged this supplier into another: its page redirects there.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="merged_from"
    )
    address = models.TextField(blank=True)
    website = models.URLField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = SupplierQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["companies_house_number"],
                condition=~Q(companies_house_number=""),
                name="supplier_unique_companies_house_number",
                violation_error_message="Another supplier already has this Companies House number.",
            ),
            models.UniqueConstraint(
                fields=["ppon"],
                condition=~Q(ppon=""),
                name="supplier_unique_ppon",
                violation_error_message="Another supplier already has this PPON.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.normalised_name = normalise_name(self.name)[:200]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "normalised_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("suppliers:detail", args=[self.pk])


class SupplierContact(models.Model):
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # The contact's account on the supplier portal, once invited and enrolled (portal.services). A
    # contact who leaves (is removed) takes their account's access with them: see supplier_save.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supplier_contact",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


class SupplierInformation(models.Model):
    """Financial or reputational information about a supplier that the Procurement Unit must hear of."""

    class Kind(models.TextChoices):
        FINANCIAL = "financial", "Financial"
        REPUTATIONAL = "reputational", "Reputational"

    class Category(models.TextChoices):
        PROFIT_WARNING = "profit_warning", "Profit warning"
        LATE_FILING = "late_filing", "Late filing at Companies House"
        CREDIT_RATING_FALL = "credit_rating_fall", "Credit rating fall"
        ADMINISTRATION = "administration", "Administration or insolvency"
        ADVERSE_MEDIA = "adverse_media", "Adverse media"
        REGULATORY_ACTION = "regulatory_action", "Regulatory action"
        OTHER = "other", "Other"

    class Severity(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"
        CRITICAL = "critical", "Critical"

    FINANCIAL_CATEGORIES = (
        Category.PROFIT_WARNING,
        Category.LATE_FILING,
        Category.CREDIT_RATING_FALL,
        Category.ADMINISTRATION,
    )
    REPUTATIONAL_CATEGORIES = (Category.ADVERSE_MEDIA, Category.REGULATORY_ACTION)

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="information")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    category = models.CharField(max_length=30, choices=Category.choices)
    summary = models.CharField(max_length=255)
    details = models.TextField(blank=True)
    source = models.CharField(max_length=255, help_text="Where it came from: a link, a publication, a person.")
    occurred_on = models.DateField("date")
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when a job recorded it (Companies House monitoring).",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-recorded_at"]
        verbose_name_plural = "supplier information"

    def __str__(self) -> str:
        return f"{self.supplier}: {self.get_category_display()} ({long_date(self.occurred_on)})"

    def clean(self):
        if self.kind == self.Kind.FINANCIAL and self.category in self.REPUTATIONAL_CATEGORIES:
            raise ValidationError({"category": "That is reputational information, not financial."})
        if self.kind == self.Kind.REPUTATIONAL and self.category in self.FINANCIAL_CATEGORIES:
            raise ValidationError({"category": "That is financial information, not reputational."})


class CompanyRecord(models.Model):
    """What Companies House last said about a supplier's company (monthly snapshot or API profile), and
    which of its concerns were already recorded as supplier information (each is recorded once)."""

    class Source(models.TextChoices):
        API = "api", "Companies House API"
        SNAPSHOT = "snapshot", "Companies House monthly snapshot"

    supplier = models.OneToOneField(Supplier, on_delete=models.CASCADE, related_name="company_record")
    company_number = models.CharField(max_length=8)
    company_name = models.CharField(max_length=200, blank=True)
    company_status = models.CharField(
        max_length=100, blank=True, help_text="As Companies House words it: 'active', 'In Administration'."
    )
    accounts_overdue = models.BooleanField(default=False)
    accounts_next_due = models.DateField(null=True, blank=True)
    confirmation_statement_overdue = models.BooleanField(default=False)
    confirmation_statement_next_due = models.DateField(null=True, blank=True)
    has_insolvency_history = models.BooleanField(null=True, blank=True, help_text="Known from the API only.")
    found = models.BooleanField(default=True, help_text="False: Companies House has no company with this number.")
    source = models.CharField(max_length=10, choices=Source.choices)
    as_of = models.DateField(help_text="The day the data describes (a snapshot's date, or the day of the check).")
    checked_at = models.DateTimeField()
    concerns = models.JSONField(
        default=list, blank=True, help_text="The concerns already recorded as supplier information."
    )

    class Meta:
        verbose_name = "Companies House record"

    def __str__(self) -> str:
        return f"{self.company_number}: {self.company_status or 'not found'}"
