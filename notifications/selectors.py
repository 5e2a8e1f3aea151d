"""Reads for the operations page: each scheduled job's last run, in words."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from celery.schedules import crontab
from celery.schedules import schedule as every
from django.conf import settings
from django.db.models import OuterRef, Subquery

from notifications.models import Heartbeat, JobRun

HEARTBEAT_TASK = "notifications.tasks.heartbeat"
# A daily job may run a little late (beat restarted, a long queue) before it counts as missed.
DAILY_JOB_STALE_AFTER = timedelta(hours=26)
HEARTBEAT_STALE_AFTER = timedelta(minutes=15)
# Reminder jobs take minutes; a run still "running" after this was most likely killed.
RUN_STUCK_AFTER = timedelta(hours=1)


# Operations: what beat and the worker did. ------------------------------------------------

_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _every(seconds: float) -> str:
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            n = int(seconds // size)
            return f"every {unit}" if n == 1 else f"every {n} {unit}s"
    count: float = int(seconds) if float(seconds).is_integer() else seconds
    return "every second" if count == 1 else f"every {count} seconds"


def _crontab_in_words(cron: crontab) -> str:
    minutes, hours = sorted(cron.minute), sorted(cron.hour)
    days_of_week, days_of_month, months = (
        sorted(cron.day_of_week),
        sorted(cron.day_of_month),
        sorted(cron.month_of_year),
    )
    every_day = len(days_of_week) == 7 and len(days_of_month) == 31 and len(months) == 12

    if len(hours) == 24:
        step = minutes[1] - minutes[0] if len(minutes) > 1 else 60
        if minutes[0] == 0 and 60 % step == 0 and minutes == list(range(0, 60, step)):
            when = "every minute" if step == 1 else "hourly" if step == 60 else f"every {step} minutes"
        else:
            when = "hourly at " + _and([f"{m:02d} minutes past" for m in minutes])
        if every_day:
            return when
    elif len(hours) * len(minutes) <= 6:
        when = "at " + _and([f"{h:02d}:{m:02d}" for h in hours for m in minutes])
        if every_day:
            return "daily " + when
    else:
        return str(cron)

    if len(days_of_month) == 31 and len(months) == 12:
        if days_of_week == [1, 2, 3, 4, 5]:
            return f"{when} on weekdays"
        return f"{when} every " + _and([_DAYS[d] for d in days_of_week])
    if len(days_of_week) == 7 and len(days_of_month) <= 3:
        days = _and([str(d) for d in days_of_month])
        if len(months) == 12:
            return f"{when} on day {days} of every month"
        return f"{when} on {days} " + _and([_MONTHS[m - 1] for m in months])
    return str(cron)


def schedule_in_words(schedule) -> str:
    """A beat schedule as an administrator reads it: "daily at 07:00", "every 5 minutes"."""
    if isinstance(schedule, crontab):
        return _crontab_in_words(schedule)
    if isinstance(schedule, every):
        return _every(schedule.run_every.total_seconds())
    if isinstance(schedule, timedelta):
        return _every(schedule.total_seconds())
    if isinstance(schedule, int | float):
        return _every(schedule)
    return str(schedule)


def _runs_at_least_daily(schedule) -> bool:
    if isinstance(schedule, crontab):
        return len(schedule.day_of_week) == 7 and len(schedule.day_of_month) == 31 and len(schedule.month_of_year) == 12
    if isinstance(schedule, every):
        return schedule.run_every <= timedelta(days=1)
    if isinstance(schedule, timedelta):
        return schedule <= timedelta(days=1)
    if isinstance(schedule, int | float):
        return schedule <= 86400
    return False


@dataclass(frozen=True)
class JobStatus:
    name: str
    task: str
    schedule: str
    last_run: JobRun | None
    heartbeat: Heartbeat | None  # the heartbeat job writes a Heartbeat, not a JobRun
    warnings: list[str]

    @property
    def is_heartbeat(self) -> bool:
        return self.task == HEARTBEAT_TASK


def _latest_runs(names: list[str]) -> dict[str, JobRun]:
    """The newest run of each job, in one query whatever the number of jobs and runs."""
    newest = JobRun.objects.filter(job=OuterRef("job")).order_by("-started_at", "-pk").values("pk")[:1]
    return {run.job: run for run in JobRun.objects.filter(job__in=names, pk=Subquery(newest))}


def heartbeat_warning(heartbeat: Heartbeat | None, now: datetime) -> str:
    if heartbeat is None:
        return "No heartbeat has ever been recorded: beat or the worker has not run."
    if heartbeat.created_at < now - HEARTBEAT_STALE_AFTER:
        return "No heartbeat in the last 15 minutes: beat, the broker or the worker may be down."
    return ""


def job_statuses(*, now: datetime) -> tuple[list[JobStatus], Heartbeat | None]:
    entries = settings.CELERY_BEAT_SCHEDULE
    runs = _latest_runs(list(entries))
    heartbeat = Heartbeat.objects.order_by("-created_at").first()
    statuses = []
    for name, entry in entries.items():
        task, schedule = entry["task"], entry["schedule"]
        run, warnings = runs.get(name), []
        if task == HEARTBEAT_TASK:
            if warning := heartbeat_warning(heartbeat, now):
                warnings.append(warning)
        else:
            if _runs_at_least_daily(schedule) and (run is None or run.started_at < now - DAILY_JOB_STALE_AFTER):
                warnings.append("Has not run in the last 26 hours.")
            if run is not None and run.outcome == JobRun.Outcome.FAILED:
                warnings.append("The last run failed.")
            if run is not None and run.outcome == JobRun.Outcome.ATTENTION:
                warnings.append("The last run could not do everything; it tries again on a later run.")
            if run is not None and run.outcome == JobRun.Outcome.RUNNING and run.started_at < now - RUN_STUCK_AFTER:
                warnings.append("Started over an hour ago and has not finished: the worker may have stopped.")
        statuses.append(
            JobStatus(
                name=name,
                task=task,
                schedule=schedule_in_words(schedule),
                last_run=run,
                heartbeat=heartbeat if task == HEARTBEAT_TASK else None,
                warnings=warnings,
            )
        )
    return statuses, heartbeat
