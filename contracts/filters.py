import django_filters
from django import forms
from django.db.models import Q
from django.http import QueryDict

from accounts import roles
from accounts.models import User
from contracts.models import Category, Contract, Escalation
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


class EscalationFilter(django_filters.FilterSet):
    """The escalations list: open ones (open or in progress) unless another status is asked for."""

    UNRESOLVED = "unresolved"

    q = django_filters.CharFilter(label="Search", method="search")
    # One contract's escalations (the link from the contract page).
    contract = django_filters.NumberFilter(field_name="contract", widget=forms.HiddenInput)
    status = django_filters.ChoiceFilter(
        choices=[(UNRESOLVED, "Open or in progress"), *Escalation.Status.choices],
        empty_label="Any status",
        method="filter_status",
    )
    severity = django_filters.ChoiceFilter(choices=Escalation.Severity.choices, empty_label="Any severity")
    source = django_filters.ChoiceFilter(choices=Escalation.Source.choices, empty_label="Any source")
    owner = django_filters.ModelChoiceFilter(
        queryset=User.objects.none(), empty_label="Anyone", null_label="Nobody yet", label="Owner"
    )

    class Meta:
        model = Escalation
        fields = ["q", "contract", "status", "severity", "source", "owner"]

    def __init__(self, data=None, *args, **kwargs):
        if data is None or "status" not in data:
            # First visit: what still needs handling. "Any status" is an explicit empty choice.
            data = data.copy() if data is not None else QueryDict(mutable=True)
            data["status"] = self.UNRESOLVED
        super().__init__(data, *args, **kwargs)
        self.filters["owner"].queryset = User.objects.in_role(roles.PROCUREMENT)
        for name in ("status", "severity", "source", "owner"):
            self.filters[name].extra["widget"] = forms.Select(attrs={"class": "form-select"})

    def filter_status(self, queryset, name, value):
        if value == self.UNRESOLVED:
            return queryset.open()
        return queryset.filter(status=value)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(contract__reference__icontains=value)
            | Q(contract__title__icontains=value)
            | Q(contract__supplier__name__icontains=value)
            | Q(title__icontains=value)
        )
