"""KPI ratings across the contracts in scope, the 12-month trend and the SRO overview's counts."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, F, Func, IntegerField, Q, QuerySet, Sum, Value, When

from contracts.models import Contract, ContractQuerySet
from core.dates import add_months
from dashboard.selectors.common import HEATMAP_ROWS
from performance.models import Kpi, RatingMonth
from performance.ratings import POOR, Rating

# --- Performance --------------------------------------------------------------------------


@dataclass
class Performance:
    latest: dict[str, int]  # active KPIs of active contracts by the rating of their latest result
    poor_contracts: int  # contracts with a KPI whose latest result is Requires improvement or Inadequate
    heatmap: list[dict]  # the contracts with the most poor latest results, with their KPIs by rating
    unrated_kpis: int = 0

    @property
    def rated_kpis(self) -> int:
        return sum(self.latest.values())


def _live_kpis(contracts: ContractQuerySet) -> QuerySet[Kpi]:
    return Kpi.objects.filter(contract__in=contracts.active(), is_active=True)


class _OverAll(Func):
    """A per-contract count summed over every contract of the grouped query (a window over the
    groups, computed before ORDER BY and LIMIT): the totals ride along with the top rows."""

    template = "CAST(SUM(%(expressions)s) OVER () AS integer)"
    output_field = IntegerField()
    contains_over_clause = True
    window_compatible = True


def _count_name(key: str) -> str:
    return f"n_{key or 'unrated'}"


def performance(contracts: ContractQuerySet) -> Performance:
    """Two queries. One pass over the KPIs' latest results (kept on each KPI), never over all results,
    reading only the columns of the index kpi_contract_rating: each contract's KPIs counted by rating,
    the totals and the number of poor contracts summed over those counts, and the contracts with the
    most poor ratings first (the heat map); then those contracts with their suppliers."""
    keys = ["", *Rating.values]
    per_contract = (
        _live_kpis(contracts)
        .order_by()
        .values("contract")
        .annotate(
            **{_count_name(key): Count("latest_rating", filter=Q(latest_rating=key)) for key in keys},
            poor=Count("latest_rating", filter=Q(latest_rating__in=POOR)),
        )
    )
    top = list(
        per_contract.annotate(
            **{f"total_{_count_name(key)}": _OverAll(F(_count_name(key))) for key in keys},
            poor_contracts=_OverAll(Case(When(poor__gt=0, then=Value(1)), default=Value(0))),
        ).order_by(f"-{_count_name(Rating.INADEQUATE)}", f"-{_count_name(Rating.REQUIRES_IMPROVEMENT)}", "contract")[
            :HEATMAP_ROWS
        ]
    )
    counts = {key: top[0][f"total_{_count_name(key)}"] if top else 0 for key in keys}
    worst = [row for row in top if row["poor"]]
    suppliers = Contract.objects.filter(pk__in=[row["contract"] for row in worst]).select_related("supplier")
    contracts_by_pk = {contract.pk: contract for contract in suppliers}
    heatmap = [
        {
            "contract": contracts_by_pk[row["contract"]],
            "cells": [(key, row[_count_name(key)]) for key in Rating.values],
        }
        for row in worst
        if row["contract"] in contracts_by_pk
    ]
    unrated = counts.pop("")
    return Performance(
        latest=counts,
        poor_contracts=top[0]["poor_contracts"] if top else 0,
        heatmap=heatmap,
        unrated_kpis=unrated,
    )


def trend_months(today: date) -> list[date]:
    """The first days of the twelve months before this one, oldest first."""
    first = today.replace(day=1)
    return [add_months(first, -offset) for offset in range(12, 0, -1)]


def performance_trend(contracts: ContractQuerySet, *, today: date, filtered: bool) -> dict:
    """KPI results of the last twelve months by month and rating: one query over the monthly counts
    the result services keep (RatingMonth), never over the results themselves."""
    months = trend_months(today)
    rows = RatingMonth.objects.filter(month__gte=months[0], month__lt=today.replace(day=1))
    rows = rows.filter(contract__in=contracts) if filtered else rows.filter(contract=None)
    counts = {
        (row["month"], row["rating"]): row["n"]
        for row in rows.values("month", "rating").annotate(n=Sum("results")).order_by()
    }

    return {
        "months": months,
        "series": [
            {"rating": key, "label": label, "counts": [counts.get((m, key), 0) for m in months]}
            for key, label in Rating.choices
        ],
    }


# --- Per-contract ratings (the SRO's overview) --------------------------------------------

RATING_KEYS = Rating.values
RATING_LABELS = Rating.labels


def kpi_rating_counts(contracts: ContractQuerySet) -> dict[int, dict[str, int]]:
    """Each contract's active KPIs by the rating of their latest result, {contract id: {rating: n}}:
    one query over the index kpi_contract_rating, not a join that multiplies each contract's rows."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Kpi.objects.filter(contract__in=contracts, is_active=True, latest_rating__in=RATING_KEYS)
        .order_by()
        .values_list("contract", "latest_rating")
        .annotate(n=Count("*"))
    )
    for contract, rating, n in rows:
        counts.setdefault(contract, {})[rating] = n
    return counts
