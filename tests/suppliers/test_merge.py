"""Likely duplicates and merging two records of one supplier, for the Procurement Unit."""

from datetime import date

import pytest
from django.urls import reverse

from contracts.models import Activity, Contract, Escalation
from contracts.services import contract_save, supplier_information_record
from contracts.services.suppliers import MOVED_HERE, moved_relations, supplier_merge
from suppliers import merge
from suppliers.models import Supplier, SupplierContact, SupplierInformation
from suppliers.selectors import likely_duplicates, likely_matches
from tests import factories


@pytest.fixture
def duplicate_pair(alice, sam, priya):
    """The same company twice: the record the finance export created, and the Procurement Unit's."""
    kept = factories.SupplierFactory(name="Albion Estates Maintenance Limited", companies_house_number="05566123")
    duplicate = factories.SupplierFactory(
        name="ALBION ESTATES MAINTENANCE LTD", companies_house_number="", ppon="PMZV-7732-XXTT", vat_number=""
    )
    contract_save(contract=factories.ContractFactory(reference="CON-KEPT", supplier=kept, oco=alice), by=priya)
    for reference in ("CON-DUP-1", "CON-DUP-2"):
        contract_save(
            contract=factories.ContractFactory(reference=reference, supplier=duplicate, oco=alice, sro=sam), by=priya
        )
    factories.SupplierContactFactory(supplier=duplicate, name="Dana Whitfield")
    information = SupplierInformation(
        supplier=duplicate,
        kind=SupplierInformation.Kind.FINANCIAL,
        category=SupplierInformation.Category.PROFIT_WARNING,
        summary="Profit warning in the half-year results",
        source="Financial Times",
        occurred_on=date(2026, 11, 2),
    )
    supplier_information_record(information=information, by=priya)
    return kept, duplicate


def test_every_relation_to_a_supplier_has_a_place_in_the_merge():
    """A new model pointing at Supplier must say what a merge does with it: in the merge itself
    (contracts/services/suppliers.py) or, from an app above contracts, with a mover it registers."""
    relations = {r.get_accessor_name() for r in Supplier._meta.related_objects}
    assert relations <= moved_relations(), relations - moved_relations()


def test_the_apps_above_contracts_move_their_own_rows_and_each_relation_is_moved_once():
    assert set(merge.movers()) == {"invoices"}  # exchange's, registered in ExchangeConfig.ready
    assert MOVED_HERE.isdisjoint(merge.movers())


def test_procurement_merges_a_duplicate_and_everything_moves(client, priya, alice, duplicate_pair):
    kept, duplicate = duplicate_pair
    client.force_login(priya)

    page = client.get(reverse("supplier_merge:pair", args=[duplicate.pk, kept.pk]))
    assert page.status_code == 200
    assert "2 contracts, 1 contact, 1 piece of information" in page.content.decode()
    response = client.post(reverse("supplier_merge:pair", args=[duplicate.pk, kept.pk]), {"keep": kept.pk})
    assert response.status_code == 302 and response["Location"] == kept.get_absolute_url()

    duplicate.refresh_from_db()
    kept.refresh_from_db()
    assert duplicate.merged_into == kept
    assert set(kept.contracts.values_list("reference", flat=True)) == {"CON-KEPT", "CON-DUP-1", "CON-DUP-2"}
    assert not Contract.objects.filter(supplier=duplicate).exists()
    assert list(kept.contacts.values_list("name", flat=True)) == ["Dana Whitfield"]
    information = kept.information.get()
    assert {e.contract.supplier_id for e in Escalation.objects.filter(supplier_information=information)} == {kept.pk}
    assert kept.ppon == "PMZV-7732-XXTT" and duplicate.ppon == ""  # the identifier the kept record lacked

    # Both histories say so, each contract's history and timeline too.
    assert duplicate.history.latest().history_change_reason == f"Merged into {kept.name} (supplier {kept.pk})"
    assert kept.history.latest().history_change_reason.startswith(
        f"Supplier {duplicate.pk} merged in (moved: contracts 2, contacts 1, information 1): ALBION"
    )
    moved = Contract.objects.get(reference="CON-DUP-1")
    assert moved.history.latest().history_change_reason == f"Supplier {duplicate.name} merged into {kept.name}"
    assert moved.history.latest().history_user == priya
    assert Activity.objects.filter(contract=moved, kind=Activity.Kind.SUPPLIER_EVENT).count() == 1
    assert SupplierContact.objects.get().history.latest().history_change_reason.startswith("Moved from")
    history_page = client.get(reverse("suppliers:history", args=[kept.pk])).content.decode()
    assert f"Supplier {duplicate.pk} merged in" in history_page

    # The old page leads to the survivor, for the Procurement Unit and for the contracts' OCO alike.
    for person in (priya, alice):
        client.force_login(person)
        old_page = client.get(reverse("suppliers:detail", args=[duplicate.pk]))
        assert old_page.status_code == 302 and old_page["Location"] == kept.get_absolute_url()
    client.force_login(priya)
    listed = client.get(reverse("suppliers:list")).content.decode()
    assert "ALBION ESTATES MAINTENANCE LTD" not in listed and "Albion Estates Maintenance Limited" in listed


