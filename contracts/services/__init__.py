"""Writes on the register that span several models, split by subdomain."""

from contracts.services.companies_house import companies_house_snapshot_load, suppliers_check
from contracts.services.dates import contracts_expire, renewal_decisions_overdue_send
from contracts.services.escalations import (
    escalation_create,
    escalation_overdue_reminders_send,
    escalation_post,
    escalation_raise,
    escalation_respond_by_fill,
    escalation_update,
    supplier_information_record,
)
from contracts.services.key_suppliers import key_supplier_remove, key_supplier_review, key_supplier_save
from contracts.services.kraljic import (
    assessment_confirm,
    assessment_record,
    assessments_confirm,
    review_round_close,
    review_round_open,
    review_round_reminders_send,
)
from contracts.services.lifecycle import (
    contract_end,
    contracts_hand_over,
    expiry_alerts_send,
    extension_option_save,
    handover,
    renewal_decide,
    saving_record,
    saving_validate,
    termination_notice_published,
    training_record,
    training_reminders_send,
)
from contracts.services.register import ContractChanged, contract_save, document_upload
from contracts.services.variations import variation_agree, variation_notice_published, variation_record

__all__ = [
    "key_supplier_remove",
    "key_supplier_review",
    "key_supplier_save",
    "companies_house_snapshot_load",
    "suppliers_check",
    "assessments_confirm",
    "contracts_hand_over",
    "ContractChanged",
    "contract_end",
    "contracts_expire",
    "renewal_decisions_overdue_send",
    "expiry_alerts_send",
    "extension_option_save",
    "handover",
    "renewal_decide",
    "saving_record",
    "saving_validate",
    "termination_notice_published",
    "training_record",
    "training_reminders_send",
    "variation_agree",
    "variation_notice_published",
    "variation_record",
    "assessment_confirm",
    "assessment_record",
    "contract_save",
    "document_upload",
    "escalation_create",
    "escalation_overdue_reminders_send",
    "escalation_post",
    "escalation_raise",
    "escalation_respond_by_fill",
    "escalation_update",
    "review_round_close",
    "review_round_open",
    "review_round_reminders_send",
    "supplier_information_record",
]
