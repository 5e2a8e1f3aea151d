"""The date-driven reminder jobs about meetings.

Every reminder goes through `notifications.services.remind`, whose ledger makes it
exactly-once: a job run twice, late, or by several workers at once sends each
reminder once, and a missed day is caught up by the next run."""

from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import User
from contracts.models import Contract
from core.dates import add_working_days
from core.formatting import long_date
from meetings.models import Action, Meeting
from meetings.schedule import State
from meetings.selectors import schedule_from_facts, with_meeting_facts
from meetings.services.meetings import ARRANGE_TASKS, meeting_arranged_late_tell
from notifications.models import Kind
from notifications.services import JobProgress, remind, tasks_resolve_answered


def _contract_url(contract: Contract) -> str:
    return reverse("meetings:contract", args=[contract.pk])


def meeting_lead_time_reminders_send(*, today: date, progress: JobProgress | None = None) -> int:
    """Face-to-face meetings are arranged six months ahead. The OCO is reminded 14 days
    before the arrange-by date and on it; once it has passed with nothing arranged, the
    OCO weekly and the Procurement Unit once."""
    progress = progress or JobProgress()
    contracts = with_meeting_facts(Contract.objects.active().filter(oco__isnull=False, oco__is_active=True))
    procurement = list(User.objects.in_role(roles.PROCUREMENT))
    arranged = []  # contracts whose meeting needs no arranging now, however that came about
    for contract in contracts.select_related("oco"):
        schedule = schedule_from_facts(contract, today=today)
        if schedule.state not in (State.ARRANGE_BY, State.PASSED):
            arranged.append(contract.pk)
            continue
        arrange_by, due, oco, url = schedule.arrange_by, schedule.due, contract.oco, _contract_url(contract)
        # Both states come with the dates worked out.
        assert arrange_by is not None and due is not None
        subject = f"{contract.reference} {contract.title}"
        if arrange_by - timedelta(days=14) <= today < arrange_by:
            progress.count(
                remind(
                    recipient=oco,
                    kind=Kind.MEETING_ARRANGE_SOON,
                    subject=contract,
                    due_date=arrange_by,
                    due_on=arrange_by,
                    title=f"Arrange the next supplier meeting for {contract.reference} by {long_date(arrange_by)}",
                    body=f"{subject}: the next face-to-face meeting is due by {long_date(due)}.",
                    url=url,
                )
            )
        elif today == arrange_by:
            progress.count(
                remind(
                    recipient=oco,
                    kind=Kind.MEETING_ARRANGE_TODAY,
                    subject=contract,
                    due_date=arrange_by,
                    due_on=arrange_by,
                    title=f"Today is the last day to arrange the supplier meeting for {contract.reference}",
                    body=f"{subject}: the next face-to-face meeting is due by {long_date(due)}.",
                    url=url,
                )
            )
        elif today > arrange_by:
            # Weekly: the week since the arrange-by date is the reminder's key.
            weeks = (today - arrange_by).days // 7
            week_start = arrange_by + timedelta(days=7 * weeks)
            progress.count(
                remind(
                    recipient=oco,
                    kind=Kind.MEETING_ARRANGE_OVERDUE,
                    subject=contract,
                    due_date=week_start,
                    due_on=arrange_by,
                    title=f"The supplier meeting for {contract.reference} has not been arranged",
                    body=(
                        f"{subject}: it should have been arranged by {long_date(arrange_by)}; "
                        f"the meeting is due by {long_date(due)}."
                    ),
                    url=url,
                )
            )
            for officer in procurement:
                progress.count(
                    remind(
                        recipient=officer,
                        kind=Kind.MEETING_ARRANGE_FLAG,
                        subject=contract,
                        due_date=arrange_by,
                        title=f"{contract.reference}: supplier meeting not arranged in time",
                        body=f"{subject}: the OCO, {oco}, had to arrange it by {long_date(arrange_by)}.",
                        url=url,
                    )
                )
    ended = Contract.objects.exclude(status=Contract.Status.ACTIVE).values("pk")
    tasks_resolve_answered(
        model=Contract, kinds=ARRANGE_TASKS, answered=Q(subject_id__in=arranged) | Q(subject_id__in=ended)
    )
    return progress.sent


