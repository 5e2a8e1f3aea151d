from django.urls import path

from performance.views.tracking import (
    MilestoneEditView,
    MiReportEditView,
    contract_mi_reports,
    contract_milestones,
    mi_report_file,
    published_kpis,
    tasks,
)

urlpatterns = [
    path("contract/<int:pk>/milestones/", contract_milestones, name="milestones"),
    path("contract/<int:contract_pk>/milestones/new/", MilestoneEditView.as_view(), name="milestone_create"),
    path("milestones/<int:pk>/edit/", MilestoneEditView.as_view(), name="milestone_edit"),
    path("contract/<int:pk>/mi-reports/", contract_mi_reports, name="mi_reports"),
    path("contract/<int:contract_pk>/mi-reports/new/", MiReportEditView.as_view(), name="mi_report_create"),
    path("mi-reports/<int:pk>/edit/", MiReportEditView.as_view(), name="mi_report_edit"),
    path("mi-reports/<int:pk>/file/", mi_report_file, name="mi_report_file"),
    path("tasks/", tasks, name="tasks"),
    path("published-kpis/", published_kpis, name="published_kpis"),
]
