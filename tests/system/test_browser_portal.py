"""In a real Chromium: supplier1 signs in with password and code, submits an MI report with three KPI
figures; oco1 (alice) accepts two and queries one; supplier1 sees the ratings and the query and
resubmits; alice accepts; the contract's timeline shows every step."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from portal.models import Submission
from tests import factories
from tests.conftest import pdf_bytes, sign_in
from tests.performance_factories import KpiFactory
from tests.portal.conftest import mi_report_due

pytestmark = pytest.mark.browser

KPIS = ("Calls answered in 20 seconds", "Repairs on time", "Invoices right first time")


def sign_in_with_code(page, live_server, username: str) -> None:
    sign_in(page, live_server, username)
    expect(page.get_by_role("heading", name="Verify it is you")).to_be_visible()
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    page.get_by_label("Code").fill(f"{code:06d}")
    page.get_by_role("button", name="Verify").click()


def sign_out(page) -> None:
    if page.get_by_role("button", name="Alice Adams").count():
        page.get_by_role("button", name="Alice Adams").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def verify(page, kpi: str, action: str, text: str = "") -> None:
    section = page.get_by_role("region", name=f"{kpi}:")
    if action == "Accept":
        section.get_by_role("button", name=f"Accept {kpi}").click()
    else:
        section.get_by_label("What is wrong with it (for the supplier)").fill(text)
        section.get_by_role("button", name=f"Query {kpi}").click()
    expect(page.get_by_role("alert").filter(has_text=kpi)).to_be_visible()


def test_submit_verify_query_resubmit(live_server, page, contract, alice):
    user = factories.supplier_user(username="supplier1", first_name="Sue", last_name="Plier")
    factories.SupplierContactFactory(supplier=contract.supplier, user=user, name="Sue Plier")
    for name in KPIS:
        KpiFactory(contract=contract, name=name, start_date=dt.date(2026, 1, 1))
    report = mi_report_due(contract, by=alice)
    # The server runs in this process: shifting the clock gives the app its next code (a code works once).
    with time_machine.travel(timezone.now(), tick=True) as clock:
        sign_in_with_code(page, live_server, "supplier1")
        expect(page.get_by_role("heading", name=contract.supplier.name, level=1)).to_be_visible()
        page.get_by_role("link", name=f"{contract.reference}: MI report for {report.period_label}").click()
        page.get_by_label("The MI report").set_input_files(
            files=[{"name": "november.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("November")}]
        )
        for name, figure in zip(KPIS, ("97", "96", "99"), strict=True):
            page.get_by_label(f"{name}: the figure for the period").fill(figure)
        page.get_by_role("button", name="Submit").click()
        expect(page.get_by_text("Your MI report is submitted")).to_be_visible()
        sign_out(page)

        sign_in(page, live_server, "alice")
        submission = Submission.objects.get(mi_report=report)
        page.goto(live_server.url + reverse("supplier_access:submission", args=[submission.pk]))
        verify(page, KPIS[0], "Accept")
        verify(page, KPIS[1], "Accept")
        verify(page, KPIS[2], "Query", "Your dashboard showed 91 for November.")
        sign_out(page)

        clock.shift(dt.timedelta(seconds=31))
        sign_in_with_code(page, live_server, "supplier1")
        page.get_by_role("link", name=f"{contract.reference}: {KPIS[2]}, {report.period_label}").click()
        expect(page.get_by_role("cell", name="Good")).to_have_count(2)
        expect(page.get_by_text("Your dashboard showed 91 for November.")).to_be_visible()
        page.get_by_label(f"{KPIS[2]}: the figure for the period").fill("91")
        page.get_by_label(f"{KPIS[2]}: your comment (optional)").fill("Corrected from the dashboard.")
        page.get_by_role("button", name="Resubmit").click()
        expect(page.get_by_text("Your corrected figures are submitted")).to_be_visible()
        sign_out(page)

        sign_in(page, live_server, "alice")
        page.goto(live_server.url + reverse("supplier_access:submission", args=[submission.pk]))
        page.get_by_role("region", name=f"{KPIS[2]}:").get_by_label("Your commentary").fill(
            "Below target: plan agreed."
        )
        verify(page, KPIS[2], "Accept")
        page.goto(live_server.url + reverse("meetings:log", args=[contract.pk]))
        main = page.get_by_role("main")
        expect(main).to_contain_text(
            f"MI report for {report.period_label} submitted by the supplier, with 3 KPI figures"
        )
        for name in KPIS:
            expect(main).to_contain_text(f"{name}: the supplier's")
        expect(main).to_contain_text(f"{KPIS[2]}: the supplier's 99.00 queried")
        expect(main).to_contain_text("the supplier resubmitted 1 queried figure")
