"""Companies House: what it says about the register's suppliers (its public REST API and its free monthly
"Basic Company Data" snapshot), read into `CompanyRecord`, and the concerns worth recording.

Recording a concern as supplier information (and the escalations that follow) is the register's:
`contracts.services.companies_house`."""

from suppliers.companies_house.client import CompaniesHouseClient, CompaniesHouseError
from suppliers.companies_house.concerns import Concern, concerns_of
from suppliers.companies_house.observation import CompanyObservation, company_number_normalise
from suppliers.companies_house.records import company_record_save
from suppliers.companies_house.snapshot import SnapshotError, snapshot_date, snapshot_observations

__all__ = [
    "CompaniesHouseClient",
    "CompaniesHouseError",
    "CompanyObservation",
    "Concern",
    "SnapshotError",
    "company_number_normalise",
    "company_record_save",
    "concerns_of",
    "snapshot_date",
    "snapshot_observations",
]
