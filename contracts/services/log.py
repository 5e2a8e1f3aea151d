"""Entries typed by people on the administration log. Calls, supplier events and notes are written
as typed; "Escalation to Procurement" raises a real escalation."""

from datetime import date

from django.db import transaction

from accounts.models import User
from contracts.documents import validate_document
from contracts.models import Activity, Contract, Escalation
from contracts.services.escalations import escalation_raise
from core.audit import history_user_set


@transaction.atomic
def typed_entry_record(*, activity: Activity, by: User, attachment=None) -> Activity:
    """A call, a supplier event or a note typed on the log, with an optional attachment."""
    if activity.kind not in Activity.TYPED_KINDS or activity.kind == Activity.Kind.ESCALATION:
        raise ValueError(f"{activity.kind} is not typed on the log: its service writes it.")
    if attachment is not None:
        validate_document(attachment)
        activity.attachment.save(attachment.name, attachment, save=False)
        activity.attachment_name = attachment.name[:255]
    activity.recorded_by = by
    history_user_set(activity, by)
    activity.save()
    return activity


@transaction.atomic
def escalation_from_log(
    *,
    contract: Contract,
    summary: str,
    details: str,
    occurred_on: date,
    source: str,
    severity: str,
    by: User,
) -> Escalation:
    """ "Escalation to Procurement" typed on the administration log: it raises a real escalation
    (told to the Procurement Unit like any other), which the timeline then shows."""
    escalation = Escalation(
        contract=contract,
        source=source,
        severity=severity,
        title=summary[:255],
        details=details,
        raised_on=occurred_on,
    )
    escalation.full_clean(exclude=["raised_by"])
    escalation_raise(escalation=escalation, by=by)  # which writes "Escalation raised" on the timeline
    return escalation
