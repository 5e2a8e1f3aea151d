from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import DerivedAdmin
from performance import services
from performance.models import (
    Breach,
    ImprovementNotice,
    ImprovementNoticeReply,
    ImprovementPlan,
    Kpi,
    KpiRatings,
    KpiResult,
    Milestone,
    MiReport,
    PerformanceNotice,
    PoorPerformanceRun,
    RatingMonth,
    ServiceCredit,
)


@admin.register(Kpi)
class KpiAdmin(SimpleHistoryAdmin):
    list_display = ["name", "contract", "kind", "unit", "target", "direction", "frequency", "is_published", "is_active"]
    list_filter = ["kind", "unit", "frequency", "direction", "is_published", "is_active"]
    search_fields = ["name", "contract__reference", "contract__title"]
    list_select_related = ["contract"]
    raw_id_fields = ["contract"]
    show_full_result_count = False

    # Each contract's KPI ratings are kept from its KPIs: the services keep them true after an admin
    # edit or deletion.
    def save_model(self, request, obj, form, change):
        services.kpi_save(kpi=obj, by=request.user)

    def delete_model(self, request, obj):
        services.kpi_delete(kpi=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for kpi in queryset:
            services.kpi_delete(kpi=kpi, by=request.user)


@admin.register(KpiResult)
class KpiResultAdmin(SimpleHistoryAdmin):
    list_display = ["kpi", "period_start", "period_end", "actual", "rating", "rating_override", "recorded_by"]
    list_filter = ["rating", "rating_override"]
    search_fields = ["kpi__name", "kpi__contract__reference", "commentary"]
    list_select_related = ["kpi__contract", "recorded_by"]
    raw_id_fields = ["kpi"]
    readonly_fields = ["rating"]
    # Millions of rows: no count of them all under the filters, and no date drill-down (a query per level).
    show_full_result_count = False

    # The KPI's latest result and the monthly rating counts are kept from the results: the services
    # keep them true after an admin edit or deletion.
    def save_model(self, request, obj, form, change):
        services.kpi_result_admin_save(result=obj, by=request.user)

    def delete_model(self, request, obj):
        services.kpi_result_delete(result=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for result in queryset.select_related("kpi"):
            services.kpi_result_delete(result=result, by=request.user)


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["title", "contract", "due_date", "met_on", "status", "owner"]
    list_filter = ["status", "due_date"]
    search_fields = ["title", "contract__reference"]
    list_select_related = ["contract", "owner"]
    show_full_result_count = False  # several a contract: no date_hierarchy (a query per level)
    raw_id_fields = ["contract"]


@admin.register(MiReport)
class MiReportAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "period_label", "expected_by", "received_on", "recorded_by"]
    search_fields = ["contract__reference", "period_label", "evaluation", "issues_found"]
    list_select_related = ["contract", "recorded_by"]
    show_full_result_count = False
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


@admin.register(RatingMonth)
class RatingMonthAdmin(DerivedAdmin):
    """The counts are kept by the result services (`manage.py rating_months_rebuild`)."""

    list_display = ["month", "rating", "results", "contract"]
    list_filter = ["rating"]
    search_fields = ["contract__reference"]
    list_select_related = ["contract"]
    show_full_result_count = False


@admin.register(KpiRatings)
class KpiRatingsAdmin(DerivedAdmin):
    """Each contract's KPIs by latest rating, kept by the KPI and result services (`manage.py kpi_ratings_rebuild`)."""

    list_display = ["contract", *KpiRatings.FIELDS]
    search_fields = ["contract__reference"]
    list_select_related = ["contract"]
    show_full_result_count = False


# Remedies: recorded through their pages (which write the timeline); here to look up and correct.
@admin.register(ImprovementNotice)
class ImprovementNoticeAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "issued_on", "cure_by", "outcome", "outcome_on", "notice_published_on"]
    list_filter = ["outcome"]
    search_fields = ["contract__reference", "failure"]
    list_select_related = ["contract"]
    raw_id_fields = ["contract", "plan"]


@admin.register(ImprovementNoticeReply)
class ImprovementNoticeReplyAdmin(admin.ModelAdmin):
    list_display = ["notice", "author", "created_at", "late", "attachment_name"]
    list_filter = ["late"]
    search_fields = ["notice__contract__reference", "text"]
    list_select_related = ["notice__contract", "author"]
    raw_id_fields = ["notice", "author"]
    readonly_fields = ["created_at"]


@admin.register(ServiceCredit)
class ServiceCreditAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "kpi", "period_start", "kind", "amount", "invoice_reference"]
    list_filter = ["kind"]
    search_fields = ["contract__reference", "kpi__name", "invoice_reference"]
    list_select_related = ["contract", "kpi"]
    raw_id_fields = ["contract", "kpi"]


@admin.register(Breach)
class BreachAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "identified_on", "requirement", "outcome", "outcome_on", "value", "notice_published_on"]
    list_filter = ["outcome"]
    search_fields = ["contract__reference", "requirement", "description"]
    list_select_related = ["contract"]
    raw_id_fields = ["contract"]
