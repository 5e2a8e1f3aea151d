"""Finding 3 of issue 14: who may record supplier information is decided by `rules` (an SRO reads
only), and what the recorder is told names only the contracts they may see."""

from django.contrib.messages import get_messages
from django.urls import reverse

from suppliers.models import SupplierInformation
from tests import factories
from tests.suppliers.test_supplier_information import information_data


def test_sro_cannot_record_supplier_information(client, sam, contract):
    client.force_login(sam)
    url = reverse("escalations:supplier_information_create", args=[contract.supplier_id])
    assert client.get(url).status_code == 403
    assert client.post(url, information_data()).status_code == 403
    assert not SupplierInformation.objects.exists()
    page = client.get(reverse("suppliers:detail", args=[contract.supplier_id])).content.decode()
    assert "Financial and reputational information" in page  # read
    assert url not in page  # no button


def test_oco_confirmation_counts_only_their_own_contracts(client, alice, bob, priya, contract):
    supplier = contract.supplier
    factories.ContractFactory(reference="CON-BOB-1", supplier=supplier, oco=bob)
    factories.ContractFactory(reference="CON-BOB-2", supplier=supplier, oco=bob)
    client.force_login(alice)
    url = reverse("escalations:supplier_information_create", args=[supplier.pk])
    response = client.post(url, information_data())
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("Information recorded. 1 of your active contracts escalated to the Procurement Unit")
    assert "3" not in message and "CON-BOB" not in message
    # The Procurement Unit still hears of all three.
    assert supplier.contracts.filter(escalations__isnull=False).distinct().count() == 3


def test_oco_whose_contracts_are_not_active_learns_nothing_of_the_others(client, alice, bob, contract):
    supplier = contract.supplier
    contract.status = "expired"
    contract.save(update_fields=["status"])
    factories.ContractFactory(reference="CON-BOB-1", supplier=supplier, oco=bob)
    client.force_login(alice)
    url = reverse("escalations:supplier_information_create", args=[supplier.pk])
    response = client.post(url, information_data())
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Information recorded and passed to the Procurement Unit."
    ]
