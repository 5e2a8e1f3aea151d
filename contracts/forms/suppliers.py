"""Merging two records of one supplier: which one to keep."""

from django import forms

from suppliers.models import Supplier


class SupplierMergeForm(forms.Form):
    keep = forms.TypedChoiceField(
        label="Which record do you keep?",
        coerce=int,
        widget=forms.RadioSelect,
        help_text="The other record's contracts, contacts and supplier information move to it; its page then "
        "leads here. Both histories say so.",
        error_messages={"required": "Choose the record to keep."},
    )

    def __init__(self, *args, first: Supplier, second: Supplier, **kwargs):
        super().__init__(*args, **kwargs)
        self.pair = {first.pk: first, second.pk: second}
        keep = self.fields["keep"]
        assert isinstance(keep, forms.TypedChoiceField)
        keep.choices = [(s.pk, f"{s.name} (supplier {s.pk})") for s in (first, second)]

    def survivor_and_merged(self) -> tuple[Supplier, Supplier]:
        keep = self.cleaned_data["keep"]
        other = next(pk for pk in self.pair if pk != keep)
        return self.pair[keep], self.pair[other]
