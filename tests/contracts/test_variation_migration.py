"""Variations recorded before they were first proposed were all agreed: migrating keeps them agreed
(with their date), and a variation recorded afterwards starts as proposed. The round trip through the
migrations is the run's shared one (tests/migrating.py: `_variation_before_proposals`)."""

from datetime import date

import pytest

from contracts.models import Variation
from tests.migrating import round_trip  # noqa: F401  (a fixture: the database after the round trip)


@pytest.mark.slow
def test_existing_variations_become_agreed(round_trip):  # noqa: F811
    variation = Variation.objects.get(pk=round_trip["variations"]["variation"])
    assert (variation.status, variation.agreed_on) == (Variation.Status.AGREED, date(2026, 5, 1))
    assert Variation._meta.get_field("status").default == Variation.Status.PROPOSED
