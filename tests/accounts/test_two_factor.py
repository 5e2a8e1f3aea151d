"""Two-step sign-in (issue 14, finding 6): with REQUIRE_2FA on, whoever sees the whole register gives a
second factor once a session before any page; OCOs and SROs may opt in; recovery codes work once."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor

SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:verify")


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.REQUIRE_2FA = True


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def code(device: TOTPDevice) -> str:
    """What the authenticator app shows now."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{value:06d}"


def set_up_app(client, clock) -> list[str]:
    """Through the set-up page, as a user does: returns the recovery codes shown once."""
    client.get(SETUP)
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(SETUP, {"otp_token": code(device)}, follow=True)
    assert "Your authenticator app is set up" in response.content.decode()
    clock.shift(dt.timedelta(seconds=31))  # the next code: django-otp refuses a code used once
    return re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())


def new_session(client, user):
    client.logout()
    client.force_login(user)


@pytest.mark.parametrize(
    "url", [reverse("contracts:list"), reverse("dashboard:procurement"), reverse("lifecycle:handover")]
)
def test_a_procurement_officer_with_a_password_alone_reaches_no_page(client, priya, url):
    client.force_login(priya)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next={url.replace('/', '%2F')}"


def test_nor_the_api_with_the_session(client, priya, clock):
    client.force_login(priya)
    assert client.get("/api/contracts/").status_code == 401
    set_up_app(client, clock)
    assert client.get("/api/contracts/").status_code == 200


def test_staff_and_superusers_are_asked_too_but_not_an_oco_without_an_app(client, admin_user, alice):
    client.force_login(admin_user)
    assert client.get(reverse("contracts:list"))["Location"].startswith(SETUP)
    new_session(client, alice)
    assert client.get(reverse("contracts:list")).status_code == 200


def test_the_setting_off_asks_nobody(client, priya, settings):
    settings.REQUIRE_2FA = False
    client.force_login(priya)
    assert client.get(reverse("contracts:list")).status_code == 200


def test_before_the_second_factor_one_may_still_sign_out_and_open_public_pages(client, priya):
    client.force_login(priya)
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("accounts:password_reset")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_setting_up_shows_a_qr_code_inline_and_a_key_and_needs_a_right_code(client, priya, clock):
    client.force_login(priya)
    page = client.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(user=priya, confirmed=False)
    assert '<svg role="img" aria-label="QR code' in page  # no image request: the CSP holds
    assert two_factor.key_for_typing(device) in page
    assert client.get(SETUP).content.decode().count(two_factor.key_for_typing(device)) == 1  # the same key again

    wrong = client.post(SETUP, {"otp_token": "000000" if code(device) != "000000" else "111111"})
    assert "That code is not right" in wrong.content.decode()
    assert client.get(reverse("contracts:list")).status_code == 302

    clock.shift(dt.timedelta(seconds=2))  # django-otp waits after a wrong code
    right = client.post(SETUP, {"otp_token": code(device), "next": "/contracts/"})
    assert right["Location"] == f"{reverse('accounts:recovery_codes')}?next=%2Fcontracts%2F"
    shown = client.get(right["Location"]).content.decode()
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", shown)
    assert len(codes) == 10 and "shown only now" in shown
    assert set(codes) == set(StaticToken.objects.filter(device__user=priya).values_list("token", flat=True))
    again = client.get(reverse("accounts:recovery_codes")).content.decode()
    assert not any(each in again for each in codes) and "You have 10 unused recovery codes" in again
    assert client.get(reverse("contracts:list")).status_code == 200  # verified for this session


def test_the_next_session_asks_for_the_apps_code_once(client, priya, clock):
    client.force_login(priya)
    set_up_app(client, clock)
    new_session(client, priya)
    assert client.get(reverse("contracts:list"))["Location"] == f"{VERIFY}?next=%2Fcontracts%2F"
    device = TOTPDevice.objects.get(user=priya)
    response = client.post(VERIFY, {"otp_token": code(device), "next": "/contracts/"})
    assert response["Location"] == "/contracts/"
    assert client.get(reverse("dashboard:procurement")).status_code == 200


def test_a_recovery_code_works_once(client, priya, clock):
    client.force_login(priya)
    codes = set_up_app(client, clock)
    new_session(client, priya)
    used = client.post(VERIFY, {"otp_token": codes[0].upper()}, follow=True)
    assert "You used a recovery code: 9 left" in used.content.decode()
    assert client.get(reverse("contracts:list")).status_code == 200

    new_session(client, priya)
    clock.shift(dt.timedelta(seconds=5))
    again = client.post(VERIFY, {"otp_token": codes[0]})
    assert again.status_code == 200 and "That code is not right" in again.content.decode()
    assert client.get(reverse("contracts:list")).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client, priya, clock):
    client.force_login(priya)
    old = set_up_app(client, clock)
    fresh = client.post(reverse("accounts:recovery_codes"), follow=True).content.decode()
    new = re.findall(r"<li>([a-z2-7]{8})</li>", fresh)
    assert len(new) == 10 and not set(new) & set(old)
    new_session(client, priya)
    assert "not right" in client.post(VERIFY, {"otp_token": old[1]}).content.decode()
    clock.shift(dt.timedelta(seconds=5))
    assert client.post(VERIFY, {"otp_token": new[1]}).status_code == 302


def test_someone_with_only_the_password_cannot_replace_the_app(client, priya, clock):
    client.force_login(priya)
    set_up_app(client, clock)
    new_session(client, priya)  # an attacker with the password
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert client.post(SETUP, {"otp_token": "123456"})["Location"].startswith(VERIFY)
    assert client.post(reverse("accounts:recovery_codes"))["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=priya).count() == 1


def test_an_oco_may_opt_in_and_out(client, alice, clock):
    client.force_login(alice)
    assert "Off." in client.get(reverse("accounts:two_factor")).content.decode()
    set_up_app(client, clock)
    new_session(client, alice)
    assert client.get(reverse("contracts:list"))["Location"].startswith(VERIFY)
    client.post(VERIFY, {"otp_token": code(TOTPDevice.objects.get(user=alice))})
    assert "On." in client.get(reverse("accounts:two_factor")).content.decode()

    assert client.post(reverse("accounts:two_factor_off")).status_code == 302
    new_session(client, alice)
    assert client.get(reverse("contracts:list")).status_code == 200


@pytest.mark.parametrize("name", ["priya", "admin_user"])
def test_the_procurement_unit_and_administrators_may_not_turn_it_off(client, db, request, name, clock):
    persona = request.getfixturevalue(name)
    client.force_login(persona)
    set_up_app(client, clock)
    assert client.post(reverse("accounts:two_factor_off")).status_code == 403
    assert TOTPDevice.objects.filter(user=persona, confirmed=True).exists()
    assert "Turn off" not in client.get(reverse("accounts:two_factor")).content.decode()


def test_the_verify_page_never_sends_anyone_off_the_site(client, priya, clock):
    client.force_login(priya)
    set_up_app(client, clock)
    new_session(client, priya)
    device = TOTPDevice.objects.get(user=priya)
    response = client.post(VERIFY, {"otp_token": code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_verify_page_without_an_app_offers_to_set_one_up(client, alice):
    client.force_login(alice)
    page = client.get(VERIFY + "?next=/contracts/").content.decode()
    assert "No authenticator app is set up" in page and f'href="{SETUP}?next=%2Fcontracts%2F"' in page
    client.post(VERIFY, {"otp_token": "123456"})
    assert client.get(reverse("contracts:list")).status_code == 200  # not asked: alice did not opt in
