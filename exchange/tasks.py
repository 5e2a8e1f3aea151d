"""Thin Celery tasks for spreadsheet imports: they call exchange.services and nothing calls them
but Celery (the services queue them by name, so that services never import tasks)."""

from celery import shared_task
from django.utils import timezone

from exchange.services import import_run, imports, notices, publication
from notifications.services import job_run


# The name it had in contracts/tasks.py: messages already with the broker when this code is
# deployed still find their task.
@shared_task(name=imports.RUN_IMPORT_TASK)
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
    return imports.import_jobs_requeue_waiting(now=timezone.now())


@shared_task
def send_performance_notice_reminders() -> int:
    """Daily (config/settings.py): each Procurement Act performance notice to publish, once."""
    with job_run("performance-notice-reminders") as progress:
        notices.performance_notice_reminders_send(today=timezone.localdate(), progress=progress)
    return progress.sent


@shared_task
def confirm_notice_publications() -> int:
    """Hourly in working hours (config/settings.py): each notice recorded as published, checked on Find a Tender."""
    with job_run("notice-publication-confirm") as progress:
        confirmed = publication.notice_publications_confirm(now=timezone.now(), progress=progress)
    return confirmed
