import re

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import password_reset

APP_CODE = re.compile(r"^\d{6}$")
TOO_FAST = "Too many wrong codes in a row: wait a minute, then try the newest code."


def _code_field(label: str, help_text: str, max_length: int) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class VerifyForm(forms.Form):
    """The second step of signing in: the code the authenticator app shows now, or one of the user's
    recovery codes (each works once)."""

    otp_token = _code_field(
        "Code",
        "The six-digit code your authenticator app shows now, or one of your recovery codes.",
        max_length=20,
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_otp_token(self) -> str:
        token = "".join(self.cleaned_data["otp_token"].split()).lower()
        # A six-digit code is the app's; anything else a recovery code. Trying each kind only on its own
        # devices keeps a mistyped code from slowing down the other kind (django-otp's throttling).
        kind = TOTPDevice if APP_CODE.match(token) else StaticDevice
        for device in devices_for_user(self.user, confirmed=True):
            if not isinstance(device, kind):
                continue
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                # django-otp waits longer after each wrong code (1, 2, 4, ... seconds).
                raise forms.ValidationError(TOO_FAST)
            if device.verify_token(token):  # a recovery code is used up here
                self.device = device
                return token
        raise forms.ValidationError("That code is not right. Enter the code your app shows now, or a recovery code.")


class SetupForm(forms.Form):
    """The first code of an authenticator app being set up: proves the app holds the key."""

    otp_token = _code_field("Six-digit code", "The code your authenticator app shows for the contract register.", 6)

    def __init__(self, device: TOTPDevice, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_otp_token(self) -> str:
        token = "".join(self.cleaned_data["otp_token"].split())
        allowed, _ = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(TOO_FAST)
        if not (APP_CODE.match(token) and self.device.verify_token(token)):
            raise forms.ValidationError("That code is not right. Enter the six-digit code your app shows now.")
        return token


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending at most PASSWORD_RESET_PER_HOUR e-mails an hour for one address typed
    in and for one account. The page says the same whatever happens: whether the address is known, the
    account active, or the limit reached."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unsent: list[tuple[tuple, dict]] = []

    def send_mail(self, *args, **kwargs):
        # Kept until the answer has gone (accounts.views.PasswordResetView): an address with an account
        # must not answer slower, by the mail server's time, than one without.
        self.unsent.append((args, kwargs))

    def send_unsent(self) -> None:
        for args, kwargs in self.unsent:
            super().send_mail(*args, **kwargs)
        self.unsent.clear()

    def get_users(self, email):
        if not password_reset.allow(f"address:{email.strip().casefold()}"):
            return
        for user in super().get_users(email):  # active accounts with a usable password and this address
            if password_reset.allow(f"account:{user.pk}"):
                yield user
