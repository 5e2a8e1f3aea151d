from __future__ import annotations

from typing import TYPE_CHECKING

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms

from notifications.models import EmailSetting, Kind, NotificationPreference

if TYPE_CHECKING:
    # Annotations only: notifications sits beside accounts, not above it (the layers contract).
    from accounts.models import User


def _about(label: str) -> str:
    # "Meeting coming up" -> "meeting coming up"; leaves "KPI ..." alone.
    if len(label) > 1 and label[1].islower():
        label = label[0].lower() + label[1:]
    return f"E-mail me about: {label}"


class NotificationPreferencesForm(forms.Form):
    """One checkbox per kind of notification: e-mail, or in the app only."""

    delivery = forms.ChoiceField(
        label="When to e-mail me",
        choices=EmailSetting.Delivery.choices,
        widget=forms.RadioSelect,
        initial=EmailSetting.Delivery.DIGEST,
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        setting = EmailSetting.objects.filter(user=user).first()
        if setting is not None:
            self.fields["delivery"].initial = setting.delivery
        chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
        for kind, label in Kind.choices:
            self.fields[self.field_name(kind)] = forms.BooleanField(
                label=_about(label), required=False, initial=chosen.get(kind, True)
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        kinds = [name for name in self.fields if name != "delivery"]
        self.helper.layout = Layout(
            Fieldset("How to e-mail me", "delivery"),
            Fieldset("E-mail as well as in the app", *kinds),
        )

    @staticmethod
    def field_name(kind: str) -> str:
        return f"email_{kind}"

    def email_choices(self) -> dict[str, bool]:
        return {kind: self.cleaned_data[self.field_name(kind)] for kind in Kind.values}
