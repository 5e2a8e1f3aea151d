"""What the dashboard's figures share."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any, TypeVar

from django.db.models import Count, Expression, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from contracts.models import Category, Contract, ContractQuerySet

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


# --- The figures over the contracts themselves, in one pass ---------------------------------


class _OncePerGroup(Subquery):
    """A subquery that reads only grouped columns: left out of the GROUP BY (where it would be
    evaluated for every row), so it runs once per group."""

    def get_group_by_cols(self):
        return []


@dataclass
class ContractGroups:
    """The contracts in scope counted (`count`) and their values summed (`sum_total_value`,
    `sum_annual_value`) by status, category and Kraljic quadrant together, and by any other keys
    (each group with its category's name): the portfolio's shape, from which the other panels'
    figures over the contracts are added up in Python."""

    rows: list[dict[str, Any]]

    @cached_property
    def active(self) -> list[dict[str, Any]]:
        return [row for row in self.rows if row["status"] == Contract.Status.ACTIVE]

    def total(self, name: str, *, active: bool = True, where: str = "") -> Any:
        """`name` added up over the active contracts' groups (ContractQuerySet.active), or all; only
        over the groups whose key `where` is true, if given."""
        rows = self.active if active else self.rows
        return sum((row[name] for row in rows if not where or row[where]), start=0)


def grouped(
    contracts: ContractQuerySet,
    aggregates: Mapping[str, Expression] | None = None,
    *,
    keys: Mapping[str, Expression] | None = None,
) -> ContractGroups:
    """One query, one pass over the contracts: each group of status, category, quadrant and `keys`
    counted, its values summed, and the `aggregates`. Several panels' aggregates may go in one pass
    (dashboard.selectors.contract_groups); any relation they read is joined once, as a LEFT JOIN, so
    every contract is counted."""
    rows = (
        contracts.order_by()
        .values("status", "category_id", "kraljic_quadrant", **(keys or {}))
        .annotate(
            count=Count("pk"),
            sum_total_value=sum_of("total_value"),
            sum_annual_value=sum_of("annual_value"),
            **(aggregates or {}),
            # Looked up once per group, not joined to every contract before grouping.
            category__name=_OncePerGroup(Category.objects.filter(pk=OuterRef("category_id")).order_by().values("name")),
        )
    )
    return ContractGroups(rows=[dict(row) for row in rows])
