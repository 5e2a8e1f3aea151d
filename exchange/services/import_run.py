"""Spreadsheet imports, the worker side: preview a file (a dry run) or import it all-or-nothing.

Called by exchange.tasks; it queues nothing, so the tasks module can import it at the top."""

import csv
import io
from collections.abc import Callable, Generator
from contextlib import closing
from typing import Any

import tablib
from django.db import connection, connections, transaction
from django.utils import timezone
from import_export.results import Result, RowResult

from exchange.models import ImportJob
from exchange.resources import COLUMNS, REQUIRED_COLUMNS, ContractResource
from exchange.services import invoice_import
from exchange.services.xlsx_rows import xlsx_rows
from suppliers.selectors import likely_matches

MAX_ROWS = 50_000
PROGRESS_EVERY = 250


class TooManyRows(Exception):
    """The file has more rows than an import takes: found while reading, before the rest is read."""


def _csv_rows(handle) -> Generator[list]:
    text = handle.read().decode("utf-8-sig")
    yield from csv.reader(io.StringIO(text))


def dataset_read(job: ImportJob) -> tablib.Dataset:
    """The file's rows under its headers (lower case); TooManyRows as soon as there are more than
    MAX_ROWS rows that are not blank (or twice as many counting blank ones), without reading further."""
    dataset = tablib.Dataset()
    with (
        job.file.open("rb") as handle,
        closing(_csv_rows(handle) if job.format == ImportJob.Format.CSV else xlsx_rows(handle)) as rows,
    ):  # closing: the workbook is closed at once when reading stops early
        header = next(rows, None)
        if header is None:
            return dataset
        dataset.headers = [str(h or "").strip().lower() for h in header]
        width, filled = len(dataset.headers), 0
        for number, row in enumerate(rows, start=1):
            if any(str(cell).strip() for cell in row if cell is not None):
                filled += 1
            if filled > MAX_ROWS:
                raise TooManyRows(f"The file has more than {MAX_ROWS:,} rows.")
            if number > 2 * MAX_ROWS:
                raise TooManyRows(
                    f"The file has more than {2 * MAX_ROWS:,} rows, counting empty ones: delete the empty rows."
                )
            dataset.append((row + [""] * width)[:width])
    return dataset


def _drop_blank_rows(dataset: tablib.Dataset) -> list[int]:
    """Spreadsheets often end with empty rows; keep the line number of each row that is left."""
    lines, kept = [], tablib.Dataset(headers=dataset.headers)
    for index, row in enumerate(dataset):
        if any(str(cell).strip() for cell in row if cell is not None):
            kept.append(row)
            lines.append(index + 2)  # the header is line 1
    dataset.wipe()
    dataset.headers = kept.headers
    for row in kept:
        dataset.append(row)
    return lines


def _nul_errors(dataset: tablib.Dataset, lines: list[int]) -> list[dict[str, Any]]:
    """PostgreSQL keeps no NUL character (\\0) in text: a header or cell holding one is refused by line and
    column, before any other check could repeat its text in a message."""
    message = "This {} holds a NUL character (\\0), which cannot be stored: remove it and upload the file again."
    headers = [str(h) for h in dataset.headers or []]
    errors = [
        {"line": 1, "column": h.replace("\0", ""), "message": message.format("header")} for h in headers if "\0" in h
    ]
    for line, row in zip(lines, dataset, strict=True):
        for column, cell in zip(headers, row, strict=False):
            if isinstance(cell, str) and "\0" in cell:
                errors.append({"line": line, "column": column.replace("\0", ""), "message": message.format("cell")})
    return errors


def _header_errors(headers: list[str]) -> list[dict[str, Any]]:
    errors = [
        {"line": 1, "column": column, "message": "This column is missing: download the template for the headers."}
        for column in REQUIRED_COLUMNS
        if column not in headers
    ]
    errors += [
        {"line": 1, "column": header, "message": "This column is not one of the template's."}
        for header in headers
        if header and header not in COLUMNS
    ]
    return errors


def _result_errors(result: Result, lines: list[int]) -> list[dict[str, Any]]:
    errors = []
    for row in result.invalid_rows:
        line = lines[row.number - 1]
        for column, messages in row.error_dict.items():
            for message in messages:
                errors.append({"line": line, "column": "" if column == "__all__" else column, "message": str(message)})
    for number, row_errors in result.row_errors():
        for error in row_errors:
            errors.append({"line": lines[number - 1], "column": "", "message": str(error.error)})
    for error in result.base_errors:
        errors.append({"line": None, "column": "", "message": str(error.error)})
    return sorted(errors, key=lambda e: (e["line"] or 0, e["column"]))


ACTIONS = {RowResult.IMPORT_TYPE_NEW: "new", RowResult.IMPORT_TYPE_UPDATE: "update", RowResult.IMPORT_TYPE_SKIP: "skip"}


def _progress_writer(job: ImportJob, total: int) -> Callable[[int], None]:
    """Progress is written on a connection of its own, so the page that polls it sees it while the
    import's transaction is still open. SQLite allows one writer at a time: there, no progress."""
    if connection.vendor != "postgresql":
        return lambda done: None
    side = connections.create_connection("default")

    def write(done: int) -> None:
        if done % PROGRESS_EVERY == 0 or done == total:
            with side.cursor() as cursor:
                cursor.execute("UPDATE contracts_importjob SET progress_done = %s WHERE id = %s", [done, job.pk])

    write.close = side.close  # type: ignore[attr-defined]  # read back with getattr by the caller
    return write


