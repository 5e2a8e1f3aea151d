"""A Procurement officer's morning: the dashboard with its charts, a filter, a panel's list, an export."""

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
import time_machine
from playwright.sync_api import expect

from contracts.models import Category, Contract
from tests import dashboard_portfolio as portfolio
from tests import factories
from tests.conftest import sign_in

pytestmark = pytest.mark.browser
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-results"


def test_procurement_reviews_the_dashboard_filters_follows_a_panel_and_exports_it(
    live_server, page, priya, alice, bob, sam
):
    with time_machine.travel("2026-11-25 10:00 +00:00", tick=False):
        portfolio.build_portfolio(30, ocos=[alice, bob], sros=[sam, factories.sro(username="nadia")], recorder=priya)
    fleet = Category.objects.get(name="Fleet")
    today = dt.date.today()
    ending_soon = Contract.objects.active().filter(category=fleet, end_date__gte=today)
    factories.ContractFactory(
        reference="CON-FLEET-SOON", category=fleet, end_date=today + dt.timedelta(days=30), oco=alice
    )
    factories.ContractFactory(
        reference="CON-ICT-SOON", category=Category.objects.get(name="ICT"), end_date=today + dt.timedelta(days=30)
    )

    sign_in(page, live_server, "priya")
    expect(page.get_by_role("heading", name="Procurement dashboard")).to_be_visible()
    for chart in ("categories", "trend"):
        expect(page.locator(f'canvas[data-chart="{chart}"]')).to_have_attribute("data-drawn", "true")
    expect(page.get_by_role("heading", name="Contracts by KPI rating")).to_be_visible()
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "procurement-dashboard.png"), full_page=True)

    page.get_by_label("Category", exact=True).select_option(label="Fleet")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("· filtered")).to_be_visible()
    page.get_by_role("link", name="contracts ending in 0 to 3 months").click()

    expect(page.get_by_role("heading", name="Contracts ending in 0 to 3 months")).to_be_visible()
    expect(page.get_by_role("link", name="CON-FLEET-SOON")).to_be_visible()
    expect(page.get_by_text("CON-ICT-SOON")).to_have_count(0)
    shown = page.locator("table tbody tr").count()
    expected = ending_soon.filter(end_date__lt=today + dt.timedelta(days=92)).count() + 1
    assert shown >= 1 and shown <= expected

    with page.expect_download() as download:
        page.get_by_role("link", name="Export XLSX").click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()), read_only=True).active
    references = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "CON-FLEET-SOON" in references and "CON-ICT-SOON" not in references
    assert len(references) == shown
