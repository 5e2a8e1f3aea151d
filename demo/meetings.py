"""Demo meetings, actions and administration-log entries for the demo register.

Safe to run twice: a contract that already has meetings or activities is left alone."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from contracts.models import Activity, Contract
from core.dates import add_months
from meetings import services
from meetings.models import Action, Meeting

# (days from today, status, kind, months arranged ahead, minutes, actions: (description, days after, done))
MEETING_PATTERNS = (
    # Held with minutes and a finished action; the next one arranged in good time.
    (
        (
            -75,
            "held",
            "face_to_face",
            7,
            "Service levels met. Supplier to refresh the account plan.",
            (("Refresh the account plan", 30, True),),
        ),
        (190, "planned", "face_to_face", 7, "", ()),
    ),
    # Held without minutes and with an overdue action; nothing arranged since.
    (
        (-40, "held", "face_to_face", 6, "", (("Send the revised service credits schedule", 14, False),)),
        (-10, "held", "virtual", 0, "Call about the January invoices.", ()),
    ),
    # A short-notice meeting called for a service failure.
    (
        (-200, "held", "face_to_face", 8, "Annual review. Performance good; prices held for a year.", ()),
        (21, "planned", "face_to_face", 0, "", ()),
    ),
    # Cancelled, and not rearranged.
    ((30, "cancelled", "face_to_face", 5, "", ()),),
)

ACTIVITIES = (
    (-60, Activity.Kind.MI_REPORT, "Quarterly management-information report received", "On time; all KPIs reported."),
    (-55, Activity.Kind.MI_EVALUATION, "Evaluated the quarterly MI", "Response times slipping at weekends."),
    (-30, Activity.Kind.CALL, "Call with the account manager about weekend cover", "Agreed an extra engineer."),
    (-12, Activity.Kind.SUPPLIER_EVENT, "Supplier announced a new service desk system", "Go-live in the spring."),
    (-3, Activity.Kind.NOTE, "Invoices checked against the rate card", "No discrepancies."),
)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _seed_meetings(contract: Contract, pattern, *, today: date, by: User) -> None:
    for days, status, kind, months_ahead, minutes, actions in pattern:
        day = today + timedelta(days=days)
        arranged = add_months(day, -months_ahead) if months_ahead else day - timedelta(days=10)
        meeting = Meeting(
            contract=contract,
            kind=kind,
            starts_at=_at(day),
            location="Force headquarters, meeting room 2" if kind == "face_to_face" else "Microsoft Teams",
            arranged_on=min(arranged, today),
            status=status,
            agenda="Service review\nPerformance against KPIs\nRisks and issues\nAny other business",
            minutes=minutes,
            short_notice_reason="Called at short notice after a service failure." if months_ahead == 0 else "",
        )
        meeting = services.meeting_save(
            meeting=meeting, by=by, attendees=[u for u in (contract.oco, contract.sro) if u]
        )
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
        .filter(oco__isnull=False, meetings__isnull=True, activities__isnull=True)
        .select_related("oco", "sro")
        .order_by("reference")
    )
    for number, contract in enumerate(contracts):
        by = contract.oco
        if number % 5 != 4:  # one contract in five has no meetings at all
            _seed_meetings(contract, MEETING_PATTERNS[number % len(MEETING_PATTERNS)], today=today, by=by)
        for days, kind, summary, details in ACTIVITIES[: 2 + number % 4]:
            services.activity_record(
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
