from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from suppliers.models import CompanyRecord, Supplier, SupplierContact, SupplierInformation


class SupplierContactInline(admin.TabularInline):
    model = SupplierContact
    extra = 0


@admin.register(Supplier)
class SupplierAdmin(SimpleHistoryAdmin):
    list_display = ["name", "companies_house_number", "vat_number", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["name", "companies_house_number", "vat_number"]
    inlines = [SupplierContactInline]
    show_full_result_count = False  # tens of thousands in a shared service
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(SupplierContact)
class SupplierContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "role", "email", "phone", "supplier"]
    search_fields = ["name", "email", "supplier__name"]
    list_select_related = ["supplier"]
    show_full_result_count = False
    autocomplete_fields = ["supplier"]


@admin.register(SupplierInformation)
class SupplierInformationAdmin(SimpleHistoryAdmin):
    list_display = ["supplier", "kind", "category", "severity", "occurred_on", "recorded_by"]
    list_filter = ["kind", "category", "severity"]
    search_fields = ["supplier__name", "summary", "details", "source"]
    list_select_related = ["supplier", "recorded_by"]
    date_hierarchy = "occurred_on"
    autocomplete_fields = ["supplier", "recorded_by"]


@admin.register(CompanyRecord)
class CompanyRecordAdmin(admin.ModelAdmin):
    """What Companies House last said; written by the monitoring, so read here, not edited."""

    list_display = ["supplier", "company_number", "company_status", "accounts_overdue", "source", "checked_at"]
    list_filter = ["source", "accounts_overdue", "confirmation_statement_overdue"]
    search_fields = ["supplier__name", "company_number", "company_name", "company_status"]
    list_select_related = ["supplier"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
