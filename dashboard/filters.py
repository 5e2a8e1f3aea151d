"""The filters across a whole dashboard and the lists behind its panels."""

import django_filters
from django import forms
from django.db.models import Q

from accounts.models import User
from contracts.models import Category, Contract, Quadrant

NOT_ASSESSED = "none"


class DashboardFilter(django_filters.FilterSet):
    """Category, OCO, SRO, supplier and Kraljic quadrant: applied to the contracts behind every panel."""

    category = django_filters.ModelChoiceFilter(queryset=Category.objects.all(), empty_label="Any category")
    oco = django_filters.ModelChoiceFilter(label="OCO", queryset=User.objects.none(), empty_label="Any OCO")
    sro = django_filters.ModelChoiceFilter(label="SRO", queryset=User.objects.none(), empty_label="Any SRO")
    # A free-text box, not a list: a shared service has tens of thousands of suppliers.
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
        self.filters["oco"].queryset = User.objects.ocos().order_by("last_name", "first_name")
        self.filters["sro"].queryset = User.objects.sros().order_by("last_name", "first_name")
        for name in ("category", "oco", "sro", "quadrant"):
            self.filters[name].extra["widget"] = forms.Select(attrs={"class": "form-select form-select-sm"})
        self.filters["supplier"].extra["widget"] = forms.TextInput(attrs={"class": "form-control form-control-sm"})

    def filter_supplier(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(supplier__name__icontains=value) | Q(supplier__companies_house_number=value.upper()))

    def filter_quadrant(self, queryset, name, value):
        return queryset.filter(kraljic_quadrant="" if value == NOT_ASSESSED else value)

    @property
    def active_filters(self) -> dict[str, str]:
        """The filters in use, for the links from each panel to its list (the same filters)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: self.data[name] for name in self.filters if self.data.get(name, "").strip()}
