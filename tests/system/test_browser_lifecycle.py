"""In a real Chromium: the Procurement Unit proposes a variation that needs a change notice, cannot agree
it until the notice is recorded as published, then can; and an OCO sees the renewal alert of a
contract ending soon in the app."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contracts import services
from tests import factories
from tests.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_12_percent_variation_is_agreed_only_after_its_notice_and_the_oco_sees_the_renewal_alert(
    live_server, page, priya, alice, contract, tmp_path
):
    today = timezone.localdate()

    # The Procurement Unit proposes a variation raising the £300,000 services contract by £36,000.
    sign_in(page, live_server, "priya")
    page.goto(live_server.url + f"/contracts/{contract.pk}/")
    page.get_by_role("link", name="Lifecycle", exact=True).click()
    expect(page.get_by_text("No variations recorded.")).to_be_visible()
    page.get_by_role("link", name="Propose a variation").click()
    page.get_by_label("Change in value").fill("36000")
    page.get_by_label("What changes").fill("Twelve more body-worn cameras for the new response team")
    page.get_by_label("Why").fill("New response team from January")
    page.get_by_label("Approved by").select_option(label="Priya Patel, Procurement Officer")
    page.get_by_role("button", name="Propose the variation").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "A contract change notice is required: it raises the value by 12.0%, more than 10%."
    )
    row = page.locator("#variations").locator("xpath=../..").locator("table tbody tr").first
    expect(row).to_contain_text("Proposed")
    expect(row).to_contain_text("Not yet published")
    expect(row.get_by_role("link", name="Mark agreed")).to_have_count(0)
    expect(page.locator("table", has_text="At award")).not_to_contain_text("£336,000")

    # Agreeing it before the notice is refused, the reason next to the field.
    row.get_by_role("link", name="No notice needed?").click()
    page.get_by_role("button", name="Mark the variation agreed").click()
    expect(page.get_by_text("record the notice as published first, or say why none is needed")).to_have_count(2)
    page.get_by_role("link", name="Cancel").click()

    # The notice is recorded as published: the standstill shows, and the variation can be agreed.
    row = page.locator("#variations").locator("xpath=../..").locator("table tbody tr").first
    row.get_by_label("Published on").fill(today.isoformat())
    row.get_by_role("button", name="Record the publication of the change notice for variation 1").click()
    row = page.locator("#variations").locator("xpath=../..").locator("table tbody tr").first
    expect(row).to_contain_text("Voluntary standstill (8 working days)")
    row.get_by_role("link", name="Mark agreed").click()
    page.get_by_label("Date agreed").fill(today.isoformat())
    page.get_by_role("button", name="Mark the variation agreed").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Variation 1 to {contract.reference} agreed")
    row = page.locator("#variations").locator("xpath=../..").locator("table tbody tr").first
    expect(row).to_contain_text("Agreed")
    expect(page.locator("table", has_text="At award")).to_contain_text("£336,000")
    page.screenshot(path=str(tmp_path / "variation.png"), full_page=True)
    page.context.clear_cookies()

    # An OCO's contract ends in 60 days: the daily expiry job (beat, 06:45) alerts her in the app.
    ending = factories.ContractFactory(
        reference="CON-RENEW", title="Custody meals", oco=alice, end_date=today + timedelta(days=60)
    )
    services.contract_save(contract=ending, by=priya)
    services.expiry_alerts_send(today=today)

    sign_in(page, live_server, "alice")
    # Information, not a task: the bell counts tasks only; the alert is under "For information".
    expect(page.locator("#notification-bell-count .badge")).to_have_count(0)
    page.get_by_role("link", name="Notifications").click()
    page.get_by_role("link", name="For information (1 unread)").click()
    when = ending.end_date
    expect(page.get_by_role("link", name=f"CON-RENEW: end date in 60 days ({when.day} {when:%b %Y})")).to_be_visible()
    expect(page.get_by_text("Decide whether to extend, re-procure or let it expire.")).to_be_visible()
