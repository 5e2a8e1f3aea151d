"""Fixtures of the exchange tests."""

import pytest
import time_machine


@pytest.fixture
def _pinned_clock():
    """The fuzz tests run at one moment: the dates in their examples are relative to it."""
    with time_machine.travel("2026-11-10 09:00 +00:00", tick=False):
        yield
