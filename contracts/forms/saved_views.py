"""Naming the register's current filters as a saved view."""

from django import forms

from contracts.models import SavedView


class SavedViewForm(forms.Form):
    name = forms.CharField(
        max_length=SavedView._meta.get_field("name").max_length,
        help_text="For example “Ending this year”. A view of yours with the same name is replaced.",
    )
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)
    shared = forms.BooleanField(required=False, label="Share with everyone (each sees only the contracts they may see)")

    def __init__(self, *args, can_share: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_share:
            del self.fields["shared"]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the view a name.")
        return name
