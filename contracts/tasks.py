"""Thin Celery tasks for the register: each records its run and calls a date-driven service."""

from celery import shared_task
from django.utils import timezone

from contracts import services
from notifications.services import job_run


@shared_task
def open_kraljic_review_round() -> int:
    with job_run("kraljic-review-open") as progress:
        services.review_round_open(today=timezone.localdate(), progress=progress)
    return progress.sent


@shared_task
def kraljic_review_daily() -> int:
    with job_run("kraljic-review-daily") as progress:
        today = timezone.localdate()
        services.review_round_open(today=today, progress=progress)
        services.review_round_reminders_send(today=today, progress=progress)
    return progress.sent


@shared_task
def send_expiry_alerts() -> int:
    with job_run("contract-expiry-alerts") as progress:
        services.expiry_alerts_send(today=timezone.localdate(), progress=progress)
    return progress.sent


@shared_task
def send_training_reminders() -> int:
    with job_run("training-reminders") as progress:
        services.training_reminders_send(today=timezone.localdate(), progress=progress)
    return progress.sent


@shared_task
def contract_dates_daily() -> int:
    with job_run("contract-dates-daily") as progress:
        today = timezone.localdate()
        services.contracts_expire(today=today, progress=progress)
        services.renewal_decisions_overdue_send(today=today, progress=progress)
    return progress.sent


@shared_task
def send_escalation_overdue_reminders() -> int:
    with job_run("escalation-overdue-reminders") as progress:
        services.escalation_overdue_reminders_send(today=timezone.localdate(), progress=progress)
    return progress.sent


@shared_task
def check_suppliers_at_companies_house() -> int:
    with job_run("companies-house-check") as progress:
        services.suppliers_check(today=timezone.localdate(), progress=progress)
    return progress.sent
