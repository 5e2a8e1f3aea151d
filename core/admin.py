"""What the apps' admin modules share."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the application itself: an administrator reads them, never edits them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DerivedAdmin(ReadOnlyAdmin):
    """Figures the services keep from other records (and a command rebuilds): read, never edited or deleted."""

    def has_delete_permission(self, request, obj=None):
        return False
