"""The dashboards' panel lists and the register exported: the rows of the filtered page, in the page's order,
as CSV and XLSX, never a formula."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from contracts.models import Contract
from dashboard.lists import LISTS
from tests.dashboard.conftest import NOW

pytestmark = pytest.mark.django_db


def _xlsx_rows(response) -> list[tuple]:
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


@time_machine.travel(NOW, tick=False)
def test_each_panel_list_exports_the_rows_of_the_filtered_page(client, priya, world):
    client.force_login(priya)
    category = Contract.objects.filter(category__name="Fleet").first().category
    totals = {slug: _check_export(client, slug, {"category": category.pk, "band": "6-12"}) for slug in LISTS}
    assert sum(1 for total in totals.values() if total) >= 8, totals


@time_machine.travel(NOW, tick=False)
def test_a_long_panel_list_pages_through_its_rows_in_the_exports_order(client, priya, world):
    client.force_login(priya)
    long_lists = 0
    for slug in LISTS:
        url = reverse("dashboard:list", args=[slug])
        first = client.get(url)
        if first.context["page_obj"].paginator.count <= len(first.context["table"]):
            continue
        long_lists += 1
        pages = [first, client.get(url, {"page": 2})]
        on_screen = [[_text(value) for _, value, _ in row][:2] for page in pages for row in page.context["table"]]
        exported = [[_text(value) for value in row[:2]] for row in _xlsx_rows(client.get(url, {"format": "xlsx"}))[1:]]
        assert len(on_screen) > len(first.context["table"])
        assert on_screen == exported[: len(on_screen)], slug
    assert long_lists


def _check_export(client, slug, params):
    url = reverse("dashboard:list", args=[slug])
    page = client.get(url, params)
    on_screen = [[_text(value) for _, value, _ in row][:2] for row in page.context["table"]]
    total = page.context["page_obj"].paginator.count
    assert total == len(on_screen)  # fewer than a page in this portfolio

    rows = _xlsx_rows(client.get(url, {**params, "format": "xlsx"}))
    assert list(rows[0]) == [column.label for column in LISTS[slug].columns]
    assert len(rows) - 1 == total
    assert [[_text(value) for value in row[:2]] for row in rows[1:]] == on_screen

    text = client.get(url, {**params, "format": "csv"}).content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) - 1 == total
    return total


def _text(value) -> str:
    if isinstance(value, dt.datetime):  # openpyxl reads a date cell back as a datetime
        return value.date().isoformat()
    return "" if value is None else str(value)


@time_machine.travel(NOW, tick=False)
def test_the_register_exports_the_filtered_list_as_csv_and_xlsx(client, priya, world):
    client.force_login(priya)
    params = {"status": "active", "category": Contract.objects.filter(category__name="ICT").first().category_id}
    page = client.get(reverse("contracts:list"), params)
    expected = list(page.context["filter"].qs.values_list("reference", flat=True))
    assert 0 < len(expected) == page.context["totals"]["count"]
    rows = _xlsx_rows(client.get(reverse("contracts:list"), {**params, "format": "xlsx"}))
    assert rows[0][:3] == ("Reference", "Title", "Supplier")
    assert [row[0] for row in rows[1:]] == expected
    assert all(isinstance(row[12], int | float) for row in rows[1:])  # values stay numbers a spreadsheet can sum
    text = client.get(reverse("contracts:list"), {**params, "format": "csv"}).content.decode("utf-8-sig")
    assert [row[0] for row in list(csv.reader(io.StringIO(text)))[1:]] == expected


def test_exports_never_write_a_formula(client, priya, contract):
    Contract.objects.filter(pk=contract.pk).update(title='=HYPERLINK("http://evil")')
    client.force_login(priya)
    rows = _xlsx_rows(client.get(reverse("contracts:list"), {"format": "xlsx"}))
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'
    text = client.get(reverse("contracts:list"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
