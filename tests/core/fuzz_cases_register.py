"""The form fuzz cases of the register: contracts, documents, Kraljic assessments, suppliers, escalations
and the lifecycle (variations, notices, extensions, renewals, endings, savings, training, handover)."""

from datetime import date

from django.urls import reverse

from accounts.models import TrainingRecord
from contracts.forms.escalations import (
    EscalationManageForm,
    EscalationPostForm,
    EscalationRaiseForm,
    SupplierInformationForm,
)
from contracts.forms.lifecycle import (
    ContractEndingForm,
    ExtensionOptionForm,
    HandoverForm,
    PublishedOnForm,
    RenewalDecisionForm,
    SavingForm,
    TrainingRecordForm,
    VariationAgreeForm,
    VariationForm,
)
from contracts.forms.register import ContractForm, ContractOperationalForm, DocumentUploadForm, KraljicAssessmentForm
from contracts.models import KraljicCriterion
from exchange.forms import NoticePublishedForm
from exchange.models import PaymentComplianceApproval
from suppliers.forms import SupplierContactFormSet, SupplierForm
from suppliers.models import SupplierInformation
from tests.core.fuzz_world import Case, World, contract_pages, hostile_pdf


def _approved_payments_compliance_notice(w: World) -> str:
    """The notice of the first reporting period, approved (it is recorded as published only then)."""
    PaymentComplianceApproval.objects.get_or_create(
        period_start=date(2026, 4, 1),
        defaults={
            "approver_name": "Dana Finch",
            "approver_role": "Director of Finance",
            "approved_on": date(2026, 10, 12),
            "recorded_by": w.priya,
        },
    )
    return reverse("exchange:payments_compliance_notice", args=["2026-04-01"])


def contract_data(w: World, **changes) -> dict:
    return {
        "reference": "FUZZ-001",
        "title": "Fuzzed contract",
        "description": "",
        "supplier": w.contract.supplier_id,
        "category": w.contract.category_id,
        "status": "active",
        "nature": "services",
        "procurement_route": "open",
        "agreement": "contract",
        "start_date": "2026-04-01",
        "end_date": "2029-03-31",
        "extended_end_date": "",
        "notice_period_days": "90",
        "total_value": "300000",
        "annual_value": "100000",
        "cost_centre": "",
        "finance_reference": "",
        "oco": w.alice.pk,
        "sro": w.sam.pk,
        "operational_notes": "",
        **changes,
    }


def supplier_data(w: World, *, existing: bool) -> dict:
    return {
        "name": "Fuzz Supplies Limited",
        "companies_house_number": "",
        "vat_number": "",
        "status": "active",
        "website": "",
        "address": "",
        "notes": "",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "1" if existing else "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-id": w.contact.pk if existing else "",
        "contacts-0-name": "Jo Supplier",
        "contacts-0-role": "Account manager",
        "contacts-0-email": "jo@supplier.example",
        "contacts-0-phone": "",
    }


def supplier_form(w: World, existing: bool):
    """The supplier form with its contacts formset: one form's fields with the formset's."""
    form = SupplierForm(instance=w.contract.supplier if existing else None)
    formset = SupplierContactFormSet(instance=form.instance, prefix="contacts")
    form.fields.update({f"contacts-0-{name}": f for name, f in formset.empty_form.fields.items()})
    return form


