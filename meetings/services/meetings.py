"""Writes about meetings: the plan, each meeting and its actions (every event on the contract's
timeline, in the same transaction), administration-log entries and calendar feeds."""

from datetime import date

from django.db import transaction
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
from meetings.selectors import contract_cadence, contract_meeting_schedule
from meetings.services.dates import last_held_refresh
from notifications.models import Kind
from notifications.services import JobProgress, remind, tasks_resolve

# --- Writes -----------------------------------------------------------------------------


@transaction.atomic
def meeting_plan_set(*, contract: Contract, cadence: str, by: User) -> ContractMeetingPlan:
    plan, _ = ContractMeetingPlan.objects.get_or_create(contract=contract)
    plan.cadence = cadence
    plan.updated_by = by
    history_user_set(plan, by)
    plan.save()
    arrange_tasks_resolve(contract=contract)
    return plan


ARRANGE_TASKS = (Kind.MEETING_ARRANGE_SOON, Kind.MEETING_ARRANGE_TODAY, Kind.MEETING_ARRANGE_OVERDUE)


def arrange_tasks_resolve(*, contract: Contract) -> None:
    """Close the "arrange the next meeting" tasks the contract's schedule no longer asks for: all of
    them once a meeting is arranged (or none is required), "not arranged in time" once a meeting held
    since moves the arrange-by date ahead again."""
    state = contract_meeting_schedule(contract).state
    if state in (State.ARRANGED, State.NOT_REQUIRED):
        tasks_resolve(subject=contract, kinds=ARRANGE_TASKS)
    elif state == State.ARRANGE_BY:
        tasks_resolve(subject=contract, kinds=[Kind.MEETING_ARRANGE_OVERDUE])


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
    """Each timeline entry names its meeting's kind and date: Face-to-face meeting on 1 Jul 2027."""
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


# A meeting's new status and its timeline entry: (kind, verb, dated on the meeting's day).
STATUS_EVENTS = {
    Meeting.Status.HELD: (Activity.Kind.MEETING_HELD, "held", True),
    Meeting.Status.CANCELLED: (Activity.Kind.MEETING_CANCELLED, "cancelled", False),
    # No kind of its own: a postponed meeting is, for now, not taking place.
    Meeting.Status.POSTPONED: (Activity.Kind.MEETING_CANCELLED, "postponed", False),
}


def _status_changed(meeting: Meeting, *, by: User) -> None:
    if meeting.status not in STATUS_EVENTS:
        return
    kind, verb, on_the_day = STATUS_EVENTS[Meeting.Status(meeting.status)]
    on = meeting.local_date if on_the_day else timezone.localdate()
    _timeline(meeting, kind=kind, summary=f"{_described(meeting)} {verb}", by=by, on=on)


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
    if meeting.minutes or meeting.minutes_file:
        tasks_resolve(subject=meeting, kinds=[Kind.MINUTES_MISSING])
    if before is None or moved or meeting.status != before["status"]:
        last_held_refresh(contract=meeting.contract)
    arrange_tasks_resolve(contract=meeting.contract)
    return meeting


def meeting_due_dates_fill() -> int:
    """Work out when each face-to-face meeting recorded before meetings were judged was due (the
    `meeting_due_dates` command, once after upgrading). One with no face-to-face meeting before it
    on record is left unjudged: the register may not hold the contract's earlier meetings. Nobody
    is told and nothing is written on the timeline: these are history. Returns how many were filled."""
    filled = 0
    meetings = (
        Meeting.objects.face_to_face()
        .filter(due_on__isnull=True, status__in=Meeting.JUDGED_STATUSES)
        .select_related("contract__meeting_plan")
        .order_by("contract", "starts_at")
    )
    for meeting in meetings.iterator(chunk_size=500):
        previous = _previous_face_to_face(meeting)
        due = previous and meeting_due(
            cadence=contract_cadence(meeting.contract), previous=previous, start_date=meeting.contract.start_date
        )
        if due:
            filled += Meeting.objects.filter(pk=meeting.pk).update(due_on=due)
    return filled


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
    if action.done_on is not None:
        tasks_resolve(subject=action, kinds=[Kind.ACTION_OVERDUE])
    return action


@transaction.atomic
def calendar_feed_renew(*, user: User) -> CalendarFeed:
    """A new private address; the old one stops working at once."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user)


def calendar_feed_revoke(*, user: User) -> None:
    CalendarFeed.objects.filter(user=user).delete()
