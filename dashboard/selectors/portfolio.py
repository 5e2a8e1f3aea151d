"""The portfolio figures: what the register holds, by status, quadrant and category."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from contracts.models import Contract, ContractQuerySet, Quadrant
from dashboard.selectors.common import ZERO, ContractGroups, portfolio_rows

# --- Portfolio ----------------------------------------------------------------------------


@dataclass
class Portfolio:
    by_status: list[dict]
    by_category: list[dict]
    by_quadrant: dict[str, dict]
    active_count: int = 0
    active_total_value: Decimal = ZERO
    active_annual_value: Decimal = ZERO


# Each figure of the portfolio, and its name in ContractGroups (not a field's name, which another
# aggregate of the same pass may read).
SUMS = {"count": "count", "total_value": "sum_total_value", "annual_value": "sum_annual_value"}


def _add(total: dict, row: Mapping[str, Any], fields: tuple[str, ...]) -> None:
    for name in fields:
        total[name] = total.get(name, 0) + row[SUMS[name]]


def portfolio(contracts: ContractQuerySet, *, groups: ContractGroups | None = None) -> Portfolio:
    """Counted and summed by status, category and Kraljic quadrant together (one pass, `groups`
    when the dashboard has made it with the other panels' figures), then added up by status, and the
    active ones by category and by quadrant."""
    rows = groups.rows if groups else portfolio_rows(contracts)
    sums = ("count", "total_value", "annual_value")
    statuses: dict[str, dict] = {}
    categories: dict[int, dict] = {}
    quadrants: dict[str, dict] = {}
    for row in rows:
        _add(statuses.setdefault(row["status"], {"count": 0, "total_value": ZERO, "annual_value": ZERO}), row, sums)
        if row["status"] != Contract.Status.ACTIVE:
            continue
        category = categories.setdefault(
            row["category_id"], {"category_id": row["category_id"], "category__name": row["category__name"]}
        )
        _add(category, row, sums)
        quadrant = quadrants.setdefault(row["kraljic_quadrant"], {"kraljic_quadrant": row["kraljic_quadrant"]})
        _add(quadrant, row, ("count", "total_value"))
    nothing: dict[str, Any] = {"count": 0, "total_value": ZERO, "annual_value": ZERO}
    by_status = [
        {"status": status, "label": label, **statuses.get(status, nothing)} for status, label in Contract.Status.choices
    ]
    active = statuses.get(Contract.Status.ACTIVE, nothing)
    by_category = sorted(categories.values(), key=lambda row: (-row["total_value"], row["category__name"]))
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
