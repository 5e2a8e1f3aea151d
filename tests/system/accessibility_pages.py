"""The pages tests/system/test_accessibility.py checks: one line each in PAGES (a name, who looks at
it, the address as a function of the register that module builds and, for a page shown with errors,
what to do first), and the actions that leave a page showing errors."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from performance import charts

# --- Actions that leave a page showing errors ---


def submit_an_empty_mi_report(page: Page, register) -> None:
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()


def send_an_empty_reply(page: Page, register) -> None:
    page.get_by_role("button", name="Send my reply").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()


def change_the_password_wrongly(page: Page, register) -> None:
    page.locator("#id_old_password").fill("not my password")
    page.locator("#id_new_password1").fill("short")
    page.locator("#id_new_password2").fill("short")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("incorrectly").first).to_be_visible()


def fail_to_sign_in(page: Page, register) -> None:
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("did not match")


def save_empty_contract(page: Page, register) -> None:
    page.get_by_role("button", name="Save contract").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing has been saved")


def record_a_bad_kpi_result(page: Page, register) -> None:
    label = charts.period_label(register.due.start, register.due.end)
    page.get_by_label(f"Result for {label}").fill("140")
    page.get_by_role("button", name=f"Record the result for {label}").click()
    expect(page.get_by_text("A percentage runs from 0 to 100.")).to_be_visible()


def arrange_a_meeting_in_the_past(page: Page, register) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    page.get_by_label("Kind*").select_option("face_to_face")
    page.get_by_label("Date and time*").fill(f"{yesterday.isoformat()}T10:00")
    page.get_by_role("button", name="Save meeting").click()
    expect(page.get_by_role("alert")).to_contain_text("This date is in the past")


def raise_an_empty_escalation(page: Page, register) -> None:
    page.get_by_role("button", name="Raise the escalation").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing has been saved")


def enter_a_wrong_code(page: Page, register) -> None:
    page.locator("#id_otp_token").fill("12345")
    page.get_by_role("button", name=re.compile("^(Verify|Turn on two-step sign-in)$")).click()
    expect(page.locator("#id_otp_token")).to_have_class(re.compile(r"\bis-invalid\b"))  # wrong, or too many tries


def make_new_recovery_codes(page: Page, register) -> None:
    page.get_by_role("button", name="Make new recovery codes").click()
    expect(page.get_by_text("These codes are shown only now")).to_be_visible()


@dataclass(frozen=True)
class Checked:
    name: str
    persona: str | None  # a username; None: signed out
    url: Callable[[SimpleNamespace], str]
    act: Callable[[Page, SimpleNamespace], None] | None = None  # to show the page with errors
    shows: str = ""  # some of the register's content, so that the page is checked with it
    tables_fit: bool = False  # its tables show every column without scrolling sideways in their box


def contract_url(name: str) -> Callable[[SimpleNamespace], str]:
    return lambda r: reverse(name, args=[r.contract.pk])


PAGES = [
    Checked("sign-in", None, lambda r: reverse("accounts:login")),
    Checked("sign-in failed", None, lambda r: reverse("accounts:login"), act=fail_to_sign_in),
    Checked(
        "register filtered",
        "priya",
        lambda r: reverse("contracts:list") + f"?status=active&category={r.category.pk}&q=CON&sort=-end_date",
        shows="CON-FLEET",
        tables_fit=True,
    ),
    Checked("my contracts", "alice", lambda r: reverse("contracts:list"), shows="CON-ALICE", tables_fit=True),
    Checked(
        "saved views", "priya", lambda r: reverse("contracts:saved_views") + "?status=active", shows="Save the view"
    ),
    Checked("contract", "alice", contract_url("contracts:detail"), shows="Signed contract.pdf"),
    Checked("contract, SRO", "sam", contract_url("contracts:detail"), shows="Signed contract.pdf"),
    Checked("contract history", "priya", contract_url("contracts:history"), shows="Priya Patel"),
    Checked("contract performance", "alice", contract_url("performance:contract"), shows="Inadequate"),
    Checked("contract milestones", "alice", contract_url("performance:milestones"), shows="Docking stations"),
    Checked("contract MI reports", "alice", contract_url("performance:mi_reports"), shows="Late"),
    Checked("contract meetings", "alice", contract_url("meetings:contract"), shows="Face-to-face", tables_fit=True),
    Checked("contract administration log", "alice", contract_url("meetings:log"), shows="late deliveries"),
    Checked("contract lifecycle", "priya", contract_url("lifecycle:contract"), shows="Rate reduction"),
    Checked("meeting", "alice", lambda r: reverse("meetings:detail", args=[r.meeting.pk]), shows="service credits"),
    Checked("suppliers", "priya", lambda r: reverse("suppliers:list"), shows="Axon Public Safety"),
    Checked("supplier", "priya", lambda r: reverse("suppliers:detail", args=[r.supplier.pk]), shows="Jo Bloggs"),
    Checked(
        "escalations",
        "priya",
        lambda r: reverse("escalations:list"),
        shows="Dispute over service credits",
        tables_fit=True,
    ),
    Checked("escalation", "priya", lambda r: reverse("escalations:detail", args=[r.escalation.pk]), shows="for March"),
    Checked("notifications", "alice", lambda r: reverse("notifications:list"), shows="CON-FLEET"),
    Checked(
        "my tasks", "alice", lambda r: reverse("performance:tasks"), shows="Cameras available for duty", tables_fit=True
    ),
    Checked(
        "Kraljic matrix", "priya", lambda r: reverse("contracts:kraljic_matrix"), shows="Strategic (1)", tables_fit=True
    ),
    Checked(
        "review round",
        "priya",
        lambda r: reverse("contracts:review_round", args=[r.review_round.pk]),
        shows="CON-FLEET",
    ),
    Checked("renewals", "priya", lambda r: reverse("lifecycle:renewals"), shows="CON-FLEET"),
    Checked("savings", "priya", lambda r: reverse("lifecycle:savings"), shows="£2,500"),
    Checked("imports", "priya", lambda r: reverse("imports:start")),
    Checked("procurement dashboard", "priya", lambda r: reverse("dashboard:procurement"), shows="Portfolio"),
    Checked(
        "procurement dashboard filtered",
        "priya",
        lambda r: reverse("dashboard:procurement") + f"?category={r.category.pk}&quadrant=strategic",
        shows="filtered",
    ),
    Checked(
        "dashboard panel list",
        "priya",
        lambda r: reverse("dashboard:list", args=["contracts"]) + "?status=active",
        shows="CON-FLEET",
    ),
    Checked("SRO overview", "sam", lambda r: reverse("dashboard:sro"), shows="CON-ALICE"),
    Checked("my work", "alice", lambda r: reverse("dashboard:my_work"), shows="CON-ALICE", tables_fit=True),
    Checked("suppliers paid late", "alice", lambda r: reverse("payments:paid_late"), shows="Invoices paid from"),
    Checked("contract form with errors", "priya", lambda r: reverse("contracts:create"), act=save_empty_contract),
    Checked("KPI result with errors", "alice", contract_url("performance:contract"), act=record_a_bad_kpi_result),
    Checked(
        "meeting form with errors",
        "alice",
        lambda r: reverse("meetings:create", args=[r.contract.pk]),
        act=arrange_a_meeting_in_the_past,
    ),
    Checked(
        "escalation form with errors",
        "alice",
        lambda r: reverse("escalations:raise", args=[r.contract.pk]),
        act=raise_an_empty_escalation,
    ),
    Checked("forgotten password", None, lambda r: reverse("accounts:password_reset")),
    Checked("password reset sent", None, lambda r: reverse("accounts:password_reset_sent")),
    Checked("password reset link used", None, lambda r: reverse("accounts:password_reset_confirm", args=["MQ", "x"])),
    Checked("two-step sign-in", "alice", lambda r: reverse("accounts:two_factor")),
    Checked("two-step set-up", "alice", lambda r: reverse("accounts:two_factor_setup"), act=enter_a_wrong_code),
    Checked("recovery codes", "sam", lambda r: reverse("accounts:recovery_codes"), act=make_new_recovery_codes),
    Checked("verify", "sam", lambda r: reverse("accounts:verify"), act=enter_a_wrong_code),
    Checked("supplier portal", "supplier1", lambda r: reverse("portal:home"), shows="CON-ALICE"),
    Checked("supplier portal contract", "supplier1", contract_url("portal:contract"), shows="Cameras available"),
    Checked(
        "supplier portal MI report with errors",
        "supplier1",
        lambda r: reverse("portal:report", args=[r.due_report.pk]),
        act=submit_an_empty_mi_report,
    ),
    Checked(
        "supplier portal queried figure",
        "supplier1",
        lambda r: reverse("portal:report", args=[r.queried_report.pk]),
        shows="The dashboard showed 89.",
    ),
    Checked(
        "supplier portal escalation notice",
        "supplier1",
        lambda r: reverse("portal:notice", args=[r.escalation.pk]),
        shows="Our engineers were on strike.",
    ),
    Checked(
        "supplier portal improvement notice with errors",
        "supplier1",
        lambda r: reverse("portal:improvement_notice", args=[r.improvement_notice.pk]),
        act=send_an_empty_reply,
    ),
    Checked(
        "supplier portal password with errors",
        "supplier1",
        lambda r: reverse("portal:password_change"),
        act=change_the_password_wrongly,
    ),
    Checked(
        "improvement notice with the supplier's reply",
        "alice",
        lambda r: reverse("performance:improvement_notice", args=[r.improvement_notice.pk]),
        shows="We have added a second engineer.",
    ),
    Checked(
        "improvement notice shared with the supplier",
        "alice",
        lambda r: reverse("supplier_access:improvement_notice_share", args=[r.improvement_notice.pk]),
    ),
    Checked("supplier portal welcome", None, lambda r: r.welcome, shows="Jo Bloggs"),
    Checked(
        "supplier submission to verify",
        "alice",
        lambda r: reverse("supplier_access:submission", args=[r.submission.pk]),
        shows="The dashboard showed 89.",
    ),
]
