"""Contracts ending, or reaching their notice date, in each band of months."""

from datetime import date

from django.db.models import Count, Expression, Q, QuerySet

from contracts.models import ContractQuerySet
from core.dates import add_months
from dashboard.selectors.common import BANDS, ContractGroups, active_figures, sum_of

# --- Renewals -----------------------------------------------------------------------------


def band_dates(band: str, *, today: date) -> tuple[date, date]:
    """The first day of a band and the first day after it."""
    for name, start, end in BANDS:
        if name == band:
            return add_months(today, start), add_months(today, end)
    raise ValueError(band)


def with_notice_date(contracts: ContractQuerySet) -> QuerySet:
    return contracts.with_notice_date()


def renewal_aggregates(*, today: date) -> dict[str, Expression]:
    """Of contracts annotated with their notice date (ContractQuerySet.with_notice_date): those ending,
    or reaching their notice date, in each band; and those past their end date."""
    aggregates: dict[str, Expression] = {}
    for name, _start, _end in BANDS:
        first, after = band_dates(name, today=today)
        aggregates[f"ending_{name}"] = Count("pk", filter=Q(end_date__gte=first, end_date__lt=after))
        aggregates[f"ending_{name}_value"] = sum_of("total_value", end_date__gte=first, end_date__lt=after)
        aggregates[f"notice_{name}"] = Count("pk", filter=Q(notice_on__gte=first, notice_on__lt=after))
    aggregates["past_end"] = Count("pk", filter=Q(end_date__lt=today))
    aggregates["past_end_value"] = sum_of("total_value", end_date__lt=today)
    return aggregates


def renewals(contracts: ContractQuerySet, *, today: date, groups: ContractGroups | None = None) -> dict:
    """The renewal figures of the active contracts (renewal_aggregates: one pass over the contracts,
    `groups` when the dashboard has made it with the other panels' figures), and those whose renewal
    decision is overdue (a search for each one's decision: a query of its own, which the pass could not
    share among PostgreSQL's parallel workers)."""
    aggregates = renewal_aggregates(today=today)
    figures = groups.figures if groups else active_figures(contracts.with_notice_date(), aggregates)
    return {
        "bands": [
            {
                "band": name,
                "label": f"{start} to {end} months",
                "ending": figures[f"ending_{name}"],
                "ending_value": figures[f"ending_{name}_value"],
                "notice": figures[f"notice_{name}"],
            }
            for name, start, end in BANDS
        ],
        "past_end": figures["past_end"],
        "past_end_value": figures["past_end_value"],
        "decisions_overdue": contracts.renewal_decision_overdue(today=today).count(),
    }
