"""Companies House's free monthly "Basic Company Data" snapshot, read as a stream.

The file (about 5 million companies, 2 GB, or a zip of it) is read a row at a time with the csv
module and only the companies in `numbers` are kept. Its header has spaces after some commas
(" CompanyNumber"), so the names are stripped; dates are dd/mm/yyyy."""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from suppliers.companies_house.observation import CompanyObservation, company_number_normalise

# The header line exactly as Companies House publishes it (unquoted, with its spaces): for tests and
# the benchmark, which write files in the real layout.
HEADER = (
    "CompanyName, CompanyNumber,RegAddress.CareOf,RegAddress.POBox,RegAddress.AddressLine1, RegAddress.AddressLine2,"
    "RegAddress.PostTown,RegAddress.County,RegAddress.Country,RegAddress.PostCode,CompanyCategory,CompanyStatus,"
    "CountryOfOrigin,DissolutionDate,IncorporationDate,Accounts.AccountRefDay,Accounts.AccountRefMonth,"
    "Accounts.NextDueDate,Accounts.LastMadeUpDate,Accounts.AccountCategory,Returns.NextDueDate,"
    "Returns.LastMadeUpDate,Mortgages.NumMortCharges,Mortgages.NumMortOutstanding,Mortgages.NumMortPartSatisfied,"
    "Mortgages.NumMortSatisfied,SICCode.SicText_1,SICCode.SicText_2,SICCode.SicText_3,SICCode.SicText_4,"
    "LimitedPartnerships.NumGenPartners,LimitedPartnerships.NumLimPartners,URI,PreviousName_1.CONDATE,"
    " PreviousName_1.CompanyName, PreviousName_2.CONDATE, PreviousName_2.CompanyName,PreviousName_3.CONDATE,"
    " PreviousName_3.CompanyName,PreviousName_4.CONDATE, PreviousName_4.CompanyName,PreviousName_5.CONDATE,"
    " PreviousName_5.CompanyName,PreviousName_6.CONDATE, PreviousName_6.CompanyName,PreviousName_7.CONDATE,"
    " PreviousName_7.CompanyName,PreviousName_8.CONDATE, PreviousName_8.CompanyName,PreviousName_9.CONDATE,"
    " PreviousName_9.CompanyName,PreviousName_10.CONDATE, PreviousName_10.CompanyName,ConfStmtNextDueDate,"
    " ConfStmtLastMadeUpDate"
)
REQUIRED = (
    "CompanyName",
    "CompanyNumber",
    "CompanyStatus",
    "Accounts.NextDueDate",
    "Accounts.LastMadeUpDate",
    "ConfStmtNextDueDate",
)


class SnapshotError(ValueError):
    """The file is not a Basic Company Data snapshot."""


def snapshot_date(path: Path) -> date | None:
    """The date in the file's name (BasicCompanyDataAsOneFile-2026-12-01.zip), if it has one."""
    found = re.search(r"(\d{4})-(\d{2})-(\d{2})", path.name)
    if found is None:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def _day(value: str) -> date | None:
    try:
        return datetime.strptime(value.strip(), "%d/%m/%Y").date() if value.strip() else None
    except ValueError:
        return None


def _lines(path: Path) -> Iterator[str]:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [name for name in archive.namelist() if name.lower().endswith(".csv")]
            if not names:
                raise SnapshotError(f"{path.name} holds no CSV file.")
            for name in names:  # the snapshot in parts: every part, each with its header
                with archive.open(name) as member:
                    yield from io.TextIOWrapper(member, encoding="utf-8-sig", newline="")
    else:
        with path.open(encoding="utf-8-sig", newline="") as file:
            yield from file


def snapshot_observations(path: Path, *, numbers: set[str], as_of: date) -> Iterator[CompanyObservation]:
    """The companies of the snapshot whose number is in `numbers` (normalised: 8 characters). A date
    due before `as_of` (the snapshot's day) is overdue."""
    columns: dict[str, int] = {}
    for row in csv.reader(_lines(path)):
        if not row:
            continue
        if row[0].strip() == "CompanyName":  # a header: the file's first line, or a new part's
            columns = {name.strip(): index for index, name in enumerate(row)}
            missing = [name for name in REQUIRED if name not in columns]
            if missing:
                raise SnapshotError(f"Not a Basic Company Data snapshot: no column {', '.join(missing)}.")
            number_at = columns["CompanyNumber"]
            continue
        if not columns:
            raise SnapshotError("Not a Basic Company Data snapshot: the first line is not its header.")
        if len(row) <= number_at:
            continue
        number = company_number_normalise(row[number_at])
        if number not in numbers:
            continue
        accounts_due = _day(row[columns["Accounts.NextDueDate"]])
        statement_due = _day(row[columns["ConfStmtNextDueDate"]])
        yield CompanyObservation(
            company_number=number,
            source="snapshot",
            as_of=as_of,
            company_name=row[columns["CompanyName"]].strip()[:200],
            company_status=row[columns["CompanyStatus"]].strip()[:100],
            accounts_overdue=accounts_due is not None and accounts_due < as_of,
            accounts_next_due=accounts_due,
            confirmation_statement_overdue=statement_due is not None and statement_due < as_of,
            confirmation_statement_next_due=statement_due,
        )
