"""Spreadsheet imports, the web side: check the upload, store it, queue its preview and then its
import (exchange/services/import_run.py does the work in the worker)."""

from datetime import datetime, timedelta

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from accounts.models import User
from core.archives import UnsafeArchive, zip_names
from exchange.models import ImportJob
from exchange.resources import COLUMNS, EXAMPLE_ROW
from notifications.queue import enqueue_on_commit

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


# The import's task, queued by name (exchange/tasks.py defines it under the name it had in
# contracts/tasks.py, so that messages with the broker at a deploy still find it).
RUN_IMPORT_TASK = "contracts.tasks.run_import_job"
# A job whose task the broker has not taken after this long is queued again by the catch-up.
REQUEUE_AFTER = timedelta(minutes=2)


def validate_upload(upload) -> str:
    """The file's format, checked by extension and by content; or ValidationError."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ImportJob.Format.values:
        raise ValidationError(f"“{name}” is not a CSV or XLSX file.", code="extension")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"“{name}” is {filesizeformat(upload.size)}; the limit is {filesizeformat(MAX_UPLOAD_BYTES)}.",
            code="size",
        )
    upload.seek(0)
    try:
        if extension == "csv":
            try:
                upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError(
                    f"“{name}” is not UTF-8 text: in Excel, save it as “CSV UTF-8”.", code="content"
                ) from None
        else:
            try:
                names = zip_names(upload)
            except UnsafeArchive as error:
                raise ValidationError(f"“{name}” is refused: {error}.", code="archive") from None
            if names is None or "xl/workbook.xml" not in names:
                raise ValidationError(f"“{name}” is not an Excel (XLSX) workbook.", code="content")
    finally:
        upload.seek(0)
    return extension


@transaction.atomic
def import_job_create(*, upload, by: User, kind: str = ImportJob.Kind.CONTRACTS) -> ImportJob:
    """Store the upload under a random name and queue its preview."""
    file_format = validate_upload(upload)
    job = ImportJob(
        kind=kind,
        original_name=(upload.name or "")[:255],
        format=file_format,
        created_by=by,
        waiting_since=timezone.now(),
    )
    job.file.save(upload.name, upload, save=False)
    job.save()
    import_job_queue(job)
    return job


@transaction.atomic
def import_job_confirm(*, job: ImportJob, supplier_choices: dict[str, str] | None = None) -> ImportJob:
    """Queue the real import of a previewed, error-free file. `supplier_choices` answers, for each
    supplier the file would create (`job.suppliers`), "new" or the id of one of its likely matches."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not job.can_confirm:
        raise ValidationError("This import cannot be confirmed: it has errors, or it has already been run.")
    supplier_choices = supplier_choices or {}
    for supplier in job.suppliers:
        # Nothing on the register looks like it: creating it needs no choice.
        choice = supplier_choices.get(supplier["key"]) or (None if supplier["matches"] else "new")
        allowed = {"new", *(str(m["id"]) for m in supplier["matches"])}
        if choice not in allowed:
            raise ValidationError(f"Choose an existing supplier for “{supplier['name']}”, or create it.")
        supplier["choice"] = choice
    job.status = ImportJob.Status.RUNNING
    job.progress_done = 0
    job.waiting_since = timezone.now()
    job.save(update_fields=["status", "progress_done", "waiting_since", "suppliers"])
    import_job_queue(job)
    return job


def template_dataset() -> tablib.Dataset:
    return tablib.Dataset(EXAMPLE_ROW, headers=list(COLUMNS))


__all__ = [
    "MAX_UPLOAD_BYTES",
    "import_job_confirm",
    "import_job_create",
    "template_dataset",
    "validate_upload",
]


def import_job_queue(job: ImportJob) -> None:
    """Queue the job's task after commit. It is marked as waiting until the broker takes it, so
    that a broker outage delays the import instead of losing it."""
    marked = job.waiting_since
    enqueue_on_commit(
        RUN_IMPORT_TASK,
        job.pk,
        dry_run=job.status == ImportJob.Status.PENDING,
        on_queued=lambda: ImportJob.objects.filter(pk=job.pk, waiting_since=marked).update(waiting_since=None),
    )


def import_jobs_requeue_waiting(*, now: datetime) -> int:
    """Queue again the jobs whose task the broker never took (it was down). Returns how many."""
    waiting = ImportJob.objects.filter(
        status__in=[ImportJob.Status.PENDING, ImportJob.Status.RUNNING], waiting_since__lte=now - REQUEUE_AFTER
    )
    queued = 0
    for job in waiting.order_by("pk"):
        # Claim it first: two catch-ups at once queue it once. Still waiting if the broker is down.
        if ImportJob.objects.filter(pk=job.pk, waiting_since=job.waiting_since).update(waiting_since=now):
            job.waiting_since = now
            with transaction.atomic():
                import_job_queue(job)
            queued += 1
    return queued
