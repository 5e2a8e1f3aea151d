"""The Procurement dashboard's figures over the contracts themselves, in one pass."""

from datetime import date

from contracts.models import ContractQuerySet
from dashboard.selectors.common import ContractGroups, grouped
from dashboard.selectors.governance import governance_aggregates
from dashboard.selectors.meetings import arrange_by_passed_aggregates
from dashboard.selectors.performance import kpi_aggregates
from dashboard.selectors.renewals import renewal_aggregates
from dashboard.selectors.value import savings_key


def contract_groups(contracts: ContractQuerySet, *, today: date) -> ContractGroups:
    """One query, one pass over the contracts in scope, grouped as the portfolio is: the portfolio,
    the renewal bands, the SRO rules and OCOs, the arrange-by-passed count, the KPI totals and (a
    key) the contracts with savings, each panel's aggregates as its own selector writes them (pass the result
    as `groups=` to portfolio, renewals, governance, meetings, performance and value_for_money). The
    meeting plan, the KPI counts and the SRO are each joined once (LEFT JOIN: every contract counts)."""
    annotated, arrange_by = arrange_by_passed_aggregates(contracts.with_renewal_dates(today=today), today=today)
    aggregates = {**renewal_aggregates(today=today), **governance_aggregates(), **arrange_by, **kpi_aggregates()}
    return grouped(annotated, aggregates, keys=savings_key(contracts, today=today))
