"""Accessibility in a real Chromium: axe-core (the npm package that `make test` installs) finds no
WCAG 2.2 AA violation on any kind of page, and an OCO does a day's work with the keyboard alone.

Every page is only read here, so the module builds one register and signs each persona in once
(a context per persona, reused), instead of a fresh database and sign-in for every page. The
keyboard journey, which writes, runs last. The Django admin is not checked: it is Django's own.

To check a new page, add one line to PAGES (tests/system/accessibility_pages.py): a name, who looks
at it, the address (a function of the register built below) and, if the page should be shown with
errors, what to do first; e.g.
    Checked("procurement dashboard", "priya", lambda r: reverse("dashboard:procurement")),
"""

import importlib
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts import two_factor
from contracts import services
from contracts.models import Escalation, KraljicCriterion, Saving
from core.dates import add_months
from core.formatting import long_date
from meetings import services as meeting_services
from meetings.models import Meeting
from performance import services as performance_services
from performance.models import ImprovementNotice, KpiResult, Milestone, MiReport
from portal.models import Figure, Submission
from portal.services import invitations, notices
from tests import factories
from tests.conftest import pdf_bytes, sign_in
from tests.factories import PASSWORD
from tests.meeting_factories import ActionFactory, ActivityFactory, MeetingFactory
from tests.performance_factories import KpiFactory
from tests.system.accessibility_pages import PAGES
from tests.system.test_browser_portal import sign_in_with_code

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py sets for each test


@pytest.fixture(scope="module")
def transactional_db(django_db_setup, django_db_blocker):
    """pytest-django's, with the module's scope: the live server reads the rows the module commits once,
    and the database is flushed after the module's last test (pytest-django flushes after each).
    Tests here must not ask for `db` as well."""
    with django_db_blocker.unblock():
        yield
        call_command("flush", interactive=False, verbosity=0)
        connections.close_all()


