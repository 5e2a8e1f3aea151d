"""The portfolio figures: what the register holds, by status, quadrant and category."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count

from contracts.models import Contract, ContractQuerySet, Quadrant
from dashboard.selectors.common import ZERO, sum_of

# --- Portfolio ----------------------------------------------------------------------------


@dataclass
class Portfolio:
    by_status: list[dict]
    by_category: list[dict]
    by_quadrant: dict[str, dict]
    active_count: int = 0
    active_total_value: Decimal = ZERO
    active_annual_value: Decimal = ZERO


def portfolio(contracts: ContractQuerySet) -> Portfolio:
    """Three queries: by status, active by category, active by Kraljic quadrant."""
    rows = {
        row["status"]: row
        for row in contracts.order_by()
        .values("status")
        .annotate(count=Count("pk"), total_value=sum_of("total_value"), annual_value=sum_of("annual_value"))
    }
    by_status = [
        {"status": status, "label": label, **rows.get(status, {"count": 0, "total_value": ZERO, "annual_value": ZERO})}
        for status, label in Contract.Status.choices
    ]
    nothing: dict[str, Any] = {"count": 0, "total_value": ZERO, "annual_value": ZERO}
    active = rows.get(Contract.Status.ACTIVE, nothing)
    by_category = list(
        contracts.active()
        .order_by()
        .values("category_id", "category__name")
        .annotate(count=Count("pk"), total_value=sum_of("total_value"), annual_value=sum_of("annual_value"))
        .order_by("-total_value", "category__name")
    )
    quadrants = {
        row["kraljic_quadrant"]: row
        for row in contracts.active()
        .order_by()
        .values("kraljic_quadrant")
        .annotate(count=Count("pk"), total_value=sum_of("total_value"))
    }
    by_quadrant = {
        key: quadrants.get(key, {"count": 0, "total_value": ZERO})
        for key in [*Quadrant.values, ""]  # "" is not assessed
    }
    return Portfolio(
        by_status=by_status,
        by_category=by_category,
        by_quadrant=by_quadrant,
        active_count=active["count"],
        active_total_value=active["total_value"],
        active_annual_value=active["annual_value"],
    )
