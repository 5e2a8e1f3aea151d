"""The daily reminders about MI reports: to a supplier's people one a week before a report is due, and
one when it is late; a late report is also the contract OCO's task (to chase the supplier), closed when
it is received; repeated lateness is escalated to the Procurement Unit (portal.services.lateness). Once
each (the reminder ledger, the escalation's unique row), however often the job runs."""

from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse

from accounts.models import User
from contracts.models import Contract
from core.formatting import long_date
from notifications.models import Kind
from notifications.services import JobProgress, remind, tasks_resolve_answered
from performance.models import MiReport
from portal.services.lateness import repeated_lateness_escalate

DUE_SOON = timedelta(days=7)


def _people(contract: Contract) -> list[User]:
    return list(User.objects.filter(supplier_contact__supplier=contract.supplier_id, is_active=True).order_by("pk"))


def supplier_mi_reminders_send(*, today: date, progress: JobProgress | None = None) -> int:
    """Remind the supplier's people of each MI report of an active contract not yet received (due within
    a week, or late), give the OCO a task for each late one, and escalate repeated lateness. Returns how many
    reminders went."""
    progress = progress or JobProgress()
    received = MiReport.objects.filter(received_on__isnull=False).values("pk")
    tasks_resolve_answered(model=MiReport, kinds=[Kind.MI_LATE_OCO], answered=Q(subject_id__in=received))
    reports = (
        MiReport.objects.filter(
            received_on__isnull=True,
            contract__status=Contract.Status.ACTIVE,
            expected_by__lte=today + DUE_SOON,
            contract__supplier__contacts__user__is_active=True,
        )
        .select_related("contract__oco")
        .distinct()
        .order_by("expected_by", "pk")
    )
    sent = 0
    for report in reports:
        late = report.expected_by < today
        kind = Kind.MI_LATE_SUPPLIER if late else Kind.MI_DUE_SUPPLIER
        what = f"{report.contract.reference}: MI report for {report.period_label}"
        when = long_date(report.expected_by)
        title = f"{what} is late (due {when})" if late else f"{what} due by {when}"
        for person in _people(report.contract):
            notification = remind(
                recipient=person,
                kind=kind,
                subject=report,
                due_date=report.expected_by,
                title=title[:255],
                body="Submit it, with the period's figure for each KPI, on the supplier portal.",
                url=reverse("portal:report", args=[report.pk]),
            )
            progress.count(notification)
            sent += notification is not None
        oco = report.contract.oco
        if late and oco is not None and oco.is_active:
            task = remind(
                recipient=oco,
                kind=Kind.MI_LATE_OCO,
                subject=report,
                due_date=report.expected_by,
                due_on=report.expected_by,
                title=f"{title}: chase the supplier"[:255],
                url=reverse("performance:mi_reports", args=[report.contract_id]),
            )
            progress.count(task)
            sent += task is not None
    before = progress.sent
    repeated_lateness_escalate(today=today, progress=progress)
    return sent + progress.sent - before
