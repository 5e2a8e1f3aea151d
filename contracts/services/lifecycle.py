"""A contract's formal life: variations, renewals and expiry alerts, its end, savings, training, handover."""

from collections.abc import Collection
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import ngettext

from accounts import roles
from accounts.models import TrainingRecord, User
from contracts.models import (
    Activity,
    Contract,
    ContractEnding,
    ExtensionOption,
    RenewalDecision,
    Saving,
)
from contracts.selectors.lifecycle import ocos_needing_training, training_expiry
from contracts.services.register import _assignments_sync
from contracts.services.timeline import timeline_record
from core.audit import history_user_set
from core.formatting import long_date
from notifications.models import Kind
from notifications.services import JobProgress, remind, tasks_resolve, tasks_resolve_answered

# Alerts this many days before a contract's notice date and before its end date.
ALERT_DAYS = (180, 90, 30)


def _save(instance, *, by: User, reason: str = "", **kwargs):
    history_user_set(instance, by)
    if reason:
        instance._change_reason = reason
    instance.save(**kwargs)
    return instance


def _notice_published(*, contract: Contract, notice: str, on: date, corrected: bool, subject, by: User) -> None:
    timeline_record(
        contract=contract,
        kind=Activity.Kind.NOTICE_PUBLISHED,
        summary=f"{notice} {'recorded as published, date corrected to' if corrected else 'published on'} "
        f"{long_date(on)}",
        subject=subject,
        by=by,
        occurred_on=on,
    )


# --- Renewals -----------------------------------------------------------------------------


@transaction.atomic
def extension_option_save(*, option: ExtensionOption, by: User) -> ExtensionOption:
    return _save(option, by=by)


@transaction.atomic
def renewal_decide(*, contract: Contract, decision: str, notes: str, by: User) -> RenewalDecision:
    """Record the decision on the contract's current term (its end date now): a later term needs its own."""
    decision_row = RenewalDecision(
        contract=contract, decision=decision, notes=notes, decided_by=by, end_date=contract.end_date
    )
    _save(decision_row, by=by)
    tasks_resolve(subject=contract, kinds=[Kind.RENEWAL_DECISION_OVERDUE])
    return decision_row


def _recipients(contract: Contract, procurement: list[User]) -> list[User]:
    people = {u for u in (contract.oco, contract.sro) if u is not None and u.is_active}
    return sorted(people | set(procurement), key=lambda u: u.pk)


def expiry_alerts_send(*, today: date, progress: JobProgress | None = None) -> int:
    """At 180, 90 and 30 days before a contract's notice date and before its end date, alert the OCO,
    the SRO and the Procurement Unit; weekly while an active contract is past its end date because an
    extension was taken but its end date not moved. Each once: a missed day is caught up by the next
    run, with the latest threshold passed. A contract past its end date with no extension taken is
    not alerted: contracts_expire expires it and says so (one alarm, not two)."""
    progress = progress or JobProgress()
    procurement = list(User.objects.in_role(roles.PROCUREMENT))
    not_past_end = Contract.objects.exclude(status=Contract.Status.ACTIVE, end_date__lt=today).values("pk")
    tasks_resolve_answered(model=Contract, kinds=[Kind.CONTRACT_PAST_END], answered=Q(subject_id__in=not_past_end))
    # Every active contract: its notice date may lie far ahead of today only by its notice period.
    expired = Contract.objects.past_end_without_extension(today=today)
    contracts = Contract.objects.active().exclude(pk__in=expired.values("pk"))
    for contract in contracts.select_related("oco", "sro"):
        recipients = _recipients(contract, procurement)
        url = contract.get_absolute_url()
        if contract.end_date < today:
            weeks = (today - contract.end_date).days // 7
            key = contract.end_date + timedelta(days=7 * weeks)
            for person in recipients:
                progress.count(
                    remind(
                        recipient=person,
                        kind=Kind.CONTRACT_PAST_END,
                        subject=contract,
                        due_date=key,
                        due_on=contract.end_date,
                        title=f"{contract.reference} is still active but ended on {long_date(contract.end_date)}",
                        body="An extension was taken: record the variation that moves its end date, or how it ended.",
                        url=url,
                    )
                )
            continue
        for kind, day, label in (
            (Kind.CONTRACT_NOTICE_DATE, contract.notice_date, "notice date"),
            (Kind.CONTRACT_END_DATE, contract.end_date, "end date"),
        ):
            if day < today:
                continue
            passed = [n for n in ALERT_DAYS if today >= day - timedelta(days=n)]
            if not passed:
                continue
            threshold = min(passed)  # the latest threshold reached
            left = (day - today).days
            for person in recipients:
                progress.count(
                    remind(
                        recipient=person,
                        kind=kind,
                        subject=contract,
                        due_date=day - timedelta(days=threshold),
                        title=f"{contract.reference}: {label} in "
                        + ngettext("%(count)d day", "%(count)d days", left) % {"count": left}
                        + f" ({long_date(day)})",
                        body=f"{contract.title}. Decide whether to extend, re-procure or let it expire.",
                        url=url,
                    )
                )
    return progress.sent


