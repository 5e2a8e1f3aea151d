"""Invoices after their import: the Procurement Unit matches an invoice to its contract, and a late
payment goes on the contract's timeline once (Procurement Act 2023, section 68: 30 days)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from contracts.models import Activity, Contract
from contracts.services.timeline import timeline_record
from core.audit import history_user_set
from core.formatting import long_date, pounds
from exchange.models import Invoice, PaymentComplianceApproval
from exchange.payments import LATE_AFTER_DAYS


def late_payment_record(*, invoice: Invoice, by: User | None) -> Activity | None:
    """Put a late payment on its contract's timeline, once per invoice (none while it has no contract)."""
    days = invoice.days_to_pay
    if invoice.contract is None or days is None or days <= LATE_AFTER_DAYS:
        return None
    if Activity.objects.about(invoice).exists():
        return None
    assert invoice.paid_on is not None  # days_to_pay is None for an unpaid invoice
    return timeline_record(
        contract=invoice.contract,
        kind=Activity.Kind.LATE_PAYMENT,
        summary=f"Invoice {invoice.invoice_number} ({pounds(invoice.amount)}) paid in {days} days",
        details=(
            f"Received {long_date(invoice.received_on)}, paid {long_date(invoice.paid_on)}: "
            f"more than the {LATE_AFTER_DAYS} days the Procurement Act 2023 allows for a valid, undisputed invoice."
        ),
        subject=invoice,
        by=by,
        occurred_on=invoice.paid_on,
    )


@transaction.atomic
def invoice_match(*, invoice: Invoice, contract: Contract, by: User) -> Invoice:
    """The Procurement Unit names the contract of an invoice the import could not match."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if contract.supplier_id != invoice.supplier_id:
        raise ValidationError(
            {"contract": "That contract is with another supplier: choose one of this supplier's contracts."}
        )
    invoice.contract = contract
    history_user_set(invoice, by)
    invoice.save(update_fields=["contract"])
    late_payment_record(invoice=invoice, by=by)
    return invoice


@transaction.atomic
def compliance_approval_save(
    *, period_start, approver_name: str, approver_role: str, approved_on, by: User
) -> PaymentComplianceApproval:
    """Record (or correct) who approved a period's payments compliance notice."""
    approval = PaymentComplianceApproval.objects.select_for_update().filter(period_start=period_start).first()
    if approval is None:
        approval = PaymentComplianceApproval(period_start=period_start)
    approval.approver_name, approval.approver_role, approval.approved_on = approver_name, approver_role, approved_on
    approval.recorded_by = by
    history_user_set(approval, by)
    approval.save()
    return approval
