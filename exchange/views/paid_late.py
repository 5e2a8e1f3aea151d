"""The dashboards' "paid late" panel, served here because the dashboards may not read invoices (they
sit beside `exchange`, not above it): the Procurement dashboard and My work load it by htmx, and link
to it as a page of its own for a browser without JavaScript. Scoped to what the user may see."""

from django.shortcuts import render
from django.utils import timezone

from exchange.selectors.paid_late import paid_late


def dashboard_paid_late(request):
    """Any member of staff: the Procurement Unit sees the force's, an OCO or SRO their contracts'."""
    panel = paid_late(request.user, today=timezone.localdate())
    context = {"panel": panel, "sees_everything": request.user.sees_everything}
    if request.htmx:
        return render(request, "exchange/payments/_paid_late_panel.html", context)
    return render(request, "exchange/payments/paid_late.html", {**context, "nav": "dashboard"})
