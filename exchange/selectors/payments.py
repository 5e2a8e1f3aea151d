"""Reads for the payment pages: the contracts and suppliers paid late over a period, one contract's figures."""

from datetime import date, timedelta
from typing import Any

from django.db.models import Case, DateField, Value, When

from contracts.models import Contract
from exchange.models import Invoice
from exchange.payments import FIGURES, LATE_AFTER_DAYS, figures_shares, notice_due_on, reporting_periods


def default_period(today: date) -> tuple[date, date]:
    """The last twelve months, today included."""
    return today - timedelta(days=364), today


def paid_late(*, start: date, end: date, by: str) -> list[dict[str, Any]]:
    """Each contract (or supplier) with an invoice paid in more than 30 days in the period, its figures,
    the latest first by the share paid late. One query."""
    fields = (
        ["contract", "contract__reference", "contract__title"] if by == "contract" else ["supplier", "supplier__name"]
    )
    invoices = Invoice.objects.all()
    if by == "contract":
        invoices = invoices.filter(contract__isnull=False)
    rows = [figures_shares(row) for row in invoices.payment_figures(start=start, end=end, group_by=fields)]
    late = [row for row in rows if row["within_60"] + row["over_60"]]
    return sorted(late, key=lambda row: (-(row["within_60"] + row["over_60"]) / row["invoices"], -row["over_60"]))


def contract_payments(*, contract: Contract, start: date, end: date) -> dict[str, Any]:
    """One contract's figures over the period and its latest invoices paid late (two queries)."""
    invoices = Invoice.objects.filter(contract=contract)
    late = list(
        invoices.counted(start=start, end=end)
        .with_days_to_pay()
        .filter(days__gt=LATE_AFTER_DAYS)
        .order_by("-paid_on", "pk")[:5]
    )
    return {"figures": invoices.payment_figures(start=start, end=end), "late": late}


def compliance_periods(*, today: date) -> list[dict[str, Any]]:
    """Each section 69 reporting period with the force's figures, its due date and whether it has ended:
    one query whatever the number of periods."""
    periods = reporting_periods(today=today)
    if not periods:
        return []
    start_of = Case(
        *[When(paid_on__range=(start, end), then=Value(start)) for start, end in periods], output_field=DateField()
    )
    rows = (
        Invoice.objects.counted(start=periods[-1][0], end=periods[0][1])
        .with_days_to_pay()
        .annotate(period_start=start_of)
        .order_by()
        .values("period_start")
        .annotate(**FIGURES)
    )
    by_start = {row["period_start"]: row for row in rows}
    empty = {"invoices": 0, "within_30": 0, "within_60": 0, "over_60": 0, "average_days": None}
    return [
        {
            "period_start": start,
            "period_end": end,
            "due_on": notice_due_on(end),
            "ended": end < today,
            **figures_shares({**empty, **{k: v for k, v in by_start.get(start, {}).items() if k in empty}}),
        }
        for start, end in periods
    ]
