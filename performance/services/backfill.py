"""Putting on the timeline what was recorded before the services wrote it: MI reports received and
evaluated, escalations raised, MI reports late and milestones missed. Run once after upgrading
(`manage.py timeline_backfill`); safe to run again, it writes only what has no entry yet."""

from datetime import date

from django.db import transaction

from contracts.models import Activity, Escalation
from contracts.services.timeline import timeline_record
from performance.models import MiReport
from performance.services.tracking import lateness_record, without_entry


def timeline_backfill(*, today: date) -> dict[str, int]:
    """Write the missing entries; returns how many of each kind it wrote."""
    received = without_entry(MiReport.objects.filter(received_on__isnull=False), Activity.Kind.MI_REPORT)
    evaluated = without_entry(MiReport.objects.exclude(evaluation=""), Activity.Kind.MI_EVALUATION)
    # Any entry about an escalation (raised, updated, its supplier information) already shows it.
    escalations = without_entry(Escalation.objects.all(), kind=None)
    return {
        "MI reports received": sum(_received(pk) for pk in received.values_list("pk", flat=True)),
        "MI reports evaluated": sum(_evaluated(pk) for pk in evaluated.values_list("pk", flat=True)),
        "escalations": sum(_escalation(pk) for pk in escalations.values_list("pk", flat=True)),
        "MI reports late and milestones missed": lateness_record(today=today),
    }


def _written(subject, kind: str | None) -> bool:
    entries = Activity.objects.about(subject)
    return (entries.filter(kind=kind) if kind else entries).exists()


@transaction.atomic
def _received(pk: int) -> bool:
    report = MiReport.objects.select_for_update().select_related("contract").get(pk=pk)
    if report.received_on is None or _written(report, Activity.Kind.MI_REPORT):
        return False
    timeline_record(
        contract=report.contract,
        kind=Activity.Kind.MI_REPORT,
        summary=f"MI report for {report.period_label} received",
        subject=report,
        by=report.recorded_by,
        occurred_on=report.received_on,
    )
    return True


@transaction.atomic
def _evaluated(pk: int) -> bool:
    report = MiReport.objects.select_for_update().select_related("contract").get(pk=pk)
    if not report.evaluation.strip() or _written(report, Activity.Kind.MI_EVALUATION):
        return False
    timeline_record(
        contract=report.contract,
        kind=Activity.Kind.MI_EVALUATION,
        summary=f"MI report for {report.period_label} evaluated",
        details="\n\n".join(part for part in (report.evaluation, report.issues_found) if part.strip()),
        subject=report,
        by=report.recorded_by,
        occurred_on=report.received_on or report.recorded_at.date(),
    )
    return True


@transaction.atomic
def _escalation(pk: int) -> bool:
    escalation = Escalation.objects.select_for_update().select_related("contract").get(pk=pk)
    if _written(escalation, None):
        return False
    timeline_record(
        contract=escalation.contract,
        kind=Activity.Kind.ESCALATION_RAISED,
        summary=escalation.title,
        details=escalation.details,
        subject=escalation,
        by=escalation.raised_by,
        occurred_on=escalation.raised_on,
    )
    return True
