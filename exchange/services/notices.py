"""Recording a Procurement Act 2023 contract performance notice as published."""

from datetime import date

from django.db import transaction

from accounts.models import User
from exchange.selectors.notices import PerformanceNoticeData
from performance.models import PerformanceNotice


@transaction.atomic
def performance_notice_record(*, notice: PerformanceNoticeData, published_on: date, by: User) -> PerformanceNotice:
    """Record that the notice was published; recording it again corrects the date."""
    record, _ = PerformanceNotice.objects.select_for_update().get_or_create(
        contract=notice.contract,
        period_start=notice.period_start,
        kind=notice.kind,
        defaults={"period_end": notice.period_end, "published_on": published_on, "published_by": by},
    )
    if record.published_on != published_on:
        record.published_on, record.published_by = published_on, by
        record.save(update_fields=["published_on", "published_by"])
    return record
