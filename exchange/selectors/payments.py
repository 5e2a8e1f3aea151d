"""Reads for the payment pages: the contracts and suppliers paid late over a period, one contract's figures."""

from datetime import date, timedelta
from typing import Any

from django.db.models import Case, DateField, Q, Value, When

from contracts.models import Contract
from exchange.models import Invoice
from exchange.payments import (
    FIGURES,
    LATE_AFTER_DAYS,
    PAYMENT_INFORMATION_FROM,
    PAYMENT_INFORMATION_OVER,
    figures_shares,
    notice_due_on,
    reporting_periods,
)
from exchange.selectors.notice_releases import contract_identifier


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


def large_payments(*, start: date, end: date) -> list[Invoice]:
    """Section 70: the payments over £30,000 made in the quarter under contracts under the Act whose
    procurement began on or after 1 April 2026 (else, not recorded, that started then). One query."""
    began = Q(procurement_started_on__gte=PAYMENT_INFORMATION_FROM) | Q(
        procurement_started_on__isnull=True, start_date__gte=PAYMENT_INFORMATION_FROM
    )
    contracts = Contract.objects.under_act().filter(began)
    return list(
        Invoice.objects.filter(contract__in=contracts, amount__gt=PAYMENT_INFORMATION_OVER, paid_on__range=(start, end))
        .select_related("contract", "supplier")
        .order_by("paid_on", "contract__reference", "invoice_number")
    )


def large_payment_rows(invoices: list[Invoice]) -> list[dict[str, Any]]:
    return [
        {
            "contract_reference": i.contract.reference if i.contract else "",
            "contract_title": i.contract.title if i.contract else "",
            "find_a_tender_ocid": i.contract.find_a_tender_ocid if i.contract else "",
            "supplier_name": i.supplier.name,
            "supplier_companies_house_number": i.supplier.companies_house_number,
            "invoice_number": i.invoice_number,
            "payment_date": i.paid_on.isoformat() if i.paid_on else "",
            "amount_including_vat": str(i.amount),
        }
        for i in invoices
    ]


# Section 70's quarterly upload to Find a Tender (the central digital platform), one row per payment over
# £30,000 (not added up across smaller payments). docs/payments-over-30000.md says which columns and formats
# come from the Act, the regulations and the Cabinet Office's guidance, and which are this register's choice.
UPLOAD_COLUMNS = [
    "Procurement identifier (OCID)",
    "Contract identifier",
    "Payment amount",
    "Payment date",
    "Supplier name",
    "Supplier identifier",
    "Description",
]


def supplier_identifier(supplier) -> str:
    """The supplier's identifier on the platform: its PPON, else its Companies House number (as OCDS writes
    them: GB-PPON-... / GB-COH-...), else nothing."""
    if supplier.ppon:
        return f"GB-PPON-{supplier.ppon}"
    if supplier.companies_house_number:
        return f"GB-COH-{supplier.companies_house_number}"
    return ""


def upload_rows(invoices: list[Invoice]) -> list[dict[str, str]]:
    """The quarter's payments in the layout of the upload (UPLOAD_COLUMNS, in that order)."""
    rows = []
    for invoice in invoices:
        contract = invoice.contract
        assert contract is not None and invoice.paid_on is not None  # large_payments: matched and paid
        values = [
            contract.find_a_tender_ocid,
            contract_identifier(contract),
            f"{invoice.amount:.2f}",
            invoice.paid_on.isoformat(),
            invoice.supplier.name,
            supplier_identifier(invoice.supplier),
            f"{contract.title}: invoice {invoice.invoice_number}",
        ]
        rows.append(dict(zip(UPLOAD_COLUMNS, values, strict=True)))
    return rows
