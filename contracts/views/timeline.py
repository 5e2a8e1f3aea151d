"""A supplier's timeline: the entries of every contract of the supplier the user may see.

The supplier's pages live in `suppliers`, below the register, so this tab is served from here and
linked by name from the supplier's tabs (as the supplier information form is)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from contracts.selectors import timeline
from core import access
from suppliers.models import Supplier

PAGE_SIZE = 25


def supplier_timeline(request, pk: int):
    supplier = access.object_visible(request.user, Supplier, pk=pk)
    kind = timeline.kind_filter(request.GET.get("kind", ""))
    activities = timeline.supplier_activities(supplier, user=request.user, kind=kind)
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "contracts/supplier_timeline.html",
        {
            "supplier": supplier,
            "tab": "timeline",
            "nav": "suppliers",
            "can_edit": request.user.has_perm("suppliers.change_supplier", supplier),
            "entries": timeline.entries_of(page.object_list),
            "page_obj": page,
            "kind": kind,
            "kinds": timeline.kind_filter_choices(),
            "show_contract": True,
        },
    )
