from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from contracts.models import Activity
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


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["description", "meeting", "owner", "due_date", "done_on"]
    list_filter = ["due_date", "done_on"]
    search_fields = ["description", "meeting__contract__reference"]
    list_select_related = ["meeting__contract", "owner"]
    autocomplete_fields = ["owner"]
    raw_id_fields = ["meeting"]


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
    list_display = ["contract", "cadence", "updated_by", "updated_at"]
    list_filter = ["cadence"]
    search_fields = ["contract__reference"]
    autocomplete_fields = ["contract"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__username", "user__last_name"]
    readonly_fields = ["token", "created_at"]
