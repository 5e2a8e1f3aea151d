"""Tables out as CSV or XLSX: the register's and the dashboards' exports share this.

A cell whose text starts with = + - or @ would run as a formula in a spreadsheet program
(CSV injection), so such text is written with a leading apostrophe in both formats."""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

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


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(*, name: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    # The byte-order mark tells Excel the file is UTF-8 (names with accents, the £ sign).
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return _attachment(response, f"{name}.csv")


def xlsx_response(*, name: str, headers: Sequence[str], rows: Iterable[Sequence], title: str = "") -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(title or name)[:31])
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            value = _cell(value)
            if isinstance(value, datetime) and timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(value, date):
                cell.number_format = "dd/mm/yyyy"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), f"{name}.xlsx")


def table_response(*, fmt: str, name: str, headers: Sequence[str], rows: Iterable[Sequence], title: str = ""):
    """The table in the asked format ("csv" or "xlsx")."""
    if fmt == "xlsx":
        return xlsx_response(name=name, headers=headers, rows=rows, title=title)
    return csv_response(name=name, headers=headers, rows=rows)
