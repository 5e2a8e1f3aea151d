"""Checks on uploaded contract documents: by extension, by content, by size."""

import mimetypes
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.template.defaultfilters import filesizeformat

from core.archives import UnsafeArchive, zip_entry_head, zip_names
from core.exports import attachment


@dataclass(frozen=True)
class DocumentType:
    label: str
    content_type: str


PDF = DocumentType("PDF", "application/pdf")
DOCX = DocumentType("Word (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = DocumentType("Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ODT = DocumentType("OpenDocument text (ODT)", "application/vnd.oasis.opendocument.text")

BY_EXTENSION = {".pdf": PDF, ".docx": DOCX, ".xlsx": XLSX, ".odt": ODT}
ALLOWED_EXTENSIONS_TEXT = "PDF, DOCX, XLSX or ODT"


def _content_is(upload, doc_type: DocumentType) -> bool:
    upload.seek(0)
    if doc_type is PDF:
        # The PDF header may follow a little junk; readers accept it in the first 1 KB.
        return b"%PDF-" in upload.read(1024)
    names = zip_names(upload)
    if names is None or "[Content_Types].xml" not in names and doc_type is not ODT:
        return False
    if doc_type is DOCX:
        return "word/document.xml" in names
    if doc_type is XLSX:
        return "xl/workbook.xml" in names
    if doc_type is ODT:
        # The mimetype entry holds a few dozen bytes; only that much is ever read of it.
        expected = ODT.content_type.encode()
        return "mimetype" in names and zip_entry_head(upload, "mimetype", size=len(expected) + 8).strip() == expected
    return False


def validate_document(upload) -> DocumentType:
    """Return the document's type, or raise ValidationError saying what is wrong."""
    name = upload.name or ""
    extension = name[name.rfind(".") :].lower() if "." in name else ""
    doc_type = BY_EXTENSION.get(extension)
    if doc_type is None:
        raise ValidationError(
            f"“{name}” is not an accepted file type. Upload a {ALLOWED_EXTENSIONS_TEXT} file.", code="extension"
        )
    limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"“{name}” is {filesizeformat(upload.size)}; the limit is {filesizeformat(limit)}.", code="size"
        )
    try:
        matches = _content_is(upload, doc_type)
    except UnsafeArchive as error:
        raise ValidationError(f"“{name}” is refused: {error}.", code="archive") from None
    finally:
        upload.seek(0)
    if not matches:
        raise ValidationError(
            f"“{name}” does not contain a {doc_type.label} document, although its name says it does.",
            code="content",
        )
    return doc_type


def private_download(field_file, *, filename: str, content_type: str | None = None):
    """A stored upload as an attachment, never cached. Call it only after the caller has checked,
    through a scoped queryset, that the user may see the file's contract.

    With DOCUMENT_X_ACCEL_REDIRECT_PREFIX set (behind nginx), the answer has an empty body and an
    X-Accel-Redirect header; nginx sends the file from its `internal` location with these headers."""
    if not field_file:
        raise Http404("There is no file.")
    prefix = settings.DOCUMENT_X_ACCEL_REDIRECT_PREFIX
    if prefix:
        if not field_file.storage.exists(field_file.name):
            raise Http404("The file is missing.")
        response: HttpResponseBase = HttpResponse(content_type=content_type or _guessed_content_type(filename))
        # nginx expects the URI escaped; storage names are relative to MEDIA_ROOT.
        response["X-Accel-Redirect"] = prefix + quote(field_file.name)
    else:
        try:
            handle = field_file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404("The file is missing.") from None
        response = FileResponse(handle, content_type=content_type or _guessed_content_type(filename))
    # FileResponse would name the file after its storage path when not given one: it is given it here.
    attachment(response, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _guessed_content_type(filename: str) -> str:
    # As FileResponse guesses it, so both ways of sending a file give the same type.
    guessed, encoding = mimetypes.guess_type(filename)
    compressed: dict[str | None, str | None] = {
        "br": "application/x-brotli",
        "bzip2": "application/x-bzip",
        "compress": "application/x-compress",
    }
    compressed |= {"gzip": "application/gzip", "xz": "application/x-xz"}
    return compressed.get(encoding, guessed) or "application/octet-stream"
