"""Recording a Procurement Act 2023 contract performance notice as published, and reminding the
Procurement Unit of each notice to publish (a task, closed when it is recorded as published)."""

from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse

from accounts import roles
from accounts.models import User
from contracts.models import Activity, Contract
from contracts.services.timeline import timeline_record
from core.formatting import long_date
from exchange.selectors.notices import PerformanceNoticeData, notices_due
from notifications.models import Kind
from notifications.services import JobProgress, remind, tasks_resolve, tasks_resolve_answered
from performance.models import PerformanceNotice

# One task per notice, keyed by the contract and the notice period's start.
NOTICE_TASKS = [Kind.PERFORMANCE_NOTICE_DUE]


@transaction.atomic
def performance_notice_record(*, notice: PerformanceNoticeData, published_on: date, by: User) -> PerformanceNotice:
    """Record that the notice was published; recording it again corrects the date. Either goes on
    the contract's timeline."""
    record, created = PerformanceNotice.objects.select_for_update().get_or_create(
        contract=notice.contract,
        period_start=notice.period_start,
        kind=notice.kind,
        defaults={"period_end": notice.period_end, "published_on": published_on, "published_by": by},
    )
    if created or record.published_on != published_on:
        if not created:
            record.published_on, record.published_by = published_on, by
            record.save(update_fields=["published_on", "published_by"])
        what = (
            f"Contract performance notice ({record.get_kind_display().lower()}, "
            f"{long_date(record.period_start)} to {long_date(record.period_end)})"
        )
        timeline_record(
            contract=record.contract,
            kind=Activity.Kind.NOTICE_PUBLISHED,
            summary=f"{what} {'published on' if created else 'recorded as published, date corrected to'} "
            f"{long_date(published_on)}",
            subject=record,
            by=by,
            occurred_on=published_on,
        )
    tasks_resolve(subject=notice.contract, kinds=NOTICE_TASKS, due_date=notice.period_start)
    return record


def performance_notice_reminders_send(*, today: date, progress: JobProgress | None = None) -> int:
    """Remind the Procurement Unit once of each performance notice to publish, when its period ends."""
    progress = progress or JobProgress()
    published = PerformanceNotice.objects.filter(
        contract=OuterRef("subject_id"), period_start=OuterRef("ledger__due_date")
    )
    tasks_resolve_answered(model=Contract, kinds=NOTICE_TASKS, answered=Exists(published))
    officers = list(User.objects.in_role(roles.PROCUREMENT).filter(is_active=True))
    for notice in notices_due(Contract.objects.all(), today=today):
        contract = notice.contract
        for officer in officers:
            progress.count(
                remind(
                    recipient=officer,
                    kind=Kind.PERFORMANCE_NOTICE_DUE,
                    subject=contract,
                    due_date=notice.period_start,
                    due_on=notice.due_by,
                    title=(
                        f"Publish the contract performance notice for {contract.reference} "
                        f"({long_date(notice.period_start)} to {long_date(notice.period_end)})"
                    ),
                    body=f"{contract.title}: {notice.kind_label}. Due by {long_date(notice.due_by)}.",
                    url=reverse("exchange:notice", args=[contract.pk, f"{notice.period_start:%Y-%m-%d}", notice.kind]),
                )
            )
    return progress.sent
