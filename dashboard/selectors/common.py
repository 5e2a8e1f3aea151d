"""What the dashboard's figures share."""

from decimal import Decimal
from typing import TypeVar

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

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
