"""Inviting a supplier's contact: a single-use link valid 72 hours, a password of 12 characters or more,
then the authenticator app; the Procurement Unit suspends; a removed contact loses their account."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.http import HttpRequest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from suppliers.forms import SupplierContactFormSet, SupplierForm
from suppliers.services import supplier_save
from tests import factories

STRONG = "a long harbour lantern"


@pytest.fixture
def clock():
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def contact(contract):
    return factories.SupplierContactFactory(
        supplier=contract.supplier, name="Dana Field", email="dana@supplier.example"
    )


def _invite(client, by, contact, capture) -> str:
    client.force_login(by)
    with capture(execute=True):
        assert client.post(reverse("supplier_access:invite", args=[contact.pk])).status_code == 302
    return re.search(r"https?://\S+/supplier/welcome/\S+/", mail.outbox[-1].body).group(0)


def _path(link: str) -> str:
    return link[link.index("/supplier/") :]


def test_the_oco_invites_and_the_contact_enrols_with_a_password_and_an_app(
    client, alice, contact, clock, django_capture_on_commit_callbacks
):
    link = _invite(client, alice, contact, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == ["dana@supplier.example"]
    client.logout()
    short = client.post(_path(link), {"password1": "short words", "password2": "short words"})
    assert "at least 12 characters" in short.content.decode()
    response = client.post(_path(link), {"password1": STRONG, "password2": STRONG})
    user = User.objects.get(supplier_contact=contact)
    assert user.is_supplier and user.check_password(STRONG)
    # Before any page of the portal: set up the authenticator app.
    setup = reverse("accounts:two_factor_setup")
    assert client.get(response["Location"])["Location"].startswith(setup)
    client.get(setup)
    device = TOTPDevice.objects.get(user=user)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    client.post(setup, {"otp_token": f"{code:06d}", "next": reverse("portal:home")})
    assert client.get(reverse("portal:home")).status_code == 200


def test_the_link_works_once(client, alice, contact, clock, django_capture_on_commit_callbacks):
    link = _invite(client, alice, contact, django_capture_on_commit_callbacks)
    client.logout()
    client.post(_path(link), {"password1": STRONG, "password2": STRONG})
    client.logout()
    again = client.get(_path(link))
    assert again.status_code == 404 and "no longer works" in again.content.decode()


def test_the_link_expires_after_72_hours(client, priya, contact, clock, django_capture_on_commit_callbacks):
    link = _invite(client, priya, contact, django_capture_on_commit_callbacks)
    client.logout()
    clock.shift(dt.timedelta(hours=71, minutes=59))
    assert client.get(_path(link)).status_code == 200
    clock.shift(dt.timedelta(minutes=2))
    assert client.get(_path(link)).status_code == 404
    assert not User.objects.filter(supplier_contact=contact).exists()


def test_a_suspended_person_is_refused_the_link_and_sign_in(
    client, alice, priya, contact, clock, django_capture_on_commit_callbacks
):
    link = _invite(client, alice, contact, django_capture_on_commit_callbacks)
    client.logout()
    client.post(_path(link), {"password1": STRONG, "password2": STRONG})
    user = User.objects.get(supplier_contact=contact)
    second = _invite(
        client, alice, contact, django_capture_on_commit_callbacks
    )  # a new link (to reset a lost password, say)
    client.force_login(alice)
    assert client.post(reverse("supplier_access:suspend", args=[contact.pk])).status_code == 403  # not an OCO's call
    client.force_login(priya)
    client.post(reverse("supplier_access:suspend", args=[contact.pk]))
    user.refresh_from_db()
    assert not user.is_active
    client.logout()
    assert client.get(_path(second)).status_code == 404
    assert not client.login(request=HttpRequest(), username=user.username, password=STRONG)
    client.force_login(alice)
    client.post(reverse("supplier_access:invite", args=[contact.pk]))
    assert len(mail.outbox) == 2  # refused: no third e-mail


def test_only_the_oco_of_one_of_its_contracts_or_procurement_invites(client, bob, sam, contact, other_contract):
    client.force_login(bob)  # bob's contract is with another supplier: he cannot see this one
    assert client.post(reverse("supplier_access:invite", args=[contact.pk])).status_code == 404
    client.force_login(sam)  # the SRO sees the supplier but does not invite
    assert client.post(reverse("supplier_access:invite", args=[contact.pk])).status_code == 403


def test_a_removed_contact_loses_their_account(contract, priya, supplier1):
    contact = supplier1.supplier_contact
    supplier = contract.supplier
    prefix = "contacts"
    data = {
        "name": supplier.name,
        "companies_house_number": supplier.companies_house_number,
        "status": supplier.status,
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "1",
        f"{prefix}-0-id": str(contact.pk),
        f"{prefix}-0-name": contact.name,
        f"{prefix}-0-DELETE": "on",
    }
    form = SupplierForm(data, instance=supplier)
    contacts = SupplierContactFormSet(data, instance=supplier, prefix=prefix)
    assert form.is_valid(), form.errors
    assert contacts.is_valid(), contacts.errors
    supplier_save(form=form, contacts=contacts, by=priya)
    supplier1.refresh_from_db()
    assert not supplier1.is_active
