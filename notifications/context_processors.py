from django.utils.functional import SimpleLazyObject

from notifications.models import Notification


def bell(request):
    """The bell counts open tasks (not unread information): one COUNT query, only when a page for a
    signed-in user shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: a fragment or page that never shows the bell costs no query.
    return {"open_tasks_count": SimpleLazyObject(lambda: Notification.objects.for_user(user).open_tasks().count())}
