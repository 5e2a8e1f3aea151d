"""The admin's read-only view of spreadsheet imports."""

from django.contrib import admin

from exchange.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "created_by", "created_at", "status", "new_count", "updated_count", "error_count"]
    list_filter = ["status", "format"]
    search_fields = ["original_name", "created_by__username"]
    list_select_related = ["created_by"]
    # An import is a record of what happened: it is started from the Import page, never edited.
    readonly_fields = [field.name for field in ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
