"""The figures of the dashboards, each computed by the database over the contracts in scope.

Every function takes the contracts already scoped to the user and narrowed by the dashboard's
filters, and costs a fixed number of queries whatever the size of the register.
Split by subject; every name is here too."""

from dashboard.selectors.common import BANDS, HEATMAP_ROWS, ZERO, ContractGroups
from dashboard.selectors.escalations import escalations, open_escalations
from dashboard.selectors.governance import (
    ReviewProgress,
    governance,
    ocos_without_training,
    review_progress,
    sro_not_budget_holder,
    strategic_without_sro,
    without_oco,
)
from dashboard.selectors.meetings import (
    arrange_by_date,
    arrange_by_passed,
    meetings,
    meetings_arranged_late,
    meetings_without_minutes,
    overdue_actions,
    short_notice_meetings,
)
from dashboard.selectors.my_work import MyWork, my_work_lists
from dashboard.selectors.overview import contract_groups
from dashboard.selectors.performance import (
    RATING_KEYS,
    RATING_LABELS,
    Performance,
    kpi_rating_counts,
    performance,
    performance_trend,
    trend_months,
)
from dashboard.selectors.portfolio import Portfolio, portfolio
from dashboard.selectors.renewals import band_dates, renewals, with_notice_date
from dashboard.selectors.suppliers import SHOWS as SUPPLIER_SHOWS
from dashboard.selectors.suppliers import supplier_overview
from dashboard.selectors.value import ValueForMoney, financial_year, savings_this_year, value_for_money

__all__ = [
    "MyWork",
    "my_work_lists",
    "SUPPLIER_SHOWS",
    "supplier_overview",
    "BANDS",
    "ContractGroups",
    "contract_groups",
    "HEATMAP_ROWS",
    "Performance",
    "Portfolio",
    "RATING_KEYS",
    "RATING_LABELS",
    "ReviewProgress",
    "ValueForMoney",
    "ZERO",
    "arrange_by_date",
    "arrange_by_passed",
    "band_dates",
    "escalations",
    "financial_year",
    "governance",
    "kpi_rating_counts",
    "meetings",
    "meetings_arranged_late",
    "meetings_without_minutes",
    "ocos_without_training",
    "open_escalations",
    "overdue_actions",
    "performance",
    "performance_trend",
    "portfolio",
    "renewals",
    "review_progress",
    "savings_this_year",
    "short_notice_meetings",
    "sro_not_budget_holder",
    "strategic_without_sro",
    "trend_months",
    "value_for_money",
    "with_notice_date",
    "without_oco",
]
