from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from contracts.models import Category, Contract, ContractAssignment, ContractDocument


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]


class ContractAssignmentInline(admin.TabularInline):
    model = ContractAssignment
    extra = 0
    fields = ["role", "user", "started_at", "ended_at", "assigned_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ContractDocumentInline(admin.TabularInline):
    model = ContractDocument
    extra = 0
    fields = ["kind", "version", "is_current", "original_name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "supplier", "status", "start_date", "end_date", "total_value", "oco", "sro"]
    list_filter = ["status", "category", "procurement_route"]
    search_fields = ["reference", "title", "supplier__name", "finance_reference"]
    list_select_related = ["supplier", "oco", "sro"]
    autocomplete_fields = ["supplier", "oco", "sro"]
    date_hierarchy = "end_date"
    inlines = [ContractAssignmentInline, ContractDocumentInline]


@admin.register(ContractAssignment)
class ContractAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "role", "user", "started_at", "ended_at", "assigned_by"]
    list_filter = ["role"]
    search_fields = ["contract__reference", "user__username", "user__last_name"]
    list_select_related = ["contract", "user", "assigned_by"]


@admin.register(ContractDocument)
class ContractDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "kind", "version", "is_current", "original_name", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["kind", "is_current"]
    search_fields = ["contract__reference", "original_name"]
    list_select_related = ["contract", "uploaded_by"]
    readonly_fields = ["file", "content_type", "size", "uploaded_at"]
