"""Fixtures of the contract lifecycle page tests."""

import pytest
import time_machine

from tests.contracts.lifecycle_helpers import PINNED, lifecycle_objects, make_extendable


@pytest.fixture
def _pinned_clock():
    """The lifecycle page tests run on 25 Nov 2026 (lifecycle_helpers.TODAY): their dates are relative to it."""
    with time_machine.travel(PINNED, tick=False):
        yield


@pytest.fixture
def extendable(contract, priya):
    """Alice's contract (ends 31 Mar 2028) may run to 31 Mar 2030 with its extensions."""
    return make_extendable(contract, by=priya)


@pytest.fixture
def objects(extendable, alice, sam, priya):
    return lifecycle_objects(extendable, alice=alice, sam=sam, priya=priya)
