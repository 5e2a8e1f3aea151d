"""One normalisation of supplier names and identifiers (suppliers.identity), used for matching everywhere."""

import pytest

from suppliers.forms import SupplierForm
from suppliers.identity import (
    is_company_number,
    is_ppon,
    normalise_company_number,
    normalise_name,
    normalise_ppon,
)
from suppliers.models import Supplier
from tests import factories

SAME_NAMES = [
    ("ALBION ESTATES MAINTENANCE LTD", "albion estates maintenance ltd"),
    ("ALBION ESTATES MAINTENANCE LTD", "Albion Estates Maintenance Limited"),
    ("Albion Estates Maintenance Ltd.", "Albion  Estates   Maintenance"),
    ("The X & Y Ltd", "x and y limited"),
    ("The Redbrick Facilities Management PLC", "REDBRICK FACILITIES MANAGEMENT plc"),
    ("Redbrick Facilities Management Public Limited Company", "Redbrick Facilities Management PLC"),
    ("Smith & Sons (UK) Ltd", "Smith and Sons UK Limited"),
    ("O'Brien Cleaning Ltd", "OBrien Cleaning Limited"),
    ("J.P. Security Services", "JP Security Services Ltd"),
    ("Café Nero Ltd", "CAFE NERO LIMITED"),
    ("Hope-Street Catering Ltd", "Hope Street Catering Limited"),
    ("Gwasanaethau Cymru Cyf", "Gwasanaethau Cymru Cyfyngedig"),
    ("Northgate Partners LLP", "Northgate Partners Limited Liability Partnership"),
    ("Acme + Co", "ACME & CO."),
    (" Acme\tServices \n", "acme services"),
]
DIFFERENT_NAMES = [
    ("Albion Estates", "Albion Estates Maintenance"),
    ("North Security Ltd", "South Security Ltd"),
    ("Limited Editions Ltd", "Editions Ltd"),  # a legal form is dropped only at the end
    ("Theatre Supplies Ltd", "Atre Supplies Ltd"),  # "The" is dropped only as a word
]
COMPANY_NUMBERS = [
    ("5566123", "05566123"),
    ("05566123", "05566123"),
    ("0556 6123", "05566123"),
    ("123", "00000123"),
    ("sc123456", "SC123456"),
    ("SC 123 456", "SC123456"),
    ("sc12345", "SC012345"),
    ("ni 012345", "NI012345"),
    ("OC301234", "OC301234"),
    (" 01234567 ", "01234567"),
    (5566123, "05566123"),
    (5566123.0, "05566123"),  # a spreadsheet's number cell
    ("", ""),
    (None, ""),
]
PPONS = [
    ("PMZV-7732-XXTT", "PMZV-7732-XXTT"),
    ("pmzv 7732 xxtt", "PMZV-7732-XXTT"),
    ("PMZV7732XXTT", "PMZV-7732-XXTT"),
    ("GB-PPON:PMZV-7732-XXTT", "PMZV-7732-XXTT"),
    ("GB-PPON-PMZV-7732-XXTT", "PMZV-7732-XXTT"),
]


@pytest.mark.parametrize(("first", "second"), SAME_NAMES)
def test_names_that_are_one_supplier_normalise_alike(first, second):
    assert normalise_name(first) == normalise_name(second) != ""


@pytest.mark.parametrize(("first", "second"), DIFFERENT_NAMES)
def test_names_of_different_suppliers_stay_apart(first, second):
    assert normalise_name(first) != normalise_name(second)


def test_the_readme_examples_normalise_to_the_words_that_matter():
    assert normalise_name("The X & Y Ltd") == "x and y"
    assert normalise_name("ALBION ESTATES MAINTENANCE LTD") == "albion estates maintenance"


@pytest.mark.parametrize(("typed", "stored"), COMPANY_NUMBERS)
def test_companies_house_numbers_normalise_to_the_registers_form(typed, stored):
    assert normalise_company_number(typed) == stored
    assert stored == "" or is_company_number(stored)


@pytest.mark.parametrize("typed", ["123456789", "SC1234567", "ABC12345", "12-34-56-78-9", "S1234567"])
def test_what_cannot_be_a_companies_house_number_is_not_made_one(typed):
    assert not is_company_number(normalise_company_number(typed))


@pytest.mark.parametrize(("typed", "stored"), PPONS)
def test_ppons_normalise_and_validate(typed, stored):
    assert normalise_ppon(typed) == stored
    assert is_ppon(stored)


@pytest.mark.parametrize("typed", ["AMZV-7732-XXTT", "PMZV-773-XXTT", "PMZV-7732-XX1T", "12345678"])
def test_what_is_not_a_ppon_is_refused(typed):
    assert not is_ppon(normalise_ppon(typed))


def test_the_table_has_at_least_20_variants():
    assert len(SAME_NAMES) + len(DIFFERENT_NAMES) + len(COMPANY_NUMBERS) + len(PPONS) >= 20


@pytest.mark.django_db
def test_save_keeps_the_normalised_name_and_it_is_indexed():
    supplier = factories.SupplierFactory(name="The Albion Estates Maintenance Ltd")
    assert Supplier.objects.get(pk=supplier.pk).normalised_name == "albion estates maintenance"
    supplier.name = "Redbrick & Co PLC"
    supplier.save(update_fields=["name"])
    assert Supplier.objects.get(pk=supplier.pk).normalised_name == "redbrick and company"
    assert Supplier._meta.get_field("normalised_name").db_index


@pytest.mark.django_db
def test_the_supplier_form_pads_the_number_and_checks_the_ppon():
    form = SupplierForm(
        data={"name": "Albion Ltd", "companies_house_number": "5566123", "ppon": "pmzv 7732 xxtt", "status": "active"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["companies_house_number"] == "05566123"
    assert form.cleaned_data["ppon"] == "PMZV-7732-XXTT"

    form = SupplierForm(data={"name": "Albion Ltd", "ppon": "PMZV-7732", "status": "active"})
    assert not form.is_valid()
    assert "PPON is P, three letters" in form.errors["ppon"][0]


@pytest.mark.django_db
def test_the_supplier_search_finds_a_name_however_it_is_written(client, priya):
    factories.SupplierFactory(name="Smith and Sons Limited", companies_house_number="05566123")
    client.force_login(priya)
    for query in ("SMITH & SONS LTD", "5566123", "smith and sons"):
        response = client.get("/suppliers/", {"q": query})
        assert "Smith and Sons Limited" in response.content.decode(), query
