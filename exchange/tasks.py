"""Thin Celery tasks for spreadsheet imports, and how an import's task is queued.

The imports run one way: exchange.services.imports (the pages' side) queues through this module,
and this module calls exchange.services.import_run (the worker's side), which queues nothing."""

from datetime import datetime, timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from exchange.models import ImportJob
from exchange.services import import_run
from notifications.queue import enqueue_on_commit

# A job whose task the broker has not taken after this long is queued again by the catch-up.
REQUEUE_AFTER = timedelta(minutes=2)


# The name it had in contracts/tasks.py: messages already with the broker when this code is
# deployed still find their task.
@shared_task(name="contracts.tasks.run_import_job")
def run_import_job(job_id: int, dry_run: bool) -> None:
    """Preview (dry run) or run a spreadsheet import; the job page polls its progress."""
    try:
        import_run.import_job_run(job_id=job_id, dry_run=dry_run)
    except Exception as error:
        import_run.import_job_fail(job_id=job_id, error=error)
        raise


# Sent by name by the catch-up job (settings.CATCH_UP_TASKS). Renamed from
# contracts.tasks.import_jobs_requeue: a message lost at the deploy is sent again ten minutes later.
@shared_task
def import_jobs_requeue() -> int:
    """Imports whose task could not be queued (the broker was down)."""
    return import_jobs_requeue_waiting(now=timezone.now())


def import_job_queue(job: ImportJob) -> None:
    """Queue the job's task after commit. It is marked as waiting until the broker takes it, so
    that a broker outage delays the import instead of losing it."""
    marked = job.waiting_since
    enqueue_on_commit(
        run_import_job,
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
