"""Which of a company's states matter to the Procurement Unit (the policy's "information ... in
relation to the financial position of the supplier"), each with the supplier information it becomes."""

import re
from dataclasses import dataclass

from core.formatting import long_date
from suppliers.companies_house.observation import CompanyObservation
from suppliers.models import SupplierInformation

Category = SupplierInformation.Category
Severity = SupplierInformation.Severity


@dataclass(frozen=True)
class Concern:
    key: str  # stable: kept in CompanyRecord.concerns so that each is recorded once
    category: str
    severity: str
    summary: str


# Statuses of a company trading normally: the API's words ("active", "open" and "registered" for
# overseas entities) and the snapshot's ("Active").
HEALTHY = {"active", "open", "registered"}

# (words found in the status, concern key, category, severity, summary), first match wins: the
# snapshot's "In Administration/Administrative Receiver" is an administration.
STATUS_CONCERNS = (
    (("strike off", "struck off"), "strike_off", Category.OTHER, Severity.HIGH, "Proposal to strike off"),
    (("administration", "administrative receiver"), "administration", Category.ADMINISTRATION, Severity.CRITICAL,
     "In administration"),
    (("liquidation", "insolvency proceedings"), "liquidation", Category.ADMINISTRATION, Severity.CRITICAL,
     "In liquidation"),
    (("receiver", "receivership"), "receivership", Category.ADMINISTRATION, Severity.CRITICAL, "In receivership"),
    (("voluntary arrangement",), "voluntary_arrangement", Category.ADMINISTRATION, Severity.HIGH,
     "In a voluntary arrangement with its creditors"),
    (("dissolved", "removed", "closed"), "dissolved", Category.OTHER, Severity.CRITICAL,
     "Dissolved or removed from the register"),
)  # fmt: skip


def status_words(status: str) -> str:
    """'Active - Proposal to Strike off' and 'insolvency-proceedings' alike as plain lower-case words."""
    return " ".join(re.sub(r"[-_/]", " ", status.lower()).split())


def status_concern(status: str) -> Concern | None:
    words = status_words(status)
    if not words or words in HEALTHY:
        return None
    for needles, key, category, severity, summary in STATUS_CONCERNS:
        if any(needle in words for needle in needles):
            return Concern(key, category, severity, f"{summary} (Companies House status: {status})")
    # A status we do not know is worth a look, not healthy.
    return Concern(f"status:{words}", Category.OTHER, Severity.MEDIUM, f"Companies House status: {status}")


def concerns_of(observation: CompanyObservation) -> list[Concern]:
    if not observation.found:
        return []
    concerns = []
    status = status_concern(observation.company_status)
    if status is not None:
        concerns.append(status)
    if observation.accounts_overdue:
        due = observation.accounts_next_due
        concerns.append(
            Concern(
                "accounts_overdue",
                Category.LATE_FILING,
                Severity.MEDIUM,
                "Annual accounts overdue at Companies House" + (f" (due {long_date(due)})" if due else ""),
            )
        )
    if observation.confirmation_statement_overdue:
        due = observation.confirmation_statement_next_due
        concerns.append(
            Concern(
                "confirmation_statement_overdue",
                Category.LATE_FILING,
                Severity.MEDIUM,
                "Confirmation statement overdue at Companies House" + (f" (due {long_date(due)})" if due else ""),
            )
        )
    return concerns
