"""In a real Chromium: an OCO goes from "My performance tasks" to the contract's Performance page,
records a result inline (htmx, no page reload), sees its rating badge and the trend chart redrawn,
then corrects it inline."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.dates import add_months
from performance import charts
from tests.conftest import sign_in
from tests.performance_factories import kpi_with_two_results

pytestmark = pytest.mark.browser


def _chart_points(page, kpi) -> list:
    """The values the Chart.js instance on the KPI's canvas is drawing now."""
    return page.evaluate(
        "id => Chart.getChart(document.getElementById(id)).data.datasets[0].data", f"kpi-{kpi.pk}-chart"
    )


def test_oco_records_a_result_inline_and_sees_the_badge_and_the_chart_update_without_a_reload(
    live_server, page, alice, contract
):
    today = timezone.localdate()
    last_month = add_months(today.replace(day=1), -1)
    kpi = kpi_with_two_results(contract=contract, by=alice, is_published=True)
    _first, _second, due = kpi.periods(until=last_month)
    label = charts.period_label(due.start, due.end)
    row = page.locator(f"#due-{kpi.pk}-{due.start:%Y%m%d}")

    sign_in(page, live_server, "alice")
    page.get_by_role("link", name="My work").click()
    expect(page.get_by_role("heading", name="My work", exact=True)).to_be_visible()
    page.get_by_role("link", name=f"Record result of {kpi.name}").first.click()

    expect(page).to_have_url(f"{live_server.url}/performance/contract/{contract.pk}/#kpi-{kpi.pk}")
    canvas = page.locator(f"#kpi-{kpi.pk}-chart")
    expect(canvas).to_have_attribute("data-points", "2")
    assert _chart_points(page, kpi) == [96, 91]
    page.evaluate("window.stillTheSamePage = true")

    # A percentage over 100 comes back next to the field; nothing is saved.
    page.get_by_label(f"Result for {label}").fill("140")
    page.get_by_role("button", name=f"Record the result for {label}").click()
    expect(row.get_by_text("A percentage runs from 0 to 100.")).to_be_visible()
    expect(page.get_by_label(f"Result for {label}")).to_be_focused()
    assert not kpi.results.filter(period_start=due.start).exists()

    page.get_by_label(f"Result for {label}").fill("78.5")
    page.get_by_label(f"Commentary for {label}").fill("Three vans off the road all month")
    page.get_by_role("button", name=f"Record the result for {label}").click()

    expect(row).to_contain_text("recorded 78.5%")
    expect(row.locator(".rating-badge")).to_have_text("Inadequate")
    expect(canvas).to_have_attribute("data-points", "3")
    assert _chart_points(page, kpi) == [96, 91, 78.5]
    expect(page.locator(f"#kpi-{kpi.pk}-status")).to_contain_text("Up to date")
    summary = page.locator("#performance-summary")
    expect(summary.get_by_role("row", name=kpi.name)).to_contain_text("Inadequate")
    assert page.evaluate("window.stillTheSamePage") is True  # no reload happened

    # A correction, inline too: the same period keeps one result, and the chart follows.
    page.get_by_role("link", name=f"Correct the result for {label}").click()
    page.get_by_label("Corrected result").fill("93")
    page.get_by_role("button", name="Save correction").click()
    results = page.locator(f"#kpi-{kpi.pk}-results")
    expect(results.get_by_role("row", name=label)).to_contain_text("Approaching target")
    expect(canvas).to_have_attribute("data-draws", "3")
    assert _chart_points(page, kpi) == [96, 91, 93]
    assert page.evaluate("window.stillTheSamePage") is True
    assert kpi.results.count() == 3
