"""Finding 1 of issue 14, spreadsheet imports: an XLSX is read as a stream and reading stops at the
row limit; an XLSX that would inflate past what a spreadsheet holds is refused unread."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from exchange.models import ImportJob
from exchange.resources import COLUMNS
from exchange.services import import_run
from exchange.services import imports as services
from exchange.tasks import run_import_job
from tests.archive_bombs import BOMBS, zip_with_bomb

ROWS = 300_000


def _big_xlsx(rows: int) -> bytes:
    """A workbook of the template's headers and `rows` rows (a reference each), its sheet written
    by hand: openpyxl would take a minute to write it."""
    from openpyxl import Workbook

    template = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(list(COLUMNS))
    workbook.save(template)
    header = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{c}</t></is></c>' for i, c in enumerate(COLUMNS))
    body = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>C{n}</t></is></c></row>' for n in range(2, rows + 2))
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData><row r="1">{header}</row>{body}</sheetData></worksheet>'
    )
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = sheet.encode() if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item.filename, data)
    return out.getvalue()


def _preview(content: bytes, *, by, name="contracts.xlsx") -> ImportJob:
    job = services.import_job_create(upload=SimpleUploadedFile(name, content), by=by)
    run_import_job.apply(args=[job.pk], kwargs={"dry_run": True})
    job.refresh_from_db()
    return job


def test_xlsx_of_300000_rows_is_refused_at_the_row_limit_quickly_with_bounded_memory(priya, monkeypatch):
    # A lower limit keeps the test quick under tracemalloc (which slows Python several times); what
    # it shows is that reading stops there: the whole file took 12 s and 160 MB before the limit.
    # The time is this process's CPU time, so that other work on a busy machine does not count.
    monkeypatch.setattr(import_run, "MAX_ROWS", 5_000)
    content = _big_xlsx(ROWS)
    assert len(content) < 3 * 1024 * 1024
    tracemalloc.start()
    started = time.process_time()
    try:
        job = _preview(content, by=priya)
        elapsed = time.process_time() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert job.errors == [{"line": None, "column": "", "message": "The file has more than 5,000 rows."}]
    assert not job.can_confirm
    assert elapsed < 5
    assert peak < 50 * 1024 * 1024


def test_the_row_limit_counts_rows_as_they_are_read(priya, monkeypatch):
    monkeypatch.setattr(import_run, "MAX_ROWS", 3)
    assert _preview(_big_xlsx(3), by=priya).errors != [
        {"line": None, "column": "", "message": "The file has more than 3 rows."}
    ]
    assert _preview(_big_xlsx(4), by=priya).errors == [
        {"line": None, "column": "", "message": "The file has more than 3 rows."}
    ]
    csv_rows = ",".join(COLUMNS) + "\r\n" + "".join(f"C{n}\r\n" for n in range(4))
    assert _preview(csv_rows.encode(), by=priya, name="contracts.csv").errors == [
        {"line": None, "column": "", "message": "The file has more than 3 rows."}
    ]


def test_xlsx_import_that_would_inflate_to_a_gibibyte_is_refused_at_upload():
    entry, others = BOMBS["report.xlsx"]
    upload = SimpleUploadedFile("contracts.xlsx", zip_with_bomb(entry, others=others))
    started = time.process_time()
    with pytest.raises(ValidationError) as refused:
        services.validate_upload(upload)
    assert time.process_time() - started < 1
    assert refused.value.code == "archive"
    assert "would unpack to 1.0\xa0GB" in refused.value.messages[0]


def test_xlsx_import_whose_sheet_understates_its_size_stops_at_the_declared_size(priya):
    # The sheet says it holds 10 KB and inflates to 1 GiB: zipfile stops at 10 KB, the CRC fails.
    entry, others = BOMBS["report.xlsx"]
    content = zip_with_bomb(entry, others=others, declared=10_000)
    job = services.import_job_create(upload=SimpleUploadedFile("contracts.xlsx", content), by=priya)
    tracemalloc.start()
    started = time.process_time()
    try:
        run_import_job.apply(args=[job.pk], kwargs={"dry_run": True})
        elapsed = time.process_time() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    job.refresh_from_db()
    assert job.errors[0]["message"].startswith("The file cannot be read")
    assert elapsed < 2
    assert peak < 50 * 1024 * 1024
