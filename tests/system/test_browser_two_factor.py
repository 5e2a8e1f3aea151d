"""In a real Chromium (issue 14, finding 6): a Procurement officer signs in, sets up an authenticator app
from the QR page, signs out, signs in with password and code, and uses a recovery code once."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.conftest import sign_in

pytestmark = pytest.mark.browser


def app_code(device: TOTPDevice) -> str:
    """What the phone's app would show now, from the device's key."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{value:06d}"


def sign_out(page) -> None:
    page.get_by_role("button", name="Priya Patel").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def verify_with(page, code: str) -> None:
    expect(page.get_by_role("heading", name="Verify it is you")).to_be_visible()
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Verify").click()


def test_a_procurement_officer_sets_up_the_app_and_signs_in_with_it(live_server, page, priya, settings):
    settings.REQUIRE_2FA = True
    dashboard = page.get_by_role("heading", name="Procurement dashboard", level=1)
    # The server runs in this process: shifting the clock gives the app its next code (a code works once).
    with time_machine.travel(timezone.now(), tick=True) as clock:
        sign_in(page, live_server, "priya")
        expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
        expect(page.get_by_role("img", name="QR code of your key for the authenticator app")).to_be_visible()
        device = TOTPDevice.objects.get(user=priya, confirmed=False)
        page.get_by_label("Six-digit code").fill(app_code(device))
        page.get_by_role("button", name="Turn on two-step sign-in").click()

        expect(page.get_by_text("These codes are shown only now")).to_be_visible()
        codes = [
            code for code in page.locator(".recovery-codes li").all_inner_texts() if re.fullmatch(r"[a-z2-7]{8}", code)
        ]
        assert len(codes) == 10
        page.get_by_role("link", name="I have kept my codes").click()
        expect(dashboard).to_be_visible()
        sign_out(page)

        clock.shift(dt.timedelta(seconds=31))
        sign_in(page, live_server, "priya")
        verify_with(page, "123456" if app_code(device) != "123456" else "654321")
        expect(page.get_by_text("That code is not right")).to_be_visible()
        clock.shift(dt.timedelta(seconds=2))  # django-otp waits after a wrong code
        verify_with(page, app_code(device))
        expect(dashboard).to_be_visible()
        sign_out(page)

        sign_in(page, live_server, "priya")
        verify_with(page, codes[0])
        expect(dashboard).to_be_visible()
        expect(page.get_by_role("alert")).to_contain_text("You used a recovery code: 9 left")
        sign_out(page)

        clock.shift(dt.timedelta(seconds=5))
        sign_in(page, live_server, "priya")
        verify_with(page, codes[0])
        expect(page.get_by_text("That code is not right")).to_be_visible()
        page.goto(live_server.url + "/contracts/")
        expect(page.get_by_role("heading", name="Verify it is you")).to_be_visible()  # still asked
