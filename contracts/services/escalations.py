"""Escalations to the Procurement Unit: raised by hand, managed, and raised by supplier information."""

from datetime import date
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import User
from contracts.documents import validate_document
from contracts.models import Activity, Contract, Escalation, EscalationUpdate
from contracts.services.timeline import timeline_record
from core.audit import history_user_set
from core.formatting import long_date
from notifications.models import Kind
from notifications.services import JobProgress, notify, remind, tasks_resolve, tasks_resolve_answered
from suppliers.models import SupplierInformation


def _saved(instance, *, by: User | None):
    history_user_set(instance, by)
    instance.save()
    return instance


def _procurement_unit() -> list[User]:
    return list(User.objects.in_role(roles.PROCUREMENT))


def _contract_lines(contracts: list[Contract]) -> str:
    return "\n".join(f"{c.reference} {c.title}" for c in contracts)


# --- Raised by hand and managed ---------------------------------------------------------

CLOSING = (Escalation.Status.RESOLVED, Escalation.Status.CLOSED)
# The task an overdue escalation gives the Procurement Unit: closed by its answer.
OVERDUE_TASKS = (Kind.ESCALATION_OVERDUE,)


def _tell(
    people, *, by: User | None, kind: str, title: str, body: str, url: str, subject: Escalation | None = None
) -> list[User]:
    """One notification to each person named (once, however often named), not to `by`, nor to
    anyone who has left the force. Returns who was told."""
    told: dict[int, User] = {}
    for person in people:
        if person is None or not person.is_active or (by is not None and person.pk == by.pk) or person.pk in told:
            continue
        told[person.pk] = person
        notify(recipient=person, kind=kind, title=title, body=body, url=url, subject=subject)
    return list(told.values())


@transaction.atomic
def escalation_create(*, escalation: Escalation, by: User | None) -> Escalation:
    """Save a new escalation with its respond-by date and write it on the contract's timeline.
    Telling people is the caller's (each source tells different people)."""
    escalation.raised_by = by
    escalation.respond_by = Escalation.respond_by_for(severity=escalation.severity, raised_on=escalation.raised_on)
    if by is not None and by.sees_everything:
        # Raised by the Procurement Unit itself (by hand, from supplier information or a result it
        # recorded): nobody waits for its answer, so it is never overdue.
        escalation.answered_on = escalation.raised_on
    _saved(escalation, by=by)
    timeline_record(
        contract=escalation.contract,
        kind=Activity.Kind.ESCALATION_RAISED,
        summary=f"Escalation raised: {escalation.title}",
        details=f"{escalation.get_source_display()}, {escalation.get_severity_display().lower()} severity."
        + (f"\n\n{escalation.details}" if escalation.details else ""),
        subject=escalation,
        by=by,
        occurred_on=escalation.raised_on,
    )
    return escalation


@transaction.atomic
def escalation_raise(*, escalation: Escalation, by: User) -> Escalation:
    """Raise a validated escalation on its contract.

    Raised by an OCO, it goes to the Procurement Unit; raised by the Procurement Unit,
    the contract's OCO hears of it."""
    escalation.status = Escalation.Status.OPEN
    escalation_create(escalation=escalation, by=by)
    assert escalation.respond_by is not None  # escalation_create sets it
    contract = escalation.contract
    title = f"Escalation on {contract.reference}: {escalation.title}"
    body = (
        f"{escalation.get_source_display()}, {escalation.get_severity_display().lower()} severity. Raised by {by}."
        f" The Procurement Unit responds by {long_date(escalation.respond_by)}."
    )
    recipients = [contract.oco] if by.sees_everything else _procurement_unit()
    url = escalation.get_absolute_url()
    _tell(recipients, by=by, kind=Kind.ESCALATION, title=title, body=body, url=url, subject=escalation)
    return escalation