def import_job_run(*, job_id: int, dry_run: bool) -> ImportJob:
    """Preview (dry run) or import the job's file. Every row is checked; if any row is invalid,
    nothing is saved and each bad row is reported with its line, column and reason."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    expected = ImportJob.Status.PENDING if dry_run else ImportJob.Status.RUNNING
    if job.status != expected:
        return job  # a second delivery of the same task: the first has done the work
    if job.waiting_since is not None:
        # Started: whatever the broker said when it was queued, it no longer waits.
        job.waiting_since = None
        ImportJob.objects.filter(pk=job.pk).update(waiting_since=None)
    try:
        dataset = dataset_read(job)
    except TooManyRows as error:
        return _finish(job, errors=[{"line": None, "column": "", "message": str(error)}], dry_run=dry_run)
    except Exception as error:  # an unreadable file is the user's problem to fix, not a crash
        message = f"The file cannot be read: {error}"
        return _finish(job, errors=[{"line": None, "column": "", "message": message}], dry_run=dry_run)
    lines = _drop_blank_rows(dataset)
    if errors := _nul_errors(dataset, lines):
        return _finish(job, errors=errors, dry_run=dry_run)
    invoices = job.kind == ImportJob.Kind.INVOICES
    headers = list(dataset.headers or [])
    errors = invoice_import.header_errors(headers) if invoices else _header_errors(headers)
    if not lines:
        errors.append({"line": None, "column": "", "message": "The file has no rows to import."})
    if len(lines) > MAX_ROWS:
        errors.append({"line": None, "column": "", "message": f"The file has more than {MAX_ROWS:,} rows."})
    if errors:
        return _finish(job, errors=errors, dry_run=dry_run)
    if invoices:
        result_of = invoice_import.invoices_import(dataset=dataset, lines=lines, by=job.created_by, dry_run=dry_run)
        return _finish(job, **result_of, dry_run=dry_run, total=len(lines))
    ImportJob.objects.filter(pk=job.pk).update(progress_total=len(lines), progress_done=0)
    progress = _progress_writer(job, len(lines))
    resource = ContractResource(
        by=job.created_by, preview=dry_run, on_row=progress, supplier_choices=job.supplier_choices()
    )
    try:
        with transaction.atomic():
            result = resource.import_data(
                dataset,
                # Both runs are checked row by row inside this one transaction, with no savepoint a
                # row: the preview is rolled back below, and so is a run with any error.
                dry_run=False,
                raise_errors=False,
                use_transactions=False,
                collect_failed_rows=False,
            )
            errors = _result_errors(result, lines)
            if dry_run or errors:
                transaction.set_rollback(True)
    finally:
        getattr(progress, "close", lambda: None)()
    rows = [
        {
            "line": lines[index],
            "reference": row.object_repr or "",
            "action": ACTIONS.get(row.import_type, row.import_type),
        }
        for index, row in enumerate(result.rows)
    ]
    suppliers = None
    if dry_run and resource.lookups is not None:
        # After the rollback: the suppliers the preview made are gone, so none matches itself.
        suppliers = _new_suppliers(resource.lookups.new_suppliers.values(), lines)
    return _finish(job, errors=errors, rows=rows, dry_run=dry_run, total=len(lines), suppliers=suppliers)


def _new_suppliers(found, lines: list[int]) -> list[dict[str, Any]]:
    """The suppliers the file would create, each with its likely existing matches (one query each)."""
    suppliers = []
    for entry in found:
        matches = likely_matches(name=entry["name"], companies_house_number=entry["companies_house_number"])
        suppliers.append(
            {
                "key": entry["key"],
                "name": entry["name"],
                "companies_house_number": entry["companies_house_number"],
                # The resource counts rows from the first after the header; blank rows were dropped.
                "line": lines[entry["line"] - 2] if entry["line"] else None,
                "matches": [
                    {
                        "id": s.pk,
                        "name": s.name,
                        "companies_house_number": s.companies_house_number,
                        "similarity": similarity,
                    }
                    for s, similarity in matches
                ],
            }
        )
    return suppliers


def _finish(job, *, errors, rows=None, dry_run=True, total=0, suppliers=None) -> ImportJob:
    counts = {"new": 0, "update": 0, "skip": 0}
    for row in rows or []:
        if row["action"] in counts:
            counts[row["action"]] += 1
    job.errors = errors
    job.error_count = len(errors)
    job.new_count, job.updated_count, job.skipped_count = counts["new"], counts["update"], counts["skip"]
    job.progress_total = total
    job.progress_done = total
    if dry_run:
        job.rows = rows or []
        job.suppliers = suppliers or []
        job.status = ImportJob.Status.PREVIEWED
    else:
        job.status = ImportJob.Status.FAILED if errors else ImportJob.Status.DONE
        job.finished_at = timezone.now()
    job.save()
    return job


def import_job_fail(*, job_id: int, error: Exception) -> None:
    """An unexpected failure: the job page stops polling and says so."""
    message = f"The import stopped unexpectedly ({type(error).__name__}); nothing was saved."
    ImportJob.objects.filter(pk=job_id, status__in=[ImportJob.Status.PENDING, ImportJob.Status.RUNNING]).update(
        status=ImportJob.Status.FAILED,
        finished_at=timezone.now(),
        errors=[{"line": None, "column": "", "message": message}],
        error_count=1,
    )
