"""Writing the contract's timeline. Every service that causes an event calls `timeline_record`
inside its own transaction, so the event and its entry are saved (or rolled back) together."""

from datetime import date

from django.db import models
from django.utils import timezone

from accounts.models import User
from contracts.models import Activity, Contract
from core.audit import history_user_set


def timeline_record(
    *,
    contract: Contract,
    kind: str,
    summary: str,
    details: str = "",
    subject: models.Model | None = None,
    by: User | None = None,
    occurred_on: date | None = None,
) -> Activity:
    """Write one event on a contract's timeline. `by` is blank only for what the system did itself;
    `subject` is the object the event is about (the escalation, the MI report, the meeting ...)."""
    activity = Activity(
        contract=contract,
        kind=kind,
        summary=summary[:255],
        details=details,
        recorded_by=by,
        occurred_on=occurred_on or timezone.localdate(),
    )
    if subject is not None:
        activity.subject = subject
    history_user_set(activity, by)
    activity.save()
    return activity
