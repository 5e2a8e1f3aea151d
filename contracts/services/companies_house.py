"""Companies House monitoring: a concern about a supplier's company becomes supplier information, and
the policy's escalation follows once per active contract (`supplier_information_record`).

The readings and the record of what is already known are the suppliers app's
(`suppliers.companies_house`); this module sits above them because it raises escalations."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from contracts.services.escalations import supplier_information_record
from core.formatting import long_date
from notifications.services import JobProgress
from suppliers.companies_house import (
    CompaniesHouseClient,
    CompanyObservation,
    company_number_normalise,
    company_record_save,
    snapshot_observations,
)
from suppliers.models import Supplier, SupplierInformation

SOURCE = "Companies House"


@dataclass
class MonitoringResult:
    checked: int = 0
    information: list[SupplierInformation] = field(default_factory=list)
    escalations: int = 0

    def __str__(self) -> str:
        return (
            f"{self.checked} supplier(s) checked; {len(self.information)} change(s) recorded; "
            f"{self.escalations} escalation(s) raised."
        )


def monitored_suppliers():
    """The suppliers Companies House can tell us about: those with a company number."""
    return Supplier.objects.exclude(companies_house_number="").order_by("pk")


@transaction.atomic
def company_observation_apply(*, supplier: Supplier, observation: CompanyObservation) -> MonitoringResult:
    """Keep one reading of the supplier's company; each concern it raises for the first time is recorded
    as financial information from Companies House, dated the reading's day, and escalated."""
    result = MonitoringResult(checked=1)
    for concern in company_record_save(supplier=supplier, observation=observation):
        source = (
            f"{SOURCE} (monthly snapshot of {long_date(observation.as_of)})"
            if observation.source == "snapshot"
            else SOURCE
        )
        information = SupplierInformation(
            supplier=supplier,
            kind=SupplierInformation.Kind.FINANCIAL,
            category=concern.category,
            severity=concern.severity,
            summary=concern.summary[:255],
            details=f"Company {observation.company_number}"
            + (f", {observation.company_name}" if observation.company_name else "")
            + ". Found by the register's Companies House monitoring.",
            source=source,
            occurred_on=observation.as_of,
        )
        result.escalations += len(supplier_information_record(information=information, by=None))
        result.information.append(information)
    return result


def _apply_all(pairs: Iterable[tuple[Supplier, CompanyObservation]], progress: JobProgress) -> MonitoringResult:
    total = MonitoringResult()
    for supplier, observation in pairs:
        # One transaction per supplier: a run that stops half way keeps what it has read.
        one = company_observation_apply(supplier=supplier, observation=observation)
        total.checked += 1
        total.information += one.information
        total.escalations += one.escalations
    progress.detail = str(total)
    return total


def companies_house_client() -> CompaniesHouseClient | None:
    """The API client, or None without COMPANIES_HOUSE_API_KEY."""
    if not settings.COMPANIES_HOUSE_API_KEY:
        return None
    return CompaniesHouseClient(
        api_key=settings.COMPANIES_HOUSE_API_KEY,
        base_url=settings.COMPANIES_HOUSE_API_URL,
        requests_per_window=settings.COMPANIES_HOUSE_REQUESTS_PER_5_MINUTES,
    )


def suppliers_check(
    *, today: date, client: CompaniesHouseClient | None = None, progress: JobProgress | None = None
) -> MonitoringResult:
    """Read each monitored supplier's company profile from the API and apply it (the beat job and
    `manage.py check_suppliers`). Without a client (no API key) it does nothing. Companies House
    failing after the client's retries stops the run (CompaniesHouseError); what was read stays."""
    progress = progress or JobProgress()
    client = client or companies_house_client()
    if client is None:
        progress.detail = "COMPANIES_HOUSE_API_KEY is not set: nothing checked."
        return MonitoringResult()
    # Read lazily, one supplier at a time, so that no transaction or cursor is held open while the
    # client waits for Companies House (or for its rate limit).
    pairs = (
        (supplier, client.company_profile(supplier.companies_house_number, today=today))
        for supplier in list(monitored_suppliers())
    )
    return _apply_all(pairs, progress)


def companies_house_snapshot_load(
    *, path: Path, as_of: date, complete: bool = False, progress: JobProgress | None = None
) -> MonitoringResult:
    """Read the monthly Basic Company Data snapshot, keeping only the register's suppliers, and apply
    each of them (SnapshotError if the file is not one). The snapshot lists live companies only: read
    `complete` (the whole register, not one of its parts), a supplier missing from it is recorded as
    not found, and one that was there before becomes a concern."""
    progress = progress or JobProgress()
    suppliers = {company_number_normalise(s.companies_house_number): s for s in monitored_suppliers()}
    if not suppliers:
        return MonitoringResult()
    matched = {
        observation.company_number: observation
        for observation in snapshot_observations(path, numbers=set(suppliers), as_of=as_of)
    }
    if complete:
        for number in set(suppliers) - set(matched):
            matched[number] = CompanyObservation(company_number=number, source="snapshot", as_of=as_of, found=False)
    return _apply_all(((suppliers[number], obs) for number, obs in sorted(matched.items())), progress)
