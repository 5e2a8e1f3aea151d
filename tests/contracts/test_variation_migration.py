"""Variations recorded before they were first proposed were all agreed: migrating keeps them agreed
(with their date), and a variation recorded afterwards starts as proposed."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.models import Variation
from tests import factories
from tests.migrating import migrate

BEFORE = ("contracts", "0019_key_suppliers")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_existing_variations_become_agreed():
    user = factories.UserFactory()
    contract = factories.ContractFactory()
    try:
        executor = migrate([BEFORE])
        old_variation = executor.loader.project_state(BEFORE).apps.get_model("contracts", "Variation")
        old = old_variation.objects.create(
            contract_id=contract.pk,
            number=1,
            agreed_on=date(2026, 5, 1),
            description="Two more sites",
            reason="New custody suite",
            value_change=Decimal("1000"),
            approved_by_id=user.pk,
            recorded_by_id=user.pk,
        )
    finally:
        migrate()
    variation = Variation.objects.get(pk=old.pk)
    assert (variation.status, variation.agreed_on) == (Variation.Status.AGREED, date(2026, 5, 1))
    assert Variation._meta.get_field("status").default == Variation.Status.PROPOSED