MANAGEMENT = {f"contacts-{n}": "number" for n in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")}


def criteria():
    return list(KraljicCriterion.objects.filter(is_active=True))


REGISTER_CASES = {
    "contract create": Case(
        "priya",
        lambda w: reverse("contracts:create"),
        lambda w: ContractForm(),
        contract_data,
        lambda w: [reverse("lifecycle:renewals")],
    ),
    "contract edit": Case(
        "priya",
        lambda w: reverse("contracts:edit", args=[w.contract.pk]),
        lambda w: ContractForm(instance=w.contract),
        lambda w: contract_data(w, reference=w.contract.reference, extended_end_date="2030-03-31"),
        lambda w: [*contract_pages(w), reverse("lifecycle:renewals")],
    ),
    "contract operational fields": Case(
        "alice",
        lambda w: reverse("contracts:edit", args=[w.contract.pk]),
        lambda w: ContractOperationalForm(instance=w.contract),
        lambda w: {"description": "Body-worn cameras", "cost_centre": "CC-1", "operational_notes": ""},
        lambda w: [reverse("contracts:list")],
    ),
    "document upload": Case(
        "alice",
        lambda w: reverse("contracts:document_upload", args=[w.contract.pk]),
        lambda w: DocumentUploadForm(),
        lambda w: {"kind": "contract", "description": "Signed contract"},
        lambda w: [reverse("contracts:history", args=[w.contract.pk])],
        files=lambda w: {"file": hostile_pdf()},
    ),
    "kraljic assessment": Case(
        "priya",
        lambda w: reverse("contracts:kraljic_assess", args=[w.contract.pk]),
        lambda w: KraljicAssessmentForm(criteria=criteria()),
        lambda w: {"rationale": "Few suppliers", **{f"score_{c.pk}": "4" for c in criteria()}},
        lambda w: [reverse("contracts:kraljic_history", args=[w.contract.pk]), reverse("contracts:kraljic_matrix")],
    ),
    "supplier create": Case(
        "priya",
        lambda w: reverse("suppliers:create"),
        lambda w: supplier_form(w, existing=False),
        lambda w: supplier_data(w, existing=False),
        lambda w: [reverse("suppliers:list")],
        extra_kinds=MANAGEMENT,
    ),
    "supplier edit": Case(
        "priya",
        lambda w: reverse("suppliers:edit", args=[w.contract.supplier_id]),
        lambda w: supplier_form(w, existing=True),
        lambda w: supplier_data(w, existing=True),
        lambda w: [
            reverse("suppliers:history", args=[w.contract.supplier_id]),
            reverse("meetings:edit", args=[w.meeting.pk]),
        ],
        extra_kinds=MANAGEMENT,
    ),
    "supplier information": Case(
        "alice",
        lambda w: reverse("escalations:supplier_information_create", args=[w.contract.supplier_id]),
        lambda w: SupplierInformationForm(supplier=w.contract.supplier),
        lambda w: {
            "kind": "financial",
            "category": SupplierInformation.Category.PROFIT_WARNING,
            "severity": "high",
            "occurred_on": "2026-11-01",
            "source": "https://news.example/profit-warning",
            "summary": "Profit warning",
            "details": "",
        },
        lambda w: [reverse("escalations:list")],
    ),
    "escalation raise": Case(
        "alice",
        lambda w: reverse("escalations:raise", args=[w.contract.pk]),
        lambda w: EscalationRaiseForm(contract=w.contract),
        lambda w: {"source": "dispute", "severity": "high", "title": "Invoices disputed", "details": "Three months"},
        lambda w: [reverse("contracts:detail", args=[w.contract.pk])],
    ),
    "escalation manage": Case(
        "priya",
        lambda w: reverse("escalations:manage", args=[w.escalation.pk]),
        lambda w: EscalationManageForm(instance=w.escalation),
        lambda w: {
            "status": "resolved",
            "severity": "medium",
            "owner": w.priya.pk,
            "actions": "Met the supplier",
            "resolution": "Credit note issued",
        },
        lambda w: [reverse("escalations:list") + "?status="],
    ),
    "escalation post": Case(
        "priya",
        lambda w: reverse("escalations:post", args=[w.escalation.pk]),
        lambda w: EscalationPostForm(escalation=w.escalation, can_change_status=True),
        lambda w: {"text": "Called the supplier's director", "status": "in_progress"},
        lambda w: [w.escalation.get_absolute_url()],
        files=lambda w: {"attachment": hostile_pdf()},
    ),
    "variation": Case(
        "priya",
        lambda w: reverse("lifecycle:variation_create", args=[w.contract.pk]),
        lambda w: VariationForm(contract=w.contract),
        lambda w: {
            "description": "Twelve more vehicles",
            "reason": "Fleet growth",
            "value_change": "-2500.50",
            "new_end_date": "2029-06-30",
            "approved_by": w.sam.pk,
        },
        lambda w: [
            reverse("contracts:detail", args=[w.contract.pk]),
            reverse("exchange:change_notices") + "?format=csv",
            reverse("exchange:change_notices") + "?format=json",
        ],
    ),
    "change notice published": Case(
        "priya",
        lambda w: reverse("lifecycle:variation_notice", args=[w.variation.pk]),
        lambda w: PublishedOnForm(earliest=w.contract.start_date, earliest_text="started"),
        lambda w: {"published_on": "2026-10-01"},
        lambda w: [reverse("exchange:change_notices")],
    ),
    "variation agreed": Case(
        "priya",
        lambda w: reverse("lifecycle:variation_agree", args=[w.variation.pk]),
        lambda w: VariationAgreeForm(variation=w.variation),
        lambda w: {"agreed_on": "2026-09-01", "change_notice_exemption": "Below the limits once corrected"},
        lambda w: [reverse("lifecycle:contract", args=[w.contract.pk])],
    ),
    "extension option": Case(
        "priya",
        lambda w: reverse("lifecycle:extension_edit", args=[w.option.pk]),
        lambda w: ExtensionOptionForm(instance=w.option, contract=w.contract),
        lambda w: {"length_months": "6", "decide_by": "2027-09-30", "decision": "pending", "notes": ""},
        lambda w: [reverse("lifecycle:renewals")],
    ),
    "renewal decision": Case(
        "priya",
        lambda w: reverse("lifecycle:renewal_decide", args=[w.contract.pk]),
        lambda w: RenewalDecisionForm(),
        lambda w: {"decision": "reprocure", "notes": "Market has moved on"},
        lambda w: [reverse("lifecycle:renewals")],
    ),
    "contract ending": Case(
        "priya",
        lambda w: reverse("lifecycle:contract_end", args=[w.contract.pk]),
        lambda w: ContractEndingForm(contract=w.contract),
        lambda w: {
            "kind": "terminated",
            "ended_on": "2026-11-01",
            "reason": "Service failures",
            "ended_early_for_breach": "on",
            "breach_details": "Missed every target",
            "damages_or_settlement": "£10,000 settlement",
        },
        lambda w: [
            reverse("exchange:termination_notices"),
            reverse("exchange:termination_notices") + "?format=csv",
            reverse("exchange:termination_notices") + "?format=json",
        ],
    ),
    "termination notice published": Case(
        "priya",
        lambda w: reverse("lifecycle:termination_notice", args=[w.ended.ending.pk]),
        lambda w: PublishedOnForm(earliest=date(2026, 10, 1), earliest_text="it ended"),
        lambda w: {"published_on": "2026-10-20"},
        lambda w: [reverse("exchange:termination_notices")],
    ),
    "termination notice published on Find a Tender": Case(
        "priya",
        lambda w: reverse("exchange:termination_notice", args=[w.ended.ending.pk]),
        lambda w: NoticePublishedForm(earliest=date(2026, 10, 1), earliest_text="it ended"),
        lambda w: {"notice_id": "012345-2026", "published_on": "2026-10-20"},
        lambda w: [
            reverse("exchange:termination_notices"),
            reverse("exchange:termination_notice", args=[w.ended.ending.pk]),
        ],
    ),
    "payments compliance notice published on Find a Tender": Case(
        "priya",
        lambda w: _approved_payments_compliance_notice(w),
        lambda w: NoticePublishedForm(earliest=date(2026, 10, 1), earliest_text="its period ended"),
        lambda w: {"notice_id": "054321-2026", "published_on": "2026-10-20"},
        lambda w: [
            reverse("exchange:payments_compliance_notices"),
            reverse("exchange:payments_compliance_notice", args=["2026-04-01"]),
        ],
    ),
    "saving": Case(
        "alice",
        lambda w: reverse("lifecycle:saving_create", args=[w.contract.pk]),
        lambda w: SavingForm(contract=w.contract),
        lambda w: {
            "kind": "cash_releasing",
            "amount": "2500",
            "achieved_on": "2026-06-01",
            "description": "Rate cut",
            "evidence": "",
        },
        lambda w: [reverse("lifecycle:contract", args=[w.contract.pk])],
    ),
    "training record": Case(
        "priya",
        lambda w: reverse("lifecycle:training_add"),
        lambda w: TrainingRecordForm(),
        lambda w: {
            "user": w.alice.pk,
            "course": TrainingRecord.Course.OTHER,
            "course_name": "Negotiation",
            "level": "foundation",
            "completed_on": "2026-03-01",
            "expires_on": "2028-03-01",
        },
        lambda w: [reverse("lifecycle:training")],
    ),
    "handover": Case(
        "priya",
        lambda w: reverse("lifecycle:handover"),
        lambda w: HandoverForm(),
        lambda w: {
            "from_user": w.alice.pk,
            "to_user": w.carol.pk,
            "role": "oco",
            "reason": "Moved team",
            "confirm": "1",
        },
    ),
}
