"""Workbooks people can use at once: frozen header with a filter, columns sized, pounds and dates formatted."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.exports import xlsx_response

pytestmark = pytest.mark.django_db


def _read(response):
    return load_workbook(BytesIO(response.content))


def test_a_workbook_has_a_frozen_filtered_header_sized_columns_and_formats():
    response = xlsx_response(
        name="test",
        headers=["Reference", "A long description of the thing", "Total value (£)", "Ends", "Count"],
        rows=[
            ["CON-1", "Short", Decimal("75334000.00"), date(2027, 7, 5), 3],
            ["CON-2", "x" * 200, Decimal("5"), None, 4],
        ],
    )
    sheet = _read(response).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E3"
    assert sheet["A1"].font.bold
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDE"}
    assert widths["B"] == 60  # long text is capped, not a mile wide
    assert widths["A"] >= 10 and widths["C"] >= len("£75,334,000.00")
    assert sheet["C2"].value == 75334000 and sheet["C2"].number_format == '"£"#,##0.00'
    assert sheet["D2"].number_format == "dd/mm/yyyy"
    assert sheet["E2"].number_format == "General"  # a count is not money


def test_the_register_export_reads_back_with_pounds_and_dates(client, priya, contract):
    client.force_login(priya)
    response = client.get(reverse("contracts:list"), {"format": "xlsx"})
    sheet = _read(response).active
    headers = [cell.value for cell in sheet[1]]
    row = dict(zip(headers, sheet[2], strict=False))
    assert row["Reference"].value == "CON-ALICE"
    assert row["Total value (£)"].number_format == '"£"#,##0.00'
    assert row["End date"].number_format == "dd/mm/yyyy"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
