from django.urls import path

from exchange.views import failure_notices, notice_pages
from exchange.views import notices as views

# Under /performance/ (config/urls.py), where the pages have always been.
app_name = "exchange"

urlpatterns = [
    path("notices/", views.performance_notices, name="notices"),
    path("notices/changes/", views.change_notices, name="change_notices"),
    path("notices/changes/<int:pk>/", notice_pages.change_notice, name="change_notice"),
    path("notices/terminations/", views.termination_notices, name="termination_notices"),
    path("notices/terminations/<int:pk>/", notice_pages.termination_notice, name="termination_notice"),
    path("notices/payments-compliance/", views.payments_compliance_notices, name="payments_compliance_notices"),
    path(
        "notices/payments-compliance/<str:period_start>/",
        notice_pages.payments_compliance_notice,
        name="payments_compliance_notice",
    ),
    path("notices/failures/", failure_notices.failure_notices, name="failure_notices"),
    path(
        "notices/contract/<int:contract_pk>/<str:period_start>/<slug:kind>/",
        notice_pages.performance_notice,
        name="notice",
    ),
]
