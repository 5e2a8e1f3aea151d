"""The demo register's documents: a signed contract, as a small generated PDF, for the largest
active contracts (and the PDF writer the other demo modules' attachments use)."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from contracts import services
from contracts.models import Contract, ContractDocument

DOCUMENTED_CONTRACTS = 10


def _pdf_text(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"({escaped})".encode("cp1252")


def pdf(heading: str, lines: list[str]) -> bytes:
    """A minimal but complete one-page A4 PDF 1.4 (Helvetica, WinAnsi text)."""
    stream = b"BT /F2 16 Tf 56 780 Td " + _pdf_text(heading) + b" Tj /F1 11 Tf 16 TL T* T*"
    for line in lines:
        stream += b" " + _pdf_text(line) + b" Tj T*"
    stream += b" ET"
    font = "<< /Type /Font /Subtype /Type1 /BaseFont /{} /Encoding /WinAnsiEncoding >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
        font.format("Helvetica").encode(),
        font.format("Helvetica-Bold").encode(),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return pdf


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _contract_pdf(contract: Contract) -> bytes:
    extended = contract.extended_end_date
    extension = f" (extension options to {_long_date(extended)})" if extended else ""
    return pdf(
        f"Contract {contract.reference}",
        [
            contract.title,
            "",
            f"Between the Chief Constable and {contract.supplier.name}",
            f"Term: {_long_date(contract.start_date)} to {_long_date(contract.end_date)}{extension}",
            f"Total value: £{contract.total_value:,.0f} (annual value £{contract.annual_value:,.0f})",
            f"Procurement route: {contract.get_procurement_route_display()}",
            f"Notice period: {contract.notice_period_days} days",
            "",
            "A demonstration document written by the seed_demo command. It is not a real contract.",
        ],
    )


def seed_documents(*, references: list[str], by: User) -> None:
    """The signed contract of the largest active contracts, each once."""
    contracts = (
        Contract.objects.filter(reference__in=references, status=Contract.Status.ACTIVE)
        .select_related("supplier", "oco")
        .order_by("-total_value")[:DOCUMENTED_CONTRACTS]
    )
    for contract in contracts:
        if contract.documents.exists():
            continue
        upload = SimpleUploadedFile(
            f"{contract.reference}-signed-contract.pdf", _contract_pdf(contract), content_type="application/pdf"
        )
        services.document_upload(
            contract=contract,
            kind=ContractDocument.Kind.CONTRACT,
            upload=upload,
            description="Signed contract",
            by=contract.oco or by,
        )
