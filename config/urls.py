from django.contrib import admin
from django.urls import include, path

from config import views
from dashboard import views as dashboard_views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("dashboard/", include("dashboard.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("contracts/", include("contracts.urls")),
    path("escalations/", include("contracts.urls.escalations")),
    path("lifecycle/", include("contracts.urls.lifecycle")),
    path("imports/", include("exchange.urls.imports")),
    path("payments/", include("exchange.urls.payments")),
    path("suppliers/", include("suppliers.urls")),
    # A supplier's timeline reads the register (contracts sits above suppliers), so contracts serves it.
    path("suppliers/", include("contracts.urls.timeline")),
    path("suppliers/", include("contracts.urls.suppliers")),
    path("suppliers/portal/", include("portal.urls_staff")),
    # The supplier portal: a supplier's person sees nothing else.
    path("supplier/", include("portal.urls")),
    path("notifications/", include("notifications.urls")),
    path("meetings/", include("meetings.urls")),
    path("performance/", include("performance.urls")),
    # The Procurement Act notice lists keep their /performance/notices/ addresses.
    path("performance/", include("exchange.urls.notices")),
    path("ocds/", include("exchange.urls.ocds")),
    path("api/", include("exchange.api.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "config.views.server_error"
