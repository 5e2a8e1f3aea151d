"""Writes about the contract's remedies: an improvement notice given and its outcome, a service credit
or deduction, a breach and its outcome, and the section 72 performance notice recorded as published.
Each goes on the contract's timeline; an outcome that makes a section 72 notice due gives the
Procurement Unit a task, closed when the notice is recorded as published."""

from datetime import date

from django.db import transaction

from accounts import roles
from accounts.models import User
from contracts.models import Activity
from contracts.services.timeline import timeline_record
from core.audit import history_user_set
from core.formatting import long_date, pounds
from notifications.models import Kind
from notifications.services import remind, tasks_resolve
from performance.models import Breach, ImprovementNotice, ServiceCredit

NOTICE_TASKS = [Kind.PERFORMANCE_NOTICE_DUE]
Remedy = ImprovementNotice | Breach


def _save(instance, *, by: User, **kwargs) -> None:
    history_user_set(instance, by)
    instance.save(**kwargs)


def _notice_due_tell(remedy: Remedy, *, what: str) -> str:
    """When the outcome makes a section 72 notice due: the Procurement Unit's task, once; the words
    the timeline entry ends with."""
    due = remedy.notice_due_by
    if due is None or remedy.outcome_on is None:
        return ""
    contract = remedy.contract
    for officer in User.objects.in_role(roles.PROCUREMENT).filter(is_active=True):
        remind(
            recipient=officer,
            kind=Kind.PERFORMANCE_NOTICE_DUE,
            subject=remedy,
            due_date=remedy.outcome_on,
            due_on=due,
            title=f"Publish a contract performance notice for {contract.reference}: {what}"[:255],
            body=f"{contract.title}. Section 72 of the Procurement Act 2023: due by {long_date(due)}.",
            url=remedy.get_absolute_url(),
        )
    return f" A contract performance notice is due by {long_date(due)} (section 72)."


@transaction.atomic
def improvement_notice_issue(*, notice: ImprovementNotice, by: User) -> ImprovementNotice:
    """Record an improvement notice given to the supplier, with its cure period."""
    notice.recorded_by = by
    _save(notice, by=by)
    timeline_record(
        contract=notice.contract,
        kind=Activity.Kind.IMPROVEMENT_NOTICE,
        summary=f"Improvement notice given: cure period to {long_date(notice.cure_by)}",
        details=f"{notice.failure}\nThe supplier must: {notice.required_action}",
        subject=notice,
        by=by,
        occurred_on=notice.issued_on,
    )
    return notice


@transaction.atomic
def improvement_notice_decide(*, notice: ImprovementNotice, by: User) -> ImprovementNotice:
    """Save the outcome of an improvement notice; a new outcome goes on the timeline, and a failure
    to improve on a contract under the Act makes a performance notice due."""
    before = ImprovementNotice.objects.select_for_update().only("outcome").get(pk=notice.pk)
    _save(notice, by=by)
    if before.outcome != notice.outcome:
        tail = _notice_due_tell(notice, what="the supplier failed to improve")
        timeline_record(
            contract=notice.contract,
            kind=Activity.Kind.IMPROVEMENT_NOTICE,
            summary=f"Improvement notice of {long_date(notice.issued_on)}: {notice.get_outcome_display().lower()}",
            details=(notice.outcome_notes + tail).strip(),
            subject=notice,
            by=by,
            occurred_on=notice.outcome_on,
        )
    return notice


@transaction.atomic
def service_credit_record(*, credit: ServiceCredit, by: User) -> ServiceCredit:
    """Record a service credit or deduction against a KPI's reporting period."""
    credit.recorded_by = by
    _save(credit, by=by)
    timeline_record(
        contract=credit.contract,
        kind=Activity.Kind.SERVICE_CREDIT,
        summary=(
            f"{credit.get_kind_display()} of {pounds(credit.amount)} on {credit.kpi.name} for "
            f"{long_date(credit.period_start)} to {long_date(credit.period_end)} (invoice {credit.invoice_reference})"
        )[:255],
        details=credit.reason,
        subject=credit,
        by=by,
    )
    return credit


@transaction.atomic
def breach_record(*, breach: Breach, by: User) -> Breach:
    breach.recorded_by = by
    _save(breach, by=by)
    timeline_record(
        contract=breach.contract,
        kind=Activity.Kind.BREACH,
        summary=f"Breach identified: {breach.requirement}"[:255],
        details=breach.description,
        subject=breach,
        by=by,
        occurred_on=breach.identified_on,
    )
    return breach


@transaction.atomic
def breach_decide(*, breach: Breach, by: User) -> Breach:
    """Save what a breach resulted in; a new outcome goes on the timeline, and termination, partial
    termination, damages or a settlement on a contract under the Act make a performance notice due."""
    before = Breach.objects.select_for_update().only("outcome", "value").get(pk=breach.pk)
    _save(breach, by=by)
    if (before.outcome, before.value) != (breach.outcome, breach.value):
        tail = _notice_due_tell(breach, what=breach.get_outcome_display().lower())
        timeline_record(
            contract=breach.contract,
            kind=Activity.Kind.BREACH,
            summary=f"Breach of {long_date(breach.identified_on)}: {breach.outcome_words}"[:255],
            details=(breach.outcome_notes + tail).strip(),
            subject=breach,
            by=by,
            occurred_on=breach.outcome_on,
        )
    return breach


@transaction.atomic
def remedy_notice_published(*, remedy: Remedy, on: date, by: User) -> Remedy:
    """Record the day the section 72 contract performance notice was published (again: corrects it)."""
    before = remedy.notice_published_on
    remedy.notice_published_on = on
    _save(remedy, by=by, update_fields=["notice_published_on"])
    if before != on:
        what = "breach" if isinstance(remedy, Breach) else "failure to improve"
        timeline_record(
            contract=remedy.contract,
            kind=Activity.Kind.NOTICE_PUBLISHED,
            summary=f"Contract performance notice ({what}) "
            f"{'recorded as published, date corrected to' if before else 'published on'} {long_date(on)}",
            subject=remedy,
            by=by,
            occurred_on=on,
        )
    tasks_resolve(subject=remedy, kinds=NOTICE_TASKS)
    return remedy
