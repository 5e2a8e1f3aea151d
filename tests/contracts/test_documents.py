"""Contract documents: checked by type, content and size; versioned; served only through a view."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.models import ContractDocument
from tests.conftest import docx_bytes, pdf_bytes


def upload(client, contract, name, data, kind="contract"):
    return client.post(
        reverse("contracts:document_upload", args=[contract.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, data), "description": "Signed copy"},
    )


def test_oco_uploads_a_pdf_and_downloads_it(client, alice, contract):
    client.force_login(alice)
    response = upload(client, contract, "Signed contract.pdf", pdf_bytes("signed"))
    assert response.status_code == 302
    document = contract.documents.get()
    assert (document.version, document.is_current, document.uploaded_by) == (1, True, alice)
    assert "Signed contract" not in document.file.name  # stored under a random name
    download = client.get(document.get_download_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes("signed")
    assert 'filename="Signed contract.pdf"' in download["Content-Disposition"]
    assert download["Content-Type"] == "application/pdf"


def test_versions_rise_and_one_is_current_per_kind(client, alice, contract):
    client.force_login(alice)
    upload(client, contract, "v1.pdf", pdf_bytes("1"))
    upload(client, contract, "v2.docx", docx_bytes())
    upload(client, contract, "schedule.pdf", pdf_bytes("s"), kind="schedule")
    rows = list(contract.documents.order_by("kind", "version").values_list("kind", "version", "is_current"))
    assert rows == [("contract", 1, False), ("contract", 2, True), ("schedule", 1, True)]
    page = client.get(contract.get_absolute_url()).content.decode()
    assert "v2.docx" in page and "Earlier versions (1)" in page


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "does not contain a PDF document"),
        ("virus.exe", b"MZ\x90\x00\x03" + b"\x00" * 200, "is not an accepted file type"),
        ("notes.txt", b"hello", "is not an accepted file type"),
        ("fake.docx", pdf_bytes(), "does not contain a Word (DOCX) document"),
        ("big.pdf", pdf_bytes() + b"\x00" * (30 * 1024 * 1024), "the limit is 25"),
    ],
    ids=["exe-renamed-pdf", "exe", "txt", "pdf-renamed-docx", "30MB"],
)
def test_bad_uploads_are_refused_with_a_message_and_nothing_is_saved(client, alice, contract, name, data, message):
    client.force_login(alice)
    response = upload(client, contract, name, data)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(message in e for e in errors), errors
    assert "was not uploaded" in response.content.decode()
    assert ContractDocument.objects.count() == 0


def test_a_document_of_another_contract_is_not_served_under_this_one(client, alice, priya, contract, other_contract):
    client.force_login(priya)
    upload(client, other_contract, "bob.pdf", pdf_bytes())
    bobs = other_contract.documents.get()
    client.force_login(alice)
    assert client.get(reverse("contracts:document_download", args=[contract.pk, bobs.pk])).status_code == 404
    assert client.get(bobs.get_download_url()).status_code == 404
