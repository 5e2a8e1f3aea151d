"""Key suppliers: designating one with its relationship plan, removing it, confirming it in the review
round. The supplier-level overview that lists them reads performance too, so it is the dashboard's."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from contracts import services
from contracts.forms.key_suppliers import KeySupplierForm
from contracts.models import KeySupplier, ReviewRound
from contracts.selectors.key_suppliers import suggestion_reasons, with_key_supplier_figures
from core import access
from core.params import int_param
from suppliers.models import Supplier


def key_supplier(request, supplier_pk: int):
    """Designate the supplier as key (or edit its reason and relationship plan)."""
    access.require(request.user, "contracts.manage_key_suppliers")
    supplier = access.object_visible(request.user, with_key_supplier_figures(Supplier.objects.all()), pk=supplier_pk)
    designation = KeySupplier.objects.filter(supplier=supplier).select_related("lead", "review_round").first()
    instance = designation or KeySupplier(supplier=supplier)
    form = KeySupplierForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.key_supplier_save(key_supplier=form.instance, by=request.user)
        messages.success(
            request,
            f"{supplier.name}'s relationship plan saved." if designation else f"{supplier.name} is now a key supplier.",
        )
        return redirect("dashboard:suppliers")
    return render(
        request,
        "contracts/key_supplier_form.html",
        {
            "supplier": supplier,
            "designation": designation,
            "form": form,
            "suggested": suggestion_reasons(supplier),
        },
    )


def _designation(request, supplier_pk: int) -> tuple[Supplier, KeySupplier | None]:
    supplier = access.object_visible(request.user, Supplier.objects.all(), pk=supplier_pk)
    designation = KeySupplier.objects.filter(supplier=supplier).first()
    if designation is None:
        messages.info(request, f"{supplier.name} is not a key supplier.")
    return supplier, designation


@require_POST
def key_supplier_remove(request, supplier_pk: int):
    access.require(request.user, "contracts.manage_key_suppliers")
    supplier, designation = _designation(request, supplier_pk)
    if designation is not None:
        services.key_supplier_remove(key_supplier=designation, by=request.user)
        messages.success(request, f"{supplier.name} is no longer a key supplier.")
    # Removed from the review round's page: back to it.
    review_round = ReviewRound.objects.filter(pk=int_param(request.POST, "round") or 0).first()
    return redirect(review_round.get_absolute_url() + "#key-suppliers" if review_round else "dashboard:suppliers")


@require_POST
def key_supplier_review(request, supplier_pk: int):
    """Confirm, in the open review round posted, that the supplier stays a key supplier."""
    access.require(request.user, "contracts.manage_key_suppliers")
    supplier, designation = _designation(request, supplier_pk)
    review_round = ReviewRound.objects.filter(closed_at__isnull=True, pk=int_param(request.POST, "round") or 0).first()
    if review_round is None:
        messages.error(request, "Key suppliers are confirmed in an open review round.")
        return redirect("contracts:review_rounds")
    if designation is not None:
        services.key_supplier_review(key_supplier=designation, review_round=review_round, by=request.user)
        messages.success(request, f"{supplier.name} confirmed as a key supplier.")
    return redirect(review_round.get_absolute_url() + "#key-suppliers")
