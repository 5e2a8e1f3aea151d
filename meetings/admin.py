from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from contracts.models import Activity, Contract
from meetings import services
from meetings.models import Action, CalendarFeed, ContractMeetingPlan, Meeting


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    autocomplete_fields = ["owner"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "kind", "starts_at", "status", "arranged_on", "created_by"]
    list_filter = ["kind", "status"]
    search_fields = ["contract__reference", "contract__title", "location", "agenda"]
    # Big tables: no count of every row under the filters, no date drill-down (a query per level).
    show_full_result_count = False
    list_select_related = ["contract", "created_by"]
    autocomplete_fields = ["contract", "attendees", "created_by"]
    filter_horizontal = ["supplier_attendees"]
    inlines = [ActionInline]

    # Each contract's last held face-to-face meeting is stored on its plan: keep it true after an
    # administrator's edit or deletion (the contract it was on, and the one it is on now).
    def save_model(self, request, obj, form, change):
        before = list(Meeting.objects.filter(pk=obj.pk).values_list("contract", flat=True)) if obj.pk else []
        super().save_model(request, obj, form, change)
        for contract in {obj.contract, *Contract.objects.filter(pk__in=before)}:
            services.last_held_refresh(contract=contract)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.last_held_refresh(contract=obj.contract)

    def delete_queryset(self, request, queryset):
        contracts = list(Contract.objects.filter(pk__in=queryset.values("contract")))
        super().delete_queryset(request, queryset)
        for contract in contracts:
            services.last_held_refresh(contract=contract)


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["description", "meeting", "owner", "due_date", "done_on"]
    list_filter = ["due_date", "done_on"]
    search_fields = ["description", "meeting__contract__reference"]
    list_select_related = ["meeting__contract", "owner"]
    autocomplete_fields = ["owner"]
    raw_id_fields = ["meeting"]
    show_full_result_count = False


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "kind", "occurred_on", "summary", "recorded_by"]
    list_filter = ["kind"]
    search_fields = ["contract__reference", "summary", "details"]
    show_full_result_count = False
    list_select_related = ["contract", "recorded_by"]
    autocomplete_fields = ["contract", "recorded_by"]


@admin.register(ContractMeetingPlan)
class ContractMeetingPlanAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "cadence", "last_held_on", "updated_by", "updated_at"]
    readonly_fields = ["last_held_on"]
    list_filter = ["cadence"]
    search_fields = ["contract__reference"]
    autocomplete_fields = ["contract"]
    list_select_related = ["contract", "updated_by"]
    show_full_result_count = False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__username", "user__last_name"]
    readonly_fields = ["token", "created_at"]
