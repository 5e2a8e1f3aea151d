import django_filters
from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from accounts import roles
from accounts.models import User
from contracts.models import Category, Contract, Escalation, Regime
from core.forms import QuickSelect, QuickTextInput
from suppliers.identity import normalise_company_number
from suppliers.models import Supplier


class DateRangeWidget(django_filters.widgets.RangeWidget):
    def __init__(self, attrs=None):
        super().__init__(attrs={"type": "date", **(attrs or {})})


class ListedChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """A short list's choices read with one plain query: Django reads them through `queryset.iterator()`,
    which on PostgreSQL opens a server-side cursor (DECLARE, FETCH and CLOSE: three round trips)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ListedChoiceIterator


class ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ListedModelChoiceField


def people_matching(value: str):
    """Users with this username, or whose names contain every word of `value`."""
    matches = Q()
    for word in value.split():
        matches &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return User.objects.filter(Q(username__iexact=value.strip()) | matches)


def no_one_matches(value: str) -> str:
    """“No one matches ‘Jmaes’. Did you mean James Smith?”: said when a name filter finds nobody, with the
    closest names of the people who may be OCO or SRO (so that an all-zero page is not taken as true)."""
    from difflib import get_close_matches

    names: dict[str, str] = {}
    people = User.objects.filter(groups__name__in=[roles.OCO, roles.SRO]).distinct()
    for first, last, username in people.values_list("first_name", "last_name", "username"):
        full = f"{first} {last}".strip() or username
        for key in {full, first, last, username} - {""}:
            names.setdefault(key.casefold(), full)
    close = get_close_matches(value.strip().casefold(), list(names), n=6, cutoff=0.6)
    suggestions = list(dict.fromkeys(names[key] for key in close))[:3]
    message = f"No one matches “{value.strip()}”."
    if suggestions:
        message += " Did you mean " + " or ".join(suggestions) + "?"
    return message


def person_filter(filterset, queryset, name: str, value: str):
    """The contracts whose OCO (or SRO) matches `value`; a note on the filter set when nobody does."""
    if not value.strip():
        return queryset
    people = people_matching(value)
    if not people.exists():
        filterset.person_notes.append(f"{filterset.filters[name].label}: {no_one_matches(value)}")
    return queryset.filter(**{f"{name}__in": people})


def suppliers_matching(value: str):
    """Suppliers whose name contains `value`, or with it as their Companies House number."""
    value = value.strip()
    return Supplier.objects.filter(Q(name__icontains=value) | Q(companies_house_number=normalise_company_number(value)))


class ContractFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search", help_text="Reference, title or supplier")
    status = django_filters.ChoiceFilter(choices=Contract.Status.choices, empty_label="Any status")
    # Free-text boxes, not lists: a shared service has tens of thousands of suppliers and thousands of
    # OCOs, and a list of every one on each page costs seconds.
    supplier = django_filters.CharFilter(
        label="Supplier", method="filter_supplier", help_text="Name or Companies House number"
    )
    category = ListedModelChoiceFilter(queryset=Category.objects.all(), empty_label="Any category")
    oco = django_filters.CharFilter(label="OCO", method="filter_person", help_text="Name or username")
    sro = django_filters.CharFilter(label="SRO", method="filter_person", help_text="Name or username")
    # The regime in effect: recorded, or following from the dates (Contract.regime_in_effect).
    regime = django_filters.ChoiceFilter(
        choices=Regime.choices, empty_label="Any regime", label="Regime", method="filter_regime"
    )
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
        fields = ["q", "status", "supplier", "category", "oco", "sro", "regime", "end_date", "total_value"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.person_notes: list[str] = []
        for name in ("status", "category", "regime"):
            self.filters[name].extra["widget"] = QuickSelect(attrs={"class": "form-select"})
        for name in ("supplier", "oco", "sro"):
            self.filters[name].extra["widget"] = QuickTextInput(
                attrs={"class": "form-control", "placeholder": self.filters[name].extra["help_text"]}
            )

    @classmethod
    def query_of(cls, data: QueryDict) -> str:
        """The query string of the filters and sort in `data`, without paging, format or anything else."""
        kept = QueryDict(mutable=True)
        names = {"sort"} | {
            f"{name}{suffix}" for name in cls.Meta.fields for suffix in ("", "_after", "_before", "_min", "_max")
        }
        for key in sorted(names & set(data)):
            values = [value.strip() for value in data.getlist(key) if value.strip()]
            if values:
                kept.setlist(key, values)
        return kept.urlencode()

    def applied_count(self) -> int:
        """How many filters the request narrows the list by (a range counts once)."""
        data = self.data
        return sum(
            1
            for name in self.Meta.fields
            if any(
                (data.get(key) or "").strip()
                for key in (name, f"{name}_after", f"{name}_before", f"{name}_min", f"{name}_max")
            )
        )

    def filter_supplier(self, queryset, name, value):
        return queryset.filter(supplier__in=suppliers_matching(value)) if value.strip() else queryset

    def filter_regime(self, queryset, name, value):
        return queryset.in_regime(value)

    def filter_person(self, queryset, name, value):
        return person_filter(self, queryset, name, value)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # The suppliers as a subquery, not a join: each side uses its trigram index (migration 0016)
        # and the planner estimates the matches from the index's statistics.
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(title__icontains=value)
            | Q(supplier__in=Supplier.objects.filter(name__icontains=value).values("pk"))
        )


class EscalationFilter(django_filters.FilterSet):
    """The escalations list: open ones (open or in progress) unless another status is asked for."""

    UNRESOLVED = "unresolved"
    OVERDUE = "overdue"

    q = django_filters.CharFilter(label="Search", method="search")
    # One contract's escalations (the link from the contract page).
    contract = django_filters.NumberFilter(field_name="contract", widget=forms.HiddenInput)
    status = django_filters.ChoiceFilter(
        choices=[
            (UNRESOLVED, "Open or in progress"),
            (OVERDUE, "Overdue: not answered by its respond-by date"),
            *Escalation.Status.choices,
        ],
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
        if value == self.OVERDUE:
            return queryset.overdue(today=timezone.localdate())
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
