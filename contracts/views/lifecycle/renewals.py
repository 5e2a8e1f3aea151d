"""The renewals list: what falls due in the next 12 months and what was decided."""

from datetime import timedelta

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from contracts.models import Contract
from contracts.selectors import lifecycle as selectors
from contracts.views.lifecycle.common import MANAGE, NAV
from core import access


def renewals(request):
    """Active contracts whose notice date or end date falls in the next 12 months, or already past
    their end date: what is pending and what was decided. Four queries however many rows."""
    access.require(request.user, MANAGE)
    today = timezone.localdate()
    horizon = today + timedelta(days=selectors.RENEWALS_HORIZON_DAYS)
    contracts = selectors.renewals_due(Contract.objects.visible_to(request.user), today=today)
    page = Paginator(contracts, 50).get_page(request.GET.get("page"))
    rows = []
    for contract in page.object_list:
        colour, words = selectors.renewal_urgency(contract, today)
        rows.append(
            {
                "contract": contract,
                "days_left": (contract.end_date - today).days,
                "days_to_notice": (contract.notice_on - today).days,
                "colour": colour,
                "urgency": words,
                "latest": contract.decisions[0] if contract.decisions else None,
            }
        )
    return render(
        request,
        "lifecycle/renewals.html",
        {"page_obj": page, "rows": rows, "today": today, "horizon": horizon, "nav": NAV},
    )
