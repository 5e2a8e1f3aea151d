"""The exchange's models: a spreadsheet import's job, the API's tokens, and notices published on Find a Tender."""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from contracts.models import Contract
from core.history import HistoricalRecords
from exchange.payments import PaymentFiguresMixin, days_to_pay


def import_upload_to(instance, filename: str) -> str:
    # Random names, as for contract documents: nothing of the original name reaches the file system.
    return f"contract-imports/{uuid.uuid4().hex}"


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Someone sees the imports they started; administrators see every import."""
        if not user.is_authenticated:
            return self.none()
        if user.is_administrator:
            return self
        return self.filter(created_by=user)


class ImportJob(models.Model):
    """One spreadsheet upload: previewed (a dry run), then confirmed and imported all-or-nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", "Checking the file"
        PREVIEWED = "previewed", "Previewed"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    class Kind(models.TextChoices):
        CONTRACTS = "contracts", "Contracts"
        INVOICES = "invoices", "Invoice payments"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CONTRACTS)
    file = models.FileField(upload_to=import_upload_to, max_length=200)
    original_name = models.CharField(max_length=255)
    format = models.CharField(max_length=4, choices=Format.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs")
    new_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # [{"line": 7, "column": "end_date", "message": "..."}]; line 1 is the header.
    errors = models.JSONField(default=list, blank=True)
    # [{"line": 2, "reference": "...", "title": "...", "action": "new|update|skip"}], from the dry run.
    rows = models.JSONField(default=list, blank=True)
    # The suppliers the file would create, from the dry run, with the likely existing matches and what
    # the Procurement Unit chose when confirming: [{"key": ..., "name": ..., "companies_house_number": ...,
    # "line": 7, "matches": [{"id": 3, "name": ..., "companies_house_number": ..., "similarity": 0.8}],
    # "choice": "new" or an existing supplier's id}].
    suppliers = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Set while its task is not yet with the broker (Redis was down when it was queued); cleared
    # when the broker takes it or a worker starts it. The catch-up job queues it again.
    waiting_since = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        # Moved from the contracts app with its table (exchange/migrations/0001_initial.py).
        db_table = "contracts_importjob"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import of {self.original_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("imports:detail", args=[self.pk])

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    def supplier_choices(self) -> dict[str, int | None]:
        """What was chosen for each new supplier: an existing supplier's id, or None to create it."""
        return {
            s["key"]: None if s.get("choice", "new") == "new" else int(s["choice"])
            for s in self.suppliers
            if s.get("choice")
        }

    @property
    def can_confirm(self) -> bool:
        return self.status == self.Status.PREVIEWED and self.error_count == 0 and self.progress_total > 0


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, *, now):
        """Not expired, and of an active user."""
        return self.filter(expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    """A key to the read-only API, kept only as its SHA-256 digest: the key itself is shown once, when the
    token is made (exchange.services.tokens). The first characters are kept too, to find the row."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What uses it, for example “Reporting system”.")
    prefix = models.CharField(max_length=8, db_index=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(help_text="The token stops working then.")
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["user", "name", "pk"]
        verbose_name = "API token"

    PREFIX_LENGTH = 8

    def __str__(self) -> str:
        return f"{self.name} ({self.user}, {self.prefix}…)"

    def set_new_key(self) -> str:
        """A new random key for this token (unsaved): returns the key, keeps its digest and first characters."""
        key = secrets.token_urlsafe(32)  # 43 characters, never 40 hexadecimal ones (an old key's shape)
        self.prefix, self.digest = key[: self.PREFIX_LENGTH], token_digest(key)
        return key


# A Find a Tender notice identifier: six digits, a hyphen and the year (for example 012345-2026).
NOTICE_ID_PATTERN = r"^[0-9]{6}-[0-9]{4}$"


class NoticePublicationQuerySet(models.QuerySet):
    def unconfirmed(self):
        return self.filter(confirmed_at__isnull=True)

    def to_confirm(self, *, now):
        """Recorded, not yet found on Find a Tender, and whose next try is due (failures wait longer each time)."""
        return self.unconfirmed().filter(models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now))

    def failing(self):
        return self.unconfirmed().exclude(last_error="")


class NoticePublication(models.Model):
    """A Procurement Act notice recorded as published on Find a Tender, under its notice identifier,
    and whether Find a Tender's OCDS API has confirmed it (exchange.services.publication).

    One row per notice: a contract performance notice (the PerformanceNotice that records it), a
    contract change notice (its variation), a contract termination notice (the contract's ending), or
    the force's payments compliance notice of a reporting period (the day the period starts; no contract)."""

    class NoticeType(models.TextChoices):
        PAYMENTS_COMPLIANCE = "UK8", "Payments compliance notice (UK8)"
        PERFORMANCE = "UK9", "Contract performance notice (UK9)"
        CHANGE = "UK10", "Contract change notice (UK10)"
        TERMINATION = "UK11", "Contract termination notice (UK11)"

    notice_type = models.CharField(max_length=4, choices=NoticeType.choices)
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, null=True, blank=True, related_name="notice_publications"
    )
    performance_notice = models.OneToOneField(
        "performance.PerformanceNotice", on_delete=models.CASCADE, null=True, blank=True, related_name="publication"
    )
    variation = models.OneToOneField(
        "contracts.Variation", on_delete=models.CASCADE, null=True, blank=True, related_name="publication"
    )
    ending = models.OneToOneField(
        "contracts.ContractEnding", on_delete=models.CASCADE, null=True, blank=True, related_name="publication"
    )
    # Section 69: the first day of the six-month reporting period a payments compliance notice reports on.
    reporting_period_start = models.DateField(null=True, blank=True, unique=True)
    notice_id = models.CharField(
        "Find a Tender notice identifier",
        max_length=11,
        unique=True,
        validators=[
            RegexValidator(
                NOTICE_ID_PATTERN, "Enter the notice identifier as Find a Tender shows it, like 012345-2026."
            )
        ],
    )
    published_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The confirmation job's state.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ocid = models.CharField("procurement identifier (ocid) on Find a Tender", max_length=100, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    objects = NoticePublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="notice_publication_one_subject",
                condition=(
                    models.Q(
                        notice_type="UK9",
                        contract__isnull=False,
                        performance_notice__isnull=False,
                        variation__isnull=True,
                        ending__isnull=True,
                        reporting_period_start__isnull=True,
                    )
                    | models.Q(
                        notice_type="UK10",
                        contract__isnull=False,
                        performance_notice__isnull=True,
                        variation__isnull=False,
                        ending__isnull=True,
                        reporting_period_start__isnull=True,
                    )
                    | models.Q(
                        notice_type="UK11",
                        contract__isnull=False,
                        performance_notice__isnull=True,
                        variation__isnull=True,
                        ending__isnull=False,
                        reporting_period_start__isnull=True,
                    )
                    | models.Q(
                        notice_type="UK8",
                        contract__isnull=True,
                        performance_notice__isnull=True,
                        variation__isnull=True,
                        ending__isnull=True,
                        reporting_period_start__isnull=False,
                    )
                ),
            ),
            models.CheckConstraint(
                name="notice_publication_id_shape", condition=models.Q(notice_id__regex=NOTICE_ID_PATTERN)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_notice_type_display()} {self.notice_id}"

    def get_absolute_url(self) -> str:
        if self.reporting_period_start:
            return reverse("exchange:payments_compliance_notice", args=[f"{self.reporting_period_start:%Y-%m-%d}"])
        if self.variation_id:
            return reverse("exchange:change_notice", args=[self.variation_id])
        if self.ending_id:
            return reverse("exchange:termination_notice", args=[self.ending_id])
        notice = self.performance_notice
        assert notice is not None  # the check constraint: a UK9 row has its PerformanceNotice
        return reverse("exchange:notice", args=[self.contract_id, f"{notice.period_start:%Y-%m-%d}", notice.kind])

    @property
    def find_a_tender_url(self) -> str:
        return f"https://www.find-tender.service.gov.uk/Notice/{self.notice_id}"

    @property
    def state(self) -> str:
        if self.confirmed_at:
            return "confirmed"
        return "failing" if self.last_error else "waiting"


class OcdsImportRecord(models.Model):
    """What the last OCDS import wrote to a contract, field by field (exchange/services/ocds_import.py):
    a re-import compares the contract with it, so a field changed on the register since then is kept,
    and a contract whose published data has not changed is not saved again (no history row)."""

    contract = models.OneToOneField("contracts.Contract", on_delete=models.CASCADE, related_name="ocds_import")
    ocid = models.CharField(max_length=200)
    award_id = models.CharField(max_length=200, blank=True)
    buyer = models.CharField(max_length=255, blank=True)
    # {"title": "...", "total_value": "240000.00", "start_date": "2025-04-01", "supplier": 12, "joint_suppliers": [13]}
    values = models.JSONField(default=dict)
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "OCDS import record"

    def __str__(self) -> str:
        return f"{self.ocid} {self.award_id}"


class InvoiceQuerySet(PaymentFiguresMixin, models.QuerySet):
    def visible_to(self, user):
        """The Procurement Unit sees every invoice; others those of the contracts they see."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self
        return self.filter(contract__in=Contract.objects.visible_to(user))

    def unmatched(self):
        return self.filter(contract__isnull=True)


class Invoice(models.Model):
    """An invoice paid (or to pay) through the finance system (Agresso), imported from its export.

    One row per supplier and invoice number: a re-import of the same export changes nothing."""

    invoice_number = models.CharField(max_length=50)
    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.PROTECT, related_name="invoices")
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.SET_NULL, null=True, blank=True, related_name="invoices"
    )
    # The contract reference or Agresso order number as the finance system gave it.
    order_reference = models.CharField("contract or order reference", max_length=50, blank=True)
    received_on = models.DateField("received")
    valid_from = models.DateField("valid from")
    paid_on = models.DateField("paid", null=True, blank=True)
    amount = models.DecimalField("amount including VAT", max_digits=14, decimal_places=2)
    disputed = models.BooleanField(default=False)
    dispute_resolved_on = models.DateField("dispute resolved", null=True, blank=True)

    history = HistoricalRecords()
    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "invoice_number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "invoice_number"], name="invoice_unique_per_supplier"),
        ]

    def __str__(self) -> str:
        return f"Invoice {self.invoice_number}"

    def get_absolute_url(self) -> str:
        """Its contract's payments (what a late payment's timeline entry links to), or the invoices to match."""
        if self.contract_id:
            return reverse("payments:contract", args=[self.contract_id])
        return reverse("payments:unmatched")

    @property
    def days_to_pay(self) -> int | None:
        return days_to_pay(
            received_on=self.received_on,
            valid_from=self.valid_from,
            paid_on=self.paid_on,
            disputed=self.disputed,
            dispute_resolved_on=self.dispute_resolved_on,
        )


class PaymentComplianceApproval(models.Model):
    """Section 69: who approved a reporting period's payments compliance notice (the finance director or
    equivalent), and when. One per period, recorded by the Procurement Unit; changes kept in its history."""

    period_start = models.DateField(unique=True)
    approver_name = models.CharField("approved by", max_length=150)
    approver_role = models.CharField("their role", max_length=150, help_text="For example “Director of Finance”.")
    approved_on = models.DateField("approved on")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start"]

    def __str__(self) -> str:
        return f"Payments compliance notice from {self.period_start:%d/%m/%Y}, approved by {self.approver_name}"