def _answered(escalation: Escalation, *, by: User) -> None:
    """The Procurement Unit's first post or change answers the escalation: it is no longer overdue,
    and the overdue reminders' tasks close."""
    if by.sees_everything and escalation.answered_on is None:
        escalation.answered_on = timezone.localdate()
    if escalation.answered_on is not None or not escalation.is_open:
        tasks_resolve(subject=escalation, kinds=OVERDUE_TASKS)


def _status_timeline(escalation: Escalation, *, before: str, by: User, details: str) -> None:
    status = escalation.get_status_display().lower()
    resolved = escalation.status in CLOSING and before not in CLOSING
    timeline_record(
        contract=escalation.contract,
        kind=Activity.Kind.ESCALATION_RESOLVED if resolved else Activity.Kind.ESCALATION_UPDATED,
        summary=f"Escalation {status}: {escalation.title}"
        if before != escalation.status
        else f"Escalation updated: {escalation.title}",
        details=details,
        subject=escalation,
        by=by,
    )


@transaction.atomic
def escalation_update(*, escalation: Escalation, by: User) -> Escalation:
    """Save the Procurement Unit's changes to an escalation (kept in its history and on the
    timeline); a change of status is told to whoever raised it and the contract's OCO, and a new
    owner hears it is theirs."""
    before = Escalation.objects.select_for_update().only("status", "severity", "owner").get(pk=escalation.pk)
    if before.severity != escalation.severity and escalation.answered_on is None:
        escalation.respond_by = Escalation.respond_by_for(severity=escalation.severity, raised_on=escalation.raised_on)
    _answered(escalation, by=by)
    _saved(escalation, by=by)
    contract = escalation.contract
    changes = []
    if before.status != escalation.status:
        changes.append(
            f"Status from {before.get_status_display().lower()} to {escalation.get_status_display().lower()}."
        )
    if escalation.resolution and escalation.status in CLOSING:
        changes.append(f"Resolution: {escalation.resolution}")
    elif escalation.actions:
        changes.append(f"Actions: {escalation.actions}")
    _status_timeline(escalation, before=before.status, by=by, details="\n".join(changes))
    if before.status != escalation.status:
        _tell(
            [escalation.raised_by, contract.oco],
            by=by,
            kind=Kind.ESCALATION,
            title=f"Escalation on {contract.reference} now {escalation.get_status_display().lower()}: "
            f"{escalation.title}",
            body=f"{by} changed its status from {before.get_status_display().lower()} "
            f"to {escalation.get_status_display().lower()}."
            + (f"\nResolution: {escalation.resolution}" if escalation.resolution else ""),
            url=escalation.get_absolute_url(),
            subject=escalation,
        )
    if escalation.owner_id is not None and escalation.owner_id != before.owner_id:
        _tell(
            [escalation.owner],
            by=by,
            kind=Kind.ESCALATION,
            title=f"Escalation on {contract.reference} is yours: {escalation.title}"[:255],
            body=f"{by} made you its owner. The Procurement Unit responds by {long_date(escalation.respond_by)}."
            if escalation.respond_by
            else f"{by} made you its owner.",
            url=escalation.get_absolute_url(),
            subject=escalation,
        )
    return escalation


