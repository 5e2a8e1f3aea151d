"""Strict numbers: what a spreadsheet may have mangled is refused beside its cell, never guessed at."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.models import Contract
from exchange.models import ImportJob
from tests import factories
from tests.contracts.test_register import contract_form_data
from tests.exchange.test_imports import _csv, _import, _row, _xlsx


@pytest.fixture
def ict(db):
    return factories.CategoryFactory(name="ICT")


@pytest.mark.parametrize(
    ("column", "cell", "message"),
    [
        ("total_value", "1.23457E+06", "“1.23457E+06” is in scientific notation"),
        ("annual_value", "4.16667e+05", "“4.16667e+05” is in scientific notation"),
        ("total_value", "£1,25,000.00", "“£1,25,000.00” has its digits grouped in an unusual way"),
        ("annual_value", "41,66,66.67", "“41,66,66.67” has its digits grouped in an unusual way"),
        ("total_value", "£10,000.005", "“£10,000.005” has a fraction of a penny"),
        ("total_value", "£0.00", "The total value cannot be £0.00"),
        ("total_value", "-5,000", "“-5,000” is negative"),
    ],
)
def test_a_mangled_amount_is_refused_beside_its_cell(priya, alice, ict, column, cell, message):
    rows = [_row(1), _row(2, **{column: cell}), _row(3)]
    job = _import(_csv(rows), by=priya)

    assert job.status == ImportJob.Status.PREVIEWED and not job.can_confirm
    assert [(e["line"], e["column"]) for e in job.errors] == [(3, column)]
    assert job.errors[0]["message"].startswith(message)
    assert not Contract.objects.exists()


def test_an_annual_value_above_the_total_is_refused_and_the_row_named(priya, alice, ict):
    rows = [_row(1), _row(2), _row(3, total_value="£100,000.00", annual_value="£100,000.01")]
    job = _import(_csv(rows), by=priya)

    assert [(e["line"], e["column"]) for e in job.errors] == [(4, "annual_value")]
    assert "cannot be more than the total value (£100,000)" in job.errors[0]["message"]


def test_well_written_amounts_still_import(priya, alice, ict):
    rows = [
        _row(1, total_value="£1,250,000.00", annual_value="416,666.67"),
        _row(2, total_value="1250000", annual_value="£ 416666.70"),
        _row(3, total_value="10000.500", annual_value="10,000.5"),  # trailing zeros are not a fraction of a penny
    ]
    job = _import(_csv(rows), by=priya)

    assert job.status == ImportJob.Status.DONE, job.errors
    values = dict(Contract.objects.values_list("reference", "annual_value"))
    assert values == {
        "IMP-0001": Decimal("416666.67"),
        "IMP-0002": Decimal("416666.70"),
        "IMP-0003": Decimal("10000.50"),
    }


def test_number_cells_of_a_workbook_are_held_to_the_penny_too(priya, alice, ict):
    rows = [_row(1, total_value=1250000, annual_value=416666.67), _row(2, total_value=10000.005, annual_value=5)]
    job = _import(_xlsx(rows), by=priya, name="contracts.xlsx")

    assert [(e["line"], e["column"]) for e in job.errors] == [(3, "total_value")]
    assert "fraction of a penny" in job.errors[0]["message"]


@pytest.fixture
def fleet(db):
    return factories.CategoryFactory(name="Fleet")


def test_the_contract_form_refuses_an_annual_value_above_the_total_beside_the_field(client, priya, fleet):
    supplier = factories.SupplierFactory(name="Arval UK Limited")
    client.force_login(priya)
    response = client.post(
        reverse("contracts:create"),
        contract_form_data(supplier, fleet, total_value="100000", annual_value="150000"),
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["annual_value"]
    assert "cannot be more than the total value (£100,000)" in form.errors["annual_value"][0]
    assert not Contract.objects.exists()
