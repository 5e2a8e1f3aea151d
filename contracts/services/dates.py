"""What the calendar does to a contract, run daily: its status follows its end date, and a renewal
decision missed by its decide-by date is reminded to its owner and escalated."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from accounts import roles
from accounts.models import User
from contracts.models import Activity, Contract, ContractEnding
from contracts.services.lifecycle import _recipients
from contracts.services.timeline import timeline_record
from core.audit import history_user_set
from core.formatting import long_date
from notifications.models import Kind
from notifications.services import JobProgress, remind, tasks_resolve, tasks_resolve_answered

# --- Expiry -------------------------------------------------------------------------------------


def contracts_expire(*, today: date, progress: JobProgress | None = None) -> int:
    """Move every active contract past its end date with no extension taken to expired: each in its
    own transaction, with its timeline entry and its ending (under the Act its termination notice is
    then due: ContractEnding.objects.termination_notice_due), and the OCO, SRO and Procurement Unit
    told once. Run twice, late, or by several workers at once, a contract
    expires once. Returns the notifications sent."""
    progress = progress or JobProgress()
    procurement = list(User.objects.in_role(roles.PROCUREMENT))
    due = Contract.objects.past_end_without_extension(today=today).order_by("end_date", "pk")
    for pk in due.values_list("pk", flat=True):
        _contract_expire(pk=pk, today=today, procurement=procurement, progress=progress)
    return progress.sent


@transaction.atomic
def _contract_expire(*, pk: int, today: date, procurement: list[User], progress: JobProgress) -> None:
    # The lock waits for a worker expiring the same contract; the rule is then read again.
    if Contract.objects.select_for_update().filter(pk=pk, status=Contract.Status.ACTIVE).first() is None:
        return
    contract = (
        Contract.objects.past_end_without_extension(today=today).select_related("oco", "sro").filter(pk=pk).first()
    )
    if contract is None:
        return
    ended = long_date(contract.end_date)
    contract.status = Contract.Status.EXPIRED
    history_user_set(contract, None)
    contract._change_reason = f"Expired: its end date, {ended}, passed with no extension taken"
    contract.save()
    timeline_record(
        contract=contract,
        kind=Activity.Kind.STATUS,
        summary=f"Status changed from active to expired: its end date, {ended}, passed with no extension taken",
        subject=contract,
        by=None,
    )
    ending = ContractEnding.objects.filter(contract=contract).first()
    if ending is None:
        # How it ended; under the Act (section 80) its termination notice is then due within 30 days.
        ending = ContractEnding(
            contract=contract,
            kind=ContractEnding.Kind.EXPIRED,
            ended_on=contract.end_date,
            reason="Reached its end date with no extension taken (recorded by the register).",
            recorded_by=None,
        )
        history_user_set(ending, None)
        ending.save()
    notice = ""
    if contract.needs_termination_notice and ending.notice_published_on is None:
        notice = (
            f" Publish its contract termination notice by {long_date(ending.notice_due_by)} "
            "(Procurement Act 2023, section 80)."
        )
    # Ended: nothing is left to decide, and it is no longer "still active".
    tasks_resolve(subject=contract, kinds=[Kind.CONTRACT_PAST_END, Kind.RENEWAL_DECISION_OVERDUE])
    for person in _recipients(contract, procurement):
        progress.count(
            remind(
                recipient=person,
                kind=Kind.CONTRACT_EXPIRED,
                subject=contract,
                due_date=contract.end_date,
                title=f"{contract.reference} has expired: it ended on {ended}",
                body=f"{contract.title}. No extension was taken, so the register now shows it as expired.{notice}",
                url=contract.get_absolute_url(),
            )
        )


# --- Renewal decisions ----------------------------------------------------------------------------


def renewal_decisions_overdue_send(*, today: date, progress: JobProgress | None = None) -> int:
    """When a contract's decide-by date (its notice date less RENEWAL_DECISION_LEAD_MONTHS) passes with
    no renewal decision for its current term, remind the decision's owner and escalate it to the SRO
    and the Procurement Unit: each once per decide-by date. Returns the notifications sent."""
    progress = progress or JobProgress()
    procurement = list(User.objects.in_role(roles.PROCUREMENT))
    overdue = Contract.objects.renewal_decision_overdue(today=today).select_related("oco", "sro")
    # Decided some other way (an import, an administrator), ended, or its term moved on: the task closes.
    answered = Q(subject_id__in=Contract.objects.exclude(pk__in=overdue.values("pk")).values("pk"))
    tasks_resolve_answered(model=Contract, kinds=[Kind.RENEWAL_DECISION_OVERDUE], answered=answered)
    for contract in overdue.order_by("decide_by", "pk"):
        owner = contract.renewal_owner
        url = reverse("lifecycle:renewal_decide", args=[contract.pk])
        lead = settings.RENEWAL_DECISION_LEAD_MONTHS
        due = f"due on {long_date(contract.decide_by)}, {lead} months before its notice date"
        if owner is not None and owner.is_active:
            progress.count(
                remind(
                    recipient=owner,
                    kind=Kind.RENEWAL_DECISION_OVERDUE,
                    subject=contract,
                    due_date=contract.decide_by,
                    due_on=contract.decide_by,
                    title=f"{contract.reference}: your renewal decision is overdue",
                    body=f"The decision was {due} ({long_date(contract.notice_on)}). "
                    "Record whether to extend, re-procure or let it expire.",
                    url=url,
                )
            )
        who = f"{owner} has" if owner is not None else "Nobody has"
        for person in _recipients(contract, procurement):
            if person == owner or person == contract.oco:
                continue
            progress.count(
                remind(
                    recipient=person,
                    kind=Kind.RENEWAL_DECISION_ESCALATED,
                    subject=contract,
                    due_date=contract.decide_by,
                    title=f"{contract.reference}: renewal decision overdue",
                    body=f"{who} not recorded the renewal decision {due} ({long_date(contract.notice_on)}).",
                    url=reverse("lifecycle:contract", args=[contract.pk]) + "#renewal",
                )
            )
    return progress.sent
