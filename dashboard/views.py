"""The dashboards: the Procurement Unit's portfolio view, the SRO's overview, the OCO's "My work",
and the lists behind the panels with their CSV and XLSX exports. They read; they never write."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from contracts.models import Contract, ContractQuerySet
from contracts.selectors.key_suppliers import suggestion_reasons
from core import access
from core.exports import FORMATS, table_response
from core.links import add_links
from core.paging import page_of
from dashboard import charts, selectors
from dashboard.caching import cached
from dashboard.filters import DashboardFilter
from dashboard.lists import LISTS
from meetings.schedule import State
from meetings.selectors import schedule_from_facts, with_meeting_facts
from performance.ratings import Rating
from performance.selectors import add_task_links

PAGE_SIZE = 25


def home(request):
    """Each person lands on their own dashboard."""
    user = request.user
    if user.sees_everything:
        return redirect("dashboard:procurement")
    if user.is_sro and not user.is_oco:
        return redirect("dashboard:sro")
    return redirect("dashboard:my_work")


def _filtered(request) -> tuple[DashboardFilter, ContractQuerySet]:
    filterset = DashboardFilter(request.GET or None, queryset=Contract.objects.visible_to(request.user))
    contracts = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    return filterset, contracts


def _procurement_figures(contracts: ContractQuerySet, *, today, filtered: bool) -> dict:
    # The figures over the contracts themselves in two passes, then each panel's own few queries.
    groups = selectors.contract_groups(contracts, today=today)
    return {
        "portfolio": selectors.portfolio(contracts, groups=groups),
        "performance": selectors.performance(contracts, groups=groups),
        "trend": selectors.performance_trend(contracts, today=today, filtered=filtered),
        "renewals": selectors.renewals(contracts, today=today, groups=groups),
        "meetings": selectors.meetings(contracts, today=today, groups=groups),
        "governance": selectors.governance(contracts, today=today, groups=groups),
        "escalations": selectors.escalations(contracts, today=today),
        "value_for_money": selectors.value_for_money(contracts, today=today),
    }


def procurement(request):
    """The whole portfolio at a glance, for the Procurement Unit and administrators."""
    if not request.user.sees_everything:
        raise PermissionDenied
    today = timezone.localdate()
    filterset, contracts = _filtered(request)
    filters = filterset.active_filters
    # A shared service's portfolio is counted over millions of rows: the figures may be a few minutes
    # old (DASHBOARD_CACHE_SECONDS), and the page says how old. The lists behind them are always live.
    figures = cached(
        "procurement",
        key={"today": today.isoformat(), **filters},
        compute=lambda: _procurement_figures(contracts, today=today, filtered=bool(filters)),
    )
    portfolio, performance, trend = (figures.value[name] for name in ("portfolio", "performance", "trend"))
    context = {
        **figures.value,
        "nav": "dashboard",
        "today": today,
        "filter": filterset,
        "filters": filters,
        "quadrants": {key or "none": value for key, value in portfolio.by_quadrant.items()},
        "category_chart": charts.categories(portfolio),
        "latest_ratings": [(key, label, performance.latest[key]) for key, label in Rating.choices],
        "trend_rows": charts.trend_rows(trend),
        "trend_chart": charts.trend(trend),
        "computed_at": figures.computed_at,
        "cache_minutes": -(-settings.DASHBOARD_CACHE_SECONDS // 60),
    }
    return render(request, "dashboard/procurement.html", context)


def sro(request):
    """An SRO's strategic overview of the contracts on which they are the SRO."""
    user = request.user
    if not user.is_sro:
        raise PermissionDenied
    today = timezone.localdate()
    contracts = Contract.objects.filter(sro=user)
    active = list(
        with_meeting_facts(
            contracts.active()
            .with_renewal_dates(today=today)
            .select_related("supplier", "oco")
            .order_by("end_date", "reference")
        )
    )
    ratings = selectors.kpi_rating_counts(contracts.active())
    for contract in active:
        contract.schedule = schedule_from_facts(contract, today=today)
        counts = ratings.get(contract.pk, {})
        contract.rating_cells = [(key, counts.get(key, 0)) for key in selectors.RATING_KEYS]
        contract.poor_kpis = counts.get(Rating.REQUIRES_IMPROVEMENT, 0) + counts.get(Rating.INADEQUATE, 0)
    renewal_horizon = today + timedelta(days=365)
    context = {
        "nav": "sro",
        "today": today,
        "contracts": active,
        "rating_labels": selectors.RATING_LABELS,
        "renewals": [c for c in active if c.end_date <= renewal_horizon or c.notice_date <= renewal_horizon],
        "decisions_overdue": sum(1 for c in active if c.decision_overdue),
        "meetings_due": [c for c in active if c.schedule.state in (State.PASSED, State.ARRANGE_BY)],
        "escalations": list(
            selectors.open_escalations(contracts).select_related("contract", "owner").order_by("raised_on", "pk")
        ),
        "poor_contracts": sum(1 for c in active if c.poor_kpis),
    }
    return render(request, "dashboard/sro.html", context)


