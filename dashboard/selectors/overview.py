"""The Procurement dashboard's figures over the contracts themselves, in two passes."""

from datetime import date

from contracts.models import ContractQuerySet
from dashboard.selectors.common import ContractGroups, active_figures, portfolio_rows
from dashboard.selectors.governance import governance_aggregates
from dashboard.selectors.meetings import arrange_by_passed_aggregates
from dashboard.selectors.performance import kpi_aggregates
from dashboard.selectors.renewals import renewal_aggregates


def contract_groups(contracts: ContractQuerySet, *, today: date) -> ContractGroups:
    """Two passes over the contracts in scope: the portfolio, grouped (portfolio_rows); and, over the
    active ones, the renewal bands, the SRO rules and OCOs, the arrange-by-passed count and the KPI
    totals, each panel's aggregates as its own selector writes them, in one pass (active_figures) that
    joins the meeting plan, the KPI counts and the SRO once each. Pass the result as `groups=` to
    portfolio, renewals, governance, meetings and performance."""
    annotated, arrange_by = arrange_by_passed_aggregates(contracts.with_notice_date(), today=today)
    aggregates = {**renewal_aggregates(today=today), **governance_aggregates(), **arrange_by, **kpi_aggregates()}
    return ContractGroups(rows=portfolio_rows(contracts), figures=active_figures(annotated, aggregates))
