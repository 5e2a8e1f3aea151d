"""The Procurement Unit's list of section 72 contract performance notices due (breaches and failures
to improve), with CSV and JSON exports. The data: exchange/selectors/performance_failures.py."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from contracts.models import Contract
from core import access
from exchange.selectors.performance_failures import section72_notices
from exchange.views.notices import ROWS_PER_PAGE, _export


def failure_notices(request):
    access.require(request.user, "exchange.view_notices")
    today = timezone.localdate()
    notices = section72_notices(Contract.objects.visible_to(request.user))
    if request.GET.get("format") in ("csv", "json"):
        return _export(request, name="breach-and-failure-notices", rows=[n.as_dict() for n in notices])
    page = Paginator(notices, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {"notice": n, "overdue": n.is_overdue(today), "days": (n.due_by - today).days, "late": (today - n.due_by).days}
        for n in page.object_list
    ]
    return render(
        request,
        "exchange/notices/failure_notices.html",
        {"page_obj": page, "rows": rows, "today": today, "nav": "data", "page": "failures"},
    )