def my_work(request):
    """What an OCO must do today across the active contracts on which they are the OCO."""
    user = request.user
    today = timezone.localdate()
    work = selectors.my_work_lists(user, today=today)
    add_task_links(work.tasks, user=user)
    # Each list's links reversed once rather than by `{% url %}` on each of its rows.
    add_links(work.to_arrange, arrange_url="meetings:create")
    add_links(work.actions, edit_url="meetings:action_edit")
    add_links(work.renewals, decide_url="lifecycle:renewal_decide")
    add_links(work.without_document, detail_url="contracts:detail")
    context = {
        "nav": "my_work",
        "renewals": work.renewals,
        "decisions_overdue": sum(1 for c in work.renewals if c.decision_overdue),
        "lead_months": settings.RENEWAL_DECISION_LEAD_MONTHS,
        "today": today,
        "contracts_count": work.contracts_count,
        "tasks": work.tasks,
        "to_arrange": work.to_arrange,
        "arranged_late": work.arranged_late,
        "actions": work.actions,
        "without_document": work.without_document,
        "escalations": work.escalations,
    }
    return render(request, "dashboard/my_work.html", context)


def panel_list(request, slug: str):
    """The rows behind one panel, with the dashboard's filters; ?format=csv or xlsx exports them all."""
    panel = LISTS.get(slug)
    if panel is None:
        raise Http404("No such list.")
    today = timezone.localdate()
    filterset, contracts = _filtered(request)
    params = panel.params(request.GET)
    rows = panel.rows(contracts, today=today, params=params)
    heading = panel.heading(params)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return table_response(
            fmt=fmt,
            name=f"{slug}-{today:%Y-%m-%d}",
            title=heading,
            headers=[column.label for column in panel.columns],
            rows=([column.value(row) for column in panel.columns] for row in rows.iterator(chunk_size=2000)),
        )
    page = page_of(rows, per_page=PAGE_SIZE, number=request.GET.get("page"))
    table = [
        [(column, column.value(row), column.link(row) if column.link else "") for column in panel.columns]
        for row in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "dashboard/panel_list.html",
        {
            "nav": "dashboard" if request.user.sees_everything else "",
            "panel": panel,
            "heading": heading,
            "filter": filterset,
            "page_obj": page,
            "table": table,
            "query": query.urlencode(),
            "panel_params": params,
            "today": today,
        },
    )


def suppliers(request):
    """Suppliers as the policy judges them, for the Procurement Unit: value, contracts, highest quadrant,
    open escalations, financial status and performance; which are key and which the rule suggests."""
    access.require(request.user, "contracts.view_supplier_overview")
    show = request.GET.get("show", "all")
    if show not in selectors.SUPPLIER_SHOWS:
        show = "all"
    page = Paginator(selectors.supplier_overview(today=timezone.localdate(), show=show), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for supplier in page.object_list:
        supplier.suggested = suggestion_reasons(supplier)
    return render(
        request,
        "dashboard/suppliers.html",
        {
            "page_obj": page,
            "suppliers": page.object_list,
            "show": show,
            "shows": selectors.SUPPLIER_SHOWS,
            "show_label": selectors.SUPPLIER_SHOWS[show],
            "can_manage": request.user.has_perm("contracts.manage_key_suppliers"),
            "nav": "suppliers",
        },
    )
