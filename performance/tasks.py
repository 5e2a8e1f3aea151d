"""Thin Celery tasks for performance: each records its run and calls a date-driven service."""

from celery import shared_task
from django.utils import timezone

from notifications.services import job_run
from performance import services


@shared_task
def send_kpi_reminders() -> int:
    with job_run("kpi-reminders") as progress:
        services.kpi_reminders_send(today=timezone.localdate(), progress=progress)
    return progress.sent


@shared_task
def record_late_mi_and_missed_milestones() -> int:
    with job_run("late-mi-and-missed-milestones") as progress:
        written = services.lateness_record(today=timezone.localdate(), progress=progress)
    return written
