"""Demo meetings, actions and administration-log entries for the demo register.

Safe to run twice: a contract that already has meetings or typed log entries is left alone."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from contracts.models import Activity, Contract
from contracts.services.log import typed_entry_record
from core.dates import add_months
from meetings import services
from meetings.models import Action, Meeting
from meetings.schedule import CADENCE_MONTHS, arrange_by_for
from meetings.selectors import contract_cadence

# Each contract's meetings, oldest first: (when, kind, status, ahead, minutes, actions).
# `when`: days from today, or ("next", slip): a cadence after the face-to-face meeting before, plus
# `slip` days (after it was due: late). `ahead`: months before the meeting it was recorded, or
# "late": three weeks after its arrange-by date (arranged late). Status None: held if past, else planned.
# Actions: (description, days after the meeting, done).
MINUTES = "Service levels met. Supplier to refresh the account plan."
MEETING_PATTERNS = (
    # Held with minutes and a finished action; the next one arranged in good time.
    (
        (-75, "face_to_face", None, 7, MINUTES, (("Refresh the account plan", 30, True),)),
        (("next", 0), "face_to_face", None, 7, "", ()),
    ),
    # Held without minutes and with an overdue action; a virtual call since.
    (
        (-40, "face_to_face", None, 6, "", (("Send the revised service credits schedule", 14, False),)),
        (-10, "virtual", None, 0, "Call about the January invoices.", ()),
    ),
    # Cancelled, and not rearranged.
    ((30, "face_to_face", "cancelled", 5, "", ()),),
)
# The contracts (by their place in reference order) whose meetings break the six-month rule.
LATE_PATTERNS = {
    # The next meeting recorded after its arrange-by date: arranged late (and at short notice).
    2: (
        (-200, "face_to_face", None, 8, "Annual review. Performance good; prices held for a year.", ()),
        (("next", 0), "face_to_face", None, "late", "", ()),
    ),
    # The next meeting arranged in time but dated a month after it was due: late.
    7: (
        (-120, "face_to_face", None, 7, "Mobilisation review. Staffing now at contract levels.", ()),
        (("next", 30), "face_to_face", None, 7, "", ()),
    ),
}

ACTIVITIES = (
    # MI reports, escalations and the rest are written on the timeline by the services that record them.
    (-60, Activity.Kind.CALL, "Call with the service manager about the quarterly MI", "Weekend figures to follow."),
    (-45, Activity.Kind.NOTE, "Site visit to the supplier's depot", "Vehicles and stock as described in the bid."),
    (-30, Activity.Kind.CALL, "Call with the account manager about weekend cover", "Agreed an extra engineer."),
    (-12, Activity.Kind.SUPPLIER_EVENT, "Supplier announced a new service desk system", "Go-live in the spring."),
    (-3, Activity.Kind.NOTE, "Invoices checked against the rate card", "No discrepancies."),
)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _seed_meetings(contract: Contract, pattern, *, today: date, by: User) -> None:
    months = CADENCE_MONTHS.get(contract_cadence(contract), 12)
    previous: date | None = None
    for number, (when, kind, status, ahead, minutes, actions) in enumerate(pattern):
        # When it is due after the one before; only a later meeting is dated from it ("next").
        due = add_months(previous, months) if previous else today
        day = today + timedelta(days=when) if isinstance(when, int) else due + timedelta(days=when[1])
        if ahead == "late":
            recorded = arrange_by_for(due) + timedelta(days=21)
        else:
            recorded = add_months(day, -ahead) if ahead else day - timedelta(days=10)
        status = status or ("held" if day < today else "planned")
        meeting = services.meeting_save(
            meeting=Meeting(
                contract=contract,
                kind=kind,
                starts_at=_at(day),
                location="Force headquarters, meeting room 2" if kind == "face_to_face" else "Microsoft Teams",
                status=status,
                agenda="Service review\nPerformance against KPIs\nRisks and issues\nAny other business",
                minutes=minutes if day < today else "",
                short_notice_reason="Called at short notice after a service failure."
                if day < add_months(min(recorded, today), 6)
                else "",
            ),
            by=by,
            attendees=[u for u in (contract.oco, contract.sro) if u],
            recorded_on=min(recorded, today),
            # The register holds no meeting before the demo's first: nothing for it to be due after.
            history=number == 0,
        )
        if kind == "face_to_face" and status != "cancelled":
            previous = day
        for description, after, done in actions:
            due = day + timedelta(days=after)
            services.action_save(
                action=Action(
                    meeting=meeting,
                    description=description,
                    owner=contract.oco,
                    due_date=due,
                    done_on=due - timedelta(days=2) if done else None,
                ),
                by=by,
            )


def seed(*, today: date, users: dict[str, User]) -> None:
    contracts = (
        Contract.objects.active()
        .filter(oco__isnull=False, meetings__isnull=True)
        # The services have written other entries (documents, MI reports ...): only typed ones say it is seeded.
        .exclude(activities__kind__in=Activity.TYPED_KINDS)
        .select_related("oco", "sro")
        .order_by("reference")
    )
    for number, contract in enumerate(contracts):
        by = contract.oco
        if number % 5 != 4:  # one contract in five has no meetings at all
            # Most contracts keep to the six-month rule; one meeting was arranged late and one is late.
            pattern = LATE_PATTERNS.get(number, MEETING_PATTERNS[number % len(MEETING_PATTERNS)])
            _seed_meetings(contract, pattern, today=today, by=by)
        for days, kind, summary, details in ACTIVITIES[: 2 + number % 4]:
            typed_entry_record(
                activity=Activity(
                    contract=contract,
                    kind=kind,
                    occurred_on=today + timedelta(days=days),
                    summary=summary,
                    details=details,
                ),
                by=by,
            )


def counts() -> dict[str, int]:
    return {
        "meetings": Meeting.objects.count(),
        "actions": Action.objects.count(),
        "activities": Activity.objects.count(),
    }
