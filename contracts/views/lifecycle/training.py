"""OCO commercial-awareness training."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from contracts import services
from contracts.forms.lifecycle import TrainingRecordForm
from contracts.selectors import lifecycle as selectors
from contracts.views.lifecycle.common import MANAGE_TRAINING, NAV
from core import access
from core.params import int_param


def training(request):
    """OCOs whose commercial-awareness training is missing or expires within 60 days."""
    access.require(request.user, MANAGE_TRAINING)
    today = timezone.localdate()
    rows = selectors.training_rows(today=today)
    return render(
        request,
        "lifecycle/training.html",
        {
            "rows": rows,
            "warning_days": selectors.TRAINING_WARNING_DAYS,
            "warning_until": today + timedelta(days=selectors.TRAINING_WARNING_DAYS),
            "nav": NAV,
        },
    )


def training_add(request):
    access.require(request.user, MANAGE_TRAINING)
    initial = {}
    if (user_pk := int_param(request.GET, "user")) is not None:
        initial["user"] = user_pk
    form = TrainingRecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        record = services.training_record(record=form.instance, by=request.user)
        today = timezone.localdate()
        current = record.user.has_current_training(on=today)
        messages.success(
            request,
            f"Training recorded for {record.user}."
            + ("" if current else " They still have no current commercial-awareness training."),
        )
        return redirect("lifecycle:training")
    return render(request, "lifecycle/training_form.html", {"form": form, "nav": NAV})


def training_mine(request):
    """Everyone sees their own training records."""
    today = timezone.localdate()
    records = list(request.user.training_records.all())
    current, expiry = selectors.training_expiry(records, today=today)
    return render(
        request,
        "lifecycle/training_mine.html",
        {
            "records": records,
            "current": current,
            "expiry": expiry,
            "expiring_soon": bool(expiry and (expiry - today).days <= selectors.TRAINING_WARNING_DAYS),
            "today": today,
        },
    )
