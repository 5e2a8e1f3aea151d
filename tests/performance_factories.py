from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from core.dates import add_months
from performance import services
from performance.models import Kpi
from performance.periods import Frequency
from performance.ratings import Direction
from tests.factories import ContractFactory


class KpiFactory(factory.django.DjangoModelFactory):
    """A monthly percentage KPI: 95 % target, Approaching within 5, Inadequate below 80."""

    class Meta:
        model = Kpi

    contract = factory.SubFactory(ContractFactory)
    name = factory.Sequence(lambda n: f"Calls answered within 20 seconds {n}")
    unit = Kpi.Unit.PERCENTAGE
    target = Decimal("95")
    direction = Direction.HIGHER
    tolerance = Decimal("5")
    inadequate_threshold = Decimal("80")
    frequency = Frequency.MONTHLY
    start_date = date(2026, 1, 1)


def kpi_with_two_results(*, contract, by, **fields) -> Kpi:
    """ "Vehicles available for duty", monthly from two months before last month: results of 96 and 91
    recorded by `by` for its first two months, last month's still due."""
    last_month = add_months(timezone.localdate().replace(day=1), -1)
    kpi = KpiFactory(
        contract=contract, name="Vehicles available for duty", start_date=add_months(last_month, -2), **fields
    )
    for period, actual in zip(kpi.periods(until=last_month)[:2], ("96", "91"), strict=True):
        services.kpi_result_record(kpi=kpi, period_start=period.start, actual=Decimal(actual), by=by)
    return kpi
