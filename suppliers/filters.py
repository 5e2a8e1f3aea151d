import django_filters
from django import forms
from django.db.models import Q

from suppliers.models import Supplier


class SupplierFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search", help_text="Name, Companies House or VAT number")
    status = django_filters.ChoiceFilter(
        choices=Supplier.Status.choices, empty_label="Any status", widget=forms.Select(attrs={"class": "form-select"})
    )
    key = django_filters.BooleanFilter(
        label="Key suppliers only",
        method="filter_key",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text="At least one active strategic contract",
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
        return queryset.filter(
            Q(name__icontains=value) | Q(companies_house_number=compact) | Q(vat_number__icontains=compact)
        )
