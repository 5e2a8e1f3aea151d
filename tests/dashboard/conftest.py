"""The dashboards' shared world: a 40-contract portfolio built on a pinned day."""

import pytest
import time_machine

from tests import dashboard_portfolio as portfolio
from tests import factories

NOW = "2026-11-25 10:00 +00:00"


@pytest.fixture
def world(alice, bob, sam, priya):
    other_sro = factories.sro(username="nadia", is_budget_holder=False)
    sam.is_budget_holder = True
    sam.save()
    with time_machine.travel(NOW, tick=False):
        contracts = portfolio.build_portfolio(40, ocos=[alice, bob], sros=[sam, other_sro], recorder=priya)
    return contracts
