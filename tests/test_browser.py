"""In a real Chromium: an OCO signs in, sees only their contracts, opens one, uploads a document."""

import os
import shutil

import pytest
from playwright.sync_api import expect, sync_playwright

from tests import factories
from tests.conftest import pdf_bytes
from tests.factories import PASSWORD

# Debian's package, installed by `make test`; Playwright's own browser download is not used.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; the test's own ORM
    # calls are synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_oco_signs_in_sees_only_their_contracts_and_uploads_a_document(
    live_server, page, alice, contract, other_contract, tmp_path
):
    factories.ContractFactory(reference="CON-ALICE-2", title="Fleet tyres", oco=alice)

    page.goto(live_server.url + "/")
    expect(page).to_have_title("Sign in · Contract register")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="My contracts")).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_role("link", name="CON-ALICE", exact=True)).to_be_visible()
    expect(page.get_by_text("CON-BOB")).to_have_count(0)

    page.get_by_role("link", name="CON-ALICE", exact=True).click()
    expect(page.get_by_role("heading", name="Body-worn video", level=1)).to_be_visible()
    expect(page.get_by_text("No documents uploaded yet.")).to_be_visible()

    pdf = tmp_path / "Signed contract.pdf"
    pdf.write_bytes(pdf_bytes("signed"))
    page.get_by_label("Kind").select_option("schedule")
    page.get_by_label("File").set_input_files(str(pdf))
    page.get_by_role("button", name="Upload document").click()

    expect(page.get_by_role("alert")).to_contain_text("Uploaded Signed contract.pdf")
    documents = page.locator("#documents").locator("xpath=..").locator("table")
    expect(documents).to_contain_text("Schedule")
    expect(documents.get_by_role("link", name="Signed contract.pdf")).to_be_visible()
    page.screenshot(path=str(tmp_path / "contract.png"), full_page=True)
