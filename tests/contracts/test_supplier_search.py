"""The contract form's supplier box searches the server: scoped, a few results, a constant number of queries."""

import pytest
from django.urls import reverse

from contracts.models import Contract
from suppliers.search import supplier_label
from tests import factories

pytestmark = pytest.mark.django_db


def _labels(client, q):
    return [r["label"] for r in client.get(reverse("suppliers:search"), {"q": q}).json()["results"]]


def test_the_search_finds_suppliers_by_words_or_number_within_what_one_may_see(client, priya, alice, contract):
    factories.SupplierFactory(name="Medacs Healthcare", companies_house_number="01234567")
    factories.SupplierFactory(name="Healthcare Partners", companies_house_number="")
    client.force_login(priya)
    assert _labels(client, "health") == ["Healthcare Partners", "Medacs Healthcare (01234567)"]
    assert _labels(client, "01234567") == ["Medacs Healthcare (01234567)"]
    assert _labels(client, "h") == []  # two letters at least
    client.force_login(alice)  # an OCO sees the suppliers of her contracts only
    assert _labels(client, "health") == []
    assert _labels(client, contract.supplier.name) == [supplier_label(contract.supplier)]


def test_the_search_costs_the_same_queries_for_3_or_60_suppliers(client, priya, django_assert_max_num_queries):
    client.force_login(priya)
    for count in (3, 60):
        factories.SupplierFactory.create_batch(count, name=factories.factory.Sequence(lambda n: f"Fleet {n}"))
        with django_assert_max_num_queries(7):  # the sign-in middleware's, then one for the search
            assert len(_labels(client, "fleet")) == min(10, 3 if count == 3 else 63)


def test_the_contract_form_takes_the_supplier_as_typed_or_chosen(client, priya, contract):
    from tests.contracts.test_register import contract_form_data

    medacs = factories.SupplierFactory(name="Medacs Healthcare", companies_house_number="01234567")
    client.force_login(priya)
    page = client.get(reverse("contracts:create")).content.decode()
    assert 'data-search-url="/suppliers/search/"' in page and 'list="id_supplier-options"' in page
    assert '<datalist id="id_supplier-options"></datalist>' in page and "js/supplier_search.js" in page
    assert "<option" not in page.split('id="id_supplier"')[1].split("</datalist>")[0]  # no list of them all
    for n, typed in enumerate(["Medacs Healthcare (01234567)", "medacs healthcare", "01234567"]):
        data = contract_form_data(medacs, contract.category, reference=f"CON-NEW-{n}")
        data["supplier"] = typed
        assert client.post(reverse("contracts:create"), data).status_code == 302, typed
        assert Contract.objects.get(reference=f"CON-NEW-{n}").supplier == medacs
    data = contract_form_data(medacs, contract.category, reference="CON-NEW-X")
    data["supplier"] = "Nobody Limited"
    response = client.post(reverse("contracts:create"), data)
    assert "No supplier is called “Nobody Limited”" in response.context["form"].errors["supplier"][0]


def test_a_nul_character_is_refused_not_a_crash(client, priya):
    client.force_login(priya)
    assert client.get(reverse("suppliers:search"), {"q": "ab\x00cd"}).status_code == 200
