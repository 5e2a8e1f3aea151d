"""Fixtures of the contract lifecycle page tests."""

from datetime import date

import pytest
import time_machine

from contracts import services
from contracts.models import ExtensionOption
from tests import factories
from tests.contracts.lifecycle_helpers import end, save_saving, vary


@pytest.fixture
def _pinned_clock():
    """The lifecycle page tests run on 25 Nov 2026 (lifecycle_helpers.TODAY): their dates are relative to it."""
    with time_machine.travel("2026-11-25 10:00 +00:00", tick=False):
        yield


@pytest.fixture
def extendable(contract, priya):
    """Alice's contract (ends 31 Mar 2028) may run to 31 Mar 2030 with its extensions."""
    contract.extended_end_date = date(2030, 3, 31)
    return services.contract_save(contract=contract, by=priya)


@pytest.fixture
def objects(extendable, alice, sam, priya):
    contract = extendable
    option = ExtensionOption(contract=contract, length_months=12, decide_by=date(2027, 12, 31))
    option.full_clean()
    services.extension_option_save(option=option, by=priya)
    ended = services.contract_save(
        contract=factories.ContractFactory(reference="CON-ENDED", oco=alice, sro=sam), by=priya
    )
    return {
        "contract": contract,
        "variation": vary(contract, priya, "40000", agreed=None),  # proposed: it can be agreed
        "option": option,
        "saving": save_saving(contract, alice),
        "ending": end(ended, priya, ended_on=date(2026, 11, 1)),
    }
