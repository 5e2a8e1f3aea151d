"""What the lifecycle pages share: the contract looked up in the user's scope, the tab's context."""

from typing import TypeVar

from django.contrib import messages
from django.db.models import Model
from django.shortcuts import redirect, render
from django.urls import reverse

from contracts.forms.lifecycle import PublishedOnForm
from contracts.models import Contract
from core import access

MANAGE = "contracts.manage_lifecycle"
RECORD_SAVING = "contracts.record_saving"
VALIDATE_SAVING = "contracts.validate_saving"
MANAGE_TRAINING = "contracts.manage_training"
HANDOVER = "contracts.hand_over_contracts"
NAV = "lifecycle"

M = TypeVar("M", bound=Model)


def contract_for(request, pk: int) -> Contract:
    """Scope first, then look up: a contract the user may not see answers 404."""
    return access.object_visible(request.user, Contract.objects.for_page(), pk=pk)


def contract_managed(request, pk: int) -> Contract:
    """The contract, if the user may see it (else 404) and manage its lifecycle (else 403)."""
    contract = contract_for(request, pk)
    access.require(request.user, MANAGE, contract)
    return contract


def child_managed(request, model: type[M], pk: int) -> M:
    """A row of one contract (a variation, an ending, an extension option ...) with its contract and the
    people on it, looked up through the contract's scope (404 outside it), if the user may manage the
    contract's lifecycle (else 403)."""
    queryset = model._default_manager.select_related("contract__supplier", "contract__oco", "contract__sro")
    child = access.object_visible(request.user, queryset, through="contract", pk=pk)
    access.require(request.user, MANAGE, child.contract)  # type: ignore[attr-defined]  # every such row has one
    return child


def contract_context(request, contract: Contract, **extra) -> dict:
    user = request.user
    return {
        "contract": contract,
        "tab": "lifecycle",
        "can_edit": user.has_perm("contracts.change_contract", contract),
        "can_edit_operational": user.has_perm("contracts.change_contract_operational", contract),
        "can_manage": user.has_perm(MANAGE, contract),
        "can_decide": user.has_perm("contracts.decide_renewal", contract),
        **extra,
    }


def lifecycle_url(contract: Contract, anchor: str = "") -> str:
    return reverse("lifecycle:contract", args=[contract.pk]) + (f"#{anchor}" if anchor else "")


def published_on(request, *, contract: Contract, form: PublishedOnForm, save, heading: str, intro: str, back: str):
    if request.method == "POST" and form.is_valid():
        message = save(form.cleaned_data["published_on"])
        messages.success(request, message)
        return redirect(back)
    return render(
        request,
        "lifecycle/published_on_form.html",
        contract_context(request, contract, form=form, heading=heading, intro=intro, back=back),
    )
