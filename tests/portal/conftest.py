from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from performance.models import MiReport
from tests import factories
from tests.performance_factories import KpiFactory


@pytest.fixture
def supplier1(contract):
    """A supplier's person of `contract`'s supplier (alice's contract)."""
    user = factories.supplier_user(username="supplier1", first_name="Sue", last_name="Plier")
    factories.SupplierContactFactory(
        supplier=contract.supplier, user=user, name="Sue Plier", email="sue@supplier.example"
    )
    return user


@pytest.fixture
def supplier2(other_contract):
    """A supplier's person of `other_contract`'s supplier (bob's)."""
    user = factories.supplier_user(username="supplier2", first_name="Sid", last_name="Other")
    factories.SupplierContactFactory(supplier=other_contract.supplier, user=user, name="Sid Other")
    return user


def sign_in_verified(client, user) -> None:
    """Signed in, with the second factor given (django-otp's session key, as after a right code)."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def mi_report_due(contract, *, by, label="November 2026") -> MiReport:
    return MiReport.objects.create(
        contract=contract,
        period_label=label,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        expected_by=date(2026, 12, 15),
        recorded_by=by,
    )


@pytest.fixture
def three_kpis(contract):
    return [
        KpiFactory(contract=contract, name=name, target=Decimal("95"))
        for name in ("Calls answered in 20 seconds", "Repairs on time", "Invoices right first time")
    ]
