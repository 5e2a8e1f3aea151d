"""Query-string filters of the API. Choices of related objects are scoped to the user, so a
filter never confirms that an object outside their scope exists."""

import django_filters
from django.db.models import Q

from accounts.models import User
from contracts.models import Category, Contract, Escalation, Regime
from core import access
from meetings.models import Meeting
from performance.models import Kpi, KpiResult
from performance.ratings import Rating
from suppliers.models import Supplier


def _visible(model):
    def queryset(request):
        if request is None:  # the schema generator
            return model.objects.none()
        return access.visible(request.user, model)

    return queryset


def _named_on_visible(role: str):
    """The people named as `role` ("oco" or "sro") on a contract the user may see: any other id
    answers as one that does not exist."""

    def queryset(request):
        if request is None:  # the schema generator
            return User.objects.none()
        return User.objects.filter(pk__in=access.visible(request.user, Contract).values(f"{role}_id"))

    return queryset


class ContractFilter(django_filters.FilterSet):
    supplier = django_filters.ModelChoiceFilter(queryset=_visible(Supplier))
    category = django_filters.ModelChoiceFilter(queryset=Category.objects.all())
    oco = django_filters.ModelChoiceFilter(queryset=_named_on_visible("oco"), label="OCO")
    sro = django_filters.ModelChoiceFilter(queryset=_named_on_visible("sro"), label="SRO")
    end_date = django_filters.DateFromToRangeFilter(label="End date (end_date_after, end_date_before, inclusive)")
    regime = django_filters.ChoiceFilter(
        choices=Regime.choices, label="Regime in effect (recorded, or from the dates)", method="filter_regime"
    )

    class Meta:
        model = Contract
        fields = ["status", "supplier", "category", "kraljic_quadrant", "oco", "sro", "end_date", "regime"]

    def filter_regime(self, queryset, name, value):
        return queryset.in_regime(value)


class KpiFilter(django_filters.FilterSet):
    contract = django_filters.ModelChoiceFilter(queryset=_visible(Contract))

    class Meta:
        model = Kpi
        fields = ["contract"]


class KpiResultFilter(django_filters.FilterSet):
    kpi = django_filters.ModelChoiceFilter(queryset=_visible(Kpi))
    contract = django_filters.ModelChoiceFilter(field_name="kpi__contract", queryset=_visible(Contract))
    period = django_filters.DateFromToRangeFilter(
        field_name="period_start", label="Period start (period_after, period_before, inclusive)"
    )
    rating = django_filters.ChoiceFilter(
        choices=Rating.choices, method="filter_rating", label="Effective rating (the override when there is one)"
    )

    class Meta:
        model = KpiResult
        fields = ["kpi", "contract", "period", "rating"]

    def filter_rating(self, queryset, name, value):
        return queryset.filter(Q(rating_override=value) | Q(rating_override="", rating=value))


class MeetingFilter(django_filters.FilterSet):
    contract = django_filters.ModelChoiceFilter(queryset=_visible(Contract))

    class Meta:
        model = Meeting
        fields = ["contract", "status", "kind"]


class EscalationFilter(django_filters.FilterSet):
    contract = django_filters.ModelChoiceFilter(queryset=_visible(Contract))

    class Meta:
        model = Escalation
        fields = ["status", "severity", "source", "contract"]
