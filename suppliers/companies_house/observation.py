"""One reading of a company, from either source. Company numbers are normalised by suppliers.identity."""

from dataclasses import dataclass
from datetime import date

from suppliers.identity import normalise_company_number as company_number_normalise  # noqa: F401 - the one normalisation


@dataclass(frozen=True)
class CompanyObservation:
    company_number: str
    source: str  # CompanyRecord.Source
    as_of: date
    found: bool = True
    company_name: str = ""
    company_status: str = ""
    accounts_overdue: bool = False
    accounts_next_due: date | None = None
    confirmation_statement_overdue: bool = False
    confirmation_statement_next_due: date | None = None
    has_insolvency_history: bool | None = None
