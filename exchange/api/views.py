"""Read-only viewsets. Every queryset starts from the model's `visible_to(user)`, so an object
outside the user's scope answers 404, as on the pages."""

from rest_framework import viewsets
from rest_framework.pagination import PageNumberPagination

from contracts.models import Contract, Escalation
from exchange.api import filters, serializers
from meetings.models import Meeting
from performance.models import Kpi, KpiResult
from suppliers.models import Supplier


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class ScopedViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = Pagination
    lookup_value_regex = r"\d+"


class ContractViewSet(ScopedViewSet):
    """Contracts on the register: the whole register for the Procurement Unit, an OCO's or SRO's own otherwise."""

    serializer_class = serializers.ContractSerializer
    filterset_class = filters.ContractFilter

    def get_queryset(self):
        return Contract.objects.visible_to(self.request.user).select_related("supplier", "category", "oco", "sro")


class SupplierViewSet(ScopedViewSet):
    """Suppliers: every supplier for the Procurement Unit, the suppliers of one's own contracts otherwise."""

    serializer_class = serializers.SupplierSerializer

    def get_queryset(self):
        return Supplier.objects.current().visible_to(self.request.user).order_by("name", "pk")


class KpiViewSet(ScopedViewSet):
    """KPIs and SLAs of the contracts the user may see."""

    serializer_class = serializers.KpiSerializer
    filterset_class = filters.KpiFilter

    def get_queryset(self):
        return Kpi.objects.visible_to(self.request.user).select_related("contract").order_by("contract", "name", "pk")


class KpiResultViewSet(ScopedViewSet):
    """KPI results, one per KPI and period, of the contracts the user may see."""

    serializer_class = serializers.KpiResultSerializer
    filterset_class = filters.KpiResultFilter

    def get_queryset(self):
        return KpiResult.objects.filter(kpi__in=Kpi.objects.visible_to(self.request.user)).select_related("kpi")


class MeetingViewSet(ScopedViewSet):
    """Supplier meetings of the contracts the user may see, latest first."""

    serializer_class = serializers.MeetingSerializer
    filterset_class = filters.MeetingFilter

    def get_queryset(self):
        return Meeting.objects.visible_to(self.request.user).select_related("contract").order_by("-starts_at", "pk")


class EscalationViewSet(ScopedViewSet):
    """Escalations to the Procurement Unit about the contracts the user may see."""

    serializer_class = serializers.EscalationSerializer
    filterset_class = filters.EscalationFilter

    def get_queryset(self):
        return Escalation.objects.visible_to(self.request.user).select_related("contract", "owner")
