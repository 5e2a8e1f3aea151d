"""Two-step sign-in with django-otp: an authenticator app (a TOTP device) and single-use recovery
codes (a static device). Who must give a code: see `required_for`; the middleware asks for it once a
session, accounts.views.two_factor holds the pages."""

from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def verified(user: User) -> bool:
    """Has the user given a second factor in this session? (django-otp's OTPMiddleware tells.)"""
    return getattr(user, "is_verified", lambda: False)()


def must_use(user: User) -> bool:
    """Whoever sees the whole register (the Procurement Unit, administrators) may not go without it, nor may
    a supplier's person (who signs in from outside the force)."""
    return user.sees_everything or user.is_supplier


def has_app(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def required_for(user: User) -> bool:
    """Must this signed-in user give a second factor before any page? Those who see everything, and
    anyone who enrolled an authenticator app (an OCO or SRO who opted in). A supplier's person always,
    whatever the setting."""
    return user.is_supplier or (settings.REQUIRE_2FA and (must_use(user) or has_app(user)))


def app_device_pending(*, user: User) -> TOTPDevice:
    """The authenticator app being set up: a new key, kept unconfirmed until its first code is right.
    Visiting the page again shows the same key (a phone half-way through scanning keeps working)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// link as an inline SVG QR code (no image request, no inline style: the
    Content-Security-Policy holds)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, border=4, dark="#000", light="#fff")
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code of your key for the authenticator app" ', 1)


def key_for_typing(device: TOTPDevice) -> str:
    """The key as the apps ask for it when it is typed in rather than scanned: base32, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def app_enrol(*, device: TOTPDevice) -> list[str]:
    """The pending device's code was right: it replaces any earlier app, and the user gets a fresh set of
    recovery codes (returned, to be shown once)."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_renew(user=device.user)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """A new set of single-use recovery codes; the earlier ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def two_factor_turn_off(*, user: User) -> None:
    """An OCO or SRO who opted in opts out: the app and the recovery codes go."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
