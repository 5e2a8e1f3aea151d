"""Escalations to the Procurement Unit: raised by hand, managed, and raised by supplier information."""

from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import User
from contracts.models import Activity, Contract, Escalation
from contracts.services.timeline import timeline_record
from core.audit import history_user_set
from core.formatting import long_date
from notifications.models import Kind
from notifications.services import notify
from suppliers.models import SupplierInformation


def _saved(instance, *, by: User):
    history_user_set(instance, by)
    instance.save()
    return instance


def _procurement_unit() -> list[User]:
    return list(User.objects.in_role(roles.PROCUREMENT))


def _contract_lines(contracts: list[Contract]) -> str:
    return "\n".join(f"{c.reference} {c.title}" for c in contracts)


# --- Raised by hand and managed ---------------------------------------------------------


@transaction.atomic
def escalation_raise(*, escalation: Escalation, by: User) -> Escalation:
    """Raise a validated escalation on its contract.

    Raised by an OCO, it goes to the Procurement Unit; raised by the Procurement Unit,
    the contract's OCO hears of it."""
    escalation.raised_by = by
    escalation.status = Escalation.Status.OPEN
    _saved(escalation, by=by)
    contract = escalation.contract
    title = f"Escalation on {contract.reference}: {escalation.title}"
    body = f"{escalation.get_source_display()}, {escalation.get_severity_display().lower()} severity. Raised by {by}."
    if by.sees_everything:
        recipients = [contract.oco] if contract.oco is not None and contract.oco.is_active else []
    else:
        recipients = _procurement_unit()
    for recipient in recipients:
        if recipient.pk != by.pk:
            notify(recipient=recipient, kind=Kind.ESCALATION, title=title, body=body, url=escalation.get_absolute_url())
    return escalation


@transaction.atomic
def escalation_update(*, escalation: Escalation, by: User) -> Escalation:
    """Save the Procurement Unit's changes to an escalation (kept in its history);
    a change of status is told to the contract's OCO."""
    before = Escalation.objects.select_for_update().only("status").get(pk=escalation.pk)
    _saved(escalation, by=by)
    contract = escalation.contract
    oco = contract.oco if contract.oco_id else None
    if before.status != escalation.status and oco is not None and oco.is_active and oco.pk != by.pk:
        notify(
            recipient=oco,
            kind=Kind.ESCALATION,
            title=f"Escalation on {contract.reference} now {escalation.get_status_display().lower()}: "
            f"{escalation.title}",
            body=f"{by} changed its status from {before.get_status_display().lower()} "
            f"to {escalation.get_status_display().lower()}."
            + (f"\nResolution: {escalation.resolution}" if escalation.resolution else ""),
            url=escalation.get_absolute_url(),
        )
    return escalation


# --- Supplier information -----------------------------------------------------------------


def _escalation_for(information: SupplierInformation, contract: Contract, *, by: User) -> Escalation:
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
        raised_by=by,
        raised_on=timezone.localdate(),
    )


@transaction.atomic
def supplier_information_record(*, information: SupplierInformation, by: User) -> list[Escalation]:
    """Record financial or reputational information about a supplier and escalate it once.

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
    created = [_saved(_escalation_for(information, contract, by=by), by=by) for contract in contracts]
    for escalation in created:
        _supplier_information_timeline(information=information, escalation=escalation, by=by)
    if created or is_new:
        _supplier_information_notify(information=information, escalations=created)
    return created


def _supplier_information_timeline(*, information: SupplierInformation, escalation: Escalation, by: User) -> None:
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
