from django.contrib import admin

from core.admin import ReadOnlyAdmin
from notifications.models import (
    DigestSent,
    EmailSetting,
    Heartbeat,
    JobRun,
    Notification,
    NotificationPreference,
    ReminderLedger,
)

_RECIPIENT_SEARCH = ["recipient__username", "recipient__first_name", "recipient__last_name", "recipient__email"]


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["created_at", "source"]
    list_filter = ["source", "created_at"]
    show_full_result_count = False  # a row a minute, for ever: no date drill-down, no count of them all
    readonly_fields = ["created_at", "source"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at", "resolved_at", "emailed_at"]
    list_filter = [
        "kind",
        "created_at",
        ("read_at", admin.EmptyFieldListFilter),
        ("resolved_at", admin.EmptyFieldListFilter),
        ("emailed_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["recipient"]
    search_fields = ["title", "body", *_RECIPIENT_SEARCH]
    # Big tables (here and below): a date filter without queries instead of date_hierarchy's query per
    # level, and no count of every row beside the filtered count.
    show_full_result_count = False
    raw_id_fields = ["recipient"]
    readonly_fields = ["created_at", "emailed_at", "subject_type", "subject_id", "resolved_at"]


@admin.register(ReminderLedger)
class ReminderLedgerAdmin(ReadOnlyAdmin):
    # Deleting stays allowed (for superusers): deleting a user cascades to their ledger rows.
    list_display = ["recipient", "kind", "subject_type", "subject_id", "due_date", "created_at", "notification_id"]
    list_filter = ["kind", "subject_type", "due_date", "created_at"]
    list_select_related = ["recipient", "subject_type"]
    search_fields = _RECIPIENT_SEARCH
    show_full_result_count = False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "email"]
    list_filter = ["kind", "email"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    raw_id_fields = ["user"]


@admin.register(EmailSetting)
class EmailSettingAdmin(admin.ModelAdmin):
    list_display = ["user", "delivery"]
    list_filter = ["delivery"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    raw_id_fields = ["user"]


@admin.register(DigestSent)
class DigestSentAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "day", "sent_at", "notifications"]
    list_filter = ["day"]
    list_select_related = ["recipient"]
    search_fields = _RECIPIENT_SEARCH
    show_full_result_count = False


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    list_display = ["job", "started_at", "finished_at", "outcome", "notifications_sent"]
    list_filter = ["outcome", "job", "started_at"]
    search_fields = ["job", "detail"]
    show_full_result_count = False

    def has_delete_permission(self, request, obj=None):
        return False
