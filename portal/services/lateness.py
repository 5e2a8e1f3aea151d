"""Repeated lateness of a supplier's MI reports follows the policy's escalation rule: problems the OCO
cannot resolve with the supplier are escalated to the Procurement Unit. The third MI report of a contract
that was late (received after it was due, or still not received) within 12 months raises one escalation
to the Procurement Unit, with the late reports as its reason; the Procurement Unit and the OCO are told.
Once: a contract escalated for it is not escalated again within 12 months of that escalation, and the
report that made it the third is the key of a unique row written in the same transaction (so the daily
job, run twice or by several workers at once, raises it once)."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet

from accounts import roles
from accounts.models import User
from contracts.models import Contract, Escalation
from contracts.services.escalations import escalation_create
from core.dates import add_months
from core.formatting import long_date
from notifications.models import Kind
from notifications.services import JobProgress, notify
from performance.models import MiReport
from portal.models import RepeatedLateness

LATE_REPORTS = 3
WINDOW_MONTHS = 12


def late_reports(*, today: date) -> QuerySet[MiReport]:
    """The MI reports due in the 12 months before today that were late: received after the day they were
    due, or not received yet."""
    return MiReport.objects.filter(expected_by__gte=add_months(today, -WINDOW_MONTHS), expected_by__lt=today).filter(
        Q(received_on__isnull=True) | Q(received_on__gt=F("expected_by"))
    )


def _reason(report: MiReport) -> str:
    due = f"MI report for {report.period_label}: due {long_date(report.expected_by)}"
    if report.received_on is None:
        return f"{due}, not received"
    days = (report.received_on - report.expected_by).days
    return f"{due}, received {long_date(report.received_on)} ({days} day{'s' if days != 1 else ''} late)"


def repeated_lateness_escalate(*, today: date, progress: JobProgress | None = None) -> list[Escalation]:
    """Escalate, once, each active contract with a third late MI report in the last 12 months. Returns the
    escalations raised by this run."""
    progress = progress or JobProgress()
    since = add_months(today, -WINDOW_MONTHS)
    recently = RepeatedLateness.objects.filter(escalation__raised_on__gt=since).values("contract_id")
    counts = (
        late_reports(today=today)
        .filter(contract__status=Contract.Status.ACTIVE)
        .exclude(contract_id__in=recently)
        .values("contract_id")
        .annotate(late=Count("pk"))
        .filter(late__gte=LATE_REPORTS)
    )
    raised = []
    for contract_id in sorted(row["contract_id"] for row in counts):
        escalation = _escalate(contract_id=contract_id, today=today, progress=progress)
        if escalation is not None:
            raised.append(escalation)
    return raised


def _escalate(*, contract_id: int, today: date, progress: JobProgress) -> Escalation | None:
    reports = list(late_reports(today=today).filter(contract_id=contract_id).order_by("expected_by", "pk"))
    contract = Contract.objects.select_related("oco").get(pk=contract_id)
    count = len(reports)
    try:
        with transaction.atomic():
            escalation = escalation_create(
                escalation=Escalation(
                    contract=contract,
                    source=Escalation.Source.SIGNIFICANT_PERFORMANCE_ISSUE,
                    severity=Escalation.Severity.MEDIUM,
                    title=f"Repeated late MI reports: {count} late in 12 months",
                    details="The supplier's MI reports were late repeatedly:\n"
                    + "\n".join(_reason(report) for report in reports),
                    raised_on=today,
                ),
                by=None,
            )
            RepeatedLateness.objects.create(contract=contract, report=reports[LATE_REPORTS - 1], escalation=escalation)
            people = set(User.objects.in_role(roles.PROCUREMENT).filter(is_active=True))
            if contract.oco is not None and contract.oco.is_active:
                people.add(contract.oco)
            for person in sorted(people, key=lambda user: user.pk):
                progress.count(
                    notify(
                        recipient=person,
                        kind=Kind.ESCALATION,
                        title=f"{contract.reference}: {escalation.title}"[:255],
                        body=escalation.details,
                        url=escalation.get_absolute_url(),
                        subject=escalation,
                    )
                )
    except IntegrityError:
        return None  # escalated already, by an earlier run or a worker running at the same moment
    return escalation
