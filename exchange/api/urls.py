from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from exchange.api import views

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
router.register("contracts", views.ContractViewSet, basename="contract")
router.register("suppliers", views.SupplierViewSet, basename="supplier")
router.register("kpis", views.KpiViewSet, basename="kpi")
router.register("kpi-results", views.KpiResultViewSet, basename="kpi-result")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("escalations", views.EscalationViewSet, basename="escalation")

urlpatterns = [
    # The schema needs a token like everything else (drf-spectacular serves it to anyone by default).
    path("schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    *router.urls,
]
