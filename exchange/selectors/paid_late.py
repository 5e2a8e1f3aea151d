"""The dashboards' "paid late" panel: the contracts and suppliers the force paid late (an invoice paid in
more than 30 days, by the one rule of `exchange/payments.py`) in the current section 69 reporting period,
among the invoices the user may see (`core.access`: the Procurement Unit every invoice, an OCO or SRO
those of the contracts on which they are named). Four queries whatever the number of invoices."""

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.db.models import F, QuerySet

from core import access
from exchange.models import Invoice, InvoiceQuerySet
from exchange.payments import FIGURES, reporting_periods
from exchange.selectors.payments import default_period

# The panel lists this many of each, the most paid late first; the payment pages list them all.
PANEL_ROWS = 10


@dataclass(frozen=True)
class PaidLate:
    start: date
    end: date
    contracts: list[dict[str, Any]]
    contracts_total: int
    suppliers: list[dict[str, Any]]
    suppliers_total: int

    @property
    def empty(self) -> bool:
        return not (self.contracts_total or self.suppliers_total)


def panel_period(today: date) -> tuple[date, date]:
    """The reporting period `today` falls in (its figures go in the next payments compliance notice), from
    its first day to today; before the first period, the last twelve months."""
    periods = reporting_periods(today=today)
    if not periods:
        return default_period(today)
    return periods[0][0], today


def _late_rows(invoices: InvoiceQuerySet, *, start: date, end: date, fields: list[str]) -> QuerySet:
    return (
        invoices.counted(start=start, end=end)
        .with_days_to_pay()
        .order_by()
        .values(*fields)
        .annotate(**FIGURES)
        .annotate(late=F("within_60") + F("over_60"))
        .filter(late__gt=0)
    )


def paid_late(user: Any, *, today: date, rows: int = PANEL_ROWS) -> PaidLate:
    """The contracts and suppliers with an invoice paid late in the period, the most invoices paid late
    first (then the most paid in 61 days or more), each with its figures, and how many there are."""
    start, end = panel_period(today)
    invoices = cast(InvoiceQuerySet, access.visible(user, Invoice))
    contracts = _late_rows(
        invoices.filter(contract__isnull=False),
        start=start,
        end=end,
        fields=["contract", "contract__reference", "contract__title", "contract__supplier__name"],
    )
    suppliers = _late_rows(invoices, start=start, end=end, fields=["supplier", "supplier__name"])
    return PaidLate(
        start=start,
        end=end,
        contracts=list(contracts.order_by("-late", "-over_60", "contract__reference")[:rows]),
        contracts_total=contracts.count(),
        suppliers=list(suppliers.order_by("-late", "-over_60", "supplier__name")[:rows]),
        suppliers_total=suppliers.count(),
    )
