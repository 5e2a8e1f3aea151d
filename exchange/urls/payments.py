from django.urls import path

from exchange.views import paid_late
from exchange.views import payments as views

app_name = "payments"

urlpatterns = [
    path("", views.payments_late, name="late"),
    path("compliance/", views.payments_compliance, name="compliance"),
    path("compliance/<str:period_start>/approval/", views.compliance_approve, name="compliance_approve"),
    path("over-30000/", views.payments_large, name="large"),
    path("import/", views.invoice_import_start, name="import"),
    path("import/template.<str:file_format>", views.invoice_template_download, name="template"),
    path("unmatched/", views.invoices_unmatched, name="unmatched"),
    path("unmatched/<int:pk>/", views.invoice_match, name="match"),
    path("contract/<int:pk>/", views.contract_payments, name="contract"),
    path("paid-late/", paid_late.dashboard_paid_late, name="paid_late"),
]
