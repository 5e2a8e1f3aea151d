"""In a real Chromium: the main pages run under the Content-Security-Policy without a single
violation (no inline script or style, no eval) and without a console error, charts and htmx included."""

import pytest
from playwright.sync_api import expect

from contracts import services as contract_services
from contracts.models import Escalation
from tests.conftest import sign_in
from tests.performance_factories import kpi_with_two_results

pytestmark = pytest.mark.browser

# Runs in every document before its own scripts: collects what the policy refused.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} refused ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def watched(page):
    """The page, with CSP violations and console errors collected; the test ends by asserting none."""
    errors = []
    page.add_init_script(LISTEN)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    return page


def assert_clean(page, what: str) -> None:
    page.wait_for_load_state("load")
    violations = page.evaluate("window.__csp")
    assert violations == [], f"{what}: {violations}"
    assert page.errors == [], f"{what}: {page.errors}"
    assert page.evaluate("document.querySelectorAll('style').length") == 0, f"{what}: a <style> element was added"


def test_main_pages_run_under_the_policy_without_violations_or_errors(live_server, watched, alice, priya, contract):
    page = watched
    kpi = kpi_with_two_results(contract=contract, by=alice)
    escalation = Escalation(
        contract=contract,
        source=Escalation.Source.DISPUTE,
        severity=Escalation.Severity.MEDIUM,
        title="Dispute over service credits",
        details="The supplier disputes the credits for March.",
    )
    contract_services.escalation_raise(escalation=escalation, by=priya)  # alice is told

    sign_in(page, live_server, "priya")
    expect(page.get_by_role("heading", name="Procurement dashboard", level=1)).to_be_visible()
    page.goto(live_server.url + "/contracts/")
    expect(page.get_by_role("heading", name="Contract register", level=1)).to_be_visible()
    assert_clean(page, "sign-in and the register list")
    page.goto(f"{live_server.url}/escalations/")
    expect(page.get_by_role("link", name="Dispute over service credits")).to_be_visible()
    assert_clean(page, "escalations")
    page.get_by_role("button", name="Priya Patel").click()  # Bootstrap's dropdown, from its static script
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()

    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/contracts/{contract.pk}/")
    expect(page.get_by_role("heading", name="Body-worn video", level=1)).to_be_visible()
    assert_clean(page, "contract detail")

    page.goto(f"{live_server.url}/performance/contract/{contract.pk}/")
    canvas = page.locator(f"#kpi-{kpi.pk}-chart")
    expect(canvas).to_have_attribute("data-points", "2")
    chart = page.evaluate(
        "id => Chart.getChart(document.getElementById(id)).data.datasets[0].data", canvas.get_attribute("id")
    )
    assert chart == [96, 91]
    assert_clean(page, "performance page with its chart")

    page.goto(f"{live_server.url}/meetings/contract/{contract.pk}/new/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_clean(page, "meeting form")

    page.goto(f"{live_server.url}/notifications/?show=information")  # an escalation informs; it asks nothing
    expect(page.get_by_text("Escalation on CON-ALICE: Dispute over service credits")).to_be_visible()
    # htmx at work: marking it read swaps the item in place.
    page.get_by_role("button", name="Mark as read").first.click()
    expect(page.get_by_role("button", name="Mark as read")).to_have_count(0)
    assert_clean(page, "notifications, after an htmx swap")
