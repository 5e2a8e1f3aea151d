"""The contract's Lifecycle tab."""

from decimal import Decimal

from django.shortcuts import render
from django.utils import timezone

from contracts.models import Contract, ContractEnding
from contracts.views.lifecycle.common import RECORD_SAVING, VALIDATE_SAVING, contract_context, contract_for


def contract_lifecycle(request, pk: int):
    """Original and current value and term, variations, extension options and renewal decisions,
    savings and how the contract ended."""
    contract = contract_for(request, pk)
    user = request.user
    variations = list(
        contract.variations.select_related("approved_by", "recorded_by").prefetch_related("documents", "made_with")
    )
    savings = list(contract.savings.select_related("recorded_by", "validated_by"))
    ending = ContractEnding.objects.filter(contract=contract).select_related("recorded_by").first()
    today = timezone.localdate()
    renewal = (
        Contract.objects.with_renewal_dates(today=today)
        .filter(pk=contract.pk)
        .values("decide_by", "renewal_decided", "decision_overdue")
        .first()
    )
    return render(
        request,
        "lifecycle/contract_lifecycle.html",
        contract_context(
            request,
            contract,
            variations=variations,
            options=list(contract.extension_options.all()),
            decisions=list(contract.renewal_decisions.select_related("decided_by")[:5]),
            savings=savings,
            savings_total=sum((s.amount for s in savings), Decimal("0")),
            savings_validated=sum((s.amount for s in savings if s.validated_on), Decimal("0")),
            ending=ending,
            renewal=renewal,
            notice_overdue=bool(
                ending
                and contract.needs_termination_notice
                and not ending.notice_published_on
                and ending.notice_due_by < today
            ),
            can_record_saving=user.has_perm(RECORD_SAVING, contract),
            can_validate_saving=user.has_perm(VALIDATE_SAVING, contract),
            can_end=ending is None and contract.status != Contract.Status.DRAFT,
            is_live=ending is None and contract.status in (Contract.Status.ACTIVE, Contract.Status.DRAFT),
            today=today,
        ),
    )
