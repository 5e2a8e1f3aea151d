"""Handing every live contract of one OCO (or SRO) to another."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from contracts import services
from contracts.forms.lifecycle import HandoverForm, HandoverSelectedForm, add_model_errors
from contracts.models import Contract
from contracts.selectors import lifecycle as selectors
from contracts.views.lifecycle.common import HANDOVER, NAV
from core import access


def _hand_over(request, form, hand_over, **which) -> int | None:
    """Hand `which` contracts over as the confirmed form says, with the service `hand_over`: the number
    handed over, or None when the service refused (its reason is put next to the form's fields)."""
    data = form.cleaned_data
    try:
        return hand_over(**which, to_user=data["to_user"], role=data["role"], reason=data["reason"], by=request.user)
    except ValidationError as error:
        add_model_errors(form, error)
        return None


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
                count = _hand_over(request, form, services.handover, from_user=data["from_user"])
                if count is not None:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d contract handed over from %(from)s to %(to)s as %(role)s.",
                            "%(count)d contracts handed over from %(from)s to %(to)s as %(role)s.",
                            count,
                        )
                        % {
                            "count": count,
                            "from": data["from_user"],
                            "to": data["to_user"],
                            "role": data["role"].upper(),
                        },
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


@require_POST
def handover_selected(request):
    """The register's bulk action: hand the contracts ticked on the register to one OCO (or SRO), with a
    confirm step. Only live contracts the person may see can be chosen."""
    access.require(request.user, HANDOVER)
    live = (
        access.visible(request.user, Contract.objects.select_related("supplier", "oco", "sro"))
        .exclude(status__in=[Contract.Status.EXPIRED, Contract.Status.TERMINATED])
        .order_by("reference")
    )
    # Arriving from the register, only the ticked contracts are posted: the form is shown unchecked.
    form = HandoverSelectedForm(request.POST if "step" in request.POST else None, contracts=live)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if "confirm" in request.POST:
            count = _hand_over(request, form, services.contracts_hand_over, contracts=[c.pk for c in data["contracts"]])
            if count is not None:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d contract handed over to %(to)s as %(role)s.",
                        "%(count)d contracts handed over to %(to)s as %(role)s.",
                        count,
                    )
                    % {"count": count, "to": data["to_user"], "role": data["role"].upper()},
                )
                return redirect("contracts:list")
        else:
            return render(request, "lifecycle/handover_selected.html", {"form": form, "confirm": True, "nav": NAV})
    chosen = live.filter(pk__in=[pk for pk in request.POST.getlist("contracts") if pk.isdigit()])
    if not form.is_bound:
        form = HandoverSelectedForm(initial={"contracts": list(chosen), "role": "oco"}, contracts=live)
    return render(
        request, "lifecycle/handover_selected.html", {"form": form, "chosen": chosen, "confirm": False, "nav": NAV}
    )
