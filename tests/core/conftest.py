"""Fixtures of the core tests: the form fuzz tests' pinned clock and world."""

from datetime import date

import pytest
import time_machine

from tests.core.fuzz_world import NOW, World


@pytest.fixture
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(contract, alice, sam, priya, other_contract) -> World:
    contract.extended_end_date = date(2030, 3, 31)
    contract.save()
    return World(contract=contract, alice=alice, sam=sam, priya=priya, other_contract=other_contract)
