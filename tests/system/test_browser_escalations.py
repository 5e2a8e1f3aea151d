"""In a real Chromium (issue 15's acceptance): an OCO records an Inadequate result, must write
commentary, raises an escalation from the same row; the SRO sees it on their dashboard; the
Procurement officer answers in the thread; the OCO sees the answer, and their "result due" task has
closed itself."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from contracts.models import Escalation
from core.dates import add_months
from notifications.models import Kind, Notification
from performance import charts
from performance import services as performance_services
from tests.conftest import sign_in
from tests.performance_factories import KpiFactory

pytestmark = pytest.mark.browser


def _signed_in(browser, live_server, username: str):
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server, username)
    return page


def test_an_inadequate_result_is_escalated_from_its_row_and_answered_in_the_thread(
    live_server, browser, page, alice, sam, priya, contract
):
    last_month = add_months(timezone.localdate().replace(day=1), -1)
    kpi = KpiFactory(
        contract=contract,
        name="Vehicles available for duty",
        start_date=last_month,
        is_published=True,
    )
    (due,) = kpi.periods(until=last_month)
    label = charts.period_label(due.start, due.end)
    row = page.locator(f"#due-{kpi.pk}-{due.start:%Y%m%d}")
    # The OCO has been reminded: the result is a task of theirs.
    performance_services.kpi_reminders_send(today=max(due.due_on, timezone.localdate()))
    result_tasks = Notification.objects.filter(recipient=alice, kind__in=[Kind.KPI_RESULT_DUE, Kind.KPI_RESULT_OVERDUE])
    assert result_tasks.open_tasks().count() == 1

    # The OCO records an Inadequate result: without commentary it is refused, next to the field.
    sign_in(page, live_server, "alice")
    page.goto(live_server.url + reverse("performance:contract", args=[contract.pk]))
    page.get_by_label(f"Result for {label}").fill("72")
    page.get_by_role("button", name=f"Record the result for {label}").click()
    expect(row.locator(f"#due-{kpi.pk}-{due.start:%Y%m%d}-commentary-error")).to_contain_text(
        "This result is rated Inadequate: say why"
    )
    assert not kpi.results.exists()
    page.get_by_label(f"Commentary for {label}").fill("Six vans off the road all month")
    page.get_by_role("button", name=f"Record the result for {label}").click()
    expect(row.locator(".rating-badge")).to_have_text("Inadequate")
    assert not result_tasks.open_tasks().exists()  # the task closed itself

    # ... and raises an escalation from the same row, filled in with the KPI and the period.
    row.get_by_role("link", name=f"Raise an escalation about {kpi.name}").click()
    expect(page.get_by_label("What is escalated")).to_have_value(f"{kpi.name}: Inadequate for {label}")
    expect(page.get_by_label("Source")).to_have_value("significant_performance_issue")
    page.get_by_role("button", name="Raise the escalation").click()
    expect(page.get_by_role("heading", name=f"{kpi.name}: Inadequate for {label}")).to_be_visible()
    escalation = Escalation.objects.get()
    assert escalation.raised_by == alice and escalation.respond_by is not None

    # The SRO sees it on their dashboard, with the date the Procurement Unit responds by.
    sro = _signed_in(browser, live_server, "sam")
    sro.goto(live_server.url + reverse("dashboard:sro"))
    open_escalations = sro.locator("section", has=sro.get_by_role("heading", name="Open escalations"))
    expect(open_escalations.get_by_role("link", name=escalation.title)).to_be_visible()
    expect(open_escalations).to_contain_text("Respond by")

    # The Procurement officer answers in the thread and moves it on.
    procurement = _signed_in(browser, live_server, "priya")
    procurement.goto(live_server.url + escalation.get_absolute_url())
    procurement.get_by_label("Your update").fill("Called the supplier: two hire vans from Monday.")
    procurement.get_by_label("Status").select_option("in_progress")
    procurement.get_by_role("button", name="Post the update").click()
    expect(procurement.locator(".escalation-thread")).to_contain_text("two hire vans from Monday")

    # The OCO is told, and sees the answer on the escalation.
    page.goto(live_server.url + reverse("notifications:list") + "?show=done")
    done = page.locator(".notification", has=page.get_by_text(kpi.name))
    expect(done).to_contain_text("Done")
    page.goto(live_server.url + reverse("notifications:list") + "?show=information")
    page.get_by_role("link", name=f"Priya Patel on the escalation {contract.reference}").first.click()
    thread = page.locator(".escalation-thread")
    expect(thread).to_contain_text("Called the supplier: two hire vans from Monday.")
    expect(thread).to_contain_text("status from open to in progress")
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.IN_PROGRESS and escalation.answered_on is not None
