"""Recording KPI results, rating them, spotting persistent poor performance, reminding OCOs."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts import roles
from accounts.models import User
from contracts.documents import validate_document
from contracts.models import Contract, Escalation
from core.audit import history_user_set
from core.formatting import long_date
from notifications.models import Kind
from notifications.services import JobProgress, notify, remind, tasks_resolve, tasks_resolve_answered
from performance.models import Kpi, KpiResult, PoorPerformanceRun
from performance.ratings import POOR, Rating

# The reminders a recorded result answers (keyed by the KPI and the period's start).
RESULT_TASKS = (Kind.KPI_RESULT_DUE, Kind.KPI_RESULT_OVERDUE)

# Persistent poor performance: this many consecutive periods rated Requires improvement or worse ...
POOR_RUN = 3
# ... or this many consecutive periods rated Inadequate.
INADEQUATE_RUN = 2


@transaction.atomic
def kpi_save(*, kpi: Kpi, by: User) -> Kpi:
    history_user_set(kpi, by)
    kpi.save()
    return kpi


@transaction.atomic
def kpi_result_record(
    *,
    kpi: Kpi,
    period_start: date,
    actual: Decimal,
    by: User,
    commentary: str = "",
    evidence=None,
) -> KpiResult:
    """Record (or correct) the result of one period; it is rated from the KPI's target and thresholds.

    A correction edits the period's one result, and the edit is kept in its history."""
    # One writer per KPI at a time: a result saved at the same moment for the next period sees this
    # one, so a run of poor results is never missed and escalated once.
    kpi = Kpi.objects.select_for_update().select_related("contract").get(pk=kpi.pk)
    period = kpi.period_for(period_start)
    if period is None:
        raise ValidationError(
            {"period_start": f"{long_date(period_start)} is not the start of a reporting period of this KPI."}
        )
    if period.start > timezone.localdate():
        raise ValidationError({"period_start": "This period has not started yet."})
    kpi.validate_actual(actual)
    result = KpiResult.objects.filter(kpi=kpi, period_start=period.start).first() or KpiResult(
        kpi=kpi, period_start=period.start, period_end=period.end, recorded_by=by
    )
    result.actual = actual
    result.commentary = commentary
    result.rating = kpi.rate(actual)
    if evidence is not None:
        try:
            validate_document(evidence)
        except ValidationError as error:
            raise ValidationError({"evidence": error.messages}) from error
        result.evidence.save(evidence.name, evidence, save=False)
        result.evidence_name = evidence.name[:255]
    history_user_set(result, by)
    result.save()
    Kpi.objects.filter(pk=kpi.pk).refresh_latest()
    tasks_resolve(subject=kpi, kinds=RESULT_TASKS, due_date=period.start)
    persistent_poor_performance_check(kpi=kpi, by=by)
    return result


@transaction.atomic
def kpi_result_override(*, result: KpiResult, rating: str, reason: str, by: User) -> KpiResult:
    """The OCO's own rating, with the reason, in place of the calculated one ("" restores it)."""
    if rating and rating not in Rating.values:
        raise ValidationError({"rating_override": "Choose one of the ratings."})
    if rating and not reason.strip():
        raise ValidationError({"override_reason": "Say why the rating differs from the calculated one."})
    Kpi.objects.select_for_update().filter(pk=result.kpi_id).first()
    result.rating_override = rating
    result.override_reason = reason.strip() if rating else ""
    history_user_set(result, by)
    result.save(update_fields=["rating_override", "override_reason", "updated_at"])
    Kpi.objects.filter(pk=result.kpi_id).refresh_latest()
    persistent_poor_performance_check(kpi=result.kpi, by=by)
    return result


