"""The supplier-level overview (key suppliers as the policy says): per supplier, its active contracts'
value and number, highest Kraljic quadrant, open escalations, Companies House status and the share of
its KPI results rated Good in the last twelve months. One query for a page of suppliers."""

from datetime import date, timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from contracts.models import Contract
from contracts.selectors.key_suppliers import with_key_supplier_figures
from performance.models import KpiResult
from performance.ratings import Rating
from suppliers.models import Supplier

# A KPI result's effective rating is its override when there is one.
GOOD = Q(rating_override=Rating.GOOD) | Q(rating_override="", rating=Rating.GOOD)
SHOWS = {"all": "With active contracts", "key": "Key suppliers", "suggested": "Suggested by the rule"}


def supplier_overview(*, today: date, show: str = "all") -> QuerySet:
    results = (
        KpiResult.objects.filter(
            kpi__contract__supplier=OuterRef("pk"),
            kpi__contract__status=Contract.Status.ACTIVE,
            period_end__gt=today - timedelta(days=365),
        )
        .order_by()
        .values("kpi__contract__supplier")
    )
    suppliers = (
        with_key_supplier_figures(Supplier.objects.all())
        .annotate(
            results_rated=Coalesce(
                Subquery(results.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
            ),
            results_good=Coalesce(
                Subquery(results.annotate(n=Count("pk", filter=GOOD)).values("n"), output_field=IntegerField()), 0
            ),
        )
        .select_related("company_record", "key_supplier__lead")
        .order_by("-active_value", "name")
    )
    if show == "key":
        return suppliers.filter(is_key=True)
    if show == "suggested":
        return suppliers.filter(Q(suggested_strategic=True) | Q(suggested_top_value=True) | Q(suggested_high_risk=True))
    return suppliers.filter(Q(active_contracts__gt=0) | Q(is_key=True))
