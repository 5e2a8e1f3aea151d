"""The Procurement dashboard's figures at a fixed, small number of queries each, with the whole
register in scope (no join with the contracts) and filtered (joined), and the same answers both ways."""

import pytest
import time_machine
from django.urls import reverse

from contracts.models import Category, Contract
from dashboard import selectors
from tests import dashboard_portfolio as portfolio

pytestmark = pytest.mark.django_db
NOW = "2026-11-25 10:00 +00:00"


@pytest.fixture
def world(alice, bob, sam, priya):
    with time_machine.travel(NOW, tick=False):
        return portfolio.build_portfolio(30, ocos=[alice, bob], sros=[sam], recorder=priya, seed=11)


def _fleet() -> list[Contract]:
    fleet = list(Contract.objects.filter(category__name="Fleet"))
    assert 0 < len(fleet) < Contract.objects.count()
    return fleet


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("filtered", [False, True], ids=["whole register", "one category"])
def test_each_figure_costs_a_fixed_number_of_queries(world, filtered, django_assert_max_num_queries):
    contracts = Contract.objects.filter(category__name="Fleet") if filtered else Contract.objects.all()
    today = portfolio.TODAY
    with django_assert_max_num_queries(1):
        selectors.portfolio(contracts)
    # From each contract's stored counts: the totals with the poor contracts; the heat map's worst few.
    with django_assert_max_num_queries(2):
        selectors.performance(contracts)
    with django_assert_max_num_queries(4):
        selectors.meetings(contracts, today=today)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("filtered", [False, True], ids=["whole register", "one category"])
def test_two_passes_over_the_contracts_give_each_panel_its_own_figures(world, filtered, django_assert_num_queries):
    """The dashboard's passes over the contracts (the portfolio's groups, then every panel's aggregates
    and joins over the active ones in one query) agree with each panel's figures computed on their own."""
    contracts = Contract.objects.filter(category__name="Fleet") if filtered else Contract.objects.all()
    today = portfolio.TODAY
    with django_assert_num_queries(2):
        groups = selectors.contract_groups(contracts, today=today)
    assert selectors.portfolio(contracts, groups=groups) == selectors.portfolio(contracts)
    assert selectors.renewals(contracts, today=today, groups=groups) == selectors.renewals(contracts, today=today)
    assert selectors.governance(contracts, today=today, groups=groups) == selectors.governance(contracts, today=today)
    assert selectors.meetings(contracts, today=today, groups=groups) == selectors.meetings(contracts, today=today)
    together, alone = (selectors.performance(contracts, groups=groups), selectors.performance(contracts))
    assert (together.latest, together.poor_contracts, together.unrated_kpis) == (
        alone.latest,
        alone.poor_contracts,
        alone.unrated_kpis,
    )
    assert together.poor_contracts > 0


@time_machine.travel(NOW, tick=False)
def test_the_meeting_counts_of_one_category_are_its_contracts_alone(world):
    fleet = _fleet()
    figures = selectors.meetings(Contract.objects.filter(category__name="Fleet"), today=portfolio.TODAY)
    everything = selectors.meetings(Contract.objects.all(), today=portfolio.TODAY)
    late = portfolio.arranged_late(fleet)
    assert figures == {
        "late": len(late["late"]),
        "arranged_late": len(late["arranged_late"]),
        "short_notice": len(portfolio.short_notice(fleet)),
        "arrange_by_passed": len(portfolio.arrange_by_passed(fleet)),
        "without_minutes": len(portfolio.without_minutes(fleet)),
        "overdue_actions": len(portfolio.overdue_actions(fleet)),
    }
    assert sum(figures.values()) < sum(everything.values())


@time_machine.travel(NOW, tick=False)
def test_the_heat_map_and_totals_of_one_category_are_its_contracts_alone(world):
    fleet = _fleet()
    figures = selectors.performance(Contract.objects.filter(category__name="Fleet"))
    expected = portfolio.latest_ratings(fleet)
    assert figures.latest == {key: expected[key] for key in figures.latest}
    assert figures.unrated_kpis == expected[""]
    assert figures.poor_contracts == len(portfolio.poor_contracts(fleet))
    assert {row["contract"].pk for row in figures.heatmap} <= portfolio.poor_contracts(fleet)
    # Most Inadequate first, then most Requires improvement.
    cells = [dict(row["cells"]) for row in figures.heatmap]
    worst = [(-cell["inadequate"], -cell["requires_improvement"]) for cell in cells]
    assert worst == sorted(worst)


@time_machine.travel(NOW, tick=False)
def test_the_procurement_dashboard_page_stays_within_its_query_budget(
    client, priya, world, django_assert_max_num_queries
):
    client.force_login(priya)
    # The session and the user's roles, the filter's choices, two passes over the contracts (the portfolio;
    # renewals, governance, arrange-by passed and KPI totals), one or two per other figure.
    with django_assert_max_num_queries(20):
        assert client.get(reverse("dashboard:procurement")).status_code == 200
    fleet = Category.objects.get(name="Fleet")
    # ... and the filter's category looked up.
    with django_assert_max_num_queries(21):
        assert client.get(reverse("dashboard:procurement"), {"category": fleet.pk}).status_code == 200
