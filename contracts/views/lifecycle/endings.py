"""Ending a contract and its termination notice."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from contracts import services
from contracts.forms.lifecycle import ContractEndingForm, PublishedOnForm, add_model_errors
from contracts.models import Contract, ContractEnding
from contracts.views.lifecycle.common import (
    child_managed,
    contract_context,
    contract_managed,
    lifecycle_url,
    published_on,
)
from core.formatting import long_date


def contract_end(request, pk: int):
    """Terminate a contract or let it expire (the Procurement Unit): what the termination notice needs."""
    contract = contract_managed(request, pk)
    if ContractEnding.objects.filter(contract=contract).exists():
        messages.info(request, f"How {contract.reference} ended is already recorded.")
        return redirect(lifecycle_url(contract, "ending"))
    if contract.status == Contract.Status.DRAFT:
        messages.error(request, f"{contract.reference} is a draft: it has not started, so it cannot end.")
        return redirect(lifecycle_url(contract, "ending"))
    form = ContractEndingForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        ending = form.instance
        try:
            ending.full_clean(exclude=["recorded_by"])
            ending = services.contract_end(ending=ending, by=request.user)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            ended = f"{contract.reference}: {ending.get_kind_display().lower()} on {long_date(ending.ended_on)}."
            if contract.needs_termination_notice:
                then = (
                    f"Publish the contract termination notice by {long_date(ending.notice_due_by)} and record the day."
                )
            else:
                then = f"No contract termination notice: the contract is {contract.regime_phrase}."
            messages.success(request, f"{ended} {then}")
            return redirect(lifecycle_url(contract, "ending"))
    return render(request, "lifecycle/contract_end_form.html", contract_context(request, contract, form=form))


def termination_notice(request, pk: int):
    """Record the day a contract termination notice was published."""
    ending = child_managed(request, ContractEnding, pk)
    contract = ending.contract
    from_list = request.GET.get("from") == "list" or request.POST.get("from") == "list"
    form = PublishedOnForm(
        request.POST or None,
        earliest=ending.ended_on,
        earliest_text=f"the contract ended ({long_date(ending.ended_on)})",
        initial={"published_on": ending.notice_published_on or timezone.localdate()},
    )

    def save(day):
        services.termination_notice_published(ending=ending, on=day, by=request.user)
        return f"Contract termination notice for {contract.reference} recorded as published on {long_date(day)}."

    return published_on(
        request,
        contract=contract,
        form=form,
        save=save,
        heading=f"Contract termination notice for {contract.reference}",
        intro=f"{ending.get_kind_display()} on {long_date(ending.ended_on)}: publish the notice by "
        f"{long_date(ending.notice_due_by)} (within 30 days).",
        back=reverse("exchange:termination_notices") if from_list else lifecycle_url(contract, "ending"),
    )
