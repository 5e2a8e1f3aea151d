"""Variations and their change notices; extension options and renewal decisions on one contract."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from contracts import services
from contracts.forms.lifecycle import (
    ExtensionOptionForm,
    PublishedOnForm,
    RenewalDecisionForm,
    VariationAgreeForm,
    VariationForm,
    add_model_errors,
)
from contracts.models import ExtensionOption, Variation
from contracts.views.lifecycle.common import (
    child_managed,
    contract_context,
    contract_for,
    contract_managed,
    lifecycle_url,
    published_on,
)
from core import access
from core.formatting import long_date


def variation_create(request, pk: int):
    """The Procurement Unit records a proposed variation; the service applies the change notice rule."""
    contract = contract_managed(request, pk)
    form = VariationForm(request.POST or None, contract=contract, initial={"approved_by": contract.sro})
    if request.method == "POST" and form.is_valid():
        variation = form.instance
        try:
            variation.full_clean(exclude=["number", "recorded_by", "agreed_on"])
            variation = services.variation_record(
                variation=variation,
                by=request.user,
                made_with=form.cleaned_data["made_with"],
                documents=form.cleaned_data["documents"],
            )
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            text = f"Variation {variation.number} to {contract.reference} proposed. {variation.change_notice_reason}"
            if variation.change_notice_required:
                messages.warning(
                    request,
                    f"{text} Publish the notice and record the day it was published before the variation is agreed.",
                )
            else:
                messages.success(request, text)
            return redirect(lifecycle_url(contract, "variations"))
    return render(
        request,
        "lifecycle/variation_form.html",
        contract_context(request, contract, form=form, latest_end=contract.extended_end_date),
    )


def variation_notice(request, pk: int):
    """Record the day a variation's contract change notice was published."""
    variation = child_managed(request, Variation, pk)
    contract = variation.contract
    form = PublishedOnForm(
        request.POST or None,
        earliest=contract.start_date,
        earliest_text=f"the contract started ({long_date(contract.start_date)})",
        initial={"published_on": variation.change_notice_published_on or timezone.localdate()},
    )

    def save(day):
        services.variation_notice_published(variation=variation, on=day, by=request.user)
        return f"Contract change notice for variation {variation.number} recorded as published on {long_date(day)}."

    return published_on(
        request,
        contract=contract,
        form=form,
        save=save,
        heading=f"Contract change notice for variation {variation.number}",
        intro=variation.change_notice_reason,
        back=lifecycle_url(contract, "variations"),
    )


def variation_agree(request, pk: int):
    """Mark a proposed variation agreed: refused while its change notice is neither recorded as
    published nor exempted with a reason (the service's rule, shown next to the field)."""
    variation = child_managed(request, Variation, pk)
    contract = variation.contract
    if variation.is_agreed and variation.agreed_on:
        messages.info(request, f"Variation {variation.number} was agreed on {long_date(variation.agreed_on)}.")
        return redirect(lifecycle_url(contract, "variations"))
    form = VariationAgreeForm(request.POST or None, variation=variation)
    if request.method == "POST" and form.is_valid():
        try:
            variation = services.variation_agree(
                variation=variation,
                on=form.cleaned_data["agreed_on"],
                exemption=form.cleaned_data.get("change_notice_exemption", ""),
                by=request.user,
            )
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            day = long_date(form.cleaned_data["agreed_on"])
            messages.success(request, f"Variation {variation.number} to {contract.reference} agreed on {day}.")
            return redirect(lifecycle_url(contract, "variations"))
    return render(
        request,
        "lifecycle/variation_agree_form.html",
        contract_context(
            request,
            contract,
            form=form,
            variation=variation,
            standstill_running=variation.standstill_running(timezone.localdate()),
        ),
    )


def extension_option_edit(request, contract_pk: int | None = None, pk: int | None = None):
    """Add an extension option to a contract (contract_pk) or change one (pk): the Procurement Unit."""
    if pk is not None:
        option = child_managed(request, ExtensionOption, pk)
        contract = option.contract
    else:
        assert contract_pk is not None  # the URLs give one or the other
        contract, option = contract_managed(request, contract_pk), None
    form = ExtensionOptionForm(request.POST or None, instance=option, contract=contract)
    if request.method == "POST" and form.is_valid():
        try:
            option = services.extension_option_save(option=form.instance, by=request.user)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            verb = "saved" if pk else "added"
            messages.success(request, f"Extension option {verb}: {option}.")
            return redirect(lifecycle_url(contract, "renewal"))
    return render(
        request,
        "lifecycle/extension_option_form.html",
        contract_context(request, contract, form=form, option=option),
    )


def renewal_decide(request, pk: int):
    """Record the decision on a contract coming to its end: extend, re-procure or let it expire."""
    contract = contract_for(request, pk)
    access.require(request.user, "contracts.decide_renewal", contract)
    from_renewals = request.GET.get("from") == "renewals" or request.POST.get("from") == "renewals"
    back = reverse("lifecycle:renewals") if from_renewals else lifecycle_url(contract, "renewal")
    form = RenewalDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = services.renewal_decide(
            contract=contract,
            decision=form.cleaned_data["decision"],
            notes=form.cleaned_data["notes"],
            by=request.user,
        )
        messages.success(request, f"Decision on {contract.reference} recorded: {decision.get_decision_display()}.")
        return redirect(back)
    return render(
        request,
        "lifecycle/renewal_decision_form.html",
        contract_context(
            request,
            contract,
            form=form,
            back=back,
            from_renewals=from_renewals,
            options=[o for o in contract.extension_options.all() if o.decision == ExtensionOption.Decision.PENDING],
            decisions=list(contract.renewal_decisions.select_related("decided_by")[:5]),
        ),
    )
