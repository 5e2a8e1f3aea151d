"""In a real Chromium: an OCO signs in, sees only their contracts, opens one, uploads a document."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.conftest import pdf_bytes, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_oco_signs_in_sees_only_their_contracts_and_uploads_a_document(
    live_server, page, alice, contract, other_contract, tmp_path
):
    factories.ContractFactory(reference="CON-ALICE-2", title="Fleet tyres", oco=alice)

    page.goto(live_server.url + "/")
    expect(page).to_have_title("Sign in · Contract register")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My work")).to_be_visible()  # an OCO lands on their work
    page.get_by_role("link", name="My contracts").click()

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


def test_oco_arranges_a_meeting_records_an_activity_and_gets_a_reminder(live_server, page, alice, contract):
    from django.utils import timezone

    from meetings import services as meeting_services
    from meetings.schedule import add_months

    sign_in(page, live_server, "alice")
    page.goto(live_server.url + f"/contracts/{contract.pk}/")
    expect(page.get_by_text("Arrange-by date passed")).to_be_visible()
    expect(page.locator("#notification-bell-count .badge")).to_have_count(0)

    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="Arrange a meeting").click()
    seven_months = add_months(timezone.localdate(), 7)
    page.get_by_label("Kind*").select_option("face_to_face")
    page.get_by_label("Date and time*").fill(f"{seven_months.isoformat()}T10:00")
    page.get_by_label("Location").fill("Headquarters, room 2")
    page.get_by_label("Agenda").fill("Annual service review")
    page.get_by_role("button", name="Save meeting").click()
    expect(page.get_by_role("alert")).to_contain_text("saved")

    page.get_by_role("link", name="Details", exact=True).click()
    # The contract started on 1 Apr 2025 and its first yearly meeting was due a year later: this one is late.
    expect(page.get_by_text("Late", exact=True)).to_be_visible()
    expect(page.get_by_text(f"{seven_months.day} {seven_months:%b %Y}")).to_be_visible()

    page.get_by_role("link", name="Administration log").click()
    page.get_by_label("Kind*").select_option("call")
    page.get_by_label("Summary*").fill("Call about weekend cover")
    page.get_by_role("button", name="Record activity").click()
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("Call about weekend cover")
    expect(timeline).to_contain_text("Annual service review")

    # The reminder job runs (as beat would at 07:00) for a contract whose meeting is not arranged.
    late = factories.ContractFactory(reference="CON-LATE", oco=alice)
    meeting_services.meeting_lead_time_reminders_send(today=timezone.localdate())
    page.reload()
    expect(page.locator("#notification-bell-count .badge")).to_have_text("1 to do")  # a task: arrange it
    page.get_by_role("link", name="Notifications").click()
    expect(
        page.get_by_role("link", name=f"The supplier meeting for {late.reference} has not been arranged")
    ).to_be_visible()


def test_procurement_reviews_a_round_and_sees_the_matrix_change(
    live_server, page, priya, alice, kraljic_reference_data
):
    from django.utils import timezone

    from contracts import services as contract_services
    from contracts.models import KraljicCriterion

    def scores(profit, risk):
        return {
            c.pk: profit if c.axis == "profit_impact" else risk for c in KraljicCriterion.objects.filter(is_active=True)
        }

    keep = factories.ContractFactory(reference="CON-KEEP", title="Grounds maintenance", oco=alice)
    rise = factories.ContractFactory(reference="CON-RISE", title="Digital forensics", oco=alice)
    for contract in (keep, rise):
        contract_services.assessment_record(contract=contract, scores=scores(2, 2), rationale="", by=priya)
    review_round, _ = contract_services.review_round_open(today=timezone.localdate())

    sign_in(page, live_server, "priya")
    page.goto(live_server.url + "/contracts/kraljic/")
    expect(page.locator("#matrix-table")).to_contain_text("CON-RISE")
    expect(page.locator("svg.kraljic-matrix")).to_contain_text("Strategic (0)")

    page.get_by_role("button", name="Kraljic").click()
    page.get_by_role("link", name="Review rounds").click()
    page.get_by_role("link", name=review_round.label).click()
    expect(page.get_by_text("0 of 2", exact=False)).to_be_visible()
    page.get_by_role("button", name="Confirm CON-KEEP").click()
    expect(page.get_by_role("alert")).to_contain_text("CON-KEEP confirmed as Non-critical")
    expect(page.get_by_text("1 of 2", exact=False)).to_be_visible()

    page.get_by_role("link", name="Rescore CON-RISE").click()
    for legend in ("Annual value", "Share of category spend", "Impact on operational policing and service quality"):
        page.get_by_role("group", name=legend).get_by_text("5", exact=True).click()
    for legend in ("Number of alternative suppliers", "Switching difficulty and time", "Market stability"):
        page.get_by_role("group", name=legend).get_by_text("4", exact=True).click()
    page.get_by_role("group", name="Criticality to public safety").get_by_text("4", exact=True).click()
    page.get_by_label("Rationale*").fill("Sole accredited laboratory in the region")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("CON-RISE assessed: Strategic")).to_be_visible()
    expect(page.get_by_text("This strategic contract has no SRO.")).to_be_visible()
    expect(page.get_by_text("Every contract in this round has been reviewed.")).to_be_visible()

    page.goto(live_server.url + "/contracts/kraljic/")
    expect(page.locator("svg.kraljic-matrix")).to_contain_text("Strategic (1)")
    expect(page.locator("#matrix-table tr", has_text="CON-RISE")).to_contain_text("Strategic")
    page.goto(live_server.url + f"/contracts/{rise.pk}/")
    expect(page.get_by_text("SRO rules: This strategic contract has no SRO.")).to_be_visible()


def test_a_date_field_reads_day_month_year_for_an_en_gb_browser(live_server, page, contract, priya):
    """The force writes 05/07/2027 for 5 July: typed so into a date field, it is saved as 5 Jul 2027."""
    sign_in(page, live_server, "priya")
    page.goto(live_server.url + f"/contracts/{contract.pk}/edit/")
    assert page.evaluate("document.documentElement.lang") == "en-GB"
    end_date = page.locator("#id_end_date")
    end_date.focus()
    page.keyboard.type("05072027")  # day, month, year; mm/dd/yyyy would read it as 7 May
    assert end_date.input_value() == "2027-07-05"
    page.get_by_role("button", name="Save contract").click()
    expect(page.get_by_role("heading", name="Body-worn video", level=1)).to_be_visible()
    contract.refresh_from_db()
    assert contract.end_date.isoformat() == "2027-07-05"
    expect(page.locator("main")).to_contain_text("5 Jul 2027")
