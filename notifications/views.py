from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from notifications import services
from notifications.forms import NotificationPreferencesForm
from notifications.models import Notification
from notifications.selectors import heartbeat_warning, job_statuses


def _back(request, default: str = "notifications:list"):
    target = request.POST.get("next", "")
    return redirect(target if services.is_local_path(target) else default)


# The page's tabs: what each shows of the person's notifications.
SHOWS = {
    "todo": lambda mine: mine.open_tasks(),
    "information": lambda mine: mine.information(),
    "unread": lambda mine: mine.information().unread(),
    "done": lambda mine: mine.tasks().filter(resolved_at__isnull=False, replaced=False),
    "all": lambda mine: mine,
}


def notification_list(request):
    """The "To do" tab (open tasks, the bell's count) apart from "For information" (read or dismissed in bulk)."""
    show = request.GET.get("show", "todo")
    if show not in SHOWS:
        show = "todo"
    mine = Notification.objects.for_user(request.user)
    page_obj = Paginator(SHOWS[show](mine), 25).get_page(request.GET.get("page"))
    # On "To do" the page's own count is the bell's: counted once, not again by the context processor.
    counted = {"open_tasks_count": page_obj.paginator.count} if show == "todo" else {}
    return render(
        request,
        "notifications/notification_list.html",
        {
            **counted,
            "page_obj": page_obj,
            "notifications": page_obj.object_list,
            "show": show,
            "selectable": show in ("information", "unread"),  # ticked, then "Dismiss selected"
            "today": timezone.localdate(),  # a task past its due date is marked overdue
            "unread_information_count": mine.information().unread().count(),
            "nav": "notifications",
        },
    )


@require_POST
def mark_read(request, pk: int):
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.notifications_mark_read(user=request.user, ids=[notification.pk])
    if request.htmx:
        notification.refresh_from_db(fields=["read_at"])
        unread = Notification.objects.for_user(request.user).information().unread().count()
        return render(
            request,
            "notifications/_notification_read.html",
            {"notification": notification, "unread_information_count": unread},
        )
    return _back(request)


@require_POST
def dismiss_information(request):
    """Dismiss the information ticked on the page, or all of it ("all"); tasks are never dismissed."""
    if request.POST.get("all"):
        count = services.information_dismiss(user=request.user)
    else:
        ids = [int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()]
        count = services.information_dismiss(user=request.user, ids=ids) if ids else 0
    if count:
        messages.success(request, f"{count} notification{'s' if count != 1 else ''} dismissed.")
    else:
        messages.info(request, "Nothing was dismissed: tick the information to dismiss.")
    return _back(request)


@require_POST
def mark_all_read(request):
    count = services.notifications_mark_read(user=request.user)
    if count:
        messages.success(
            request,
            ngettext("%(count)d notification marked as read.", "%(count)d notifications marked as read.", count)
            % {"count": count},
        )
    else:
        messages.info(request, "You had no unread notifications.")
    return _back(request)


def open_notification(request, pk: int):
    """Follow a notification's link: it counts as read once opened."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.notifications_mark_read(user=request.user, ids=[notification.pk])
    if services.is_local_path(notification.url):
        return redirect(notification.url)
    if notification.url:
        messages.warning(request, "That notification links outside the contract register, so it was not opened.")
    return redirect("notifications:list")


def preferences(request):
    if request.method == "POST":
        form = NotificationPreferencesForm(request.POST, user=request.user)
        if form.is_valid():
            services.email_delivery_save(user=request.user, delivery=form.cleaned_data["delivery"])
            services.notification_preferences_save(user=request.user, email=form.email_choices())
            messages.success(request, "Your e-mail preferences are saved.")
            return redirect("notifications:preferences")
    else:
        form = NotificationPreferencesForm(user=request.user)
    return render(request, "notifications/preferences.html", {"form": form, "nav": "notifications"})


def operations(request):
    """For administrators: each scheduled job's last run, and whether beat and the worker are alive."""
    if not request.user.is_administrator:
        raise PermissionDenied
    now = timezone.now()
    jobs, heartbeat = job_statuses(now=now)
    return render(
        request,
        "notifications/operations.html",
        {
            "jobs": jobs,
            "attention": sum(1 for job in jobs if job.warnings),
            "heartbeat": heartbeat,
            "heartbeat_warning": heartbeat_warning(heartbeat, now),
            "timezone_name": settings.CELERY_TIMEZONE,
            "nav": "operations",
            "admin_jobruns_url": reverse("admin:notifications_jobrun_changelist"),
        },
    )
