"""Thin Celery tasks: each records its run and calls a date-driven service."""

from celery import shared_task
from django.utils import timezone

from notifications.services import job_run
from portal.services.reminders import supplier_mi_reminders_send


@shared_task
def send_supplier_mi_reminders() -> int:
    with job_run("supplier-mi-reminders") as progress:
        supplier_mi_reminders_send(today=timezone.localdate(), progress=progress)
    return progress.sent
