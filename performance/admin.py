from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from performance.models import (
    ImprovementPlan,
    Kpi,
    KpiResult,
    Milestone,
    MiReport,
    PerformanceNotice,
    PoorPerformanceRun,
)


@admin.register(Kpi)
class KpiAdmin(SimpleHistoryAdmin):
    list_display = ["name", "contract", "kind", "unit", "target", "direction", "frequency", "is_published", "is_active"]
    list_filter = ["kind", "unit", "frequency", "direction", "is_published", "is_active"]
    search_fields = ["name", "contract__reference", "contract__title"]
    list_select_related = ["contract"]
    raw_id_fields = ["contract"]


@admin.register(KpiResult)
class KpiResultAdmin(SimpleHistoryAdmin):
    list_display = ["kpi", "period_start", "period_end", "actual", "rating", "rating_override", "recorded_by"]
    list_filter = ["rating", "rating_override"]
    search_fields = ["kpi__name", "kpi__contract__reference", "commentary"]
    list_select_related = ["kpi__contract", "recorded_by"]
    date_hierarchy = "period_start"
    raw_id_fields = ["kpi"]
    readonly_fields = ["rating"]

    # The KPI's latest result is copied onto it for the dashboards: keep it true after an admin edit.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        Kpi.objects.filter(pk=obj.kpi_id).refresh_latest()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        Kpi.objects.filter(pk=obj.kpi_id).refresh_latest()

    def delete_queryset(self, request, queryset):
        kpis = list(queryset.values_list("kpi_id", flat=True).distinct())
        super().delete_queryset(request, queryset)
        Kpi.objects.filter(pk__in=kpis).refresh_latest()


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["title", "contract", "due_date", "met_on", "status", "owner"]
    list_filter = ["status"]
    search_fields = ["title", "contract__reference"]
    list_select_related = ["contract", "owner"]
    date_hierarchy = "due_date"
    raw_id_fields = ["contract"]


@admin.register(MiReport)
class MiReportAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "period_label", "expected_by", "received_on", "recorded_by"]
    search_fields = ["contract__reference", "period_label", "evaluation", "issues_found"]
    list_select_related = ["contract", "recorded_by"]
    date_hierarchy = "expected_by"
    raw_id_fields = ["contract"]


@admin.register(ImprovementPlan)
class ImprovementPlanAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "kpi", "improve_by", "review_on", "owner", "status"]
    list_filter = ["status"]
    search_fields = ["contract__reference", "kpi__name", "must_improve"]
    list_select_related = ["contract", "kpi", "owner"]
    raw_id_fields = ["contract", "kpi", "result"]
    autocomplete_fields = ["owner", "created_by"]


@admin.register(PoorPerformanceRun)
class PoorPerformanceRunAdmin(admin.ModelAdmin):
    list_display = ["kpi", "first_period_start", "escalation", "created_at"]
    search_fields = ["kpi__name", "kpi__contract__reference"]
    list_select_related = ["kpi__contract", "escalation"]
    raw_id_fields = ["kpi", "escalation"]


@admin.register(PerformanceNotice)
class PerformanceNoticeAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "kind", "period_start", "period_end", "published_on", "published_by"]
    list_filter = ["kind"]
    search_fields = ["contract__reference", "contract__title"]
    list_select_related = ["contract", "published_by"]
    date_hierarchy = "published_on"
    raw_id_fields = ["contract"]
