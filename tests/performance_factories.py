from datetime import date
from decimal import Decimal

import factory

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
