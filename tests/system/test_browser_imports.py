"""In a real Chromium: a Procurement officer imports a spreadsheet, fixes the bad row it names, imports."""

import pytest
from playwright.sync_api import expect

from config.celery import app as celery_app
from tests import factories
from tests.conftest import sign_in
from tests.exchange.test_imports import _csv, _row

pytestmark = pytest.mark.browser


@pytest.fixture
def eager_tasks():
    # No worker in the test: the import task runs in the web request, after its commit.
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def test_procurement_imports_a_spreadsheet_after_fixing_the_row_it_names(
    live_server,
    page,  # noqa: F811
    priya,
    alice,
    eager_tasks,
    tmp_path,
):
    factories.CategoryFactory(name="ICT")
    bad = tmp_path / "contracts.csv"
    bad.write_bytes(_csv([_row(1), _row(2, end_date="31/03/2020"), _row(3)]))
    fixed = tmp_path / "contracts-fixed.csv"
    fixed.write_bytes(_csv([_row(1), _row(2), _row(3)]))

    sign_in(page, live_server, "priya")
    page.goto(live_server.url + "/imports/")
    expect(page.get_by_role("heading", name="Import contracts from a spreadsheet")).to_be_visible()
    page.get_by_label("Spreadsheet").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("alert")).to_contain_text("Nothing can be imported from this file yet.")
    expect(page.locator("#import-errors")).to_contain_text(
        "Line 3, column end_date: The end date must be on or after the start date."
    )
    expect(page.get_by_role("button", name="Confirm and import")).to_have_count(0)

    page.get_by_role("link", name="Upload the corrected file").click()
    page.get_by_label("Spreadsheet").set_input_files(str(fixed))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_text("3 rows checked")).to_be_visible()
    expect(page.get_by_text("IMP-0002 Imported service 2")).to_be_visible()
    page.get_by_role("button", name="Confirm and import").click()

    expect(page.get_by_role("status")).to_contain_text("3 new contracts, 0 updated, 0 unchanged")
    page.get_by_role("link", name="Go to the contract register").click()
    for reference in ("IMP-0001", "IMP-0002", "IMP-0003"):
        expect(page.get_by_role("link", name=reference, exact=True)).to_be_visible()
    page.screenshot(path=str(tmp_path / "register-after-import.png"), full_page=True)
