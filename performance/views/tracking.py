"""Milestones and MI reports of a contract, the user's performance task list, and the Procurement
Unit's list of contracts over £5m short of published KPIs.

Every lookup goes through the user's scope (an outsider gets 404); writes are checked with the
`performance.manage_*` rules on the contract (an SRO reads, 403 on writes)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from contracts.documents import private_download
from contracts.models import Contract
from core import access
from performance import selectors, services
from performance.forms.tracking import MilestoneForm, MiReportForm
from performance.models import Milestone, MiReport

MI_REPORTS_PER_PAGE = 24


def _contract_context(request, contract: Contract, section: str) -> dict:
    user = request.user
    return {
        "contract": contract,
        "tab": "performance",
        "section": section,
        "can_edit": user.has_perm("contracts.change_contract", contract),
        "can_edit_operational": user.has_perm("contracts.change_contract_operational", contract),
        "can_manage_milestones": user.has_perm("performance.manage_milestones", contract),
        "can_manage_mi_reports": user.has_perm("performance.manage_mi_reports", contract),
    }


# --- Milestones ---------------------------------------------------------------------------


def contract_milestones(request, pk: int):
    contract = access.object_visible(request.user, Contract.objects.for_page(), pk=pk)
    milestones = list(contract.milestones.select_related("owner"))
    context = _contract_context(request, contract, "milestones")
    context.update(
        milestones=milestones,
        overdue_count=sum(m.is_overdue for m in milestones),
        today=timezone.localdate(),
    )
    return render(request, "performance/tracking/contract_milestones.html", context)


class MilestoneEditView(View):
    """Add a milestone to a contract (contract_pk) or edit one (pk)."""

    def _load(self, request, **kwargs) -> tuple[Contract, Milestone | None]:
        if "pk" in kwargs:
            milestone = access.object_visible(
                request.user,
                Milestone.objects.select_related("contract__supplier", "contract__oco"),
                through="contract",
                pk=kwargs["pk"],
            )
            return milestone.contract, milestone
        return access.object_visible(request.user, Contract.objects.for_page(), pk=kwargs["contract_pk"]), None

    def _render(self, request, contract, milestone, form):
        context = _contract_context(request, contract, "milestones")
        context.update(form=form, milestone=milestone)
        return render(request, "performance/tracking/milestone_form.html", context)

    def get(self, request, **kwargs):
        contract, milestone = self._load(request, **kwargs)
        access.require(request.user, "performance.manage_milestones", contract)
        return self._render(request, contract, milestone, MilestoneForm(instance=milestone, contract=contract))

    def post(self, request, **kwargs):
        contract, milestone = self._load(request, **kwargs)
        access.require(request.user, "performance.manage_milestones", contract)
        form = MilestoneForm(request.POST, instance=milestone, contract=contract)
        if not form.is_valid():
            return self._render(request, contract, milestone, form)
        milestone = services.milestone_save(milestone=form.instance, by=request.user)
        messages.success(request, f"Milestone “{milestone.title}” saved.")
        return redirect(reverse("performance:milestones", args=[contract.pk]) + f"#milestone-{milestone.pk}")


# --- MI reports ---------------------------------------------------------------------------


def contract_mi_reports(request, pk: int):
    contract = access.object_visible(request.user, Contract.objects.for_page(), pk=pk)
    today = timezone.localdate()
    reports = contract.mi_reports.select_related("recorded_by").order_by("-period_start", "-pk")
    page = Paginator(reports, MI_REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    context = _contract_context(request, contract, "mi_reports")
    context.update(
        page_obj=page,
        reports=page.object_list,
        late=list(selectors.late_mi_reports(contract.mi_reports.all(), today=today).order_by("expected_by")),
        today=today,
    )
    return render(request, "performance/tracking/contract_mi_reports.html", context)


class MiReportEditView(View):
    """Expect or record an MI report of a contract (contract_pk), or record its receipt and evaluation (pk)."""

    def _load(self, request, **kwargs) -> tuple[Contract, MiReport | None]:
        if "pk" in kwargs:
            report = access.object_visible(
                request.user,
                MiReport.objects.select_related("contract__supplier", "contract__oco"),
                through="contract",
                pk=kwargs["pk"],
            )
            return report.contract, report
        return access.object_visible(request.user, Contract.objects.for_page(), pk=kwargs["contract_pk"]), None

    def _render(self, request, contract, report, form):
        context = _contract_context(request, contract, "mi_reports")
        context.update(form=form, report=report)
        return render(request, "performance/tracking/mi_report_form.html", context)

    def get(self, request, **kwargs):
        contract, report = self._load(request, **kwargs)
        access.require(request.user, "performance.manage_mi_reports", contract)
        return self._render(request, contract, report, MiReportForm(instance=report, contract=contract))

    def post(self, request, **kwargs):
        contract, report = self._load(request, **kwargs)
        access.require(request.user, "performance.manage_mi_reports", contract)
        form = MiReportForm(request.POST, request.FILES, instance=report, contract=contract)
        if not form.is_valid():
            return self._render(request, contract, report, form)
        report = services.mi_report_save(
            report=form.instance, by=request.user, upload=form.cleaned_data.get("file_upload") or None
        )
        messages.success(request, f"MI report for {report.period_label} saved.")
        return redirect(reverse("performance:mi_reports", args=[contract.pk]) + f"#mi-report-{report.pk}")


def mi_report_file(request, pk: int):
    """MI report files are served only here, after the contract's scope is checked."""
    report = access.object_visible(request.user, MiReport, through="contract", pk=pk)
    return private_download(report.file, filename=report.file_name or "mi-report")


# --- The user's task list and the Procurement Unit's £5m list --------------------------------


def tasks(request):
    """Results due and overdue, late MI reports and overdue milestones on the user's active contracts."""
    user = request.user
    found = selectors.performance_tasks(user, today=timezone.localdate())
    selectors.add_task_links(found, user=user)
    return render(
        request,
        "performance/tracking/tasks.html",
        {"tasks": found, "show_oco": user.sees_everything, "nav": "tasks"},
    )


def published_kpis(request):
    """Active contracts that section 52 reaches (Contract.objects.needing_three_kpis) with fewer than
    three active published KPIs."""
    access.require(request.user, "performance.view_published_kpi_list")
    contracts = selectors.contracts_short_of_published_kpis(
        Contract.objects.visible_to(request.user).select_related("supplier", "oco")
    ).order_by("published_kpis", "-total_value", "reference")
    return render(
        request,
        "performance/tracking/published_kpis.html",
        {
            "contracts": contracts,
            "value": selectors.PUBLISHED_KPI_VALUE,
            "minimum": selectors.PUBLISHED_KPI_MINIMUM,
            "nav": "kraljic",
        },
    )
