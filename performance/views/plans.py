"""Improvement plans: started from a result rated Requires improvement or Inadequate, followed up
on their own page. Scope first (404 outside it), then `rules` (403 for an SRO, who reads)."""

from django.contrib import messages
from django.shortcuts import redirect, render

from core import access
from performance import services
from performance.charts import decorate
from performance.forms.kpis import ImprovementPlanForm, ImprovementPlanStatusForm
from performance.models import ImprovementPlan, KpiResult


def improvement_plan_start(request, pk: int):
    """Start an improvement plan from a result (offered beside those rated Requires improvement or Inadequate)."""
    results = KpiResult.objects.select_related("kpi__contract__supplier", "kpi__contract__oco")
    result = access.object_visible(request.user, results, through="kpi__contract", pk=pk)
    contract = result.kpi.contract
    access.require(request.user, "performance.record_results", contract)
    decorate(result.kpi, result)
    form = ImprovementPlanForm(request.POST or None, result=result)
    if request.method == "POST" and form.is_valid():
        plan = services.improvement_plan_start(plan=form.instance, by=request.user)
        messages.success(request, f"Improvement plan started for {result.kpi.name}; it is on the contract's timeline.")
        return redirect(plan)
    context = {"form": form, "result": result, "kpi": result.kpi, "contract": contract, "tab": "performance"}
    return render(request, "performance/improvement_plan_form.html", context)


def improvement_plan(request, pk: int):
    """A plan: what must improve, by when, who, the review date; its status changed by the OCO or
    the Procurement Unit."""
    plans = ImprovementPlan.objects.select_related("contract__supplier", "kpi", "result", "owner", "created_by")
    plan = access.object_visible(request.user, plans, through="contract", pk=pk)
    can_change = request.user.has_perm("performance.record_results", plan.contract)
    form = ImprovementPlanStatusForm(request.POST or None, instance=plan) if can_change else None
    if request.method == "POST":
        access.require(request.user, "performance.record_results", plan.contract)
        assert form is not None
        if form.is_valid():
            services.improvement_plan_update(plan=form.instance, by=request.user)
            messages.success(request, "Improvement plan saved.")
            return redirect(plan)
    if plan.result is not None and plan.kpi is not None:
        decorate(plan.kpi, plan.result)
    context = {"plan": plan, "contract": plan.contract, "form": form, "tab": "performance"}
    return render(request, "performance/improvement_plan.html", context)
