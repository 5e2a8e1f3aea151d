"""Writes about meetings, and the date-driven reminder jobs.

Every reminder goes through `notifications.services.remind`, whose ledger makes it
exactly-once: a job run twice, late, or by several workers at once sends each
reminder once, and a missed day is caught up by the next run."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import User
from contracts.documents import validate_document
from contracts.models import Activity, Contract
from contracts.services.timeline import timeline_record
from core.audit import history_user_set
from core.formatting import long_date
from meetings.models import Action, CalendarFeed, ContractMeetingPlan, Meeting
from meetings.schedule import State, meeting_due
from meetings.selectors import contract_cadence, schedule_from_facts, with_meeting_facts
from notifications.models import Kind
from notifications.services import JobProgress, remind

# --- Writes -----------------------------------------------------------------------------


@transaction.atomic
def meeting_plan_set(*, contract: Contract, cadence: str, by: User) -> ContractMeetingPlan:
    plan, _ = ContractMeetingPlan.objects.get_or_create(contract=contract)
    plan.cadence = cadence
    plan.updated_by = by
    history_user_set(plan, by)
    plan.save()
    return plan


def _previous_face_to_face(meeting: Meeting) -> date | None:
    """The date of the face-to-face meeting, held or planned, before this one."""
    previous = (
        Meeting.objects.face_to_face()
        .filter(contract=meeting.contract, status__in=Meeting.JUDGED_STATUSES, starts_at__lt=meeting.starts_at)
        .exclude(pk=meeting.pk)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return timezone.localdate(previous) if previous else None


def _due_on(meeting: Meeting) -> date | None:
    """When a face-to-face meeting is due: one cadence after the previous one, or after the start."""
    if meeting.kind != Meeting.Kind.FACE_TO_FACE:
        return None
    return meeting_due(
        cadence=contract_cadence(meeting.contract),
        previous=_previous_face_to_face(meeting),
        start_date=meeting.contract.start_date,
    )


def _described(meeting: Meeting, *, capital: bool = True) -> str:
    """ "Face-to-face meeting on 1 Jul 2027": each timeline entry names its meeting's kind and date."""
    kind = meeting.get_kind_display()
    return f"{kind if capital else kind.lower()} meeting on {long_date(meeting.local_date)}"


def _timeline(
    meeting: Meeting, *, kind: str, summary: str, by: User, on: date, subject=None, details: str | None = None
) -> None:
    if details is None:
        details = f"{meeting.location or 'Location to confirm'}. {meeting.agenda}".strip()
    timeline_record(
        contract=meeting.contract,
        kind=kind,
        summary=summary,
        details=details,
        subject=subject or meeting,
        by=by,
        occurred_on=min(on, timezone.localdate()),
    )


def _status_changed(meeting: Meeting, *, by: User) -> None:
    if meeting.status == Meeting.Status.HELD:
        _timeline(
            meeting,
            kind=Activity.Kind.MEETING_HELD,
            summary=f"{_described(meeting)} held",
            by=by,
            on=meeting.local_date,
        )
    elif meeting.status == Meeting.Status.CANCELLED:
        _timeline(
            meeting,
            kind=Activity.Kind.MEETING_CANCELLED,
            summary=f"{_described(meeting)} cancelled",
            by=by,
            on=timezone.localdate(),
        )
    elif meeting.status == Meeting.Status.POSTPONED:
        _timeline(
            meeting,
            kind=Activity.Kind.MEETING_CANCELLED,
            summary=f"{_described(meeting)} postponed",
            by=by,
            on=timezone.localdate(),
        )


def meeting_arranged_late_tell(*, meeting: Meeting, progress: JobProgress | None = None) -> int:
    """Tell the Procurement Unit, once per meeting, that a face-to-face meeting was late or arranged late."""
    progress = progress or JobProgress()
    if not meeting.lateness:
        return progress.sent
    contract = meeting.contract
    for officer in User.objects.in_role(roles.PROCUREMENT):
        progress.count(
            remind(
                recipient=officer,
                kind=Kind.MEETING_ARRANGED_LATE,
                subject=meeting,
                due_date=meeting.arranged_on,
                title=(
                    f"{contract.reference}: {meeting.get_kind_display().lower()} meeting on "
                    f"{long_date(meeting.local_date)} {meeting.get_lateness_display().lower()}"
                ),
                body=f"{contract.reference} {contract.title}: {meeting.lateness_note}; recorded on "
                f"{long_date(meeting.arranged_on)} by {meeting.created_by}.",
                url=meeting.get_absolute_url(),
            )
        )
    return progress.sent


