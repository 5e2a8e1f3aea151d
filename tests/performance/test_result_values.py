"""A result's value as people read it (performance.charts.format_value): the same for equal values,
however many trailing zeros were stored, and in the KPI's own unit."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from performance.charts import format_value
from performance.models import Kpi


@pytest.mark.parametrize(
    ("unit", "values", "shown"),
    [
        (Kpi.Unit.PERCENTAGE, ("97.50", "97.5"), "97.5%"),
        (Kpi.Unit.PERCENTAGE, ("100.00", "100"), "100%"),
        (Kpi.Unit.DAYS, ("1.00", "1"), "1 day"),
        (Kpi.Unit.DAYS, ("2.50", "2.5"), "2.5 days"),
        (Kpi.Unit.COUNT, ("1250.00", "1250"), "1,250"),
        (Kpi.Unit.POUNDS, ("1250.50", "1250.5"), "£1,250.50"),
        (Kpi.Unit.YES_NO, ("1.00", "1"), "Yes"),
        (Kpi.Unit.YES_NO, ("0.00", "0"), "No"),
    ],
)
def test_equal_values_read_the_same_in_the_kpis_unit(unit, values, shown):
    kpi = SimpleNamespace(unit=unit)
    assert [format_value(kpi, Decimal(value)) for value in values] == [shown, shown]


def test_the_same_value_reads_in_each_kpis_own_unit():
    value = Decimal("1")
    shown = [format_value(SimpleNamespace(unit=unit), value) for unit in (Kpi.Unit.PERCENTAGE, Kpi.Unit.HOURS)]
    assert shown + [format_value(SimpleNamespace(unit=Kpi.Unit.YES_NO), value)] == ["1%", "1 hour", "Yes"]


def test_no_value_is_a_dash():
    assert format_value(SimpleNamespace(unit=Kpi.Unit.PERCENTAGE), None) == "—"
