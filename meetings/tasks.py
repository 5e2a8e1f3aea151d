"""Thin Celery tasks: each records its run and calls a date-driven service."""

from celery import shared_task
from django.utils import timezone

from meetings import services
from notifications.services import job_run


@shared_task
def send_meeting_lead_time_reminders() -> int:
    with job_run("meeting-lead-time-reminders") as progress:
        today = timezone.localdate()
        services.meeting_lead_time_reminders_send(today=today, progress=progress)
        services.meetings_arranged_late_send(today=today, progress=progress)
    return progress.sent


@shared_task
def send_meeting_reminders() -> int:
    """Meetings coming up, actions overdue, minutes not recorded."""
    with job_run("meeting-reminders") as progress:
        today = timezone.localdate()
        services.meeting_upcoming_reminders_send(today=today, progress=progress)
        services.actions_overdue_send(today=today, progress=progress)
        services.minutes_missing_send(today=today, progress=progress)
    return progress.sent
