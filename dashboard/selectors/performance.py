"""KPI ratings across the contracts in scope, the 12-month trend and the SRO overview's counts."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Func, IntegerField, Q, QuerySet, Sum

from contracts.models import Contract, ContractQuerySet
from core.dates import add_months
from dashboard.selectors.common import HEATMAP_ROWS
from performance.models import Kpi, RatingMonth
from performance.ratings import Rating

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


class _CountOfGroups(Func):
    """The number of groups of a grouped query (a window over the groups, computed before ORDER BY
    and LIMIT): how many contracts there are, riding along with the top few."""

    template = "CAST(COUNT(*) OVER () AS integer)"
    output_field = IntegerField()
    contains_aggregate = True  # computed over the groups: never one of the GROUP BY's columns
    contains_over_clause = True
    window_compatible = True


def performance(contracts: ContractQuerySet) -> Performance:
    """Three queries over the KPIs' latest results (kept on each KPI), never over all results: the
    live KPIs counted by rating from the index kpi_contract_rating alone; the contracts with poor
    ones counted, the worst first, from the small index kpi_live_poor in one pass; then the heat map's
    contracts with their suppliers and their KPIs by rating."""
    kpis = _live_kpis(contracts)
    counts = dict.fromkeys(["", *Rating.values], 0)
    for row in kpis.order_by().values("latest_rating").annotate(n=Count("*")):
        counts[row["latest_rating"]] = row["n"]
    top = list(
        kpis.filter(latest_rating__in=[Rating.REQUIRES_IMPROVEMENT, Rating.INADEQUATE])
        .order_by()
        .values("contract")
        .annotate(
            inadequate=Count("latest_rating", filter=Q(latest_rating=Rating.INADEQUATE)),
            requires_improvement=Count("latest_rating", filter=Q(latest_rating=Rating.REQUIRES_IMPROVEMENT)),
            poor_contracts=_CountOfGroups(),
        )
        .order_by("-inadequate", "-requires_improvement", "contract")[:HEATMAP_ROWS]
    )
    worst = [row["contract"] for row in top]
    rows = {
        row.pk: row
        for row in Contract.objects.filter(pk__in=worst)
        .select_related("supplier")
        .annotate(
            **{
                f"kpis_{key}": Count("kpis", filter=Q(kpis__is_active=True, kpis__latest_rating=key))
                for key in Rating.values
            }
        )
    }
    heatmap = [
        {"contract": rows[pk], "cells": [(key, getattr(rows[pk], f"kpis_{key}")) for key in Rating.values]}
        for pk in worst
        if pk in rows
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
