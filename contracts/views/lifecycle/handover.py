"""Handing every live contract of one OCO (or SRO) to another."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from contracts import services
from contracts.forms.lifecycle import HandoverForm, add_model_errors
from contracts.selectors import lifecycle as selectors
from contracts.views.lifecycle.common import HANDOVER, NAV
from core import access


def handover(request):
    """Move every live contract of one OCO (or SRO) to another in one step, with a confirm step."""
    access.require(request.user, HANDOVER)
    confirm = False
    moving = []
    if request.method == "POST":
        form = HandoverForm(request.POST)
        if form.is_valid():
            moving = list(form.contracts())
            data = form.cleaned_data
            if not moving:
                form.add_error("from_user", f"{data['from_user']} holds no live contracts as {data['role'].upper()}.")
            elif "confirm" in request.POST:
                try:
                    count = services.handover(
                        from_user=data["from_user"],
                        to_user=data["to_user"],
                        role=data["role"],
                        reason=data["reason"],
                        by=request.user,
                    )
                except ValidationError as error:
                    add_model_errors(form, error)
                else:
                    messages.success(
                        request,
                        f"{count} contract{'s' if count != 1 else ''} handed over from {data['from_user']} "
                        f"to {data['to_user']} as {data['role'].upper()}.",
                    )
                    to_user = data["to_user"]
                    if data["role"] == "oco" and not to_user.has_current_training(on=timezone.localdate()):
                        messages.warning(
                            request,
                            f"{to_user} has no current commercial-awareness training: the policy asks it of every OCO.",
                        )
                    return redirect("lifecycle:handover")
            else:
                confirm = True
    else:
        initial = {k: request.GET[k] for k in ("from_user", "role") if request.GET.get(k)}
        form = HandoverForm(initial=initial)
    recent = selectors.recent_handovers()
    return render(
        request,
        "lifecycle/handover.html",
        {
            "form": form,
            "confirm": confirm,
            "moving": moving,
            "deactivated": selectors.deactivated_owners_with_contracts(),
            "recent": recent,
            "nav": NAV,
        },
    )
