"""The filters across a whole dashboard and the lists behind its panels."""

import django_filters
from django import forms

from contracts.filters import person_filter, suppliers_matching
from contracts.models import Category, Contract, Quadrant
from core.forms import QuickSelect

NOT_ASSESSED = "none"


class DashboardFilter(django_filters.FilterSet):
    """Category, OCO, SRO, supplier and Kraljic quadrant: applied to the contracts behind every panel."""

    category = django_filters.ModelChoiceFilter(queryset=Category.objects.all(), empty_label="Any category")
    # Free-text boxes, not lists: a shared service has thousands of OCOs and tens of thousands of
    # suppliers, and a list of them all would cost more than the whole dashboard.
    oco = django_filters.CharFilter(label="OCO", method="filter_person", help_text="Name or username")
    sro = django_filters.CharFilter(label="SRO", method="filter_person", help_text="Name or username")
    supplier = django_filters.CharFilter(
        label="Supplier", method="filter_supplier", help_text="Name or Companies House number"
    )
    quadrant = django_filters.ChoiceFilter(
        label="Kraljic quadrant",
        choices=[*Quadrant.choices, (NOT_ASSESSED, "Not assessed")],
        empty_label="Any quadrant",
        method="filter_quadrant",
    )

    class Meta:
        model = Contract
        fields = ["category", "oco", "sro", "supplier", "quadrant"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.person_notes: list[str] = []
        for name in ("category", "quadrant"):
            self.filters[name].extra["widget"] = QuickSelect(attrs={"class": "form-select form-select-sm"})
        for name in ("oco", "sro", "supplier"):
            self.filters[name].extra["widget"] = forms.TextInput(
                attrs={"class": "form-control form-control-sm", "placeholder": self.filters[name].extra["help_text"]}
            )

    def filter_supplier(self, queryset, name, value):
        return queryset.filter(supplier__in=suppliers_matching(value)) if value.strip() else queryset

    def filter_person(self, queryset, name, value):
        """The contracts whose OCO (or SRO) has this username, or a name containing the words."""
        return person_filter(self, queryset, name, value)

    def filter_quadrant(self, queryset, name, value):
        return queryset.filter(kraljic_quadrant="" if value == NOT_ASSESSED else value)

    @property
    def active_filters(self) -> dict[str, str]:
        """The filters in use, for the links from each panel to its list (the same filters)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: self.data[name] for name in self.filters if self.data.get(name, "").strip()}
