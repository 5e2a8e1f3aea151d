"""A supplier's Companies House record, updated from a reading."""

from django.db import transaction
from django.utils import timezone

from suppliers.companies_house.concerns import Category, Concern, Severity, concerns_of
from suppliers.companies_house.observation import CompanyObservation
from suppliers.models import CompanyRecord, Supplier


@transaction.atomic
def company_record_save(*, supplier: Supplier, observation: CompanyObservation) -> list[Concern]:
    """Keep what Companies House says of the supplier's company and return its concerns not yet
    recorded (for the caller to record, in this transaction). A concern that has gone (the accounts
    filed) is forgotten, so that it is recorded again if it comes back. A reading older than the one
    kept (last month's snapshot after today's API check) changes nothing."""
    record = CompanyRecord.objects.select_for_update().filter(supplier=supplier).first()
    if record is not None and observation.as_of < record.as_of:
        return []
    if record is None:
        record = CompanyRecord(supplier=supplier)
    concerns = concerns_of(observation)
    if not observation.found and record.pk is not None and (record.found or "gone" in record.concerns):
        # Known before and gone now: the snapshot lists live companies only, so a company that drops
        # out of it was dissolved or struck off (or its number changed).
        concerns.append(
            Concern(
                "gone",
                Category.OTHER,
                Severity.HIGH,
                "No longer on Companies House's register of live companies: dissolved or struck off?",
            )
        )
    known = set(record.concerns)
    for field in (
        "company_number",
        "company_name",
        "company_status",
        "accounts_overdue",
        "accounts_next_due",
        "confirmation_statement_overdue",
        "confirmation_statement_next_due",
        "found",
        "source",
        "as_of",
    ):
        setattr(record, field, getattr(observation, field))
    if observation.has_insolvency_history is not None:  # the snapshot does not say
        record.has_insolvency_history = observation.has_insolvency_history
    record.checked_at = timezone.now()
    record.concerns = [concern.key for concern in concerns]
    record.save()
    return [concern for concern in concerns if concern.key not in known]
