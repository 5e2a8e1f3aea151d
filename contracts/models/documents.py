"""A contract's documents: each kind in numbered versions, one current (checked on upload by
contracts/documents.py)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from contracts.models.register import Contract
from core.history import HistoricalRecords


def document_upload_to(instance, filename: str) -> str:
    # Random names: nothing about the contract or the original name leaks
    # into the file system, and no two uploads collide.
    return f"contract-documents/{uuid.uuid4().hex}"


class ContractDocument(models.Model):
    class Kind(models.TextChoices):
        CONTRACT = "contract", "Contract"
        SCHEDULE = "schedule", "Schedule"
        VARIATION = "variation", "Variation"
        OTHER = "other", "Other"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField()
    is_current = models.BooleanField(default=True)
    file = models.FileField(upload_to=document_upload_to, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    description = models.CharField(max_length=255, blank=True)
    # The OCO shares it with the supplier: their people see and download it on the supplier portal.
    shared_with_supplier = models.BooleanField("shared with the supplier", default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="uploaded_documents"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "kind", "version"], name="document_version_unique"),
            models.UniqueConstraint(
                fields=["contract", "kind"], condition=Q(is_current=True), name="one_current_document_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}: {self.original_name}"

    def get_download_url(self) -> str:
        return reverse("contracts:document_download", args=[self.contract_id, self.pk])