@pytest.fixture(scope="module")
def register(transactional_db, tmp_path_factory):
    """A modest register with something in every table: three contracts, KPI results for a chart, a
    meeting with an action, an escalation, a saving, a Kraljic review round and notifications."""
    today = timezone.localdate()
    with override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        importlib.import_module("contracts.migrations.0003_kraljic_reference_data").add_reference_data(apps, None)
        alice = factories.oco(username="alice", first_name="Alice", last_name="Adams")
        bob = factories.oco(username="bob", first_name="Bob", last_name="Brown")
        sam = factories.sro(username="sam", first_name="Sam", last_name="Singh")
        two_factor.app_enrol(device=two_factor.app_device_pending(user=sam))  # sam opted in to two-step sign-in
        priya = factories.procurement_officer(username="priya", first_name="Priya", last_name="Patel")
        supplier = factories.SupplierFactory(name="Axon Public Safety UK Limited")
        factories.SupplierContactFactory(supplier=supplier, name="Jo Bloggs")
        category = factories.CategoryFactory(name="ICT")
        contract = factories.ContractFactory(
            reference="CON-ALICE", title="Body-worn video", supplier=supplier, category=category, oco=alice, sro=sam
        )
        ending = factories.ContractFactory(
            reference="CON-FLEET",
            title="Fleet tyres",
            category=category,
            oco=alice,
            end_date=today + timedelta(days=60),
        )
        # A national-scale value, so that the dashboards' headline figures are as long as they get.
        other = factories.ContractFactory(
            reference="CON-BOB",
            title="Custody healthcare",
            oco=bob,
            total_value=Decimal("1234567890"),
            annual_value=Decimal("246913578"),
        )
        for each in (contract, ending, other):
            services.contract_save(contract=each, by=priya)
        services.document_upload(
            contract=contract,
            kind="contract",
            upload=SimpleUploadedFile("Signed contract.pdf", pdf_bytes(), content_type="application/pdf"),
            by=priya,
        )

        criteria = KraljicCriterion.objects.filter(is_active=True)
        # CON-BOB's national-scale annual value is the Kraljic matrix table's widest figure.
        for each, (profit, risk) in ((contract, (5, 4)), (ending, (2, 2)), (other, (2, 4))):
            scores = {c.pk: profit if c.axis == "profit_impact" else risk for c in criteria}
            services.assessment_record(contract=each, scores=scores, rationale="Frontline service", by=priya)
        review_round, _ = services.review_round_open(today=today)

        # A monthly KPI: three results for the chart, last month's still to record.
        last_month = add_months(today.replace(day=1), -1)
        kpi = KpiFactory(contract=contract, name="Cameras available for duty", start_date=add_months(last_month, -3))
        for period, actual in zip(kpi.periods(until=last_month), ("96", "91", "78"), strict=False):
            performance_services.kpi_result_record(
                kpi=kpi, period_start=period.start, actual=Decimal(actual), commentary="Explained", by=alice
            )
        due = kpi.periods(until=last_month)[-1]
        Milestone.objects.create(contract=contract, title="Docking stations installed", due_date=today, owner=alice)
        due_report = MiReport.objects.create(
            contract=contract,
            period_label=f"{last_month:%B %Y}",
            period_start=last_month,
            period_end=today.replace(day=1) - timedelta(days=1),
            expected_by=today - timedelta(days=3),
            recorded_by=alice,
        )

        # The supplier portal: Axon's person, a submission with a queried figure, an invitation for Jo Bloggs.
        supplier1 = factories.supplier_user(username="supplier1", first_name="Sue", last_name="Plier")
        factories.SupplierContactFactory(supplier=supplier, user=supplier1, name="Sue Plier")
        two_months_ago = add_months(last_month, -1)
        queried_report = MiReport.objects.create(
            contract=contract,
            period_label=f"{two_months_ago:%B %Y}",
            period_start=two_months_ago,
            period_end=last_month - timedelta(days=1),
            expected_by=last_month + timedelta(days=14),
            received_on=last_month + timedelta(days=10),
            recorded_by=alice,
        )
        submission = Submission.objects.create(
            mi_report=queried_report,
            file=SimpleUploadedFile("mi.pdf", pdf_bytes()),
            file_name="mi.pdf",
            submitted_by=supplier1,
        )
        Figure.objects.create(
            submission=submission,
            kpi=kpi,
            period_start=two_months_ago,
            actual=Decimal("91"),
            status=Figure.Status.QUERIED,
            query_reason="The dashboard showed 89.",
            verified_by=alice,
        )
        welcome = invitations.invitation_send(
            contact=supplier.contacts.get(name="Jo Bloggs"), by=alice, now=timezone.now()
        ).link

        meeting = MeetingFactory(contract=contract, created_by=alice, attendees=[alice, sam])
        ActionFactory(meeting=meeting, owner=alice)
        ActivityFactory(contract=contract, recorded_by=alice)
        escalation = services.escalation_raise(
            escalation=Escalation(
                contract=contract,
                source=Escalation.Source.DISPUTE,
                severity=Escalation.Severity.MEDIUM,
                title="Dispute over service credits",
                details="The supplier disputes the credits for March.",
            ),
            by=alice,
        )
        # Shared with the supplier, who replied (with an attachment; to the improvement notice, late).
        escalation = notices.escalation_share(
            escalation=escalation, notice="Please explain the March credits.", respond_by=today, by=alice
        )
        notices.notice_reply(
            escalation=escalation,
            by=supplier1,
            text="Our engineers were on strike.",
            attachment=SimpleUploadedFile("Our letter.pdf", pdf_bytes()),
        )
        improvement_notice = performance_services.improvement_notice_issue(
            notice=ImprovementNotice(
                contract=contract,
                issued_on=today - timedelta(days=20),
                failure="Cameras not repaired within five days",
                required_action="Repair every camera within five days",
                cure_by=today + timedelta(days=30),
            ),
            by=alice,
        )
        notices.improvement_notice_share(notice=improvement_notice, respond_by=today - timedelta(days=1), by=alice)
        notices.improvement_notice_reply(
            notice=improvement_notice,
            by=supplier1,
            text="We have added a second engineer.",
            attachment=SimpleUploadedFile("Our plan.pdf", pdf_bytes()),
            today=today,
        )
        services.saving_record(
            saving=Saving(
                contract=contract,
                kind=Saving.Kind.CASH_RELEASING,
                amount=Decimal("2500"),
                achieved_on=today,
                description="Rate reduction at renewal",
            ),
            by=priya,
        )
        meeting_services.meeting_lead_time_reminders_send(today=today)
        services.expiry_alerts_send(today=today)
    return SimpleNamespace(
        contract=contract,
        ending=ending,
        supplier=supplier,
        category=category,
        kpi=kpi,
        due=due,
        meeting=meeting,
        escalation=escalation,
        improvement_notice=improvement_notice,
        review_round=review_round,
        due_report=due_report,
        queried_report=queried_report,
        submission=submission,
        welcome=welcome[welcome.index("/supplier/") :],
    )


