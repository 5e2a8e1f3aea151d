"""Scoping beyond the status codes: lists and supplier pages show only the contracts one may see,
a refused post changes nothing, an OCO's edit keeps to the operational fields, a deactivated user
is signed out. (Who gets which answer on each URL is tests/core/test_url_matrix.py's; the smaller
matrix that was here is a subset of it.)"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tests.conftest import pdf_bytes


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