@transaction.atomic
def meeting_save(
    *,
    meeting: Meeting,
    by: User,
    attendees=None,
    supplier_attendees=None,
    minutes_upload=None,
    recorded_on: date | None = None,
    history: bool = False,
) -> Meeting:
    """Save a validated meeting with its attendees and, optionally, a minutes file; write each
    event on the contract's timeline. A new meeting is dated by the system's clock and, face-to-face,
    judged against when it was due; the Procurement Unit is told once if it was late or arranged late.
    Only the demo passes `recorded_on` and `history` (a meeting from before the register's records,
    with nothing before it to be due after): pages never do."""
    before = Meeting.objects.filter(pk=meeting.pk).values("status", "starts_at", "kind", "minutes").first()
    moved = before is not None and (before["starts_at"], before["kind"]) != (meeting.starts_at, meeting.kind)
    if before is None:
        meeting.created_by = by
        meeting.arranged_on = recorded_on or timezone.localdate()
    if before is None or moved:
        meeting.due_on = None if history else _due_on(meeting)
    if minutes_upload is not None:
        validate_document(minutes_upload)
        meeting.minutes_file.save(minutes_upload.name, minutes_upload, save=False)
        meeting.minutes_file_name = minutes_upload.name[:255]
    history_user_set(meeting, by)
    meeting.save()
    if attendees is not None:
        meeting.attendees.set(attendees)
    if supplier_attendees is not None:
        meeting.supplier_attendees.set(supplier_attendees)

    if before is None:
        note = meeting.lateness_note
        summary = f"{_described(meeting)} arranged" + (f" ({note})" if note else "")
        _timeline(meeting, kind=Activity.Kind.MEETING_ARRANGED, summary=summary, by=by, on=meeting.arranged_on)
        meeting_arranged_late_tell(meeting=meeting)
    elif moved and meeting.status == Meeting.Status.PLANNED:
        note = meeting.lateness_note
        summary = f"Meeting of {long_date(timezone.localdate(before['starts_at']))} moved: {_described(meeting)}"
        _timeline(
            meeting,
            kind=Activity.Kind.MEETING_ARRANGED,
            summary=summary + (f" ({note})" if note else ""),
            by=by,
            on=timezone.localdate(),
        )
        meeting_arranged_late_tell(meeting=meeting)
    if meeting.status != (before["status"] if before else Meeting.Status.PLANNED):
        _status_changed(meeting, by=by)

    minutes_written = meeting.minutes.strip() and not (before and before["minutes"].strip())
    if minutes_written or minutes_upload is not None:
        what = f"file {meeting.minutes_file_name} uploaded" if minutes_upload is not None else "recorded"
        _timeline(
            meeting,
            kind=Activity.Kind.MINUTES,
            summary=f"Minutes of the {_described(meeting, capital=False)} {what}",
            details=meeting.minutes,
            by=by,
            # The demo's history writes its minutes just after the meeting; pages, today.
            on=max(recorded_on, meeting.local_date) if recorded_on else timezone.localdate(),
        )
    return meeting


@transaction.atomic
def action_save(*, action: Action, by: User) -> Action:
    """Save an action agreed at a meeting; its agreement and completion go on the timeline."""
    before = Action.objects.filter(pk=action.pk).values("done_on").first()
    history_user_set(action, by)
    action.save()
    meeting = action.meeting
    agreed = f"at the {_described(meeting, capital=False)}: {action.description[:120]}"
    if before is None:
        summary = f"Action agreed {agreed} (owner {action.owner}, due {long_date(action.due_date)})"
        _timeline(
            meeting,
            kind=Activity.Kind.MEETING_ACTION,
            summary=summary,
            by=by,
            on=timezone.localdate(),
            subject=action,
            details=action.description,
        )
    if action.done_on is not None and (before is None or before["done_on"] is None):
        _timeline(
            meeting,
            kind=Activity.Kind.MEETING_ACTION,
            summary=f"Action completed, agreed {agreed}",
            by=by,
            on=action.done_on,
            subject=action,
            details=action.description,
        )
    return action


@transaction.atomic
def activity_record(*, activity: Activity, by: User, attachment=None) -> Activity:
    if attachment is not None:
        validate_document(attachment)
        activity.attachment.save(attachment.name, attachment, save=False)
        activity.attachment_name = attachment.name[:255]
    activity.recorded_by = by
    history_user_set(activity, by)
    activity.save()
    return activity


@transaction.atomic
def calendar_feed_renew(*, user: User) -> CalendarFeed:
    """A new private address; the old one stops working at once."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user)


def calendar_feed_revoke(*, user: User) -> None:
    CalendarFeed.objects.filter(user=user).delete()


# --- Reminder jobs ----------------------------------------------------------------------


def _contract_url(contract: Contract) -> str:
    return reverse("meetings:contract", args=[contract.pk])


def meeting_lead_time_reminders_send(*, today: date, progress: JobProgress | None = None) -> int:
    """Face-to-face meetings are arranged six months ahead. The OCO is reminded 14 days
    before the arrange-by date and on it; once it has passed with nothing arranged, the
    OCO weekly and the Procurement Unit once."""
    progress = progress or JobProgress()
    contracts = with_meeting_facts(Contract.objects.active().filter(oco__isnull=False, oco__is_active=True))
    procurement = list(User.objects.in_role(roles.PROCUREMENT))
    for contract in contracts.select_related("oco"):
        schedule = schedule_from_facts(contract, today=today)
        if schedule.state not in (State.ARRANGE_BY, State.PASSED):
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
                title=f"Action overdue on {action.meeting.contract.reference}: {action.description[:80]}",
                body=f"It was due on {long_date(action.due_date)}.",
                url=action.meeting.get_absolute_url(),
            )
        )
    return progress.sent


def working_days_after(day: date, count: int) -> date:
    """The date `count` working days (Monday to Friday) after `day`."""
    while count:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def minutes_missing_send(*, today: date, progress: JobProgress | None = None) -> int:
    """Remind the OCO when a held meeting has no minutes five working days later."""
    progress = progress or JobProgress()
    since = timezone.now() - timedelta(days=120)  # older gaps were reminded long ago
    held = (
        Meeting.objects.held()
        .filter(starts_at__gte=since, minutes="", minutes_file="", contract__oco__isnull=False)
        .select_related("contract__oco")
    )
    for meeting in held:
        due = working_days_after(meeting.local_date, 5)
        if today < due or not meeting.contract.oco.is_active:
            continue
        progress.count(
            remind(
                recipient=meeting.contract.oco,
                kind=Kind.MINUTES_MISSING,
                subject=meeting,
                due_date=due,
                title=(
                    f"Record the minutes of the {long_date(meeting.local_date)} meeting "
                    f"for {meeting.contract.reference}"
                ),
                body="Minutes were due five working days after the meeting.",
                url=meeting.get_absolute_url(),
            )
        )
    return progress.sent