def meetings_arranged_late_send(*, today: date, progress: JobProgress | None = None) -> int:
    """Catch-up for `meeting_arranged_late_tell`: meetings recorded in the last 30 days that are
    late or arranged late (also those made late by a later change of date) are told once."""
    progress = progress or JobProgress()
    recent = (
        Meeting.objects.arranged_late()
        .filter(arranged_on__gte=today - timedelta(days=30))
        .select_related("contract", "created_by")
    )
    for meeting in recent:
        meeting_arranged_late_tell(meeting=meeting, progress=progress)
    return progress.sent


def meeting_upcoming_reminders_send(*, today: date, progress: JobProgress | None = None) -> int:
    """Remind force attendees 7 days and 1 day before a planned meeting."""
    progress = progress or JobProgress()
    start = timezone.make_aware(datetime.combine(today, time.min))
    meetings = (
        Meeting.objects.planned()
        .filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=8))
        .select_related("contract")
        .prefetch_related("attendees")
    )
    for meeting in meetings:
        days_ahead = (meeting.local_date - today).days
        if days_ahead < 1:
            continue
        # Two reminders, each keyed by its own due date: a week ahead, and the day before.
        due = meeting.local_date - timedelta(days=1 if days_ahead <= 1 else 7)
        when = "tomorrow" if days_ahead == 1 else f"on {long_date(meeting.local_date)}"
        for attendee in meeting.attendees.all():
            if not attendee.is_active:
                continue
            progress.count(
                remind(
                    recipient=attendee,
                    kind=Kind.MEETING_UPCOMING,
                    subject=meeting,
                    due_date=due,
                    title=f"{meeting.get_kind_display()} meeting for {meeting.contract.reference} {when}",
                    body=f"{timezone.localtime(meeting.starts_at):%H:%M}, {meeting.location or 'location to confirm'}.",
                    url=meeting.get_absolute_url(),
                )
            )
    return progress.sent


def actions_overdue_send(*, today: date, progress: JobProgress | None = None) -> int:
    """Tell each owner once about each action that has passed its due date undone."""
    progress = progress or JobProgress()
    done = Action.objects.filter(done_on__isnull=False).values("pk")
    tasks_resolve_answered(model=Action, kinds=[Kind.ACTION_OVERDUE], answered=Q(subject_id__in=done))
    overdue = Action.objects.filter(done_on__isnull=True, due_date__lt=today, owner__is_active=True).select_related(
        "meeting__contract", "owner"
    )
    for action in overdue:
        progress.count(
            remind(
                recipient=action.owner,
                kind=Kind.ACTION_OVERDUE,
                subject=action,
                due_date=action.due_date,
                due_on=action.due_date,
                title=f"Action overdue on {action.meeting.contract.reference}: {action.description[:80]}",
                body=f"It was due on {long_date(action.due_date)}.",
                url=action.meeting.get_absolute_url(),
            )
        )
    return progress.sent


def minutes_missing_send(*, today: date, progress: JobProgress | None = None) -> int:
    """Remind the OCO when a held meeting has no minutes five working days later."""
    progress = progress or JobProgress()
    recorded = Meeting.objects.exclude(minutes="", minutes_file="").values("pk")
    tasks_resolve_answered(model=Meeting, kinds=[Kind.MINUTES_MISSING], answered=Q(subject_id__in=recorded))
    since = timezone.now() - timedelta(days=120)  # older gaps were reminded long ago
    held = (
        Meeting.objects.held()
        .filter(starts_at__gte=since, minutes="", minutes_file="", contract__oco__isnull=False)
        .select_related("contract__oco")
    )
    for meeting in held:
        due = add_working_days(meeting.local_date, 5)
        if today < due or not meeting.contract.oco.is_active:
            continue
        progress.count(
            remind(
                recipient=meeting.contract.oco,
                kind=Kind.MINUTES_MISSING,
                subject=meeting,
                due_date=due,
                due_on=due,
                title=(
                    f"Record the minutes of the {long_date(meeting.local_date)} meeting "
                    f"for {meeting.contract.reference}"
                ),
                body="Minutes were due five working days after the meeting.",
                url=meeting.get_absolute_url(),
            )
        )
    return progress.sent