# --- Ending -------------------------------------------------------------------------------


@transaction.atomic
def contract_end(*, ending: ContractEnding, by: User) -> ContractEnding:
    """Terminate a contract or let it expire; the record holds what its termination notice needs."""
    contract = Contract.objects.select_for_update().get(pk=ending.contract_id)
    ending.recorded_by = by
    _save(ending, by=by)
    before = contract.status
    contract.status = (
        Contract.Status.TERMINATED if ending.kind == ContractEnding.Kind.TERMINATED else Contract.Status.EXPIRED
    )
    _save(contract, by=by, reason=f"{ending.get_kind_display()} on {long_date(ending.ended_on)}")
    tasks_resolve(subject=contract, kinds=[Kind.CONTRACT_PAST_END])
    timeline_record(
        contract=contract,
        kind=Activity.Kind.STATUS,
        summary=(
            f"Status changed from {Contract.Status(before).label.lower()} to {contract.get_status_display().lower()}: "
            if before != contract.status
            else "Ending recorded: "
        )
        + f"{ending.get_kind_display().lower()} on {long_date(ending.ended_on)}",
        details=ending.reason,
        subject=ending,
        by=by,
        occurred_on=min(ending.ended_on, timezone.localdate()),
    )
    return ending


@transaction.atomic
def termination_notice_published(*, ending: ContractEnding, on: date, by: User) -> ContractEnding:
    """Record the day the contract termination notice was published (again: corrects the day)."""
    before = ending.notice_published_on
    ending.notice_published_on = on
    _save(ending, by=by, update_fields=["notice_published_on"])
    if before != on:
        _notice_published(
            contract=ending.contract,
            notice="Contract termination notice",
            on=on,
            corrected=before is not None,
            subject=ending,
            by=by,
        )
    return ending


# --- Savings --------------------------------------------------------------------------------


@transaction.atomic
def saving_record(*, saving: Saving, by: User) -> Saving:
    saving.financial_year = Saving.financial_year_of(saving.achieved_on)
    saving.recorded_by = saving.recorded_by if saving.pk else by
    return _save(saving, by=by)


@transaction.atomic
def saving_validate(*, saving: Saving, by: User, on: date) -> Saving:
    saving.validated_by = by
    saving.validated_on = on
    return _save(saving, by=by, update_fields=["validated_by", "validated_on"])


# --- Training -------------------------------------------------------------------------------


@transaction.atomic
def training_record(*, record: TrainingRecord, by: User) -> TrainingRecord:
    """Record a course someone attended; current commercial-awareness training closes their reminder."""
    _save(record, by=by)
    if record.user.has_current_training(on=timezone.localdate()):
        tasks_resolve(subject=record.user, kinds=[Kind.TRAINING_DUE])
    return record


