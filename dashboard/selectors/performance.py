"""KPI ratings across the contracts in scope, the 12-month trend and the SRO overview's counts."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Expression, Sum
from django.db.models.functions import Coalesce

from contracts.models import ContractQuerySet
from core.dates import add_months
from dashboard.selectors.common import HEATMAP_ROWS, ContractGroups, active_figures
from performance.models import KpiRatings, RatingMonth
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


def kpi_aggregates() -> dict[str, Expression]:
    """Each contract's active KPIs by latest rating (its KpiRatings row, joined), added up; and the
    number of contracts with poor ones."""
    return {
        **{f"kpis_{key}": Coalesce(Sum(f"kpi_ratings__{key}"), 0) for key in KpiRatings.FIELDS},
        "poor_contracts": Count("pk", filter=KpiRatings.poor("kpi_ratings__")),
    }


def performance(contracts: ContractQuerySet, *, groups: ContractGroups | None = None) -> Performance:
    """Over each active contract's KPI counts by latest rating (KpiRatings, kept by the result and KPI
    services), never over the KPIs or their results: the totals with the number of contracts with
    poor ones (one pass over the contracts, `groups` when the dashboard has made it with the other
    panels' figures), then the heat map's worst few from the small index kpi_ratings_poor."""
    figures = groups.figures if groups else active_figures(contracts, kpi_aggregates())
    worst = (
        KpiRatings.objects.filter(contract__in=contracts.active())
        .filter(KpiRatings.poor())
        .select_related("contract__supplier")
        .order_by("-inadequate", "-requires_improvement", "pk")[:HEATMAP_ROWS]
    )
    heatmap = [
        {"contract": row.contract, "cells": [(key, getattr(row, key)) for key in Rating.values]} for row in worst
    ]
    return Performance(
        latest={key: figures[f"kpis_{key}"] for key in Rating.values},
        poor_contracts=figures["poor_contracts"],
        heatmap=heatmap,
        unrated_kpis=figures["kpis_unrated"],
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
    one query over the contracts' stored counts (KpiRatings), a row each."""
    return {
        row.contract_id: {key: n for key, n in row.counts.items() if n and key in RATING_KEYS}
        for row in KpiRatings.objects.filter(contract__in=contracts)
    }
