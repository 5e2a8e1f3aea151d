"""Key suppliers: the figures a supplier is judged on, and the rule that suggests candidates.

The rule, written once (the supplier overview, the review round and the designation page read it): a
supplier is suggested as key when it has an active **strategic** contract, is among the top
`KEY_SUPPLIER_TOP_N` suppliers by active contract value, or is **high risk**: an active contract in the
bottleneck quadrant (high supply risk), an open high or critical escalation, or a concern at Companies
House."""

from typing import Any

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from contracts.models import Contract, Escalation, KeySupplier, Quadrant
from suppliers.models import CompanyRecord, Supplier

# Highest first: what a supplier's most demanding contract asks of the relationship.
QUADRANT_RANK = (Quadrant.STRATEGIC, Quadrant.BOTTLENECK, Quadrant.LEVERAGE, Quadrant.NON_CRITICAL)


def _active_contracts():
    return Contract.objects.active().filter(supplier=OuterRef("pk"))


def _active_value():
    total = _active_contracts().order_by().values("supplier").annotate(total=Sum("total_value")).values("total")
    return Coalesce(Subquery(total), Value(0), output_field=DecimalField(max_digits=14, decimal_places=2))


def with_key_supplier_figures(suppliers: QuerySet[Supplier]) -> QuerySet:
    """Each supplier with `active_value`, `active_contracts`, `highest_quadrant`, `open_escalations` and
    the rule's three signals (`suggested_strategic`, `suggested_top_value`, `suggested_high_risk`) and
    `is_key`, each a subquery: one query however many suppliers."""
    count = _active_contracts().order_by().values("supplier").annotate(n=Count("pk")).values("n")
    rank = Case(*(When(kraljic_quadrant=q, then=Value(i)) for i, q in enumerate(QUADRANT_RANK)), default=Value(9))
    highest = (
        _active_contracts()
        .exclude(kraljic_quadrant="")
        .annotate(rank=rank)
        .order_by("rank")
        .values("kraljic_quadrant")[:1]
    )
    open_escalations = (
        Escalation.objects.open()
        .filter(contract__supplier=OuterRef("pk"))
        .order_by()
        .values("contract__supplier")
        .annotate(n=Count("pk"))
        .values("n")
    )
    top = (
        Supplier.objects.annotate(value=_active_value())
        .filter(value__gt=0)
        .order_by("-value", "pk")
        .values("pk")[: settings.KEY_SUPPLIER_TOP_N]
    )
    high_risk = (
        Exists(_active_contracts().filter(kraljic_quadrant=Quadrant.BOTTLENECK))
        | Exists(
            Escalation.objects.open().filter(
                contract__supplier=OuterRef("pk"),
                contract__status=Contract.Status.ACTIVE,
                severity__in=[Escalation.Severity.HIGH, Escalation.Severity.CRITICAL],
            )
        )
        | Exists(CompanyRecord.objects.filter(supplier=OuterRef("pk")).exclude(concerns=[]))
    )
    return suppliers.annotate(
        active_value=_active_value(),
        active_contracts=Coalesce(Subquery(count, output_field=IntegerField()), 0),
        highest_quadrant=Subquery(highest),
        open_escalations=Coalesce(Subquery(open_escalations, output_field=IntegerField()), 0),
        suggested_strategic=Exists(_active_contracts().filter(kraljic_quadrant=Quadrant.STRATEGIC)),
        suggested_top_value=ExpressionWrapper(Q(pk__in=top), output_field=BooleanField()),
        suggested_high_risk=ExpressionWrapper(high_risk, output_field=BooleanField()),
        is_key=Exists(KeySupplier.objects.filter(supplier=OuterRef("pk"))),
    )


def suggestion_reasons(supplier: Any) -> list[str]:
    """The rule's reasons, in words, for a supplier read through `with_key_supplier_figures`."""
    reasons = []
    if supplier.suggested_strategic:
        reasons.append("an active strategic contract")
    if supplier.suggested_top_value:
        reasons.append(f"among the top {settings.KEY_SUPPLIER_TOP_N} by active contract value")
    if supplier.suggested_high_risk:
        reasons.append("high risk")
    return reasons


def key_supplier_candidates() -> QuerySet:
    """Suppliers the rule suggests that are not (yet) designated, highest value first."""
    return (
        with_key_supplier_figures(Supplier.objects.all())
        .filter(Q(suggested_strategic=True) | Q(suggested_top_value=True) | Q(suggested_high_risk=True))
        .filter(is_key=False)
        .order_by("-active_value", "name")
    )
