"""Tables out as CSV or XLSX: the register's and the dashboards' exports share this.

A cell whose text starts with = + - or @ would run as a formula in a spreadsheet program
(CSV injection), so such text is written with a leading apostrophe in both formats."""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from typing import TypeVar

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.http import content_disposition_header

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def safe_text(value: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; a plain number such as
    -2500.00 is left as it is."""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r") and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def _cell(value):
    """Numbers and dates stay typed (a spreadsheet can sum them); everything else is safe text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | Decimal | date):
        return value
    return safe_text(str(value))


def _csv_value(value):
    value = _cell(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


R = TypeVar("R", bound=HttpResponseBase)


def clean_filename(filename: str, *, default: str = "download") -> str:
    """A file name safe in a header and on a disk: no control or invisible formatting characters (a
    CR/LF would split the header), no folder separators, no leading dots, at most 150 characters."""
    kept = "".join(" " if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in filename)
    kept = re.sub(r"[\\/]+", "-", kept)
    kept = " ".join(kept.split()).lstrip(".").strip()
    if len(kept) > 150:
        stem, dot, extension = kept.rpartition(".")
        kept = stem[: 149 - len(extension)] + dot + extension if dot and len(extension) <= 10 else kept[:150]
    return kept or default


def attachment(response: R, filename: str) -> R:
    """Every download's Content-Disposition is set here: `attachment` with the cleaned file name
    (RFC 6266, with filename* for names beyond ASCII)."""
    response["Content-Disposition"] = content_disposition_header(True, clean_filename(filename))
    return response


# Excel refuses these in a sheet's title, and titles longer than 31 characters.
SHEET_TITLE_REFUSED = re.compile(r"[\\/?*\[\]:]")


def sheet_title(title: str) -> str:
    """A title Excel and openpyxl accept: forbidden characters become dashes, at most 31 characters."""
    cleaned = SHEET_TITLE_REFUSED.sub("-", clean_filename(title, default="Sheet")).strip("'")
    return cleaned[:31].strip() or "Sheet"


def csv_response(*, name: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    # The byte-order mark tells Excel the file is UTF-8 (names with accents, the £ sign).
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return attachment(response, f"{name}.csv")


MONEY_FORMAT = '"£"#,##0.00'
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
# Columns are sized from the header and the first rows, within these bounds (in characters).
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 8, 60


def _xlsx_value(value):
    value = _cell(value)
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)
    return value


def _shown_length(value) -> int:
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, Decimal | int | float):
        return len(f"£{value:,.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def xlsx_response(*, name: str, headers: Sequence[str], rows: Iterable[Sequence], title: str = "") -> HttpResponse:
    """A workbook people can use at once: bold, frozen header with a filter, columns sized to their
    content, dates as dates and sums in a column headed with £ as pounds."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    rows = iter(rows)
    sample = [[_xlsx_value(value) for value in row] for row in islice(rows, WIDTH_SAMPLE_ROWS)]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title or name))
    money = [("£" in header) for header in headers]
    for index, header in enumerate(headers):
        longest = max([len(header)] + [_shown_length(row[index]) for row in sample if index < len(row)])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(MAX_WIDTH, max(MIN_WIDTH, longest + 2))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in chain(sample, ([_xlsx_value(value) for value in row] for row in rows)):
        cells = []
        for index, value in enumerate(row):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, Decimal | int | float) and index < len(money) and money[index]:
                cell.number_format = MONEY_FORMAT
            cells.append(cell)
        sheet.append(cells)
        count += 1
    if headers:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), f"{name}.xlsx")


def table_response(*, fmt: str, name: str, headers: Sequence[str], rows: Iterable[Sequence], title: str = ""):
    """The table in the asked format ("csv" or "xlsx")."""
    if fmt == "xlsx":
        return xlsx_response(name=name, headers=headers, rows=rows, title=title)
    return csv_response(name=name, headers=headers, rows=rows)
