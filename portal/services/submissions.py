"""MI submissions through the supplier portal: the supplier uploads the report and the period's figure
for each KPI; the contract's OCO (or the Procurement Unit) accepts each figure, which records the KPI
result with its source, or queries it with a reason, and the supplier resubmits. Every step goes on the
contract's timeline; a submission is a task for the OCO until every figure in it is verified."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from accounts import roles
from accounts.models import User
from contracts.documents import validate_document
from contracts.models import Activity
from contracts.services.timeline import timeline_record
from core.audit import history_user_set
from notifications.models import Kind
from notifications.services import notify, tasks_resolve
from performance.models import Kpi, KpiResult, MiReport
from performance.periods import Period, period_containing
from performance.services.kpis import kpi_result_record
from performance.services.tracking import mi_report_save
from portal.models import Figure, Submission


@dataclass(frozen=True)
class Entry:
    """What the supplier typed for one KPI."""

    actual: Decimal
    commentary: str = ""


def kpis_to_report(report: MiReport) -> list[tuple[Kpi, Period]]:
    """The contract's active KPIs measured in the report's period, each with its period (the one that
    contains the report's first day, and has started)."""
    today = timezone.localdate()
    found = []
    for kpi in report.contract.kpis.filter(is_active=True).order_by("name"):
        period = period_containing(start=kpi.start_date, frequency=kpi.frequency, day=report.period_start)
        if period is not None and period.start <= today and period.start <= kpi.last_day:
            found.append((kpi, period))
    return found


def _figures_text(figures: list[Figure]) -> str:
    return "\n".join(f"{f.kpi.name}: {f.actual} (target {f.kpi.target})" for f in figures)


def _tell_the_oco(*, submission: Submission, title: str) -> None:
    contract = submission.mi_report.contract
    people = [contract.oco] if contract.oco is not None and contract.oco.is_active else []
    people = people or list(User.objects.in_role(roles.PROCUREMENT))
    for person in people:
        notify(
            recipient=person,
            kind=Kind.MI_SUBMITTED,
            title=f"{contract.reference}: {title}"[:255],
            url=reverse("supplier_access:submission", args=[submission.pk]),
            subject=submission,
        )


@transaction.atomic
def submission_make(*, report: MiReport, by: User, upload, entries: dict[int, Entry]) -> Submission:
    """The supplier's first submission of a report: its file and a figure for each KPI to report
    (`entries` by KPI id). The MI report is received today, its file the one uploaded."""
    report = MiReport.objects.select_for_update(of=("self",)).select_related("contract__oco").get(pk=report.pk)
    if report.submissions.exists():
        raise ValidationError("This report was submitted already.")
    try:
        validate_document(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    submission = Submission(mi_report=report, submitted_by=by, file_name=upload.name[:255])
    submission.file.save(upload.name, upload, save=False)
    history_user_set(submission, by)
    submission.save()
    figures = []
    for kpi, period in kpis_to_report(report):
        entry = entries.get(kpi.pk)
        if entry is None:
            raise ValidationError({f"kpi_{kpi.pk}": "Enter the figure for this KPI."})
        _validate(kpi, entry, field=f"kpi_{kpi.pk}")
        figure = Figure(submission=submission, kpi=kpi, period_start=period.start, **entry.__dict__)
        history_user_set(figure, by)
        figure.save()
        figures.append(figure)
    report.received_on = report.received_on or timezone.localdate()
    report.file.name, report.file_name = submission.file.name, submission.file_name
    mi_report_save(report=report, by=by)
    tasks_resolve(subject=report, kinds=[Kind.MI_LATE_OCO])  # received: nothing left to chase
    count = ngettext("%(n)d KPI figure", "%(n)d KPI figures", len(figures)) % {"n": len(figures)}
    timeline_record(
        contract=report.contract,
        kind=Activity.Kind.SUPPLIER_SUBMISSION,
        summary=f"MI report for {report.period_label} submitted by the supplier, with {count}",
        details=_figures_text(figures),
        subject=submission,
        by=by,
    )
    _tell_the_oco(submission=submission, title=f"MI report for {report.period_label} submitted: verify {count}")
    return submission


def _validate(kpi: Kpi, entry: Entry, *, field: str) -> None:
    try:
        kpi.validate_actual(entry.actual)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error


@transaction.atomic
def submission_resubmit(*, submission: Submission, by: User, entries: dict[int, Entry]) -> list[Figure]:
    """The supplier answers the queried figures with new ones; they wait for the OCO again."""
    submission = (
        Submission.objects.select_for_update(of=("self",)).select_related("mi_report__contract").get(pk=submission.pk)
    )
    queried = list(submission.figures.filter(status=Figure.Status.QUERIED).select_related("kpi"))
    if not queried:
        raise ValidationError("Nothing in this report is queried.")
    for figure in queried:
        entry = entries.get(figure.kpi_id)
        if entry is None:
            raise ValidationError({f"kpi_{figure.kpi_id}": "Enter the corrected figure."})
        _validate(figure.kpi, entry, field=f"kpi_{figure.kpi_id}")
        figure.actual, figure.commentary, figure.status = entry.actual, entry.commentary, Figure.Status.PENDING
        history_user_set(figure, by)
        figure.save(update_fields=["actual", "commentary", "status"])
    report = submission.mi_report
    count = ngettext("%(n)d queried figure", "%(n)d queried figures", len(queried)) % {"n": len(queried)}
    timeline_record(
        contract=report.contract,
        kind=Activity.Kind.SUPPLIER_SUBMISSION,
        summary=f"MI report for {report.period_label}: the supplier resubmitted {count}",
        details="\n".join(
            f"{f.kpi.name}: {f.actual} (queried: {f.query_reason})\n{f.commentary}".strip() for f in queried
        ),
        subject=submission,
        by=by,
    )
    _tell_the_oco(submission=submission, title=f"MI report for {report.period_label}: {count} resubmitted")
    return queried


def _pending(figure: Figure) -> Figure:
    figure = (
        Figure.objects.select_for_update(of=("self",))
        .select_related("kpi", "submission__mi_report__contract")
        .get(pk=figure.pk)
    )
    if figure.status != Figure.Status.PENDING:
        raise ValidationError("This figure was verified already.")
    return figure


def _close_if_verified(submission: Submission) -> None:
    if not submission.figures.filter(status=Figure.Status.PENDING).exists():
        tasks_resolve(subject=submission, kinds=[Kind.MI_SUBMITTED])


@transaction.atomic
def figure_accept(*, figure: Figure, by: User, commentary: str = "") -> KpiResult:
    """The OCO accepts the figure: it is recorded as the period's KPI result and rated as usual, its
    source "supplier, verified by <OCO>". A rating below standard needs the OCO's commentary, as always."""
    figure = _pending(figure)
    result = kpi_result_record(
        kpi=figure.kpi,
        period_start=figure.period_start,
        actual=figure.actual,
        by=by,
        commentary=commentary or figure.commentary,
        source=f"supplier, verified by {by}",
    )
    figure.status, figure.result, figure.verified_by = Figure.Status.ACCEPTED, result, by
    history_user_set(figure, by)
    figure.save(update_fields=["status", "result", "verified_by"])
    timeline_record(
        contract=figure.submission.mi_report.contract,
        kind=Activity.Kind.SUPPLIER_FIGURE_ACCEPTED,
        summary=f"{figure.kpi.name}: the supplier's {figure.actual} accepted, "
        f"rated {result.get_effective_rating_display()}",
        subject=figure.submission,
        by=by,
    )
    _close_if_verified(figure.submission)
    return result


@transaction.atomic
def figure_query(*, figure: Figure, by: User, reason: str) -> Figure:
    """The OCO queries the figure with a reason: the supplier sees it, and the person who submitted it is
    e-mailed; they resubmit."""
    if not reason.strip():
        raise ValidationError({"reason": "Say what is wrong with the figure, for the supplier."})
    figure = _pending(figure)
    figure.status, figure.query_reason, figure.verified_by = Figure.Status.QUERIED, reason.strip(), by
    history_user_set(figure, by)
    figure.save(update_fields=["status", "query_reason", "verified_by"])
    submission = figure.submission
    report = submission.mi_report
    timeline_record(
        contract=report.contract,
        kind=Activity.Kind.SUPPLIER_FIGURE_QUERIED,
        summary=f"{figure.kpi.name}: the supplier's {figure.actual} queried",
        details=figure.query_reason,
        subject=submission,
        by=by,
    )
    if submission.submitted_by.is_active:
        notify(
            recipient=submission.submitted_by,
            kind=Kind.MI_FIGURE_QUERIED,
            title=f"{report.contract.reference}: your figure for {figure.kpi.name} ({report.period_label}) is queried",
            body=figure.query_reason,
            url=reverse("portal:report", args=[report.pk]),
        )
    _close_if_verified(submission)
    return figure
