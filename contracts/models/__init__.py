"""The register's models, split by subdomain."""

from contracts.models.documents import ContractDocument, document_upload_to
from contracts.models.escalations import Escalation, EscalationUpdate
from contracts.models.key_suppliers import KeySupplier
from contracts.models.kraljic import (
    KraljicAssessment,
    KraljicCriterion,
    KraljicScore,
    KraljicSettings,
    Quadrant,
    ReviewItem,
    ReviewRound,
)
from contracts.models.lifecycle import ContractEnding, ExtensionOption, RenewalDecision, Saving, Variation
from contracts.models.people import ContractAssignment
from contracts.models.querysets import ContractQuerySet
from contracts.models.reference import Category
from contracts.models.regime import Agreement, Regime
from contracts.models.register import Contract
from contracts.models.saved_views import SavedView
from contracts.models.timeline import Activity

__all__ = [
    "Activity",
    "Agreement",
    "Regime",
    "Category",
    "Contract",
    "ContractAssignment",
    "ContractDocument",
    "ContractEnding",
    "ExtensionOption",
    "RenewalDecision",
    "Saving",
    "SavedView",
    "Variation",
    "ContractQuerySet",
    "Escalation",
    "EscalationUpdate",
    "KeySupplier",
    "KraljicAssessment",
    "KraljicCriterion",
    "KraljicScore",
    "KraljicSettings",
    "Quadrant",
    "ReviewItem",
    "ReviewRound",
    "document_upload_to",
]
