"""Value for money: savings this financial year and contract values."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet

from contracts.models import ContractQuerySet, Saving
from core.dates import financial_year_of
from dashboard.selectors.common import ZERO, in_scope, sum_of

# --- Value for money ----------------------------------------------------------------------


def financial_year(today: date) -> int:
    return financial_year_of(today)


def savings_this_year(contracts: ContractQuerySet, *, today: date) -> QuerySet[Saving]:
    return in_scope(Saving.objects.filter(financial_year=financial_year(today)), contracts)


@dataclass
class ValueForMoney:
    year: int
    count: int = 0
    total: Decimal = ZERO
    by_kind: list[dict] = field(default_factory=list)
    contracts: int = 0
    contracts_value: Decimal = ZERO
    any_savings: bool = False

    @property
    def label(self) -> str:
        return f"{self.year}-{str(self.year + 1)[-2:]}"

    @property
    def percent_of_value(self) -> Decimal | None:
        if not self.contracts_value:
            return None
        return (100 * self.total / self.contracts_value).quantize(Decimal("0.1"))


def value_for_money(contracts: ContractQuerySet, *, today: date) -> ValueForMoney:
    """Savings recorded this financial year (April to March) against the value of their contracts."""
    year = financial_year(today)
    savings = savings_this_year(contracts, today=today)
    totals = savings.order_by().aggregate(
        count=Count("pk"),
        total=sum_of("amount"),
        **{f"kind_{kind}": sum_of("amount", kind=kind) for kind in Saving.Kind.values},
    )
    saved_on = contracts.filter(pk__in=savings.values("contract")).aggregate(
        contracts=Count("pk"), contracts_value=sum_of("total_value")
    )
    return ValueForMoney(
        year=year,
        count=totals["count"],
        total=totals["total"],
        by_kind=[
            {"kind": kind, "label": label, "total": totals[f"kind_{kind}"]} for kind, label in Saving.Kind.choices
        ],
        contracts=saved_on["contracts"],
        contracts_value=saved_on["contracts_value"],
        any_savings=totals["count"] > 0 or Saving.objects.exists(),
    )
