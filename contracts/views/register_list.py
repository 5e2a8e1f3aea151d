"""The register list: the filtered, sorted contracts a page at a time, and the bulk export of the ticked.

The page is asked for all day, so it is cheap: the page's ids come from the register-order index, its 25
rows are read with only the columns shown and their cells worked out here (register_rows), and the part
of the page below the navigation is kept in the cache under a key holding everything it depends on: the
person (scope, roles), what they may do, the query string (filters, sort, page), and the register's last
change (contracts.register_changes: any write to what the list shows gives a new key, so an edit shows at
once). Only the bulk form's CSRF token is written on every request."""

import hashlib
from dataclasses import dataclass

from django.contrib import messages
from django.core.cache import cache
from django.db.models import Count, Sum
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_POST
from django_filters.views import FilterView

from accounts.templatetags.register import status_badge
from contracts import register_changes
from contracts.exports import register_export
from contracts.filters import ContractFilter
from contracts.models import Contract, SavedView
from contracts.views.saved_views import saved_view_url
from core import access
from core.exports import FORMATS
from core.formatting import long_date, pounds
from core.links import url_pattern
from core.paging import rows_in_order

# The columns a row shows (and the people's names): the rest of a contract's many columns stay unread.
ROW_FIELDS = [
    "reference",
    "title",
    "status",
    "end_date",
    "total_value",
    "supplier__name",
    "supplier",
    "oco",
    "sro",
    *(f"{person}__{name}" for person in ("oco", "sro") for name in ("first_name", "last_name", "username")),
]
CACHE_SECONDS = 600


@dataclass(frozen=True)
class Row:
    pk: int
    url: str
    reference: str
    title: str
    supplier: str
    status: str  # safe HTML (status_badge)
    end_iso: str
    ends: str
    total_value: str
    oco: str
    sro: str


def register_rows(contracts: list[Contract]) -> list[Row]:
    """Each contract's cells, worked out once in Python rather than by template tags and filters."""
    detail = url_pattern("contracts:detail")
    return [
        Row(
            pk=contract.pk,
            url=detail.for_pk(contract.pk),
            reference=contract.reference,
            title=contract.title,
            supplier=contract.supplier.name,
            status=status_badge(contract.status, contract.get_status_display()),
            end_iso=contract.end_date.isoformat(),
            ends=long_date(contract.end_date),
            total_value=pounds(contract.total_value),
            oco=str(contract.oco) if contract.oco else "—",
            sro=str(contract.sro) if contract.sro else "—",
        )
        for contract in contracts
    ]


class ContractListView(FilterView):
    template_name = "contracts/contract_list.html"
    filterset_class = ContractFilter
    paginate_by = 25

    def get_queryset(self):
        visible = Contract.objects.visible_to(self.request.user).in_register_order()
        return visible.select_related("supplier", "oco", "sro")

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt in FORMATS:
            # The whole filtered register, in the list's order, not just the page on screen.
            filterset = self.get_filterset(self.get_filterset_class())
            contracts = filterset.qs if filterset.is_valid() else filterset.queryset.none()
            return register_export(contracts, fmt=fmt, name=f"contract-register-{timezone.localdate():%Y-%m-%d}")
        user = request.user
        self.can_add = user.has_perm("contracts.add_contract")
        self.can_hand_over = user.has_perm("contracts.hand_over_contracts")
        version = register_changes.version()
        key = None
        if version is not None:
            # Everything the cached part depends on; the query string is kept whole (filters, sort, page).
            # The day too, should the page ever show something that follows from the date.
            parts = [user.pk, self.can_add, self.can_hand_over, request.get_full_path(), version]
            parts += [get_language(), timezone.localdate()]
            key = "contracts:list:" + hashlib.sha256(repr(parts).encode()).hexdigest()
        register = cache.get(key) if key else None
        if register is None:
            register = self.render_register()
            if key:
                cache.set(key, register, CACHE_SECONDS)
        return TemplateResponse(
            request, self.template_name, {"register": register, "can_hand_over": self.can_hand_over, "nav": "contracts"}
        )

    def render_register(self) -> dict[str, str]:
        """The list's part of the page (FilterView's work): above the rows, and the rows ("" for none)."""
        self.filterset = self.get_filterset(self.get_filterset_class())
        if not self.filterset.is_bound or self.filterset.is_valid() or not self.get_strict():
            self.object_list = self.filterset.qs
        else:
            self.object_list = self.filterset.queryset.none()
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        top = render_to_string("contracts/_register_top.html", context, self.request)
        table = render_to_string("contracts/_register_table.html", context, self.request) if context["rows"] else ""
        return {"top": top, "table": table}

    def get_paginator(self, queryset, per_page, **kwargs):
        # One query gives both the totals of the filtered set and the paginator's count.
        self.totals = queryset.order_by().aggregate(
            count=Count("pk"), total_value=Sum("total_value"), annual_value=Sum("annual_value")
        )
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        paginator.count = self.totals["count"]
        return paginator

    def paginate_queryset(self, queryset, page_size):
        # The page's ids first (the register's order over narrow rows), then those rows with their
        # supplier and people (core.paging): not a sort of every contract joined to them.
        paginator, page, ids, is_paginated = super().paginate_queryset(queryset.values_list("pk", flat=True), page_size)
        page.object_list = rows_in_order(queryset.only(*ROW_FIELDS), list(ids))
        return paginator, page, page.object_list, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = self.totals
        context["can_add"] = self.can_add
        context["filters_applied"] = self.filterset.applied_count()
        query = ContractFilter.query_of(self.request.GET)
        context["saved_views"] = [
            (view, saved_view_url(view), view.query == query)
            for view in access.visible(self.request.user, SavedView).only("name", "query")
        ]
        context["save_view_url"] = f"{reverse('contracts:saved_views')}?{query}"
        # On one's own list, a column that would repeat one's own name on every row is left out.
        rows, user = context["object_list"], self.request.user
        context["show_oco"] = not rows or any(c.oco_id != user.pk for c in rows)
        context["show_sro"] = not rows or any(c.sro_id != user.pk for c in rows)
        context["rows"] = register_rows(rows)
        return context


@require_POST
def export_selected(request):
    """The register's bulk action: the ticked contracts, among those the person may see, as a workbook."""
    ids = [pk for pk in request.POST.getlist("contracts") if pk.isdigit()]
    contracts = Contract.objects.visible_to(request.user).filter(pk__in=ids).in_register_order()
    if not ids or not contracts.exists():
        messages.info(request, "Tick the contracts to export first.")
        return redirect("contracts:list")
    return register_export(contracts, fmt="xlsx", name=f"contracts-chosen-{timezone.localdate():%Y-%m-%d}")