@transaction.atomic
def escalation_post(
    *, escalation: Escalation, by: User, text: str, attachment=None, status: str = ""
) -> EscalationUpdate:
    """Post in an escalation's thread: an update (with an optional attachment) or a comment.
    The Procurement Unit alone may change the status with it (PermissionDenied otherwise).
    On the timeline and in the history; whoever raised it, the contract's OCO and the Procurement
    Unit officer handling it are told (the Procurement Unit, while nobody handles it)."""
    escalation = (
        Escalation.objects.select_for_update(of=("self",))
        .select_related("contract__oco", "raised_by", "owner")
        .get(pk=escalation.pk)
    )
    before = escalation.status
    changed = bool(status) and status != before
    if changed and not by.has_perm("contracts.change_escalation_status", escalation):
        raise PermissionDenied("Only the Procurement Unit changes an escalation's status.")
    update = EscalationUpdate(escalation=escalation, author=by, text=text.strip())
    if attachment is not None:
        validate_document(attachment)
        update.attachment.save(attachment.name, attachment, save=False)
        update.attachment_name = attachment.name[:255]
    if changed:
        update.status_before, update.status_after = before, status
        escalation.status = status
        if status in CLOSING and not escalation.resolution:
            escalation.resolution = update.text
    answered_before = escalation.answered_on
    _answered(escalation, by=by)
    if changed or escalation.answered_on != answered_before:
        _saved(escalation, by=by)
    history_user_set(update, by)
    update.save()

    contract = escalation.contract
    _status_timeline(escalation, before=before, by=by, details=f"{by}: {update.text}")
    people = [escalation.raised_by, contract.oco, escalation.owner]
    if escalation.owner is None and not by.sees_everything:
        people += _procurement_unit()
    now = f" It is now {escalation.get_status_display().lower()}." if changed else ""
    _tell(
        people,
        by=by,
        kind=Kind.ESCALATION_UPDATE,
        title=f"{by} on the escalation {contract.reference}: {escalation.title}"[:255],
        body=f"{update.text}{now}",
        url=f"{escalation.get_absolute_url()}#update-{update.pk}",
        subject=escalation,
    )
    return update


@transaction.atomic
def escalation_respond_by_fill() -> int:
    """The escalations raised before respond-by dates existed: their date by severity; one already
    past Open (in progress, resolved, closed) was answered, on the day of that change as far as is
    known (taken as the day raised). Fills only what is missing. Returns how many it set."""
    missing = list(Escalation.objects.select_for_update().filter(respond_by__isnull=True))
    for escalation in missing:
        escalation.respond_by = Escalation.respond_by_for(severity=escalation.severity, raised_on=escalation.raised_on)
        if escalation.status != Escalation.Status.OPEN and escalation.answered_on is None:
            escalation.answered_on = escalation.raised_on
    Escalation.objects.bulk_update(missing, ["respond_by", "answered_on"], batch_size=500)
    return len(missing)


def escalation_overdue_reminders_send(*, today: date, progress: JobProgress | None = None) -> int:
    """Remind the Procurement Unit, once, of each escalation past its respond-by date without an
    answer: its owner if it has one, otherwise every Procurement Unit officer."""
    progress = progress or JobProgress()
    # Answered or closed some other way (an administrator): the task is done.
    still_overdue = Escalation.objects.overdue(today=today).filter(pk=OuterRef("subject_id"))
    tasks_resolve_answered(model=Escalation, kinds=OVERDUE_TASKS, answered=~Q(Exists(still_overdue)))
    procurement = _procurement_unit()
    overdue = Escalation.objects.overdue(today=today).select_related("contract", "owner").order_by("respond_by", "pk")
    for escalation in overdue:
        assert escalation.respond_by is not None  # overdue() finds only escalations with one
        owner = escalation.owner
        for recipient in [owner] if owner is not None and owner.is_active else procurement:
            progress.count(
                remind(
                    recipient=recipient,
                    kind=Kind.ESCALATION_OVERDUE,
                    subject=escalation,
                    due_date=escalation.respond_by,
                    due_on=escalation.respond_by,
                    title=f"Overdue: escalation on {escalation.contract.reference}: {escalation.title}"[:255],
                    body=f"Raised {long_date(escalation.raised_on)}, "
                    f"{escalation.get_severity_display().lower()} severity; a response was due by "
                    f"{long_date(escalation.respond_by)}.",
                    url=escalation.get_absolute_url(),
                )
            )
    return progress.sent


# --- Supplier information -----------------------------------------------------------------


def _escalation_for(information: SupplierInformation, contract: Contract) -> Escalation:
    details = [information.summary]
    if information.details:
        details.append(information.details)
    details.append(f"Source: {information.source}, {long_date(information.occurred_on)}.")
    return Escalation(
        contract=contract,
        supplier_information=information,
        # The two sets of choices share their values: financial and reputational.
        source=information.kind,
        severity=information.severity,
        title=f"{information.get_category_display()}: {information.supplier.name}"[:255],
        details="\n\n".join(details),
        raised_on=timezone.localdate(),
    )


