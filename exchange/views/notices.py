"""The Procurement Unit's Procurement Act 2023 notice lists: contract performance notices due and
overdue (with each notice's data and a form to record its publication), contract change notices
due and contract termination notices due, each exported as CSV or JSON (`?format=csv|json`), and the
force's payments compliance notices (section 69) of the reporting periods that have ended.

Only the Procurement Unit and administrators (403 for anyone else); the data is built in
exchange/selectors/notices.py."""

import csv
import io
from datetime import date

from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from contracts.models import Contract
from contracts.models.regime import KPI_VALUE, act_commencement, kpi_notices_in_force
from core import access
from core.exports import attachment, safe_text
from core.formatting import long_date
from exchange.payments import NOTICE_DUE_AFTER_DAYS, reporting_periods
from exchange.selectors import notices
from exchange.selectors import payments_notices as compliance

ROWS_PER_PAGE = 50


def _csv_cell(value):
    """CSV injection: a text cell a spreadsheet would run as a formula is written as text."""
    return safe_text(value) if isinstance(value, str) else value


def _export(request, *, name: str, rows: list[dict], fields: list[str] | None = None) -> HttpResponse | None:
    """The rows as CSV or JSON when `?format=` asks for one, else None (the page)."""
    wanted = request.GET.get("format")
    today = timezone.localdate()
    if wanted == "json":
        response: HttpResponse = JsonResponse(
            {"generated_on": today.isoformat(), "notices": rows}, json_dumps_params={"indent": 2}
        )
    elif wanted == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=fields or (list(rows[0]) if rows else ["contract_reference"]))
        writer.writeheader()
        writer.writerows({key: _csv_cell(value) for key, value in row.items()} for row in rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        return None
    return attachment(response, f"{name}-{today:%Y-%m-%d}.{wanted}")


def notice_state(notice: notices.PerformanceNoticeData, today: date) -> tuple[str, str, str]:
    """(Bootstrap colour, badge word, detail): colour is never the only signal."""
    if notice.published:
        return "success", "Published", f"on {long_date(notice.published.published_on)}"
    days = (notice.due_by - today).days
    if days < 0:
        return "danger", "Overdue", f"by {-days} day{'s' if days != -1 else ''}"
    return "warning", "Due", (f"in {days} day{'s' if days != 1 else ''}" if days else "today")


# Performance notices flattened for CSV: one row per notice and published KPI (notice fields repeated).
PERFORMANCE_CSV_FIELDS = [
    "contract_reference",
    "contract_title",
    "procurement_identifier",
    "contract_value",
    "buyer",
    "supplier_name",
    "supplier_address",
    "supplier_email",
    "supplier_identifier",
    "supplier_identifier_scheme",
    "kind",
    "kind_label",
    "period_number",
    "period_start",
    "period_end",
    "due_by",
    "state",
    "kpi_name",
    "kpi_rating",
    "kpi_rating_label",
]


def _performance_csv_rows(data: list[dict]) -> list[dict]:
    rows = []
    for notice in data:
        base = {k: v for k, v in notice.items() if k in PERFORMANCE_CSV_FIELDS}
        for kpi in notice["kpis"] or [None]:
            rows.append(
                {
                    **base,
                    "kpi_name": kpi["name"] if kpi else "",
                    "kpi_rating": kpi["rating"] if kpi else "",
                    "kpi_rating_label": kpi["rating_label"] if kpi else "",
                }
            )
    return rows


def performance_notices(request):
    """Performance notices whose period has ended and that are not recorded as published."""
    access.require(request.user, "exchange.view_notices")
    today = timezone.localdate()
    due = notices.notices_due(Contract.objects.visible_to(request.user), today=today)
    data = []
    for notice in due:
        item = notice.as_dict()
        item["state"] = "overdue" if notice.is_overdue(today) else "due"
        data.append(item)
    if request.GET.get("format") == "csv":
        return _export(
            request, name="performance-notices", rows=_performance_csv_rows(data), fields=PERFORMANCE_CSV_FIELDS
        )
    if response := _export(request, name="performance-notices", rows=data):
        return response
    overdue_count = sum(notice.is_overdue(today) for notice in due)
    page = Paginator(due, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for notice in page.object_list:
        colour, word, detail = notice_state(notice, today)
        rows.append({"notice": notice, "colour": colour, "state": word, "detail": detail})
    return render(
        request,
        "exchange/notices/performance_notices.html",
        {
            "page_obj": page,
            "rows": rows,
            "overdue_count": overdue_count,
            "due_count": len(due) - overdue_count,
            "today": today,
            "due_days": notices.NOTICE_DUE_DAYS,
            "commencement": act_commencement(),
            "in_force_england": kpi_notices_in_force(welsh=False),
            "in_force_wales": kpi_notices_in_force(welsh=True),
            "value": KPI_VALUE,
            "rating_rule": notices.RATING_RULE,
            "identifier_rule": notices.PROCUREMENT_IDENTIFIER_RULE,
            "nav": "data",
            "page": "performance",
        },
    )


def change_notices(request):
    """Variations that need a contract change notice not yet recorded as published."""
    access.require(request.user, "exchange.view_notices")
    variations = notices.change_notices_due(Contract.objects.visible_to(request.user))
    if request.GET.get("format") in ("csv", "json"):
        return _export(
            request, name="change-notices", rows=[notices.change_notice_data(v) for v in variations.iterator()]
        )
    page = Paginator(variations, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "exchange/notices/change_notices.html",
        {"page_obj": page, "variations": page.object_list, "nav": "data", "page": "changes"},
    )


def termination_notices(request):
    """Ended contracts whose contract termination notice is not yet recorded as published."""
    access.require(request.user, "exchange.view_notices")
    today = timezone.localdate()
    endings = notices.termination_notices_due(Contract.objects.visible_to(request.user))
    if request.GET.get("format") in ("csv", "json"):
        return _export(
            request, name="termination-notices", rows=[notices.termination_notice_data(e) for e in endings.iterator()]
        )
    page = Paginator(endings, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "ending": e,
            "overdue": e.notice_due_by < today,
            "days": (e.notice_due_by - today).days,
            "overdue_days": (today - e.notice_due_by).days,
        }
        for e in page.object_list
    ]
    return render(
        request,
        "exchange/notices/termination_notices.html",
        {"page_obj": page, "rows": rows, "today": today, "nav": "data", "page": "terminations"},
    )


def payments_compliance_notices(request):
    """The force's payments compliance notice (section 69) of each reporting period that has ended."""
    access.require(request.user, "exchange.view_notices")
    today = timezone.localdate()
    due = compliance.compliance_notices(today=today)
    rows = []
    for notice in due:
        colour, word, detail = notice.state(today)
        rows.append({"notice": notice, "colour": colour, "state": word, "detail": detail})
    return render(
        request,
        "exchange/notices/payments_compliance_notices.html",
        {
            "rows": rows,
            "due_count": sum(notice.publication is None for notice in due),
            "current": next(iter(reporting_periods(today=today)), None),
            "due_after_days": NOTICE_DUE_AFTER_DAYS,
            "nav": "data",
            "page": "payments",
        },
    )
