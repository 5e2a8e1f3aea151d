import pytest
from django.urls import reverse

from suppliers.models import Supplier
from tests import factories


def supplier_data(**overrides):
    data = {
        "name": "Axon Public Safety UK Limited",
        "companies_house_number": "SC123456",
        "vat_number": "GB123456789",
        "status": "active",
        "website": "https://www.axon.example",
        "address": "1 High Street\nLondon",
        "notes": "",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-name": "Jo Bloggs",
        "contacts-0-role": "Account manager",
        "contacts-0-email": "jo@axon.example",
        "contacts-0-phone": "020 7946 0000",
    }
    data.update(overrides)
    return data


def test_procurement_adds_a_supplier_with_a_contact(client, priya):
    client.force_login(priya)
    response = client.post(reverse("suppliers:create"), supplier_data(companies_house_number="sc 123456"))
    supplier = Supplier.objects.get()
    assert response.status_code == 302
    assert supplier.companies_house_number == "SC123456"
    assert [c.name for c in supplier.contacts.all()] == ["Jo Bloggs"]


@pytest.mark.parametrize("number", ["SC1234567", "123456789", "S1234567", "ABC12345", "1234567A"])
def test_a_bad_companies_house_number_is_refused(client, priya, number):
    client.force_login(priya)
    response = client.post(reverse("suppliers:create"), supplier_data(companies_house_number=number))
    assert response.status_code == 200
    assert "8 characters" in response.context["form"].errors["companies_house_number"][0]
    assert not Supplier.objects.exists()


def test_a_bad_contact_saves_nothing(client, priya):
    client.force_login(priya)
    response = client.post(reverse("suppliers:create"), supplier_data(**{"contacts-0-email": "not-an-email"}))
    assert response.status_code == 200
    assert "A contact has a problem" in response.content.decode()
    assert not Supplier.objects.exists()


def test_supplier_list_searches_and_counts_visible_active_contracts(client, alice, bob, contract):
    factories.ContractFactory(supplier=contract.supplier, oco=bob)
    client.force_login(alice)
    response = client.get(reverse("suppliers:list"), {"q": contract.supplier.name[:8]})
    (row,) = response.context["object_list"]
    assert row == contract.supplier
    assert row.active_contracts == 1


def test_editing_a_supplier_is_in_its_history(client, priya):
    supplier = factories.SupplierFactory(name="Old Name Ltd")
    client.force_login(priya)
    data = supplier_data(name="New Name Ltd", companies_house_number=supplier.companies_house_number)
    data.update({"contacts-TOTAL_FORMS": "0"})
    assert client.post(reverse("suppliers:edit", args=[supplier.pk]), data).status_code == 302
    entries = client.get(reverse("suppliers:history", args=[supplier.pk])).context["entries"]
    assert entries[0].who == "Priya Patel"
    assert {(c.label, c.old, c.new) for c in entries[0].changes} >= {("Name", "Old Name Ltd", "New Name Ltd")}