@transaction.atomic
def supplier_information_record(*, information: SupplierInformation, by: User | None) -> list[Escalation]:
    """Record financial or reputational information about a supplier and escalate it once
    (`by` None: a job found it, as Companies House monitoring does).

    Each active contract of the supplier (whoever can see it) gets one escalation to the
    Procurement Unit; the Procurement Unit and each OCO and SRO of those contracts get one
    notification listing their contracts. Called again for the same information, it
    escalates only active contracts not yet escalated and notifies only about those.
    Returns the escalations it created."""
    is_new = information.pk is None
    if is_new:
        information.recorded_by = by
        _saved(information, by=by)
    else:
        # Two calls at once for the same information run one after the other.
        SupplierInformation.objects.select_for_update().filter(pk=information.pk).first()

    already = set(Escalation.objects.filter(supplier_information=information).values_list("contract_id", flat=True))
    contracts = list(
        Contract.objects.active()
        .filter(supplier_id=information.supplier_id)
        .exclude(pk__in=already)
        .select_related("oco", "sro")
        .order_by("reference")
    )
    created = [escalation_create(escalation=_escalation_for(information, contract), by=by) for contract in contracts]
    for escalation in created:
        _supplier_information_timeline(information=information, escalation=escalation, by=by)
    if created or is_new:
        _supplier_information_notify(information=information, escalations=created)
    return created


def _supplier_information_timeline(
    *, information: SupplierInformation, escalation: Escalation, by: User | None
) -> None:
    """On each affected contract's timeline: the information, linked to the escalation it raised there."""
    timeline_record(
        contract=escalation.contract,
        kind=Activity.Kind.SUPPLIER_INFORMATION,
        summary=f"{information.get_category_display()} ({information.get_severity_display().lower()} severity): "
        f"{information.summary}; escalated to the Procurement Unit",
        details=f"{information.details}\n\nSource: {information.source}".strip(),
        subject=escalation,
        by=by,
        occurred_on=min(information.occurred_on, timezone.localdate()),
    )


def _supplier_information_notify(*, information: SupplierInformation, escalations: list[Escalation]) -> None:
    """One notification per person, listing the contracts that concern them: the Procurement
    Unit hears of every contract escalated, an OCO or SRO of those that are theirs."""
    people: dict[int, User] = {}
    concerns: dict[int, list[Escalation]] = {}
    for user in _procurement_unit():
        people[user.pk] = user
        concerns[user.pk] = list(escalations)
    for escalation in escalations:
        for owner in (escalation.contract.oco, escalation.contract.sro):
            # Someone who has left the force (account deactivated) is not told.
            if owner is None or not owner.is_active:
                continue
            people.setdefault(owner.pk, owner)
            mine = concerns.setdefault(owner.pk, [])
            if escalation not in mine:
                mine.append(escalation)

    supplier = information.supplier
    headline = f"{information.get_category_display()}: {supplier.name}"
    about = (
        f"{information.get_kind_display()} information, {information.get_severity_display().lower()} severity, "
        f"dated {long_date(information.occurred_on)}: {information.summary}\n"
        f"Source: {information.source}"
    )
    for pk, recipient in people.items():
        mine = concerns[pk]
        if not mine:
            title = f"{headline} (no active contracts)"
            body = f"{about}\n\n{supplier.name} has no active contracts: nothing was escalated."
            url = supplier.get_absolute_url()
        else:
            count = len(mine)
            title = f"{headline} ({count} contract{'s' if count != 1 else ''} escalated)"
            body = f"{about}\n\nEscalated to the Procurement Unit:\n{_contract_lines([e.contract for e in mine])}"
            # Status "any": the link still finds them once they are resolved.
            url = (
                mine[0].get_absolute_url()
                if count == 1
                else f"{reverse('escalations:list')}?{urlencode({'q': supplier.name, 'status': ''})}"
            )
        notify(recipient=recipient, kind=Kind.SUPPLIER_INFORMATION, title=title, body=body, url=url)