@pytest.fixture(scope="module")
def signed_in(browser, live_server, register):
    """A browser context per persona, signed in on first use and reused by the module's later tests.
    bypass_csp: the site's Content-Security-Policy would refuse the axe script added to the page."""
    contexts = {}

    def context_for(username: str | None):
        if username is None:  # signed out: a fresh context each time
            return browser.new_context(locale="en-GB", timezone_id="Europe/London", bypass_csp=True)
        if username not in contexts:
            context = browser.new_context(locale="en-GB", timezone_id="Europe/London", bypass_csp=True)
            page = context.new_page()
            if username.startswith("supplier"):  # a supplier's person gives their code
                sign_in_with_code(page, live_server, username)
                expect(page.get_by_role("link", name="Your contracts")).to_be_visible()
            else:
                sign_in(page, live_server, username)
                expect(page.get_by_role("link", name="Notifications")).to_be_visible()
            page.close()
            contexts[username] = context
        return contexts[username]

    yield context_for
    for context in contexts.values():
        context.close()


def axe_violations(page: Page) -> list[dict]:
    assert AXE.exists(), f"{AXE} is missing: `make npm` installs it (npm ci)"
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
            .then(results => results.violations)""",
        WCAG_22_AA,
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            summary = " ".join(node["failureSummary"].split())
            lines.append(f"    {' >> '.join(node['target'])}\n        {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("checked", PAGES, ids=lambda checked: checked.name)
def test_no_wcag_22_aa_violations(checked, live_server, register, signed_in):
    context = signed_in(checked.persona)
    page = context.new_page()
    try:
        response = page.goto(live_server.url + checked.url(register))
        assert response.ok, f"{checked.name} answered {response.status}"
        if checked.shows:
            expect(page.locator("main")).to_contain_text(checked.shows)
        if checked.act:
            checked.act(page, register)
        violations = axe_violations(page)
        assert not violations, f"{checked.name} ({page.url}):\n{describe(violations)}"
    finally:
        if checked.persona is None:
            context.close()
        else:
            page.close()


# --- Fits a laptop and a phone ---

VIEWPORTS = {"phone": (390, 844), "laptop": (1366, 768)}

NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"

# The elements that stick out past the window's right edge (the innermost ones), to name in a failure.
STICKING_OUT = """width => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 1))
    .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ': '
        + (e.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40))"""

# A table wider than its scrolling box: some of its columns (a figure, an action) are off to the side.
TABLES_CUT = """() => [...document.querySelectorAll('.table-responsive')]
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => (e.querySelector('caption') || e).textContent.trim().replace(/\\s+/g, ' ').slice(0, 60))"""

# A headline figure drawn on more than one line, or wider than its card.
BROKEN_FIGURES = """() => [...document.querySelectorAll('.headline-figure')]
    .filter(e => e.getClientRects().length > 1
        || e.getBoundingClientRect().height > parseFloat(getComputedStyle(e).lineHeight) * 1.5
        || e.scrollWidth > e.clientWidth + 1)
    .map(e => e.textContent.trim())"""


@pytest.mark.parametrize("checked", PAGES, ids=lambda checked: checked.name)
def test_every_page_fits_a_laptop_and_a_phone_without_scrolling_sideways(checked, live_server, register, signed_in):
    """Loaded once, on a phone (the narrower, so a fresh load there), then the window widened to a
    laptop's: the layout is the stylesheet's for the new width, and the charts redraw on the resize."""
    context = signed_in(checked.persona)
    page = context.new_page()
    try:
        for name, (width, height) in VIEWPORTS.items():
            page.set_viewport_size({"width": width, "height": height})
            if name == "phone":
                page.goto(live_server.url + checked.url(register))
                if checked.act:
                    checked.act(page, register)
            else:
                page.evaluate(NEXT_FRAMES)  # the resize observed and drawn (Chart.js redraws on the next frame)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, (
                f"{checked.name} scrolls sideways on a {name} ({width} px wide, the page {scroll_width} px): "
                f"{page.evaluate(STICKING_OUT, width)}"
            )
            assert not (broken := page.evaluate(BROKEN_FIGURES)), f"{checked.name} on a {name} breaks {broken}"
            if checked.tables_fit:
                assert not (cut := page.evaluate(TABLES_CUT)), f"{checked.name} on a {name} cuts the tables {cut}"
    finally:
        if checked.persona is None:
            context.close()
        else:
            page.close()


# --- Keyboard only ---


def tab_to(page: Page, selector: str, *, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (Shift+Tab backwards) until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def assert_focus_visible(page: Page) -> None:
    """The focused element draws an outline or a focus ring (a box shadow)."""
    style = page.evaluate(
        """() => {
            const element = document.activeElement, style = getComputedStyle(element);
            return {element: element.outerHTML.slice(0, 120), outline: style.outlineStyle,
                    width: parseFloat(style.outlineWidth), shadow: style.boxShadow};
        }"""
    )
    assert (style["outline"] != "none" and style["width"] >= 2) or style["shadow"] != "none", style


def test_an_oco_signs_in_records_a_kpi_result_and_arranges_a_meeting_with_the_keyboard_alone(
    live_server, page, register
):
    contract, kpi, due = register.contract, register.kpi, register.due
    row = f"#due-{kpi.pk}-{due.start:%Y%m%d}"
    # A day after the 12th: typed day first, as the en-GB date field reads it (mm/dd/yyyy would refuse it).
    when = next(day for day in (timezone.localdate() + timedelta(days=n) for n in range(2, 60)) if day.day > 12)

    page.goto(live_server.url + reverse("accounts:login"))
    tab_to(page, "#id_username")
    assert_focus_visible(page)
    page.keyboard.type("alice")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    # An OCO lands on My work, which lists last month's result as due; its link leads to the form.
    expect(page.get_by_role("heading", name="My work", exact=True)).to_be_visible()
    tab_to(page, f"a[href^='{reverse('performance:contract', args=[contract.pk])}#kpi-{kpi.pk}']")
    page.keyboard.press("Enter")
    expect(page.locator(f"{row}-actual")).to_be_visible()
    tab_to(page, f"{row}-actual")
    assert_focus_visible(page)
    page.keyboard.type("97")
    page.keyboard.press("Tab")
    page.keyboard.type("Every camera in service")
    tab_to(page, f"{row} button[type=submit]")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator(row)).to_contain_text("recorded 97%")

    # Back up to the contract's Meetings tab, then arrange a virtual meeting.
    tab_to(page, f"a[href='{reverse('meetings:contract', args=[contract.pk])}']", backwards=True)
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Arrange a meeting")).to_be_visible()
    tab_to(page, f"a[href='{reverse('meetings:create', args=[contract.pk])}']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Arrange a supplier meeting")).to_be_visible()
    tab_to(page, "#id_kind")
    assert_focus_visible(page)
    page.keyboard.press("ArrowDown")  # Face-to-face -> Virtual
    tab_to(page, "#id_starts_at")
    page.keyboard.type(f"{when:%d%m%Y}")
    page.keyboard.press("Tab")  # from the year (it takes up to six digits) to the hour
    page.keyboard.type("1000A")  # A: morning, where the field has an AM/PM part
    tab_to(page, "#id_location")
    page.keyboard.type("Microsoft Teams")
    tab_to(page, "#id_agenda")
    page.keyboard.type("Progress on the docking stations")
    tab_to(page, "button[type=submit]")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text(f"Meeting on {long_date(when)} saved.")

    result = KpiResult.objects.get(kpi=kpi, period_start=due.start)
    assert (result.actual, result.commentary, result.recorded_by.username) == (
        Decimal("97"),
        "Every camera in service",
        "alice",
    )
    meeting = Meeting.objects.get(contract=contract, agenda="Progress on the docking stations")
    assert meeting.kind == Meeting.Kind.VIRTUAL
    assert timezone.localtime(meeting.starts_at).replace(tzinfo=None) == datetime.combine(when, time(10))
    assert meeting.location == "Microsoft Teams"
    assert meeting.created_by.username == "alice"
