from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import TrainingRecord, User


class TrainingRecordInline(admin.TabularInline):
    model = TrainingRecord
    extra = 0


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "job_title",
        "department",
        "is_budget_holder",
        "is_active",
        "is_staff",
    ]
    list_filter = ["groups", "is_budget_holder", "is_active", "is_staff", "is_superuser", "department"]
    search_fields = ["username", "first_name", "last_name", "email", "job_title", "department"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Role in the force", {"fields": ("job_title", "department", "is_budget_holder")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (
            "Role in the force",
            {"fields": ("first_name", "last_name", "email", "job_title", "department", "is_budget_holder", "groups")},
        ),
    )
    actions = ["deactivate", "activate"]
    inlines = [TrainingRecordInline]

    @admin.action(description="Deactivate the selected users")
    def deactivate(self, request, queryset):
        updated = _set_active(queryset.exclude(pk=request.user.pk), active=False, by=request.user)
        self.message_user(request, f"{updated} user(s) deactivated.")

    @admin.action(description="Activate the selected users")
    def activate(self, request, queryset):
        updated = _set_active(queryset, active=True, by=request.user)
        self.message_user(request, f"{updated} user(s) activated.")


@transaction.atomic
def _set_active(queryset, *, active: bool, by) -> int:
    """Saved one by one (queryset.update() would skip simple-history): each user's history says who
    activated or deactivated them, and when."""
    changed = 0
    for user in User.objects.select_for_update().filter(pk__in=queryset.values("pk"), is_active=not active):
        user.is_active = active
        user._history_user = by
        user._change_reason = f"{'Activated' if active else 'Deactivated'} from the users list by {by}"
        user.save(update_fields=["is_active"])
        changed += 1
    return changed


@admin.register(TrainingRecord)
class TrainingRecordAdmin(SimpleHistoryAdmin):
    list_display = ["user", "course", "course_name", "level", "completed_on", "expires_on"]
    list_filter = ["course", "level"]
    search_fields = ["user__username", "user__last_name", "course_name"]
    autocomplete_fields = ["user"]


# django-axes' own admin for sign-in failures and lockouts (administrators unlock someone by
# deleting their access attempts). Its "Clean up expired attempts" action reads a request
# attribute that only axes' sign-in checks set, and fails without it: give it one.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    @admin.action(description="Clean up expired attempts")
    def cleanup_expired_attempts(self, request, queryset):
        request.axes_attempt_time = timezone.now()
        return super().cleanup_expired_attempts(request, queryset)
