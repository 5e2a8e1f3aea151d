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
from contracts.models import Activity, Contract, Escalation
from contracts.services.escalations import escalation_create
from contracts.services.timeline import timeline_record
from core.audit import history_user_set
from core.formatting import long_date
from notifications.models import Kind
from notifications.services import JobProgress, notify, remind, tasks_resolve, tasks_resolve_answered
from performance.models import ImprovementPlan, Kpi, KpiResult, PoorPerformanceRun
from performance.periods import RESULT_DUE_DAYS
from performance.ratings import POOR, Rating
from performance.services.kpi_ratings import kpi_ratings_refresh
from performance.services.rating_months import rating_count_move

# The reminders a recorded result answers (keyed by the KPI and the period's start).
RESULT_TASKS = (Kind.KPI_RESULT_DUE, Kind.KPI_RESULT_OVERDUE)

# Persistent poor performance: this many consecutive periods rated Requires improvement or worse ...
POOR_RUN = 3
# ... or this many consecutive periods rated Inadequate.
INADEQUATE_RUN = 2


@transaction.atomic
def kpi_save(*, kpi: Kpi, by: User) -> Kpi:
    """Create or edit a KPI; its contract's KPI ratings follow (a new one is not yet rated; an
    inactive one is not counted)."""
    moved_from = Kpi.objects.filter(pk=kpi.pk).values_list("contract", flat=True).first() if kpi.pk else None
    history_user_set(kpi, by)
    kpi.save()
    kpi_ratings_refresh(kpi.contract_id, moved_from)
    return kpi


@transaction.atomic
def kpi_delete(*, kpi: Kpi, by: User) -> None:
    """Delete a KPI (the administrators' admin does), its results with it; its contract's KPI ratings follow."""
    history_user_set(kpi, by)
    kpi.delete()
    kpi_ratings_refresh(kpi.contract_id)


