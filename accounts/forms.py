from django import forms
from django_otp import devices_for_user


class VerifyForm(forms.Form):
    """The second factor: a code from an authenticator app enrolled for the user (a TOTP device)."""

    otp_token = forms.CharField(
        label="Six-digit code",
        max_length=6,
        help_text="From the authenticator app on your phone (for example Microsoft Authenticator).",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_otp_token(self) -> str:
        token = self.cleaned_data["otp_token"].strip()
        for device in devices_for_user(self.user, confirmed=True):
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                # django-otp waits longer after each wrong code (1, 2, 4, ... seconds).
                raise forms.ValidationError("Too many wrong codes in a row: wait a minute, then try the newest code.")
            if device.verify_token(token):
                self.device = device
                return token
        raise forms.ValidationError("That code is not right. Enter the code your app shows now.")