def _current_poor_run(kpi: Kpi) -> list[KpiResult]:
    """The latest results, newest first, while they are consecutive periods rated poorly."""
    results = list(KpiResult.objects.filter(kpi=kpi).order_by("-period_start")[:24])
    run: list[KpiResult] = []
    for result in results:
        if result.effective_rating not in POOR:
            break
        if run and result.period_end + timedelta(days=1) != run[-1].period_start:
            break  # a period without a result breaks the run
        run.append(result)
    return run


def _is_persistent(run: list[KpiResult]) -> bool:
    inadequate = 0
    for result in run:
        if result.effective_rating != Rating.INADEQUATE:
            break
        inadequate += 1
    return len(run) >= POOR_RUN or inadequate >= INADEQUATE_RUN


def persistent_poor_performance_check(*, kpi: Kpi, by: User) -> Escalation | None:
    """Escalate a KPI's run of poor results to the Procurement Unit, once per run."""
    run = _current_poor_run(kpi)
    if not _is_persistent(run):
        return None
    first = run[-1]
    contract = kpi.contract
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(
                contract=contract,
                source=Escalation.Source.PERSISTENT_POOR_PERFORMANCE,
                severity=Escalation.Severity.HIGH
                if any(r.effective_rating == Rating.INADEQUATE for r in run)
                else Escalation.Severity.MEDIUM,
                title=f"Persistent poor performance: {kpi.name}",
                details="\n".join(
                    f"{long_date(r.period_start)} to {long_date(r.period_end)}: "
                    f"{r.actual} ({r.get_effective_rating_display()})"
                    for r in reversed(run)
                ),
                raised_by=by,
            )
            PoorPerformanceRun.objects.create(kpi=kpi, first_period_start=first.period_start, escalation=escalation)
    except IntegrityError:
        return None  # this run was escalated already
    recipients = set(User.objects.in_role(roles.PROCUREMENT))
    if contract.oco is not None and contract.oco.is_active:
        recipients.add(contract.oco)
    for recipient in recipients:
        notify(
            recipient=recipient,
            kind=Kind.ESCALATION,
            title=f"{contract.reference}: persistent poor performance on {kpi.name}",
            body=(
                f"{len(run)} periods in a row rated Requires improvement or worse "
                f"since {long_date(first.period_start)}."
            ),
            url=escalation.get_absolute_url(),
        )
    return escalation


def kpi_reminders_send(*, today: date, progress: JobProgress | None = None) -> int:
    """Remind OCOs of results due within 7 days, and of overdue results, once per KPI period and kind."""
    progress = progress or JobProgress()
    recorded_since = KpiResult.objects.filter(kpi=OuterRef("subject_id"), period_start=OuterRef("ledger__due_date"))
    tasks_resolve_answered(model=Kpi, kinds=RESULT_TASKS, answered=Exists(recorded_since))
    kpis = (
        Kpi.objects.active()
        .filter(contract__status=Contract.Status.ACTIVE, contract__oco__isnull=False, contract__oco__is_active=True)
        .select_related("contract__oco")
    )
    recorded = set(KpiResult.objects.filter(kpi__in=kpis).values_list("kpi_id", "period_start"))
    oldest = today - timedelta(days=365)  # older gaps are history, not today's work
    for kpi in kpis:
        for period in kpi.periods(until=today):
            if period.end >= today or period.due_on < oldest or (kpi.pk, period.start) in recorded:
                continue
            overdue = period.due_on < today
            if not overdue and (period.due_on - today).days > 7:
                continue
            progress.count(
                remind(
                    recipient=kpi.contract.oco,
                    kind=Kind.KPI_RESULT_OVERDUE if overdue else Kind.KPI_RESULT_DUE,
                    subject=kpi,
                    due_date=period.start,
                    title=(
                        f"{'Overdue' if overdue else 'Due'}: {kpi.name} on {kpi.contract.reference} "
                        f"for {long_date(period.start)} to {long_date(period.end)}"
                    ),
                    body=f"The result was due by {long_date(period.due_on)}.",
                    url=kpi.get_absolute_url(),
                )
            )
    return progress.sent
