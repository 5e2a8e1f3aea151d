"""The permission matrix: every object URL, every persona, exactly the intended answer."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts import services
from tests import factories
from tests.conftest import pdf_bytes

PERSONAS = ["anonymous", "alice", "bob", "sam", "priya", "admin_user"]

# url name -> expected status for each persona, in PERSONAS order.
# alice: the contract's OCO; bob: another OCO; sam: the contract's SRO.
MATRIX = {
    "contracts:detail": [302, 200, 404, 200, 200, 200],
    "contracts:edit": [302, 200, 404, 403, 200, 200],
    "contracts:history": [302, 200, 404, 200, 200, 200],
    "contracts:document_upload": [302, 200, 404, 403, 200, 200],
    "contracts:document_download": [302, 200, 404, 200, 200, 200],
    "suppliers:detail": [302, 200, 404, 200, 200, 200],
    "suppliers:edit": [302, 403, 404, 403, 200, 200],
    "suppliers:history": [302, 200, 404, 200, 200, 200],
    "contracts:create": [302, 403, 403, 403, 200, 200],
    "suppliers:create": [302, 403, 403, 403, 200, 200],
    "contracts:list": [302, 200, 200, 200, 200, 200],
    "suppliers:list": [302, 200, 200, 200, 200, 200],
}

CASES = [(name, persona, statuses[i]) for name, statuses in MATRIX.items() for i, persona in enumerate(PERSONAS)]


def _url(name, contract, document):
    if name == "contracts:document_download":
        return reverse(name, args=[contract.pk, document.pk])
    if name.startswith("contracts:") and name not in ("contracts:create", "contracts:list"):
        return reverse(name, args=[contract.pk])
    if name.startswith("suppliers:") and name not in ("suppliers:create", "suppliers:list"):
        return reverse(name, args=[contract.supplier_id])
    return reverse(name)


@pytest.mark.parametrize(("name", "persona", "expected"), CASES, indirect=["persona"])
def test_each_persona_gets_the_intended_answer(client, name, persona, expected, contract, other_contract, priya):
    document = services.document_upload(
        contract=contract, kind="contract", upload=SimpleUploadedFile("c.pdf", pdf_bytes()), by=priya
    )
    if persona is not None:
        client.force_login(persona)
    response = client.get(_url(name, contract, document))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


def test_an_oco_never_sees_another_ocos_contract_in_lists(client, alice, contract, other_contract):
    client.force_login(alice)
    page = client.get(reverse("contracts:list")).content.decode()
    assert "CON-ALICE" in page
    assert "CON-BOB" not in page
    searched = client.get(reverse("contracts:list"), {"q": "CON-BOB"})
    assert list(searched.context["object_list"]) == []
    assert searched.context["totals"]["count"] == 0
    suppliers = client.get(reverse("suppliers:list")).content.decode()
    assert contract.supplier.name in suppliers
    assert other_contract.supplier.name not in suppliers


def test_supplier_page_lists_only_the_contracts_the_user_may_see(client, alice, contract, bob):
    factories.ContractFactory(reference="CON-BOB-SAME-SUPPLIER", supplier=contract.supplier, oco=bob)
    client.force_login(alice)
    page = client.get(reverse("suppliers:detail", args=[contract.supplier_id])).content.decode()
    assert "CON-ALICE" in page
    assert "CON-BOB-SAME-SUPPLIER" not in page


def test_an_oco_cannot_post_to_another_ocos_contract(client, bob, contract):
    client.force_login(bob)
    response = client.post(reverse("contracts:edit", args=[contract.pk]), {"description": "hijack"})
    assert response.status_code == 404
    contract.refresh_from_db()
    assert contract.description != "hijack"


def test_an_oco_edits_only_operational_fields(client, alice, contract):
    client.force_login(alice)
    response = client.post(
        reverse("contracts:edit", args=[contract.pk]),
        {"description": "New scope", "cost_centre": "CC42", "operational_notes": "Monthly call", "total_value": "1"},
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.description == "New scope"
    assert contract.operational_notes == "Monthly call"
    assert contract.total_value != 1  # not an operational field: ignored


def test_an_sro_cannot_upload_a_document(client, sam, contract):
    client.force_login(sam)
    response = client.post(
        reverse("contracts:document_upload", args=[contract.pk]),
        {"kind": "contract", "file": SimpleUploadedFile("c.pdf", pdf_bytes())},
    )
    assert response.status_code == 403
    assert contract.documents.count() == 0


def test_a_deactivated_user_loses_access(client, alice, contract):
    client.force_login(alice)
    alice.is_active = False
    alice.save()
    response = client.get(reverse("contracts:detail", args=[contract.pk]))
    assert response.status_code == 302
