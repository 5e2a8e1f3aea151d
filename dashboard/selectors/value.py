"""Value for money: savings this financial year and contract values."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import BooleanField, Count, Expression, ExpressionWrapper, Q, QuerySet

from contracts.models import ContractQuerySet, Saving
from core.dates import financial_year_of
from dashboard.selectors.common import ZERO, ContractGroups, grouped, in_scope, sum_of

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


def savings_key(contracts: ContractQuerySet, *, today: date) -> dict[str, Expression]:
    """Whether a contract has savings recorded this financial year: a key of a pass over the contracts
    (one lookup per contract), whose groups' counts and values are then added up."""
    with_savings = Q(pk__in=savings_this_year(contracts, today=today).values("contract"))
    return {"with_savings": ExpressionWrapper(with_savings, output_field=BooleanField())}


def value_for_money(contracts: ContractQuerySet, *, today: date, groups: ContractGroups | None = None) -> ValueForMoney:
    """Savings recorded this financial year (April to March) against the value of their contracts
    (in a pass over the contracts, `groups` when the dashboard has made it with the other panels' figures)."""
    year = financial_year(today)
    savings = savings_this_year(contracts, today=today)
    totals = savings.order_by().aggregate(
        count=Count("pk"),
        total=sum_of("amount"),
        **{f"kind_{kind}": sum_of("amount", kind=kind) for kind in Saving.Kind.values},
    )
    groups = groups or grouped(contracts, keys=savings_key(contracts, today=today))
    return ValueForMoney(
        year=year,
        count=totals["count"],
        total=totals["total"],
        by_kind=[
            {"kind": kind, "label": label, "total": totals[f"kind_{kind}"]} for kind, label in Saving.Kind.choices
        ],
        contracts=groups.total("count", active=False, where="with_savings"),
        contracts_value=groups.total("sum_total_value", active=False, where="with_savings"),
        any_savings=totals["count"] > 0 or Saving.objects.exists(),
    )
