"""Finding 1 of issue 14: an uploaded archive is checked without inflating it. A 1 MB ODT, DOCX or
XLSX whose entry inflates to 1 GiB is refused in under a second, the check using under 50 MB."""

import time
import tracemalloc
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.documents import validate_document
from contracts.forms.register import DocumentUploadForm
from meetings.forms import DocumentField as MeetingDocumentField
from performance.forms.kpis import EvidenceField
from performance.forms.tracking import DocumentField as TrackingDocumentField
from tests.archive_bombs import BOMBS, ODT_TYPE, zip_with_bomb
from tests.contracts.test_documents import upload

LIMIT_SECONDS = 1.0
LIMIT_BYTES = 50 * 1024 * 1024


@contextmanager
def cheaply():
    """What runs inside takes under LIMIT_SECONDS and at most LIMIT_BYTES of memory at its peak."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        yield
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < LIMIT_SECONDS
    assert peak < LIMIT_BYTES


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    return {name: zip_with_bomb(entry, others=others) for name, (entry, others) in BOMBS.items()}


@pytest.mark.parametrize("name", list(BOMBS))
def test_archive_bomb_is_refused_in_under_a_second_with_under_50_mb(bombs, name):
    data = bombs[name]
    assert len(data) < 1.1 * 1024 * 1024  # about 1 MB, which inflates to 1 GiB
    with cheaply(), pytest.raises(ValidationError) as refused:
        validate_document(SimpleUploadedFile(name, data))
    assert refused.value.code == "archive"
    assert "would unpack to 1.0\xa0GB" in refused.value.messages[0]


def test_archive_whose_directory_understates_an_entry_is_read_no_further_than_needed():
    # The mimetype entry says it holds 39 bytes and inflates to 1 GiB: only its head is read.
    data = zip_with_bomb("mimetype", others={"content.xml": b"<c/>"}, declared=len(ODT_TYPE))
    with cheaply(), pytest.raises(ValidationError, match="does not contain a OpenDocument text"):
        validate_document(SimpleUploadedFile("report.odt", data))


def test_archive_bomb_refused_by_the_document_upload_page(client, alice, contract, bombs):
    client.force_login(alice)
    response = upload(client, contract, "report.odt", bombs["report.odt"])
    assert response.status_code == 200
    assert "“report.odt” is refused: it would unpack to 1.0\xa0GB" in response.content.decode()
    assert not contract.documents.exists()


@pytest.mark.parametrize(
    "clean",
    [
        pytest.param(lambda f: DocumentUploadForm({"kind": "contract"}, {"file": f}).errors["file"], id="documents"),
        pytest.param(lambda f: MeetingDocumentField().clean(f), id="minutes-and-log-attachments"),
        pytest.param(lambda f: EvidenceField().clean(f), id="kpi-evidence"),
        pytest.param(lambda f: TrackingDocumentField().clean(f), id="mi-reports"),
    ],
)
def test_archive_bomb_refused_by_every_upload_path(bombs, clean):
    upload_file = SimpleUploadedFile("report.docx", bombs["report.docx"])
    try:
        errors = clean(upload_file)
    except ValidationError as error:
        errors = error.messages
    assert any("would unpack to 1.0\xa0GB" in str(e) for e in errors)


def test_archive_with_too_many_entries_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for n in range(5001):
            archive.writestr(f"word/media/{n}.xml", "")
    with pytest.raises(ValidationError, match="it holds 5,003 files"):
        validate_document(SimpleUploadedFile("many.docx", buffer.getvalue()))


def test_a_real_odt_is_still_accepted_and_a_wrong_mimetype_refused():
    import io
    import zipfile

    def odt(mimetype: bytes) -> SimpleUploadedFile:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("mimetype", mimetype)
            archive.writestr("content.xml", "<office:document-content/>")
        return SimpleUploadedFile("minutes.odt", buffer.getvalue())

    assert validate_document(odt(ODT_TYPE)).label == "OpenDocument text (ODT)"
    with pytest.raises(ValidationError, match="does not contain"):
        validate_document(odt(b"application/vnd.oasis.opendocument.spreadsheet"))