def test_the_kept_record_is_chosen_and_a_choice_is_required(client, priya, duplicate_pair):
    kept, duplicate = duplicate_pair
    client.force_login(priya)
    url = reverse("supplier_merge:pair", args=[kept.pk, duplicate.pk])
    response = client.post(url, {})
    assert response.status_code == 400 and "Choose the record to keep." in response.content.decode()

    client.post(url, {"keep": duplicate.pk})  # the other way round: the finance export's name survives
    kept.refresh_from_db()
    assert kept.merged_into_id == duplicate.pk
    assert Supplier.objects.get(pk=duplicate.pk).companies_house_number == "05566123"
    assert Contract.objects.filter(supplier=duplicate).count() == 3


def test_two_companies_house_numbers_are_two_companies(priya):
    first = factories.SupplierFactory(name="Albion Ltd", companies_house_number="05566123")
    second = factories.SupplierFactory(name="Albion Limited", companies_house_number="SC123456")
    with pytest.raises(Exception, match="different Companies House numbers"):
        supplier_merge(supplier=first, into=second, by=priya)
    assert not Supplier.objects.filter(merged_into__isnull=False).exists()


def test_a_merged_record_cannot_be_merged_again(client, priya, duplicate_pair):
    kept, duplicate = duplicate_pair
    supplier_merge(supplier=duplicate, into=kept, by=priya)
    client.force_login(priya)
    assert client.get(reverse("supplier_merge:pair", args=[duplicate.pk, kept.pk])).status_code == 404


def test_the_likely_duplicates_list_pairs_records_of_one_company(client, priya, duplicate_pair):
    kept, duplicate = duplicate_pair
    factories.SupplierFactory(name="Harbour Linen Services", companies_house_number="")
    factories.SupplierFactory(name="Albion Estates", companies_house_number="SC123456")  # like it, but another number
    factories.SupplierFactory(name="Albion Estates Ltd", companies_house_number="SC654321")

    pairs = likely_duplicates()
    assert {(p.first.pk, p.second.pk) for p in pairs} >= {(kept.pk, duplicate.pk)}
    assert all(
        {p.first.companies_house_number, p.second.companies_house_number} - {""} != {"SC123456", "SC654321"}
        for p in pairs
    )
    assert pairs[0].similarity == 1.0

    client.force_login(priya)
    for n in range(30):
        factories.SupplierFactory(name=f"Northgate Security {n} Ltd", companies_house_number="")
    response = client.get(reverse("suppliers:duplicates"))
    page = response.content.decode()
    assert "ALBION ESTATES MAINTENANCE LTD" in page and "Compare and merge" in page
    assert reverse("supplier_merge:pair", args=[kept.pk, duplicate.pk]) in page


