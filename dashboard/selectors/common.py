"""What the dashboard's figures share."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Count, Expression, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from contracts.models import Category, ContractQuerySet

ZERO = Decimal("0")
# The renewal bands of the dashboard, in months from today: [start, end).
BANDS = (("0-3", 0, 3), ("3-6", 3, 6), ("6-12", 6, 12))
HEATMAP_ROWS = 15

Rows = TypeVar("Rows", bound=QuerySet)


def sum_of(field_name: str, **filters) -> Coalesce:
    return Coalesce(Sum(field_name, filter=Q(**filters) if filters else None), ZERO)


def in_scope(rows: Rows, contracts: QuerySet, lookup: str = "contract") -> Rows:
    """The rows that belong to the contracts in scope (`lookup` leads from a row to its contract).
    With the whole register in scope (no filter at all) that is every row, since every one belongs
    to a contract: no join with the contracts, so the count reads the rows' own (partial) index."""
    if not contracts.query.where and not contracts.query.is_sliced:
        return rows
    return rows.filter(**{f"{lookup}__in": contracts})


# --- The figures over the contracts themselves ------------------------------------------


class _OncePerGroup(Subquery):
    """A subquery that reads only grouped columns: left out of the GROUP BY (where it would be
    evaluated for every row), so it runs once per group."""

    def get_group_by_cols(self):
        return []


@dataclass
class ContractGroups:
    """The contracts in scope counted (`count`) and their values summed (`sum_total_value`,
    `sum_annual_value`) by status, category and Kraljic quadrant together, each group with its
    category's name (`rows`: the portfolio's shape); and the panels' `figures` over the active ones."""

    rows: list[dict[str, Any]]
    figures: dict[str, Any] = field(default_factory=dict)


def portfolio_rows(contracts: ContractQuerySet) -> list[dict[str, Any]]:
    """The contracts in scope by status, category and Kraljic quadrant: one grouped pass over the
    contracts alone (no join, no subquery per contract)."""
    rows = (
        contracts.order_by()
        .values("status", "category_id", "kraljic_quadrant")
        .annotate(
            count=Count("pk"),
            sum_total_value=sum_of("total_value"),
            sum_annual_value=sum_of("annual_value"),
            # Looked up once per group, not joined to every contract before grouping.
            category__name=_OncePerGroup(Category.objects.filter(pk=OuterRef("category_id")).order_by().values("name")),
        )
    )
    return [dict(row) for row in rows]


def active_figures(contracts: ContractQuerySet, aggregates: Mapping[str, Expression]) -> dict[str, Any]:
    """The `aggregates` over the active contracts in scope: one pass, not grouped. Several panels'
    aggregates may go in one pass (dashboard.selectors.contract_groups); any relation they read is
    joined once, as a LEFT JOIN, so that every contract counts. No aggregate may search another table
    for each contract (a correlated subquery): without one, PostgreSQL shares the pass among its
    parallel workers, which at 100,000 contracts halves it."""
    return contracts.active().order_by().aggregate(**aggregates)