def training_reminders_send(*, today: date, progress: JobProgress | None = None) -> int:
    """Remind OCOs whose training is missing (once a month) or about to expire (once per expiry)."""
    progress = progress or JobProgress()
    trained = TrainingRecord.objects.commercial_awareness().current(on=today).values("user")
    tasks_resolve_answered(model=User, kinds=[Kind.TRAINING_DUE], answered=Q(subject_id__in=trained))
    for oco in ocos_needing_training(today=today):
        current, expiry = training_expiry(oco.training_records.all(), today=today)
        if current and expiry:
            key, title = expiry, f"Your commercial-awareness training expires on {long_date(expiry)}"
        else:
            key, title = today.replace(day=1), "You have no current commercial-awareness training"
        progress.count(
            remind(
                recipient=oco,
                kind=Kind.TRAINING_DUE,
                subject=oco,
                due_date=key,
                title=title,
                body="The Contract Management policy asks every OCO to hold it. Book it with the Procurement Unit.",
            )
        )
    return progress.sent


# --- Handover -------------------------------------------------------------------------------


def handover_history_reason(*, from_user: User | None, to_user: User, reason: str) -> str:
    """The reason each contract's history keeps; refused, at the form's first step too, when too long."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the contracts are handed over."})
    history_reason = f"Handover from {from_user or 'nobody'} to {to_user}: {reason.strip()}"
    limit = HANDOVER_REASON_LIMIT
    if len(history_reason) > limit:
        raise ValidationError(
            {
                "reason": ngettext(
                    "Shorten the reason by %(count)d character",
                    "Shorten the reason by %(count)d characters",
                    len(history_reason) - limit,
                )
                % {"count": len(history_reason) - limit}
                + f": each contract's history keeps {limit} characters, with the names."
            }
        )
    return history_reason


HANDOVER_REASON_LIMIT = Contract.history.model._meta.get_field("history_change_reason").max_length


def _handover_check(*, to_user: User, role: str) -> str:
    needed = roles.OCO if role == "oco" else roles.SRO
    if not to_user.is_active or not to_user.has_role(needed):
        raise ValidationError({"to_user": f"{to_user} is not an active {needed}."})
    return {"oco": "oco", "sro": "sro"}[role]


def _hand_over(*, contract: Contract, field: str, to_user: User, reason: str, by: User) -> None:
    from_user = getattr(contract, field)
    setattr(contract, field, to_user)
    _save(contract, by=by, reason=handover_history_reason(from_user=from_user, to_user=to_user, reason=reason))
    _assignments_sync(contract=contract, by=by)
    if not contract.sro_problem:
        tasks_resolve(subject=contract, kinds=[Kind.STRATEGIC_WITHOUT_SRO])
    timeline_record(
        contract=contract,
        kind=Activity.Kind.HANDOVER,
        summary=f"Handed over as {field.upper()} from {from_user or 'nobody'} to {to_user}",
        details=reason.strip(),
        by=by,
    )


@transaction.atomic
def handover(*, from_user: User, to_user: User, role: str, reason: str, by: User) -> int:
    """Move every live contract of one OCO (or SRO) to another user in one step, with the reason
    in each contract's history. Returns how many contracts moved."""
    if from_user == to_user:
        raise ValidationError({"to_user": "Choose someone else to hand over to."})
    field = _handover_check(to_user=to_user, role=role)
    handover_history_reason(from_user=from_user, to_user=to_user, reason=reason)
    contracts = list(
        Contract.objects.select_for_update()
        .filter(**{field: from_user})
        .exclude(status__in=[Contract.Status.EXPIRED, Contract.Status.TERMINATED])
    )
    for contract in contracts:
        _hand_over(contract=contract, field=field, to_user=to_user, reason=reason, by=by)
    return len(contracts)


@transaction.atomic
def contracts_hand_over(*, contracts: Collection[int], to_user: User, role: str, reason: str, by: User) -> int:
    """Move the chosen live contracts to one OCO (or SRO), whoever holds them now: the register's bulk
    action. Each contract's history names the person it moved from. Returns how many moved."""
    field = _handover_check(to_user=to_user, role=role)
    moving = list(
        Contract.objects.select_for_update(of=("self",))
        .select_related(field)
        .filter(pk__in=contracts)
        .exclude(status__in=[Contract.Status.EXPIRED, Contract.Status.TERMINATED])
        .exclude(**{field: to_user})
        .order_by("reference")
    )
    for contract in moving:
        _hand_over(contract=contract, field=field, to_user=to_user, reason=reason, by=by)
    return len(moving)
