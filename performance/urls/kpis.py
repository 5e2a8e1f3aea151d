from django.urls import path

from performance.views.kpis import (
    contract_performance,
    evidence_download,
    kpi_create,
    kpi_edit,
    kpi_history,
    kpi_results,
    result_correct,
    result_override,
    result_record,
)
from performance.views.plans import improvement_plan, improvement_plan_start

urlpatterns = [
    path("contract/<int:pk>/", contract_performance, name="contract"),
    path("contract/<int:contract_pk>/kpis/new/", kpi_create, name="kpi_create"),
    path("kpis/<int:pk>/edit/", kpi_edit, name="kpi_edit"),
    path("kpis/<int:pk>/history/", kpi_history, name="kpi_history"),
    path("kpis/<int:pk>/results/", kpi_results, name="kpi_results"),
    path("kpis/<int:pk>/record/", result_record, name="result_record"),
    path("results/<int:pk>/correct/", result_correct, name="result_correct"),
    path("results/<int:pk>/override/", result_override, name="result_override"),
    path("results/<int:pk>/evidence/", evidence_download, name="evidence"),
    path("results/<int:pk>/improvement-plan/", improvement_plan_start, name="improvement_plan_start"),
    path("improvement-plans/<int:pk>/", improvement_plan, name="improvement_plan"),
]
