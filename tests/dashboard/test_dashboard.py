"""The dashboards: each panel's figures against a straightforward computation, the same number of
queries at two sizes, who may see which dashboard (the exports: test_dashboard_exports.py)."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import Contract, Escalation, Quadrant, Saving
from core.dates import add_months
from dashboard import selectors
from dashboard.lists import LISTS
from dashboard.templatetags.dashboard import heat_level
from performance import services
from performance.models import KpiResult
from performance.ratings import Rating
from tests import dashboard_portfolio as portfolio
from tests import factories
from tests.dashboard.conftest import NOW
from tests.performance_factories import KpiFactory

pytestmark = pytest.mark.django_db


def _dashboard(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("dashboard:procurement"), params)
    assert response.status_code == 200
    return response.context


# --- Each panel agrees with a straightforward computation -------------------------------------


def _check_portfolio_panel_agrees_with_a_direct_count(client, priya, world):
    context = _dashboard(client, priya)
    figures = context["portfolio"]
    everything = list(Contract.objects.all())
    active = [c for c in everything if c.status == Contract.Status.ACTIVE]
    assert {row["status"]: row["count"] for row in figures.by_status} == {
        status: sum(1 for c in everything if c.status == status) for status in Contract.Status.values
    }
    assert figures.active_count == len(active)
    assert figures.active_total_value == sum(c.total_value for c in active)
    assert figures.active_annual_value == sum(c.annual_value for c in active)
    assert {row["category__name"]: row["count"] for row in figures.by_category} == Counter(
        c.category.name for c in active
    )
    assert {key: cell["count"] for key, cell in figures.by_quadrant.items()} == {
        key: sum(1 for c in active if c.kraljic_quadrant == key) for key in [*Quadrant.values, ""]
    }
    assert {key: cell["total_value"] for key, cell in figures.by_quadrant.items() if cell["count"]} == {
        key: sum(c.total_value for c in active if c.kraljic_quadrant == key)
        for key in [*Quadrant.values, ""]
        if any(c.kraljic_quadrant == key for c in active)
    }


def _check_performance_panel_agrees_with_a_direct_count(client, priya, world):
    context = _dashboard(client, priya)
    figures = context["performance"]
    expected = portfolio.latest_ratings(world)
    assert figures.latest == {key: expected[key] for key in Rating.values}
    assert figures.unrated_kpis == expected[""]
    poor = portfolio.poor_contracts(world)
    assert figures.poor_contracts == len(poor) > 0
    # The heatmap lists the worst contracts, most Inadequate first, each with its KPIs by latest rating.
    assert {row["contract"].pk for row in figures.heatmap} <= poor
    inadequate = [dict(row["cells"])[Rating.INADEQUATE] for row in figures.heatmap]
    assert inadequate == sorted(inadequate, reverse=True)


def _check_the_trend_counts_each_months_results_by_rating(client, priya, world):
    trend = _dashboard(client, priya)["trend"]
    months = [add_months(dt.date(2026, 11, 1), -offset) for offset in range(12, 0, -1)]
    assert trend["months"] == months
    expected = Counter(
        (result.period_start, portfolio.effective(result))
        for result in KpiResult.objects.all()
        if months[0] <= result.period_start < dt.date(2026, 11, 1)
    )
    for series in trend["series"]:
        assert series["counts"] == [expected[(month, series["rating"])] for month in months]
    assert sum(sum(s["counts"]) for s in trend["series"]) == sum(expected.values()) > 0


def _check_renewals_panel_agrees_with_a_direct_count(client, priya, world):
    figures = _dashboard(client, priya)["renewals"]
    active = [c for c in Contract.objects.all() if c.status == Contract.Status.ACTIVE]
    for band in figures["bands"]:
        first, after = selectors.band_dates(band["band"], today=portfolio.TODAY)
        assert band["ending"] == sum(1 for c in active if first <= c.end_date < after)
        assert band["ending_value"] == sum((c.total_value for c in active if first <= c.end_date < after), Decimal(0))
        assert band["notice"] == sum(1 for c in active if first <= c.notice_date < after)
    assert figures["past_end"] == sum(1 for c in active if c.end_date < portfolio.TODAY) > 0
    overdue = Contract.objects.renewal_decision_overdue(today=portfolio.TODAY)
    assert figures["decisions_overdue"] == overdue.count()
    assert sum(band["ending"] for band in figures["bands"]) > 0


def _check_meetings_panel_agrees_with_the_meeting_schedule(client, priya, world):
    figures = _dashboard(client, priya)["meetings"]
    assert figures["arrange_by_passed"] == len(portfolio.arrange_by_passed(world)) > 0
    assert figures["short_notice"] == len(portfolio.short_notice(world))
    assert figures["without_minutes"] == len(portfolio.without_minutes(world)) > 0
    assert figures["overdue_actions"] == len(portfolio.overdue_actions(world)) > 0
    late = portfolio.arranged_late(world)
    assert figures["late"] == len(late["late"]) > 0
    assert figures["arranged_late"] == len(late["arranged_late"]) > 0
    # The lists behind the figures hold the same rows.
    contracts = Contract.objects.all()
    today = portfolio.TODAY
    for lateness in ("late", "arranged_late"):
        rows = LISTS["meetings-arranged-late"].rows(contracts, today=today, params={"lateness": lateness})
        assert {m.pk for m in rows} == late[lateness]
    assert {
        c.pk for c in LISTS["arrange-by-passed"].rows(contracts, today=today, params={})
    } == portfolio.arrange_by_passed(world)
    assert {
        m.pk for m in LISTS["short-notice-meetings"].rows(contracts, today=today, params={})
    } == portfolio.short_notice(world)
    assert {
        a.pk for a in LISTS["overdue-actions"].rows(contracts, today=today, params={})
    } == portfolio.overdue_actions(world)


def _check_governance_panel_agrees_with_a_direct_count(client, priya, alice, bob, world):
    figures = _dashboard(client, priya)["governance"]
    active = [c for c in Contract.objects.select_related("sro") if c.status == Contract.Status.ACTIVE]
    strategic = [c for c in active if c.kraljic_quadrant == Quadrant.STRATEGIC]
    assert figures["strategic_without_sro"] == sum(1 for c in strategic if c.sro is None)
    assert figures["sro_not_budget_holder"] == sum(1 for c in strategic if c.sro and not c.sro.is_budget_holder)
    assert figures["without_oco"] == sum(1 for c in active if c.oco_id is None)
    named = {c.oco for c in active if c.oco}
    assert figures["ocos_without_training"] == sum(1 for u in named if not u.has_current_training(on=portfolio.TODAY))
    review = figures["review"]
    assert review.items == len(world[::2]) and review.reviewed == 0


def _check_escalations_and_savings_panels_agree_with_a_direct_count(client, priya, world):
    context = _dashboard(client, priya)
    figures = context["escalations"]
    open_ones = [
        e for e in Escalation.objects.all() if e.status in (Escalation.Status.OPEN, Escalation.Status.IN_PROGRESS)
    ]
    cells = Counter((e.source, e.severity) for e in open_ones)
    for row in figures["rows"]:
        assert [count for _, _, count in row["cells"]] == [
            cells[(row["source"], sev)] for sev, _ in figures["severities"]
        ]
    assert figures["total"] == len(open_ones) > 0
    oldest = sorted(open_ones, key=lambda e: (e.raised_on, e.pk))[:5]
    assert figures["oldest"] == oldest

    value = context["value_for_money"]
    this_year = [s for s in Saving.objects.all() if s.financial_year == 2026]  # April 2026 to March 2027
    assert value.year == 2026 and value.count == len(this_year) > 0
    assert value.total == sum(s.amount for s in this_year)
    assert value.contracts_value == sum(c.total_value for c in {s.contract for s in this_year})


@time_machine.travel(NOW, tick=False)
def test_a_filter_narrows_every_panel(client, priya, world):
    fleet = Contract.objects.filter(category__name="Fleet")
    category = fleet.first().category
    context = _dashboard(client, priya, category=category.pk)
    assert context["portfolio"].active_count == fleet.filter(status=Contract.Status.ACTIVE).count()
    assert context["performance"].poor_contracts == len(portfolio.poor_contracts(fleet))
    assert context["meetings"]["arrange_by_passed"] == len(portfolio.arrange_by_passed(list(fleet)))
    assert context["escalations"]["total"] == Escalation.objects.open().filter(contract__in=fleet).count()
    # Every panel link carries the filter.
    html = client.get(reverse("dashboard:procurement"), {"category": category.pk}).content.decode()
    assert f'href="/dashboard/lists/poor-performance/?category={category.pk}"' in html
    assert f'href="/dashboard/lists/expiring/?category={category.pk}&amp;band=0-3"' in html


@time_machine.travel(NOW, tick=False)
def test_each_panel_agrees_with_a_straightforward_computation(client, priya, alice, bob, world):
    """One portfolio, built once, every panel checked against loops over every row."""
    _check_portfolio_panel_agrees_with_a_direct_count(client, priya, world)
    _check_performance_panel_agrees_with_a_direct_count(client, priya, world)
    _check_the_trend_counts_each_months_results_by_rating(client, priya, world)
    _check_renewals_panel_agrees_with_a_direct_count(client, priya, world)
    _check_meetings_panel_agrees_with_the_meeting_schedule(client, priya, world)
    _check_governance_panel_agrees_with_a_direct_count(client, priya, alice, bob, world)
    _check_escalations_and_savings_panels_agree_with_a_direct_count(client, priya, world)


# --- The KPI's latest result ------------------------------------------------------------------


@time_machine.travel("2026-11-10 09:00 +00:00", tick=False)
def test_recording_and_overriding_a_result_keeps_the_kpis_latest_rating(alice, contract):
    kpi = KpiFactory(contract=contract, start_date=dt.date(2026, 8, 1))
    services.kpi_result_record(
        kpi=kpi, period_start=dt.date(2026, 9, 1), actual=Decimal("70"), commentary="Short", by=alice
    )
    kpi.refresh_from_db()
    assert (kpi.latest_period_start, kpi.latest_rating) == (dt.date(2026, 9, 1), Rating.INADEQUATE)
    services.kpi_result_record(kpi=kpi, period_start=dt.date(2026, 8, 1), actual=Decimal("99"), by=alice)
    kpi.refresh_from_db()
    assert (kpi.latest_period_start, kpi.latest_rating) == (dt.date(2026, 9, 1), Rating.INADEQUATE)  # an older period
    result = services.kpi_result_record(kpi=kpi, period_start=dt.date(2026, 10, 1), actual=Decimal("92"), by=alice)
    kpi.refresh_from_db()
    assert kpi.latest_rating == Rating.APPROACHING
    services.kpi_result_override(result=result, rating=Rating.GOOD, reason="Supplier outage excused", by=alice)
    kpi.refresh_from_db()
    assert kpi.latest_rating == Rating.GOOD


@time_machine.travel(NOW, tick=False)
def test_the_sro_overview_counts_each_contracts_kpis_by_their_latest_rating(client, sam, world):
    client.force_login(sam)
    response = client.get(reverse("dashboard:sro"))
    context, page = response.context, response.content.decode()
    rows = context["contracts"]
    assert rows and all(row.sro_id == sam.pk for row in rows)
    poor = 0
    for row in rows:
        latest = Counter(kpi.latest_rating for kpi in row.kpis.all() if kpi.is_active)
        assert row.rating_cells == [(key, latest[key]) for key in Rating.values]
        # The row on the page: each rating's count, shaded by how many (none, one, a few, more).
        cells = "".join(
            f'<td class="numeric heat heat-{key} heat-{heat_level(latest[key])}">{latest[key]}</td>'
            for key in Rating.values
        )
        assert f'href="{reverse("performance:contract", args=[row.pk])}">{row.reference}</a>' in page
        assert cells in page
        poor += bool(latest[Rating.REQUIRES_IMPROVEMENT] or latest[Rating.INADEQUATE])
    assert context["poor_contracts"] == poor > 0


# --- Queries do not grow with the data --------------------------------------------------------


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


@time_machine.travel(NOW, tick=False)
def test_dashboard_queries_do_not_grow_with_the_data(client, priya, alice, bob, sam, django_assert_max_num_queries):
    client.force_login(priya)
    urls = [reverse("dashboard:procurement")] + [reverse("dashboard:list", args=[slug]) for slug in LISTS]
    sros = [sam, factories.sro(username="nadia", is_budget_holder=False)]
    portfolio.build_portfolio(12, ocos=[alice, bob], sros=sros, recorder=priya, seed=1)
    counts_small = {}
    for url in urls:
        counts_small[url] = _queries(client, url)
        if "lists" in url:  # a budget holds for a list of one row and of many
            assert client.get(url).context["page_obj"].paginator.count >= 1, url
    portfolio.build_portfolio(40, ocos=[alice, bob], sros=sros, recorder=priya, seed=2)
    assert Contract.objects.count() == 52
    for url in urls:
        with django_assert_max_num_queries(counts_small[url]):
            client.get(url)
    # The session and the user's roles, the filter's choices, two passes over the contracts for the
    # figures over them, and one or two for each other figure.
    with django_assert_max_num_queries(20):
        client.get(reverse("dashboard:procurement"))


@time_machine.travel(NOW, tick=False)
def test_sro_and_my_work_queries_do_not_grow_with_the_data(client, priya, alice, sam, django_assert_max_num_queries):
    portfolio.build_portfolio(4, ocos=[alice], sros=[sam], recorder=priya, seed=3)
    client.force_login(sam)
    sro_small = _queries(client, reverse("dashboard:sro"))
    client.force_login(alice)
    mine_small = _queries(client, reverse("dashboard:my_work"))
    portfolio.build_portfolio(30, ocos=[alice], sros=[sam], recorder=priya, seed=4)
    client.force_login(sam)
    with django_assert_max_num_queries(sro_small):
        client.get(reverse("dashboard:sro"))
    client.force_login(alice)
    with django_assert_max_num_queries(mine_small):
        client.get(reverse("dashboard:my_work"))


# --- Who sees which dashboard -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "url_name", "expected"),
    [
        ("alice", "dashboard:procurement", 403),
        ("sam", "dashboard:procurement", 403),
        ("priya", "dashboard:procurement", 200),
        ("admin_user", "dashboard:procurement", 200),
        ("anonymous", "dashboard:procurement", 302),
        ("alice", "dashboard:sro", 403),
        ("priya", "dashboard:sro", 403),
        ("sam", "dashboard:sro", 200),
        ("anonymous", "dashboard:sro", 302),
        ("alice", "dashboard:my_work", 200),
        ("anonymous", "dashboard:my_work", 302),
    ],
    indirect=["persona"],
)
def test_each_persona_gets_only_their_dashboard(client, persona, url_name, expected, contract):
    if persona is not None:
        client.force_login(persona)
    response = client.get(reverse(url_name))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("persona", "landing"),
    [
        ("alice", "dashboard:my_work"),
        ("sam", "dashboard:sro"),
        ("priya", "dashboard:procurement"),
        ("admin_user", "dashboard:procurement"),
    ],
    indirect=["persona"],
)
def test_each_persona_lands_on_their_dashboard(client, persona, landing):
    client.force_login(persona)
    assert client.get("/")["Location"] == reverse(landing)


@time_machine.travel(NOW, tick=False)
def test_the_sro_and_oco_dashboards_show_only_their_contracts(client, alice, sam, contract, other_contract):
    Escalation.objects.create(contract=other_contract, source="other", title="Bob's problem")
    Escalation.objects.create(contract=contract, source="other", title="Alice's problem")
    client.force_login(sam)
    page = client.get(reverse("dashboard:sro"))
    assert [c.reference for c in page.context["contracts"]] == ["CON-ALICE"]
    assert "Alice&#x27;s problem" in page.content.decode() and "Bob&#x27;s problem" not in page.content.decode()
    client.force_login(alice)
    page = client.get(reverse("dashboard:my_work"))
    html = page.content.decode()
    assert "CON-ALICE" in html and "CON-BOB" not in html
    assert page.context["without_document"] == [contract]


@time_machine.travel(NOW, tick=False)
def test_a_panel_list_shows_an_oco_only_their_own_contracts(client, alice, priya, contract, other_contract):
    client.force_login(alice)
    page = client.get(reverse("dashboard:list", args=["contracts"]), {"status": "active"})
    assert [row[0][1] for row in page.context["table"]] == ["CON-ALICE"]
    exported = client.get(reverse("dashboard:list", args=["contracts"]), {"status": "active", "format": "csv"})
    assert "CON-BOB" not in exported.content.decode()
    client.force_login(priya)
    page = client.get(reverse("dashboard:list", args=["contracts"]), {"status": "active"})
    assert sorted(row[0][1] for row in page.context["table"]) == ["CON-ALICE", "CON-BOB"]


def test_an_unknown_list_is_not_found(client, priya):
    client.force_login(priya)
    assert client.get(reverse("dashboard:list", args=["everything"])).status_code == 404


# --- Figures that may be a few minutes old ----------------------------------------------------


def test_the_slow_figures_may_be_five_minutes_old_and_say_so(client, priya, alice, contract, settings):
    settings.DASHBOARD_CACHE_SECONDS = 300
    kpi = KpiFactory(contract=contract, start_date=dt.date(2026, 1, 1))
    client.force_login(priya)

    def trend_total(page) -> int:
        return sum(sum(s["counts"]) for s in page.context["trend"]["series"])

    with time_machine.travel("2026-11-25 10:00 +00:00", tick=False):
        services.kpi_result_record(
            kpi=kpi, period_start=dt.date(2026, 9, 1), actual=Decimal("70"), commentary="Short", by=alice
        )
        page = client.get(reverse("dashboard:procurement"))
        assert "Figures as of 10:00; they may be up to 5 minutes old." in page.content.decode()
        assert trend_total(page) == 1 and page.context["performance"].latest[Rating.INADEQUATE] == 1
    with time_machine.travel("2026-11-25 10:03 +00:00", tick=False):
        services.kpi_result_record(kpi=kpi, period_start=dt.date(2026, 10, 1), actual=Decimal("99"), by=alice)
        factories.ContractFactory(reference="CON-NEW")
        page = client.get(reverse("dashboard:procurement"))
        assert trend_total(page) == 1  # still the 10:00 figures, and the page says so
        assert page.context["performance"].latest[Rating.GOOD] == 0
        assert "Figures as of 10:00" in page.content.decode()
        assert page.context["portfolio"].active_count == 1  # the whole page is as of 10:00 ...
        lists = client.get(reverse("dashboard:list", args=["contracts"]), {"status": "active"})
        assert lists.context["page_obj"].paginator.count == 2  # ... the lists behind it are live
    with time_machine.travel("2026-11-25 10:06 +00:00", tick=False):
        page = client.get(reverse("dashboard:procurement"))
        assert trend_total(page) == 2 and page.context["performance"].latest[Rating.GOOD] == 1
        assert page.context["portfolio"].active_count == 2
        assert "Figures as of 10:06" in page.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_oco_and_sro_filters_take_a_name_or_username(client, priya, alice, contract, other_contract):
    client.force_login(priya)
    assert _dashboard(client, priya, oco="alice")["portfolio"].active_count == 1
    assert _dashboard(client, priya, oco="Alice Adams")["portfolio"].active_count == 1
    assert _dashboard(client, priya, oco="brown")["portfolio"].active_count == 1
    assert _dashboard(client, priya, oco="nobody")["portfolio"].active_count == 0
    assert _dashboard(client, priya, sro="Sam")["portfolio"].active_count == 1
    assert _dashboard(client, priya)["portfolio"].active_count == 2


def test_the_register_filters_by_supplier_oco_and_sro_names(client, priya, contract, other_contract):
    client.force_login(priya)

    def references(**params) -> list[str]:
        return sorted(c.reference for c in client.get(reverse("contracts:list"), params).context["filter"].qs)

    assert references(oco="Bob") == ["CON-BOB"]
    assert references(sro="sam") == ["CON-ALICE"]
    assert references(supplier=contract.supplier.name) == ["CON-ALICE"]
    assert references(supplier=other_contract.supplier.companies_house_number) == ["CON-BOB"]
    html = client.get(reverse("contracts:list")).content.decode()
    assert "<option" not in html.split('id="id_supplier"')[1].split(">")[0]  # a text box, not a list of every supplier


@time_machine.travel(NOW, tick=False)
def test_each_row_of_my_work_links_to_its_own_contract_meeting_action_and_decision(client, priya, alice, sam):
    portfolio.build_portfolio(30, ocos=[alice], sros=[sam], recorder=priya, seed=4)
    client.force_login(alice)

    response = client.get(reverse("dashboard:my_work"))

    html = response.content.decode()
    lists = {
        "to_arrange": ("meetings:create", ""),
        "actions": ("meetings:action_edit", ""),
        "renewals": ("lifecycle:renewal_decide", ""),
        "without_document": ("contracts:detail", "#documents"),
    }
    for name, (url_name, fragment) in lists.items():
        rows = response.context[name]
        assert rows, f"the portfolio has no row in {name}"
        for row in rows:
            assert f'href="{reverse(url_name, args=[row.pk])}{fragment}"' in html
