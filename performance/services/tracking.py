"""Writes about a contract's milestones and the supplier's MI reports, and the daily job that
writes on the timeline the MI reports that became late and the milestones that were missed.

Each write names its author in the audit trail (django-simple-history) and writes the contract's
timeline in its transaction."""

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import User
from contracts.documents import validate_document
from contracts.models import Activity
from contracts.services.timeline import timeline_record
from core.audit import history_user_set
from core.formatting import long_date
from notifications.services import JobProgress
from performance.models import Milestone, MiReport

MISSED = (Milestone.Status.NOT_MET, Milestone.Status.PARTIALLY_MET)


def _missed_summary(milestone: Milestone) -> str:
    how = "partially met" if milestone.status == Milestone.Status.PARTIALLY_MET else "not met"
    return f"{milestone.title}: {how} (due {long_date(milestone.due_date)})"


@transaction.atomic
def milestone_save(*, milestone: Milestone, by: User) -> Milestone:
    """Save a validated milestone; a blank owner means the contract's OCO. A milestone recorded as
    not met, or only partially, goes on the timeline once (unless the daily job wrote it missed)."""
    if milestone.owner_id is None and milestone.contract.oco_id:
        milestone.owner_id = milestone.contract.oco_id
    before = (
        Milestone.objects.select_for_update().filter(pk=milestone.pk).values_list("status", flat=True).first()
        if milestone.pk
        else None
    )
    history_user_set(milestone, by)
    milestone.save()
    if (
        milestone.status in MISSED
        and before not in MISSED
        and not Activity.objects.about(milestone).filter(kind=Activity.Kind.MILESTONE_MISSED).exists()
    ):
        timeline_record(
            contract=milestone.contract,
            kind=Activity.Kind.MILESTONE_MISSED,
            summary=_missed_summary(milestone),
            details=milestone.notes,
            subject=milestone,
            by=by,
        )
    return milestone


@transaction.atomic
def mi_report_save(*, report: MiReport, by: User, upload=None) -> MiReport:
    """Save a validated MI report, expected or received, with its file when one is uploaded.
    Its receipt and its evaluation (first, or revised) go on the contract's timeline."""
    if upload is not None:
        validate_document(upload)
        report.file.save(upload.name, upload, save=False)
        report.file_name = upload.name[:255]
    if report.pk is None:
        report.recorded_by = by
    before = (
        MiReport.objects.select_for_update().filter(pk=report.pk).values("received_on", "evaluation").first()
        if report.pk
        else None
    )
    history_user_set(report, by)
    report.save()
    if report.received_on is not None and (before is None or before["received_on"] is None):
        days_late = (report.received_on - report.expected_by).days
        late = f", {days_late} day{'s' if days_late != 1 else ''} late" if days_late > 0 else ""
        timeline_record(
            contract=report.contract,
            kind=Activity.Kind.MI_REPORT,
            summary=f"MI report for {report.period_label} received{late}",
            subject=report,
            by=by,
            occurred_on=report.received_on,
        )
    evaluated_before = before["evaluation"].strip() if before else ""
    if report.evaluation.strip() and report.evaluation.strip() != evaluated_before:
        timeline_record(
            contract=report.contract,
            kind=Activity.Kind.MI_EVALUATION,
            summary=f"MI report for {report.period_label} {'re-evaluated' if evaluated_before else 'evaluated'}",
            details="\n\n".join(part for part in (report.evaluation, report.issues_found) if part.strip()),
            subject=report,
            by=by,
        )
    return report


# --- The daily job ------------------------------------------------------------------------------


def without_entry(queryset: QuerySet, kind: str | None) -> QuerySet:
    """The rows no timeline entry of `kind` (of any kind, with None) is about."""
    entries = Activity.objects.filter(
        subject_type=ContentType.objects.get_for_model(queryset.model), subject_id=OuterRef("pk")
    )
    return queryset.exclude(Exists(entries.filter(kind=kind) if kind else entries))


def lateness_record(*, today: date, progress: JobProgress | None = None) -> int:
    """Write on each contract's timeline, once, every MI report that became late (expected before
    today, not received) and every milestone missed (scheduled, due before today). Run twice, late, or
    by several workers at once, each is written once: the subject's row is locked while it is checked.
    Returns how many entries it wrote."""
    progress = progress or JobProgress()
    late = without_entry(
        MiReport.objects.filter(received_on__isnull=True, expected_by__lt=today), Activity.Kind.MI_LATE
    )
    missed = without_entry(
        Milestone.objects.filter(status=Milestone.Status.SCHEDULED, due_date__lt=today), Activity.Kind.MILESTONE_MISSED
    )
    written = sum(_report_late(pk=pk, today=today) for pk in late.order_by("pk").values_list("pk", flat=True))
    written += sum(_milestone_missed(pk=pk, today=today) for pk in missed.order_by("pk").values_list("pk", flat=True))
    progress.detail = f"{written} timeline entries written"
    return written


@transaction.atomic
def _report_late(*, pk: int, today: date) -> bool:
    report = MiReport.objects.select_for_update().select_related("contract").get(pk=pk)
    if report.received_on is not None or report.expected_by >= today:
        return False
    if Activity.objects.about(report).filter(kind=Activity.Kind.MI_LATE).exists():
        return False
    timeline_record(
        contract=report.contract,
        kind=Activity.Kind.MI_LATE,
        summary=f"MI report for {report.period_label} not received by {long_date(report.expected_by)}",
        subject=report,
        occurred_on=report.expected_by + timedelta(days=1),
    )
    return True


@transaction.atomic
def _milestone_missed(*, pk: int, today: date) -> bool:
    milestone = Milestone.objects.select_for_update().select_related("contract").get(pk=pk)
    if milestone.status != Milestone.Status.SCHEDULED or milestone.due_date >= today:
        return False
    if Activity.objects.about(milestone).filter(kind=Activity.Kind.MILESTONE_MISSED).exists():
        return False
    timeline_record(
        contract=milestone.contract,
        kind=Activity.Kind.MILESTONE_MISSED,
        summary=f"{milestone.title}: not met by its due date, {long_date(milestone.due_date)}",
        subject=milestone,
        occurred_on=milestone.due_date + timedelta(days=1),
    )
    return True
