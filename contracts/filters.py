import django_filters
from django import forms
from django.db.models import Q

from accounts.models import User
from contracts.models import Category, Contract
from suppliers.models import Supplier


class DateRangeWidget(django_filters.widgets.RangeWidget):
    def __init__(self, attrs=None):
        super().__init__(attrs={"type": "date", **(attrs or {})})


class ContractFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search", help_text="Reference, title or supplier")
    status = django_filters.ChoiceFilter(choices=Contract.Status.choices, empty_label="Any status")
    supplier = django_filters.ModelChoiceFilter(queryset=Supplier.objects.none(), empty_label="Any supplier")
    category = django_filters.ModelChoiceFilter(queryset=Category.objects.all(), empty_label="Any category")
    oco = django_filters.ModelChoiceFilter(label="OCO", queryset=User.objects.none(), empty_label="Any OCO")
    sro = django_filters.ModelChoiceFilter(label="SRO", queryset=User.objects.none(), empty_label="Any SRO")
    end_date = django_filters.DateFromToRangeFilter(label="Ends between", widget=DateRangeWidget())
    total_value = django_filters.RangeFilter(
        label="Total value (£)", widget=django_filters.widgets.RangeWidget(attrs={"inputmode": "numeric"})
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("reference", "reference"),
            ("title", "title"),
            ("supplier__name", "supplier"),
            ("status", "status"),
            ("end_date", "end_date"),
            ("total_value", "total_value"),
            ("oco__last_name", "oco"),
        ),
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Contract
        fields = ["q", "status", "supplier", "category", "oco", "sro", "end_date", "total_value"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["supplier"].queryset = Supplier.objects.visible_to(user).order_by("name")
        ocos, sros = User.objects.ocos(), User.objects.sros()
        if not user.sees_everything:
            # Only the owners of contracts this user can see.
            visible = Contract.objects.visible_to(user)
            ocos = ocos.filter(pk__in=visible.values("oco"))
            sros = sros.filter(pk__in=visible.values("sro"))
        self.filters["oco"].queryset = ocos
        self.filters["sro"].queryset = sros
        for name in ("status", "supplier", "category", "oco", "sro"):
            self.filters[name].extra["widget"] = forms.Select(attrs={"class": "form-select"})

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value) | Q(title__icontains=value) | Q(supplier__name__icontains=value)
        )