def test_the_duplicates_page_costs_the_same_for_few_and_many_pairs(client, priya, django_assert_max_num_queries):
    client.force_login(priya)
    factories.SupplierFactory(name="Harbour Linen Ltd", companies_house_number="")
    factories.SupplierFactory(name="HARBOUR LINEN LIMITED", companies_house_number="")
    with django_assert_max_num_queries(10):
        assert client.get(reverse("suppliers:duplicates")).status_code == 200
    for n in range(40):
        factories.SupplierFactory(name=f"Northgate Security Services {n}", companies_house_number="")
        factories.SupplierFactory(name=f"NORTHGATE SECURITY SERVICES {n} LTD", companies_house_number="")
    with django_assert_max_num_queries(10):
        page = client.get(reverse("suppliers:duplicates")).content.decode()
    assert page.count("Compare and merge<") >= 41


def test_the_merge_page_offers_likely_matches_and_a_search(client, priya, duplicate_pair):
    kept, duplicate = duplicate_pair
    client.force_login(priya)
    page = client.get(reverse("supplier_merge:choose", args=[duplicate.pk])).content.decode()
    assert reverse("supplier_merge:pair", args=[duplicate.pk, kept.pk]) in page
    found = client.get(reverse("supplier_merge:choose", args=[duplicate.pk]), {"q": "5566123"}).content.decode()
    assert "Albion Estates Maintenance Limited" in found.split('id="merge-found"')[1]


@pytest.mark.parametrize("who", ["alice", "sam"])
def test_only_the_procurement_unit_sees_duplicates_or_merges(client, request, who, duplicate_pair):
    kept, duplicate = duplicate_pair
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("suppliers:duplicates")).status_code == 403
    assert client.get(reverse("supplier_merge:choose", args=[kept.pk])).status_code == 403
    url = reverse("supplier_merge:pair", args=[duplicate.pk, kept.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"keep": kept.pk}).status_code == 403
    assert Supplier.objects.get(pk=duplicate.pk).merged_into_id is None
    assert "Merge with another record" not in client.get(reverse("suppliers:detail", args=[kept.pk])).content.decode()


def test_without_trigrams_the_same_normalised_name_is_a_likely_duplicate(monkeypatch, priya):
    """SQLite (`make run`) has no pg_trgm: the lists fall back to the same normalised name."""
    monkeypatch.setattr("suppliers.selectors._trigrams", lambda: False)
    kept = factories.SupplierFactory(name="Albion Estates Maintenance Ltd", companies_house_number="05566123")
    duplicate = factories.SupplierFactory(name="THE ALBION ESTATES MAINTENANCE LIMITED", companies_house_number="")
    factories.SupplierFactory(name="Albion Estates", companies_house_number="")  # alike, but not the same name

    assert [(p.first, p.second, p.similarity) for p in likely_duplicates()] == [(kept, duplicate, 1.0)]
    assert likely_matches(name="albion estates maintenance", exclude=kept.pk) == [(duplicate, 1.0)]


def test_a_merge_moves_the_finance_systems_invoices_and_keeps_one_of_an_invoice_recorded_twice(priya, duplicate_pair):
    from exchange.models import Invoice

    kept, duplicate = duplicate_pair
    day = date(2026, 10, 1)
    common = {"received_on": day, "valid_from": day, "paid_on": day, "amount": "1200.00"}
    Invoice.objects.create(supplier=kept, invoice_number="INV-1", **common)
    Invoice.objects.create(supplier=duplicate, invoice_number="INV-1", **common)  # the same invoice, twice
    Invoice.objects.create(supplier=duplicate, invoice_number="INV-2", **common)

    supplier_merge(supplier=duplicate, into=kept, by=priya)

    assert sorted(Invoice.objects.filter(supplier=kept).values_list("invoice_number", flat=True)) == ["INV-1", "INV-2"]
    assert not Invoice.objects.filter(supplier=duplicate).exists()
