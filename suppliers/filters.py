import django_filters
from django import forms
from django.db.models import Q

from suppliers.identity import normalise_company_number, normalise_name, normalise_ppon
from suppliers.models import Supplier


class SupplierFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search", method="search", help_text="Name, Companies House or VAT number, or PPON"
    )
    status = django_filters.ChoiceFilter(
        choices=Supplier.Status.choices, empty_label="Any status", widget=forms.Select(attrs={"class": "form-select"})
    )
    key = django_filters.BooleanFilter(
        label="Key suppliers only",
        method="filter_key",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text="Designated by the Procurement Unit",
    )

    class Meta:
        model = Supplier
        fields = ["q", "status", "key"]

    def filter_key(self, queryset, name, value):
        return queryset.key() if value else queryset

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        compact = "".join(value.split()).upper()
        found = (
            Q(name__icontains=value)
            | Q(companies_house_number=normalise_company_number(value))
            | Q(vat_number__icontains=compact)
            | Q(ppon=normalise_ppon(value))
        )
        if normalised := normalise_name(value):
            found |= Q(normalised_name__contains=normalised)  # "Smith & Sons Ltd" finds "Smith and Sons Limited"
        return queryset.filter(found)
