"""Reads about meetings that are more than a queryset method."""

from datetime import date, datetime
from typing import TYPE_CHECKING, TypedDict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from contracts.models import Activity, Contract
from contracts.selectors import timeline
from contracts.selectors.timeline import TimelineEntry, entries_of
from core import access
from meetings.models import Meeting
from meetings.schedule import CADENCE_BY_QUADRANT, DEFAULT_CADENCE, MeetingSchedule, meeting_schedule

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class MeetingFacts(TypedDict):
    """What `with_meeting_facts` adds to each contract."""

    last_held_at: datetime | None
    next_planned_at: datetime | None
    next_due_on: date | None
    next_timeliness: str | None


def contract_cadence(contract: Contract) -> str:
    """The Procurement Unit's choice, else the default of the contract's Kraljic quadrant."""
    plan = getattr(contract, "meeting_plan", None)
    if plan is not None and plan.cadence:
        return plan.cadence
    # The Kraljic quadrant arrives with the Kraljic work; until then every contract has the default.
    quadrant = getattr(contract, "kraljic_quadrant", "") or ""
    return CADENCE_BY_QUADRANT.get(quadrant, DEFAULT_CADENCE)


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def with_meeting_facts(contracts: QuerySet) -> QuerySet:
    """Annotate each contract with its last held and next planned face-to-face meeting, and when
    that one was due and whether it is late or arranged late (one query). Each fact is a subquery
    answered by the index meeting_schedule_idx (contract, kind, status, starts_at), not an aggregate
    over a join: no GROUP BY over the contract's columns, however many meetings it has."""
    now = timezone.now()
    face_to_face = Meeting.objects.face_to_face().filter(contract=OuterRef("pk"))
    next_planned = face_to_face.planned().filter(starts_at__gte=now).with_lateness().order_by("starts_at", "pk")
    last_held = face_to_face.held().order_by("-starts_at")
    return contracts.select_related("meeting_plan").annotate(
        next_due_on=Subquery(next_planned.values("due_on")[:1]),
        next_timeliness=Subquery(next_planned.values("timeliness")[:1]),
        last_held_at=Subquery(last_held.values("starts_at")[:1]),
        next_planned_at=Subquery(next_planned.values("starts_at")[:1]),
    )


def schedule_from_facts(contract: "WithAnnotations[Contract, MeetingFacts]", *, today: date) -> MeetingSchedule:
    """The schedule of a contract annotated by `with_meeting_facts`."""
    return meeting_schedule(
        cadence=contract_cadence(contract),
        today=today,
        start_date=contract.start_date,
        last_held=_local_date(contract.last_held_at),
        next_planned=_local_date(contract.next_planned_at),
        next_due=contract.next_due_on,
        next_lateness=contract.next_timeliness or "",
    )


def contract_meeting_schedule(contract: Contract, *, today: date | None = None) -> MeetingSchedule:
    today = today or timezone.localdate()
    annotated = with_meeting_facts(Contract.objects.filter(pk=contract.pk)).get()
    return schedule_from_facts(annotated, today=today)


def meetings_without_entries(contract: Contract) -> QuerySet:
    """The contract's meetings that no timeline entry is about: those recorded before meetings wrote
    their own entries. The log still shows them, once each; a meeting with entries shows through those."""
    entries = Activity.objects.filter(
        subject_type=ContentType.objects.get_for_model(Meeting), subject_id=OuterRef("pk")
    )
    return contract.meetings.exclude(Exists(entries)).select_related("created_by", "contract__supplier")


def _meeting_entry(meeting: Meeting) -> TimelineEntry:
    return TimelineEntry(
        date=meeting.local_date,
        kind="meeting",
        kind_label=f"{meeting.get_kind_display()} meeting ({meeting.get_status_display().lower()})",
        summary=meeting.agenda.splitlines()[0][:200] if meeting.agenda.strip() else "Supplier meeting",
        details=meeting.minutes,
        who=str(meeting.created_by),
        url=meeting.get_absolute_url(),
        contract=meeting.contract,
        subject=meeting,
    )


def contract_timeline(contract: Contract, *, kind: str = "") -> list[TimelineEntry]:
    """The contract administration log, newest first: its timeline entries and, for the meetings
    recorded before meetings wrote the timeline, those meetings. `kind` is a kind or a group of kinds
    (contracts.selectors.timeline.KIND_GROUPS)."""
    entries = entries_of(timeline.contract_activities(contract, kind=kind))
    if kind in ("", "meetings"):
        entries.extend(_meeting_entry(meeting) for meeting in meetings_without_entries(contract))
        entries.sort(key=lambda entry: entry.date, reverse=True)  # stable: entries keep their order
    return entries


def user_meetings(user) -> QuerySet:
    """Meetings for a user's calendar: those they attend and those on contracts they own, of the
    contracts they may see today (an attendee who has handed a contract over no longer sees it)."""
    return (
        access.visible(user, Meeting)
        .filter(Q(attendees=user) | access.named_on(user, "contract"))
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("contract", "contract__supplier")
        .distinct()
    )
