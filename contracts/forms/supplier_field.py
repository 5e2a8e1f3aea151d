"""The contract form's supplier: a search box (a national register has tens of thousands of suppliers,
too many for a drop-down). The browser suggests names as one types (static/js/supplier_search.js asks
suppliers:search); the server reads back the name, "Name (Companies House number)" or the number."""

import re

from django import forms
from django.urls import reverse_lazy

from suppliers.models import Supplier
from suppliers.search import supplier_label

LABEL_WITH_NUMBER = re.compile(r"^(?P<name>.*?)\s*\((?P<number>[A-Z0-9]{8})\)$")


class SupplierSearchInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__(
            attrs={
                "autocomplete": "off",
                "data-search-url": reverse_lazy("suppliers:search"),
                "placeholder": "Start typing the supplier's name or Companies House number",
                **(attrs or {}),
            }
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}-options"
        return context

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        options_id = f"{(attrs or {}).get('id', 'id_' + name)}-options"
        return html + f'<datalist id="{options_id}"></datalist>'


class SupplierChoiceField(forms.ModelChoiceField):
    widget = SupplierSearchInput

    def __init__(self, queryset=None, **kwargs):
        kwargs.pop("limit_choices_to", None)
        super().__init__(queryset=Supplier.objects.all() if queryset is None else queryset, **kwargs)
        self.help_text = self.help_text or "Type a few letters and choose from the suppliers found."

    def _suppliers(self):
        assert self.queryset is not None  # set in __init__
        return self.queryset

    def prepare_value(self, value):
        if isinstance(value, Supplier):
            return supplier_label(value)
        if value not in (None, "") and str(value).isdigit():
            supplier = self._suppliers().filter(pk=value).first()
            return supplier_label(supplier) if supplier else value
        return value

    def to_python(self, value):
        text = " ".join(str(value or "").split())
        if not text:
            return None
        if "\x00" in text:  # no name holds one, and the database refuses it
            raise forms.ValidationError("Choose the supplier from the list as you type.")
        match = LABEL_WITH_NUMBER.match(text)
        number = match["number"] if match else (text.upper() if re.fullmatch(r"[A-Za-z0-9]{8}", text) else "")
        if number and (by_number := list(self._suppliers().filter(companies_house_number=number)[:2])):
            return by_number[0]
        if text.isdigit() and (by_pk := self._suppliers().filter(pk=int(text)).first()):
            return by_pk  # a form posted with the supplier's id (an older page, a test)
        namesakes = list(self._suppliers().filter(name__iexact=match["name"] if match else text)[:2])
        if len(namesakes) == 1:
            return namesakes[0]
        if namesakes:
            raise forms.ValidationError(
                "Several suppliers are called that: choose the one with its Companies House number from the list."
            )
        raise forms.ValidationError(
            f"No supplier is called “{text}”: choose one from the list as you type, or add the supplier first."
        )
