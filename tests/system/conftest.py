"""The slow tier's fixtures."""

import pytest

from tests import conftest


@pytest.fixture(scope="session")
def browser():
    """tests/conftest.py's Chromium, launched once per worker for all the browser tests rather than once
    for each module (each test still gets a fresh context: the `page` fixture)."""
    yield from conftest.browser.__wrapped__()