@transaction.atomic
def kpi_result_record(
    *,
    kpi: Kpi,
    period_start: date,
    actual: Decimal,
    by: User,
    commentary: str = "",
    evidence=None,
    source: str = "",
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
    rated_before = result.effective_rating if result.pk else ""
    result.actual = actual
    result.commentary = commentary.strip()
    result.source = source[:255]
    result.rating = kpi.rate(actual)
    if result.effective_rating in POOR and not result.commentary:
        rating = result.get_effective_rating_display()
        raise ValidationError(
            {"commentary": f"This result is rated {rating}: say why, and what the supplier is doing about it."}
        )
    if evidence is not None:
        try:
            validate_document(evidence)
        except ValidationError as error:
            raise ValidationError({"evidence": error.messages}) from error
        result.evidence.save(evidence.name, evidence, save=False)
        result.evidence_name = evidence.name[:255]
    history_user_set(result, by)
    result.save()
    _ratings_follow(kpi=kpi, period_start=result.period_start, before=rated_before, after=result.effective_rating)
    tasks_resolve(subject=kpi, kinds=RESULT_TASKS, due_date=period.start)
    _rating_consequences(result=result, rated_before=rated_before, by=by)
    return result


def _ratings_follow(*, kpi: Kpi, period_start, before: str, after: str) -> None:
    """A result of `kpi` for the period starting `period_start` went from rating `before` to `after` ("" when
    it did not exist, or no longer does): the KPI's latest rating, the contract's counts by rating and the
    month's counts follow, in the caller's transaction."""
    Kpi.objects.filter(pk=kpi.pk).refresh_latest()
    kpi_ratings_refresh(kpi.contract_id)
    rating_count_move(contract_id=kpi.contract_id, period_start=period_start, before=before, after=after)


def _rating_consequences(*, result: KpiResult, rated_before: str, by: User) -> None:
    """What a result newly rated below standard sets off, once per rating it comes to: the timeline
    entry, the persistent-poor-performance escalation, and for Inadequate, a message to the
    contract's SRO and the Procurement Unit. One message per person: whoever hears of the
    persistent run through its escalation is not told of the Inadequate result besides."""
    rating = result.effective_rating
    if rating not in POOR or rating == rated_before:
        persistent_poor_performance_check(kpi=result.kpi, by=by)
        return
    kpi = result.kpi
    contract = kpi.contract
    label = f"{long_date(result.period_start)} to {long_date(result.period_end)}"
    timeline_record(
        contract=contract,
        kind=Activity.Kind.KPI_POOR_RESULT,
        summary=f"{kpi.name}: {result.get_effective_rating_display()} for {label}",
        details=f"Result {result.actual} against a target of {kpi.target}.\n{result.commentary}".strip(),
        subject=result,
        by=by,
    )
    _, told = _persistent_escalate(kpi=kpi, by=by)
    if rating != Rating.INADEQUATE:
        return
    people = [contract.sro, *User.objects.in_role(roles.PROCUREMENT)]
    for person in {p.pk: p for p in people if p is not None and p.is_active and p.pk != by.pk}.values():
        if person.pk in told:
            continue
        notify(
            recipient=person,
            kind=Kind.KPI_INADEQUATE,
            title=f"{contract.reference}: {kpi.name} rated Inadequate for {label}"[:255],
            body=f"Recorded by {by}: {result.actual} against a target of {kpi.target}.\n{result.commentary}",
            url=kpi.get_absolute_url(),
            subject=result,
        )


@transaction.atomic
def kpi_result_override(*, result: KpiResult, rating: str, reason: str, by: User) -> KpiResult:
    """The OCO's own rating, with the reason, in place of the calculated one ("" restores it)."""
    if rating and rating not in Rating.values:
        raise ValidationError({"rating_override": "Choose one of the ratings."})
    if rating and not reason.strip():
        raise ValidationError({"override_reason": "Say why the rating differs from the calculated one."})
    Kpi.objects.select_for_update().filter(pk=result.kpi_id).first()
    rated_before = result.effective_rating
    result.rating_override = rating
    result.override_reason = reason.strip() if rating else ""
    history_user_set(result, by)
    result.save(update_fields=["rating_override", "override_reason", "updated_at"])
    kpi = result.kpi
    _ratings_follow(kpi=kpi, period_start=result.period_start, before=rated_before, after=result.effective_rating)
    timeline_record(
        contract=kpi.contract,
        kind=Activity.Kind.KPI_OVERRIDE,
        summary=(
            f"{kpi.name}, {long_date(result.period_start)}: rated {result.get_effective_rating_display()} "
            f"instead of the calculated {result.get_rating_display()}"
            if rating
            else f"{kpi.name}, {long_date(result.period_start)}: override removed, rated as calculated "
            f"({result.get_rating_display()})"
        ),
        details=result.override_reason,
        subject=result,
        by=by,
    )
    _rating_consequences(result=result, rated_before=rated_before, by=by)
    return result


@transaction.atomic
def kpi_result_delete(*, result: KpiResult, by: User) -> None:
    """Remove a result recorded in error (the administrators' admin does): the KPI's latest result
    and the monthly rating counts follow. Its history keeps what it was."""
    Kpi.objects.select_for_update().filter(pk=result.kpi_id).first()
    kpi = result.kpi
    history_user_set(result, by)
    rated = KpiResult.objects.filter(pk=result.pk).first()
    if rated is None:
        return
    rated.delete()
    _ratings_follow(kpi=kpi, period_start=rated.period_start, before=rated.effective_rating, after="")


@transaction.atomic
def kpi_result_admin_save(*, result: KpiResult, by: User) -> KpiResult:
    """An administrator's edit of a result in the admin: the KPI's latest result and the counts follow."""
    Kpi.objects.select_for_update().filter(pk=result.kpi_id).first()
    stored = KpiResult.objects.filter(pk=result.pk).first() if result.pk else None
    history_user_set(result, by)
    result.save()
    Kpi.objects.filter(pk__in={result.kpi_id, stored.kpi_id if stored else None}).refresh_latest()
    kpi_ratings_refresh(result.kpi.contract_id, stored.kpi.contract_id if stored else None)
    if stored is not None and (stored.kpi_id, stored.period_start) != (result.kpi_id, result.period_start):
        rating_count_move(
            contract_id=stored.kpi.contract_id,
            period_start=stored.period_start,
            before=stored.effective_rating,
            after="",
        )
        stored = None
    rating_count_move(
        contract_id=result.kpi.contract_id,
        period_start=result.period_start,
        before=stored.effective_rating if stored else "",
        after=result.effective_rating,
    )
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
    return _persistent_escalate(kpi=kpi, by=by)[0]


def _persistent_escalate(*, kpi: Kpi, by: User) -> tuple[Escalation | None, set[int]]:
    """The escalation of a persistent run (None when there is none, or it was escalated already),
    and the ids of the people told of it."""
    run = _current_poor_run(kpi)
    if not _is_persistent(run):
        return None, set()
    first = run[-1]
    contract = kpi.contract
    try:
        with transaction.atomic():
            escalation = Escalation(
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
            )
            escalation_create(escalation=escalation, by=by)
            PoorPerformanceRun.objects.create(kpi=kpi, first_period_start=first.period_start, escalation=escalation)
    except IntegrityError:
        return None, set()  # this run was escalated already
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
    return escalation, {r.pk for r in recipients}


@transaction.atomic
def improvement_plan_start(*, plan: ImprovementPlan, by: User) -> ImprovementPlan:
    """Start an improvement plan: on the contract's timeline, and its owner told (unless they wrote it)."""
    plan.created_by = by
    plan.status = ImprovementPlan.Status.OPEN
    history_user_set(plan, by)
    plan.save()
    about = plan.kpi.name if plan.kpi else plan.contract.reference
    timeline_record(
        contract=plan.contract,
        kind=Activity.Kind.IMPROVEMENT_PLAN,
        summary=f"Improvement plan started for {about}: improve by {long_date(plan.improve_by)}",
        details=f"{plan.must_improve}\nOwner: {plan.owner}. Review on {long_date(plan.review_on)}.",
        subject=plan,
        by=by,
    )
    if plan.owner.pk != by.pk and plan.owner.is_active:
        notify(
            recipient=plan.owner,
            kind=Kind.IMPROVEMENT_PLAN,
            title=f"{plan.contract.reference}: you own the improvement plan for {about}"[:255],
            body=f"{plan.must_improve}\nImprove by {long_date(plan.improve_by)}; "
            f"review on {long_date(plan.review_on)}.",
            url=plan.get_absolute_url(),
            subject=plan,
        )
    return plan


@transaction.atomic
def improvement_plan_update(*, plan: ImprovementPlan, by: User) -> ImprovementPlan:
    """Save a plan's new status or review date; a change of status goes on the timeline."""
    before = ImprovementPlan.objects.select_for_update().only("status").get(pk=plan.pk)
    history_user_set(plan, by)
    plan.save()
    if before.status != plan.status:
        about = plan.kpi.name if plan.kpi else plan.contract.reference
        timeline_record(
            contract=plan.contract,
            kind=Activity.Kind.IMPROVEMENT_PLAN,
            summary=f"Improvement plan for {about}: {plan.get_status_display().lower()}",
            subject=plan,
            by=by,
        )
    return plan


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
    oldest = today - timedelta(days=365)  # older gaps are history, not today's work
    # Only the periods that can still be reminded of: walked from the horizon, not from each KPI's start.
    since = oldest - timedelta(days=RESULT_DUE_DAYS)
    recorded = set(
        KpiResult.objects.filter(kpi__in=kpis, period_end__gte=since).order_by().values_list("kpi_id", "period_start")
    )
    for kpi in kpis:
        for period in kpi.periods(until=today, since=since):
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
                    due_on=period.due_on,
                    title=(
                        f"{'Overdue' if overdue else 'Due'}: {kpi.name} on {kpi.contract.reference} "
                        f"for {long_date(period.start)} to {long_date(period.end)}"
                    ),
                    body=f"The result was due by {long_date(period.due_on)}.",
                    url=kpi.get_absolute_url(),
                )
            )
    return progress.sent
