"""Security: sign-in throttling, password length, the Content-Security-Policy, the admin's second
factor, and uploads served only through permission-checked views."""

import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.lockout import client_address
from accounts.models import User
from contracts.services import document_upload
from demo import register as demo_register
from exchange.services.tokens import api_token_create
from tests.conftest import pdf_bytes
from tests.factories import PASSWORD
from tests.meeting_factories import ActivityFactory, MeetingFactory
from tests.performance_factories import KpiFactory

LOCKED = "Too many failed sign-in attempts. Try again after 15 minutes or ask an administrator to unlock your account."
LOGIN = "/accounts/login/"


def sign_in(client, username, password, address="192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


# --- Sign-in throttling (django-axes) ------------------------------------------------------------------


def test_five_failed_sign_ins_lock_the_username_for_15_minutes(client, alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(4):
            response = sign_in(client, "alice", "wrong-password")
            assert response.status_code == 200 and "did not match" in response.content.decode()
        fifth = sign_in(client, "alice", "wrong-password")
        assert fifth.status_code == 429
        assert LOCKED in fifth.content.decode()

        # While locked, the right password is refused too, from any address, with the same page.
        clock.move_to(start + dt.timedelta(minutes=1))
        for address in ("192.0.2.10", "198.51.100.20"):
            refused = sign_in(client, "alice", PASSWORD, address)
            assert refused.status_code == 429
            page = refused.content.decode()
            assert LOCKED in page and "Sign-in locked" in page and 'href="/static/css/site.css"' in page
        assert client.get(reverse("contracts:list")).status_code == 302  # not signed in

        clock.move_to(start + dt.timedelta(minutes=14, seconds=59))
        assert sign_in(client, "alice", PASSWORD).status_code == 429
        clock.move_to(start + dt.timedelta(minutes=15, seconds=1))
        assert sign_in(client, "alice", PASSWORD).status_code == 302
        assert client.get(reverse("contracts:list")).status_code == 200


def test_a_successful_sign_in_clears_earlier_failures(client, alice):
    for _ in range(4):
        sign_in(client, "alice", "wrong-password")
    assert sign_in(client, "alice", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        assert sign_in(client, "alice", "wrong-password").status_code == 200
    assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_one_address_trying_many_usernames_is_locked_but_not_everyone_else(client, alice, settings):
    assert settings.LOGIN_FAILURES_PER_ADDRESS == 20
    for n in range(19):
        assert sign_in(client, f"guess{n}", "password1234", "203.0.113.5").status_code == 200
    assert sign_in(client, "guess19", "password1234", "203.0.113.5").status_code == 429
    # Alice's own password from that address is refused; from her own address she signs in.
    assert sign_in(client, "alice", PASSWORD, "203.0.113.5").status_code == 429
    assert sign_in(client, "alice", PASSWORD, "192.0.2.10").status_code == 302


def test_the_client_address_is_the_one_the_outermost_trusted_proxy_saw(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    settings.PROXY_COUNT = 0
    assert client_address(request) == "10.1.1.1"
    settings.PROXY_COUNT = 1  # the proxy appended what it saw; "6.6.6.6" came from the client and is ignored
    assert client_address(request) == "198.51.100.7"
    settings.PROXY_COUNT = 3  # fewer entries than proxies: fall back rather than trust a guess
    assert client_address(request) == "10.1.1.1"


def test_an_administrator_sees_the_lockout_in_the_admin_and_unlocks_the_account(client, alice, admin_user):
    for _ in range(5):
        sign_in(client, "alice", "wrong-password")
    assert sign_in(client, "alice", PASSWORD).status_code == 429

    admin = client.__class__()
    admin.force_login(admin_user)
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    row = re.search(r"<tr>.*?</tr>", listing.content.decode().split("<tbody>")[1], re.S).group(0)
    assert "alice" in row and "192.0.2.10" in row and "Locked Out" in row

    attempt = AccessAttempt.objects.get(username="alice")
    # Clearing expired attempts leaves a live lockout alone.
    changelist = "/admin/axes/accessattempt/"
    cleanup = admin.post(changelist, {"action": "cleanup_expired_attempts", "_selected_action": [attempt.pk]})
    assert cleanup.status_code == 302 and AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert sign_in(client, "alice", PASSWORD).status_code == 429

    confirm = admin.post(
        "/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"}
    )
    assert confirm.status_code == 302
    assert sign_in(client, "alice", PASSWORD).status_code == 302  # unlocked at once


def test_other_ways_in_still_work_with_throttling_on(client, alice, admin_user):
    # The API with a token, and with a session.
    _, key = api_token_create(user=alice, name="Reporting", expires_at=timezone.now() + dt.timedelta(days=1))
    assert client.get("/api/contracts/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    client.force_login(alice)
    assert client.get("/api/contracts/").status_code == 200
    client.logout()
    # The test client's login() passes a request, as django-axes needs.
    assert client.login(request=HttpRequest(), username="alice", password=PASSWORD)
    assert client.get(reverse("contracts:list")).status_code == 200
    client.logout()
    # The admin's own sign-in page.
    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302 and client.get("/admin/").status_code == 200


# --- Passwords ---------------------------------------------------------------------------------------


def test_an_eleven_character_password_is_refused_at_password_change(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Tq8#vWz3!pL", "new_password2": "Tq8#vWz3!pL"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    # The message is rendered with the field (crispy's invalid-feedback for new_password2).
    field = re.search(r'<div id="div_id_new_password2".*?</div>\s*</div>', page, re.S).group(0)
    assert "This password is too short. It must contain at least 12 characters." in field
    assert 'aria-invalid="true"' in field or "is-invalid" in field
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_twelve_characters_are_enough(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Tq8#vWz3!pLx", "new_password2": "Tq8#vWz3!pLx"},
    )
    assert response.status_code == 302


def test_every_demo_users_password_meets_the_validators(db):
    for username, first_name, last_name, *_ in demo_register.USERS:
        user = User(username=username, first_name=first_name, last_name=last_name, email=f"{username}@example.org")
        validate_password(demo_register.PASSWORD, user=user)  # raises ValidationError if any validator refuses


# --- Content-Security-Policy -------------------------------------------------------------------------


def _policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


EXPECTED_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}


@pytest.fixture
def page_urls(contract, alice, priya, admin_user):
    upload = SimpleUploadedFile("Signed.pdf", pdf_bytes())
    document = document_upload(contract=contract, kind="contract", upload=upload, by=priya)
    return {
        "login": (None, LOGIN),
        "home": (alice, "/"),
        "register list": (priya, reverse("contracts:list")),
        "contract detail": (alice, contract.get_absolute_url()),
        "supplier detail": (alice, contract.supplier.get_absolute_url()),
        "performance page": (alice, reverse("performance:contract", args=[contract.pk])),
        "meeting form": (alice, reverse("meetings:create", args=[contract.pk])),
        "escalations": (priya, reverse("escalations:list")),
        "notifications": (alice, reverse("notifications:list")),
        "htmx fragment": (alice, reverse("performance:kpi_results", args=[KpiFactory(contract=contract).pk])),
        "password change": (alice, reverse("accounts:password_change")),
        "not found": (alice, "/contracts/999999/"),
        "forbidden": (alice, reverse("contracts:create")),
        "admin": (admin_user, "/admin/"),
        "verify": (admin_user, reverse("accounts:verify")),
        "api": (alice, "/api/contracts/"),
        "download": (alice, document.get_download_url()),
        "health check": (None, "/healthz"),
    }


PAGE_TYPES = [
    "login",
    "home",
    "register list",
    "contract detail",
    "supplier detail",
    "performance page",
    "meeting form",
    "escalations",
    "notifications",
    "htmx fragment",
    "password change",
    "not found",
    "forbidden",
    "admin",
    "verify",
    "api",
    "download",
    "health check",
]


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_every_page_type_carries_the_content_security_policy(client, page_urls, page_type):
    user, url = page_urls[page_type]
    if user is not None:
        client.force_login(user)
    response = client.get(url, HTTP_HX_REQUEST="true" if page_type == "htmx fragment" else None)
    assert response.status_code in {200, 302, 403, 404}, (url, response.status_code)
    policy = _policy(response)
    assert policy == EXPECTED_POLICY
    assert not {"'unsafe-inline'", "'unsafe-eval'"} & set(policy["script-src"])


@pytest.mark.urls("tests.urls_boom")
def test_the_error_page_carries_the_content_security_policy_too(client, alice):
    client.raise_request_exception = False
    client.force_login(alice)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert _policy(response) == EXPECTED_POLICY


def test_the_lockout_page_carries_the_content_security_policy(client, alice):
    for _ in range(5):
        response = sign_in(client, "alice", "wrong-password")
    assert response.status_code == 429 and _policy(response) == EXPECTED_POLICY


def test_base_template_tells_htmx_to_inject_no_style_and_eval_nothing(client, alice):
    client.force_login(alice)
    page = client.get(reverse("contracts:list")).content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false, "allowEval": false}'>""" in page


# Anything the policy above refuses, found in a template's source.
INLINE_CODE = [
    (
        "inline <script>",
        re.compile(r"<script\b(?![^>]*\bsrc\s*=)(?![^>]*\btype\s*=\s*[\"']application/(?:ld\+)?json)", re.I),
    ),
    ("on* event handler", re.compile(r"(?<![\w:.-])on[a-z]+\s*=\s*[\"'{]", re.I)),
    ("hx-on attribute", re.compile(r"(?<![\w-])(?:data-)?hx-on\b", re.I)),
    ("javascript: URL", re.compile(r"javascript\s*:", re.I)),
    ("style attribute", re.compile(r"(?<![\w:.-])style\s*=\s*[\"'{]", re.I)),
    ("inline <style>", re.compile(r"<style\b", re.I)),
]


TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}", re.S)


def inline_code(text: str) -> list[tuple[int, str]]:
    """(line, kind) of each piece of inline script or style in a template's text, comments aside."""
    text = TEMPLATE_COMMENT.sub(lambda comment: "\n" * comment.group(0).count("\n"), text)
    found = []
    for kind, pattern in INLINE_CODE:
        for match in pattern.finditer(text):
            found.append((text.count("\n", 0, match.start()) + 1, kind))
    return sorted(found)


def test_the_template_scanner_finds_each_kind_of_inline_code():
    text = "\n".join(
        [
            '<script src="/static/js/a.js"></script>',
            '{{ data|json_script:"chart-data" }}<script type="application/json" id="x">{}</script>',
            "<script>alert(1)</script>",
            '<button onclick="go()">Go</button>',
            '<form hx-on::after-request="this.reset()">',
            '<a href="javascript:void(0)">x</a>',
            '<div class="x" style="width: 5%">',
            "<style>p { color: red }</style>",
            '<p>Carry on = fine, and a data-style="x" or data-onclick="y" is only data.</p>',
            '{# a comment may say <style> or onclick="x" #}{% comment %}',
            '<script>old()</script>{% endcomment %}<i style="x">',
        ]
    )
    assert inline_code(text) == [
        (3, "inline <script>"),
        (4, "on* event handler"),
        (5, "hx-on attribute"),
        (6, "javascript: URL"),
        (7, "style attribute"),
        (8, "inline <style>"),
        (11, "style attribute"),
    ]


def _template_files() -> list[Path]:
    base = Path(django_settings.BASE_DIR)
    folders = [Path(folder) for engine in django_settings.TEMPLATES for folder in engine["DIRS"]]
    folders += [path for path in base.glob("*/templates") if path.is_dir()]  # the project's apps
    return sorted({path for folder in folders for path in folder.rglob("*.html")})


def test_no_template_has_inline_script_event_handlers_or_style_attributes():
    files = _template_files()
    assert len(files) > 100
    base = Path(django_settings.BASE_DIR)
    problems = [
        f"{path.relative_to(base)}:{line}: {kind}"
        for path in files
        for line, kind in inline_code(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "Inline code the Content-Security-Policy would block (move it to static/):\n" + "\n".join(
        problems
    )


# --- Two-factor sign-in for the admin (django-otp) ----------------------------------------------------


def test_the_admin_needs_a_second_factor_by_default_in_production():
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_REQUIRE_2FA", "DJANGO_ADMIN_REQUIRE_2FA")}
    env |= {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "x" * 50}
    code = "import django; django.setup(); from django.conf import settings; print(settings.REQUIRE_2FA)"
    out = subprocess.run(  # noqa: S603 - this interpreter with fixed arguments
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=django_settings.BASE_DIR
    )
    assert out.stdout.strip() == "True"


def test_with_2fa_on_an_administrator_without_a_device_is_sent_to_set_one_up_and_refused(client, admin_user, settings):
    settings.REQUIRE_2FA = True
    client.force_login(admin_user)
    response = client.get("/admin/accounts/user/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/two-step/set-up/?next=%2Fadmin%2Faccounts%2Fuser%2F"
    assert "Scan this QR code" in response.content.decode()
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/accounts/user/").status_code == 302


def test_with_a_totp_device_and_a_valid_code_the_administrator_gets_in(client, admin_user, settings):
    settings.REQUIRE_2FA = True
    out = io.StringIO()
    call_command("admin_totp_enrol", "root", stdout=out)
    device = TOTPDevice.objects.get(user=admin_user)
    assert "otpauth://totp/Contract%20register%3Aroot?secret=" in out.getvalue()
    client.force_login(admin_user)
    verify = "/accounts/verify/?next=/admin/accounts/user/"
    with time_machine.travel(timezone.now(), tick=False) as clock:
        form = client.get(verify).content.decode()
        assert 'name="otp_token"' in form and "six-digit code" in form

        wrong = client.post(verify, {"otp_token": "000000" if device_code(device) != 0 else "111111"})
        assert wrong.status_code == 200 and "That code is not right" in wrong.content.decode()
        assert client.get("/admin/").status_code == 302

        clock.shift(dt.timedelta(seconds=2))  # django-otp waits a second after a wrong code
        right = client.post(verify, {"otp_token": f"{device_code(device):06d}", "next": "/admin/accounts/user/"})
        assert right.status_code == 302 and right["Location"] == "/admin/accounts/user/"
        assert client.get("/admin/").status_code == 200
        assert client.get("/admin/accounts/user/").status_code == 200
        # Once verified, the page only sends the administrator on, and never off the site.
        assert client.get("/accounts/verify/?next=https://evil.example/")["Location"] == "/"


def device_code(device) -> int:
    return totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)


def test_enrolment_is_for_active_administrators_only(alice, admin_user):
    with pytest.raises(CommandError, match="not an active administrator"):
        call_command("admin_totp_enrol", "alice", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no user"):
        call_command("admin_totp_enrol", "nobody", stdout=io.StringIO())
    call_command("admin_totp_enrol", "root", stdout=io.StringIO())
    call_command("admin_totp_enrol", "root", stdout=io.StringIO())  # again: replaces the device
    assert TOTPDevice.objects.filter(user=admin_user).count() == 1


def test_the_second_factor_is_not_asked_of_an_oco_who_did_not_opt_in(client, alice, settings):
    settings.REQUIRE_2FA = True
    client.force_login(alice)
    assert client.get(reverse("contracts:list")).status_code == 200
    assert client.get("/admin/").status_code == 302  # not staff: the admin's sign-in page, as before


# --- Uploads --------------------------------------------------------------------------------------------


@pytest.fixture
def stored_files(contract, alice, priya):
    upload = SimpleUploadedFile("Signed.pdf", pdf_bytes())
    document = document_upload(contract=contract, kind="contract", upload=upload, by=priya)
    meeting = MeetingFactory(contract=contract)
    meeting.minutes_file.save("m.pdf", SimpleUploadedFile("m.pdf", pdf_bytes("minutes")))
    meeting.minutes_file_name = "Minutes.pdf"
    meeting.save()
    activity = ActivityFactory(contract=contract)
    activity.attachment.save("a.pdf", SimpleUploadedFile("a.pdf", pdf_bytes("note")))
    activity.attachment_name = "Note.pdf"
    activity.save()
    return {
        "contract document": (document.file, document.get_download_url(), "Signed.pdf"),
        "meeting minutes": (meeting.minutes_file, reverse("meetings:minutes", args=[meeting.pk]), "Minutes.pdf"),
        "activity attachment": (
            activity.attachment,
            reverse("meetings:activity_attachment", args=[activity.pk]),
            "Note.pdf",
        ),
    }


@pytest.mark.parametrize("kind", ["contract document", "meeting minutes", "activity attachment"])
def test_an_upload_is_downloaded_as_an_attachment_never_sniffed(client, alice, stored_files, kind):
    _, url, filename = stored_files[kind]
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("kind", ["contract document", "meeting minutes", "activity attachment"])
def test_a_stored_file_is_not_found_by_its_storage_path(client, priya, stored_files, settings, kind):
    field_file, _, _ = stored_files[kind]
    assert Path(field_file.path).is_file() and Path(field_file.path).is_relative_to(settings.MEDIA_ROOT)
    client.force_login(priya)  # sees every contract, so only the path could refuse
    for url in (f"/media/{field_file.name}", f"/static/{field_file.name}", f"/{field_file.name}"):
        assert client.get(url).status_code == 404, url
