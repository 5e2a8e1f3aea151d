"""What the demo users did about the morning's reminders, so each starts with a believable handful
of open tasks (and the "Done" tab shows tasks that closed themselves).

Runs after the reminder jobs in seed_demo. Each OCO has already recorded the minutes, finished the
actions and arranged the meetings the reminders asked for, all but a few: done through the same
services as the pages, so the tasks close the way a user's work closes them. Safe to run twice: a
second run finds only the tasks left on purpose."""

from datetime import date, datetime, time, timedelta
from typing import TypeVar

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from accounts import roles
from accounts.models import User
from contracts.models import Contract
from meetings import services as meeting_services
from meetings.models import Action, Meeting
from meetings.selectors import contract_meeting_schedule
from notifications.models import Kind, Notification
from notifications.services import notifications_mark_read

M = TypeVar("M", bound=Model)

# How many of each kind of task every OCO still has to do when they first sign in.
LEFT_TO_DO: dict[str, int] = {
    Kind.MEETING_ARRANGE_OVERDUE: 1,
    Kind.MINUTES_MISSING: 1,
    Kind.ACTION_OVERDUE: 1,
}
# The information the seeding sent each user that they have not read yet: the newest few (the rest,
# from "earlier days", they have read).
INFORMATION_LEFT_UNREAD = 5


def _subjects(user: User, kind: str, model: type[M]) -> list[M]:
    """What the user's open tasks of this kind are about, all but the few left to do."""
    tasks = Notification.objects.for_user(user).open_tasks().filter(kind=kind).order_by("pk")
    return [task.subject for task in tasks[LEFT_TO_DO[kind] :] if isinstance(task.subject, model)]


def _arrange(contract: Contract, *, today: date, by: User) -> None:
    due = contract_meeting_schedule(contract, today=today).due or today
    day = max(due, today + timedelta(days=28))
    meeting_services.meeting_save(
        meeting=Meeting(
            contract=contract,
            kind=Meeting.Kind.FACE_TO_FACE,
            starts_at=timezone.make_aware(datetime.combine(day, time(10, 0))),
            location="Force headquarters, meeting room 2",
            agenda="Service review\nPerformance against KPIs\nRisks and issues",
            short_notice_reason="Arranged after the arrange-by date had passed.",
        ),
        by=by,
        attendees=[u for u in (contract.oco, contract.sro) if u],
    )


@transaction.atomic
def seed(*, today: date) -> None:
    for oco in User.objects.in_role(roles.OCO).filter(is_active=True).order_by("username"):
        for meeting in _subjects(oco, Kind.MINUTES_MISSING, Meeting):
            meeting.minutes = "Service levels discussed; actions agreed and recorded below."
            meeting_services.meeting_save(meeting=meeting, by=oco)
        for action in _subjects(oco, Kind.ACTION_OVERDUE, Action):
            action.done_on = today - timedelta(days=1)
            meeting_services.action_save(action=action, by=oco)
        for contract in _subjects(oco, Kind.MEETING_ARRANGE_OVERDUE, Contract):
            _arrange(contract, today=today, by=oco)
    for user in User.objects.filter(is_active=True).order_by("username"):
        unread = Notification.objects.for_user(user).information().unread().order_by("-created_at", "-pk")
        read_earlier = list(unread.values_list("pk", flat=True)[INFORMATION_LEFT_UNREAD:])
        if read_earlier:
            notifications_mark_read(user=user, ids=read_earlier)
