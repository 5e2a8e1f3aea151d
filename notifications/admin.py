from django.contrib import admin

from notifications.models import Heartbeat


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["created_at", "source"]
    list_filter = ["source"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "source"]
