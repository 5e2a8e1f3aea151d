"""How many random examples a hypothesis test draws, by tier.

`make test` draws the number each test names (HYPOTHESIS_PROFILE unset or "full"); `make test-fast` sets
HYPOTHESIS_PROFILE=fast and draws a quarter of it (at least two), the quick answer while working. The
explicit @example cases run in both. tests/conftest.py loads the profile, which sets the same for a
test that names no number (hypothesis' 100, or 25 in the fast tier)."""

import os

from hypothesis import settings

FAST = os.environ.get("HYPOTHESIS_PROFILE", "full") == "fast"

settings.register_profile("full", deadline=None)
settings.register_profile("fast", deadline=None, max_examples=25)


def examples(count: int) -> int:
    """`count` random examples in the full run, a quarter of them (at least two) in the fast tier."""
    return max(2, count // 4) if FAST else count
