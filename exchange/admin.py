"""The admin's read-only view of spreadsheet imports, and the API's tokens."""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils import timezone
from rest_framework.authtoken.models import TokenProxy

from exchange.models import ApiToken, ImportJob


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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens: made here, the key shown once on the page that follows; deleted to revoke."""

    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username"]
    autocomplete_fields = ["user"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def get_fields(self, request, obj=None):
        return ["user", "name", "expires_at"] if obj is None else ["user", "name", *self.readonly_fields, "expires_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["user", *self.readonly_fields]

    def get_changeform_initial_data(self, request):
        return {"expires_at": timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)}

    def save_model(self, request, obj, form, change):
        if not change:
            obj.new_key = obj.set_new_key()  # on the object, for response_add: never stored
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        context = {**self.admin_site.each_context(request), "token": obj, "key": obj.new_key, "opts": self.opts}
        return TemplateResponse(request, "admin/exchange/apitoken/created.html", context)


# Django REST framework's tokens, made before ApiToken: their keys are digests now (migration 0003); they
# work until settings.API_LEGACY_TOKENS_UNTIL and can be deleted; new tokens are ApiTokens.
admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class LegacyTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created"]
    fields = ["user", "created"]
    readonly_fields = ["user", "created"]

    def has_change_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        # No new token of this kind: the page that made them says where tokens are made now.
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "legacy_until": settings.API_LEGACY_TOKENS_UNTIL,
        }
        return TemplateResponse(request, "admin/authtoken/tokenproxy/moved.html", context)
