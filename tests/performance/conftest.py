import pytest

from tests import performance_factories


class KpiFactory(performance_factories.KpiFactory):
    is_published = True


@pytest.fixture
def kpi(contract):
    """A published KPI on `contract`."""
    return KpiFactory(contract=contract, name="Calls answered within 20 seconds")
