"""One reading of a company, from either source."""

from dataclasses import dataclass
from datetime import date


def company_number_normalise(raw: str) -> str:
    """A Companies House number as the register stores it: upper case, no spaces, a purely numeric
    number zero-padded to 8 digits (spreadsheets drop the leading zeros), a prefix kept ("SC123456")."""
    number = "".join(raw.split()).upper()
    return number.zfill(8) if number.isdigit() and len(number) < 8 else number


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
