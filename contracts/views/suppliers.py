"""Merging two records of one supplier, for the Procurement Unit. Served from `contracts`, at
/suppliers/<pk>/merge/, because the merge moves contracts (as the supplier's timeline is served here)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import ngettext

from contracts.forms.suppliers import SupplierMergeForm
from contracts.services.suppliers import supplier_merge
from core import access
from suppliers.models import Supplier
from suppliers.selectors import likely_matches, suppliers_found


def _current(user, pk: int) -> Supplier:
    supplier = Supplier.objects.current().annotate(
        contract_count=Count("contracts", distinct=True),
        contact_count=Count("contacts", distinct=True),
        information_count=Count("information", distinct=True),
    )
    return access.object_visible(user, supplier, pk=pk)


def supplier_merge_choose(request, pk: int):
    """The supplier's likely duplicates, and a search for another, to compare and merge with."""
    access.require(request.user, "suppliers.merge_supplier")
    supplier = access.object_visible(request.user, Supplier.objects.current(), pk=pk)
    query = request.GET.get("q", "")[:200]
    return render(
        request,
        "contracts/supplier_merge_choose.html",
        {
            "supplier": supplier,
            "nav": "suppliers",
            "matches": likely_matches(
                name=supplier.name,
                companies_house_number=supplier.companies_house_number,
                limit=10,
                exclude=supplier.pk,
            ),
            "query": query,
            "found": suppliers_found(query, exclude=supplier.pk),
        },
    )


def supplier_merge_pair(request, pk: int, other: int):
    """The two records side by side; choose the one to keep, and merge."""
    access.require(request.user, "suppliers.merge_supplier")
    if pk == other:
        raise Http404("A supplier is merged with another one.")
    first, second = _current(request.user, pk), _current(request.user, other)
    form = SupplierMergeForm(request.POST if request.method == "POST" else None, first=first, second=second)
    if request.method == "POST" and form.is_valid():
        survivor, merged = form.survivor_and_merged()
        try:
            result = supplier_merge(supplier=merged, into=survivor, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            moved = ", ".join(
                [
                    ngettext("%(n)d contract", "%(n)d contracts", result.contracts) % {"n": result.contracts},
                    ngettext("%(n)d contact", "%(n)d contacts", result.contacts) % {"n": result.contacts},
                    ngettext(
                        "%(n)d piece of supplier information",
                        "%(n)d pieces of supplier information",
                        result.information,
                    )
                    % {"n": result.information},
                ]
            )
            messages.success(request, f"{merged.name} merged into {result.survivor.name}: moved {moved}.")
            return redirect(result.survivor)
    return render(
        request,
        "contracts/supplier_merge.html",
        {"form": form, "pair": (first, second), "nav": "suppliers"},
        status=400 if form.errors else 200,
    )
