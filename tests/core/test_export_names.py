"""Findings 8 and 9 of issue 14, in core.exports: file names cleaned for the Content-Disposition
header, and sheet titles cleaned for Excel."""

import io

import pytest
from django.http import HttpResponse
from openpyxl import load_workbook

from core.exports import attachment, clean_filename, sheet_title, xlsx_response


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("report.csv", "report.csv"),
        ("ocds-1\r\nSet-Cookie: a=b.csv", "ocds-1 Set-Cookie: a=b.csv"),
        ("../../etc/passwd", "-..-etc-passwd"),
        ("..\\secret.pdf", "-secret.pdf"),
        ("\u202egpj.exe", "gpj.exe"),  # no right-to-left override
        ("", "download"),
        ("a" * 300 + ".xlsx", "a" * 145 + ".xlsx"),
    ],
)
def test_clean_filename(name, cleaned):
    assert clean_filename(name) == cleaned


def test_attachment_header_never_carries_a_line_break_and_keeps_accents():
    response = attachment(HttpResponse(), "Procès-verbal\r\n.pdf")
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''Proc%C3%A8s-verbal%20.pdf"


@pytest.mark.parametrize(
    ("title", "cleaned"),
    [
        ("Open escalations: Financial", "Open escalations- Financial"),
        ("a/b\\c?d*e[f]g", "a-b-c-d-e-f-g"),
        ("'quoted'", "quoted"),
        ("x" * 40, "x" * 31),
        ("", "Sheet"),
    ],
)
def test_sheet_titles_are_cleaned(title, cleaned):
    assert sheet_title(title) == cleaned


def test_xlsx_with_a_colon_in_its_title_is_written():
    response = xlsx_response(name="escalations", headers=["A"], rows=[[1]], title="Open escalations: Financial")
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Open escalations- Financial"]
