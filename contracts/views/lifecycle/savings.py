"""Savings: recorded by the OCO or the Procurement Unit, validated by the Procurement Unit."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from contracts import services
from contracts.forms.lifecycle import SavingForm, add_model_errors
from contracts.models import Saving
from contracts.selectors import lifecycle as selectors
from contracts.views.lifecycle.common import (
    MANAGE,
    NAV,
    RECORD_SAVING,
    VALIDATE_SAVING,
    contract_context,
    contract_for,
    lifecycle_url,
)
from core import access
from core.dates import financial_year_label
from core.params import int_param


def saving_create(request, pk: int):
    """The contract's OCO or the Procurement Unit records a saving; the Procurement Unit validates it."""
    contract = contract_for(request, pk)
    access.require(request.user, RECORD_SAVING, contract)
    form = SavingForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        saving = form.instance
        try:
            saving.full_clean(exclude=["recorded_by", "financial_year"])
            saving = services.saving_record(saving=saving, by=request.user)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(
                request,
                f"Saving of £{saving.amount:,.2f} recorded for {saving.financial_year_label}. "
                "The Procurement Unit validates it.",
            )
            return redirect(lifecycle_url(contract, "savings"))
    return render(request, "lifecycle/saving_form.html", contract_context(request, contract, form=form))


@require_POST
def saving_validate(request, pk: int):
    saving = access.object_visible(request.user, Saving.objects.select_related("contract"), pk=pk)
    access.require(request.user, VALIDATE_SAVING, saving.contract)
    if saving.validated_on:
        messages.info(request, "This saving was already validated.")
    else:
        services.saving_validate(saving=saving, by=request.user, on=timezone.localdate())
        messages.success(request, f"Saving of £{saving.amount:,.2f} on {saving.contract.reference} validated.")
    if request.POST.get("from") == "savings":
        return redirect(reverse("lifecycle:savings") + "#savings-list")
    return redirect(lifecycle_url(saving.contract, "savings"))


def savings(request):
    """The Procurement Unit's savings page: totals by financial year and by category, and every saving."""
    access.require(request.user, MANAGE)
    visible = Saving.objects.visible_to(request.user)
    totals = selectors.savings_totals(visible)
    validated = selectors.savings_totals(visible.filter(validated_on__isnull=False))
    validated_by_year = {row["financial_year"]: row["total"] for row in validated["by_year"]}
    by_year = [
        {
            "label": financial_year_label(row["financial_year"]),
            "year": row["financial_year"],
            "total": row["total"],
            "validated": validated_by_year.get(row["financial_year"], Decimal("0")),
        }
        for row in totals["by_year"]
    ]
    listed = visible.select_related("contract__category", "recorded_by", "validated_by")
    status = request.GET.get("status", "")
    if status == "unvalidated":
        listed = listed.filter(validated_on__isnull=True)
    year = request.GET.get("year", "")
    year_number = int_param(request.GET, "year")
    if year_number is not None:
        listed = listed.filter(financial_year=year_number)
    page = Paginator(listed, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "lifecycle/savings.html",
        {
            "totals": totals,
            "validated_total": validated["total"],
            "by_year": by_year,
            "by_category": totals["by_category"],
            "page_obj": page,
            "savings": page.object_list,
            "status": status,
            "year": year,
            "year_label": financial_year_label(year_number) if year_number is not None else "",
            "nav": NAV,
        },
    )
