"""The register: creating and editing contracts, invalid input, history, the list page."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import Contract, ContractAssignment
from tests import factories


def contract_form_data(contract_supplier, category, **overrides):
    data = {
        "reference": "CON-2026-100",
        "title": "Vehicle leasing",
        "description": "",
        "supplier": contract_supplier.pk,
        "category": category.pk,
        "status": "active",
        "procurement_route": "framework",
        "nature": "services",
        "regime": "",
        "agreement": "contract",
        "start_date": "2026-04-01",
        "end_date": "2029-03-31",
        "extended_end_date": "",
        "notice_period_days": "90",
        "total_value": "1250000",
        "annual_value": "416666.67",
        "cost_centre": "FLT01",
        "finance_reference": "AGR-1001",
        "oco": "",
        "sro": "",
        "operational_notes": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def supplier(db):
    return factories.SupplierFactory(name="Arval UK Limited")


@pytest.fixture
def category(db):
    return factories.CategoryFactory(name="Fleet")


def test_procurement_adds_a_contract_with_its_owners(client, priya, alice, sam, supplier, category):
    client.force_login(priya)
    response = client.post(
        reverse("contracts:create"), contract_form_data(supplier, category, oco=alice.pk, sro=sam.pk)
    )
    contract = Contract.objects.get(reference="CON-2026-100")
    assert response.status_code == 302
    assert response["Location"] == contract.get_absolute_url()
    assert contract.oco == alice and contract.sro == sam
    page = client.get(contract.get_absolute_url()).content.decode()
    assert "£1,250,000" in page
    assert "31 Mar 2029" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_date": "2026-03-31"}, "end_date", "The end date must be on or after the start date."),
        ({"total_value": "-5"}, "total_value", "Ensure this value is greater than or equal to 0."),
        ({"annual_value": "-1"}, "annual_value", "Ensure this value is greater than or equal to 0."),
        ({"annual_value": "5000000"}, "annual_value", "The annual value cannot be more than the total value"),
        ({"reference": "CON-TAKEN"}, "reference", "A contract with this reference is already on the register."),
        ({"extended_end_date": "2028-01-01"}, "extended_end_date", "on or after the end date"),
    ],
)
def test_invalid_contract_is_refused_next_to_the_field_and_nothing_is_saved(
    client, priya, supplier, category, overrides, field, message
):
    factories.ContractFactory(reference="CON-TAKEN")
    before = Contract.objects.count()
    client.force_login(priya)
    response = client.post(reverse("contracts:create"), contract_form_data(supplier, category, **overrides))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert "Nothing has been saved" in response.content.decode()
    assert Contract.objects.count() == before


def test_someone_outside_the_role_cannot_be_made_oco(client, priya, bob, sam, supplier, category):
    client.force_login(priya)
    # sam is an SRO, not an OCO: the choice is refused.
    response = client.post(reverse("contracts:create"), contract_form_data(supplier, category, oco=sam.pk))
    assert response.status_code == 200
    assert "oco" in response.context["form"].errors
    assert not Contract.objects.filter(reference="CON-2026-100").exists()


def test_the_database_refuses_what_the_form_would_refuse(db):
    contract = factories.ContractFactory()
    for field, value in [("end_date", contract.start_date.replace(year=2020)), ("total_value", Decimal("-1"))]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Contract.objects.filter(pk=contract.pk).update(**{field: value})
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ContractFactory(reference=contract.reference)


def test_a_change_of_oco_is_kept_as_who_held_it_from_when_to_when(client, priya, alice, bob, contract):
    client.force_login(priya)
    data = contract_form_data(contract.supplier, contract.category, reference=contract.reference, oco=bob.pk)
    data["sro"] = contract.sro_id
    response = client.post(reverse("contracts:edit", args=[contract.pk]), data)
    assert response.status_code == 302
    oco_history = ContractAssignment.objects.filter(contract=contract, role="oco").order_by("started_at")
    assert [(a.user, a.ended_at is None) for a in oco_history] == [(alice, False), (bob, True)]
    assert oco_history[0].ended_at == oco_history[1].started_at
    assert oco_history[1].assigned_by == priya
    # Alice no longer sees the contract; Bob does.
    client.force_login(alice)
    assert client.get(contract.get_absolute_url()).status_code == 404
    client.force_login(bob)
    assert client.get(contract.get_absolute_url()).status_code == 200


def test_history_tab_shows_who_changed_which_fields_and_when(client, priya, contract):
    client.force_login(priya)
    data = contract_form_data(
        contract.supplier,
        contract.category,
        reference=contract.reference,
        title="Body-worn video and evidence platform",
        total_value="450000",
        start_date=contract.start_date.isoformat(),
        end_date=contract.end_date.isoformat(),
        oco=contract.oco_id,
        sro=contract.sro_id,
    )
    assert client.post(reverse("contracts:edit", args=[contract.pk]), data).status_code == 302
    response = client.get(reverse("contracts:history", args=[contract.pk]))
    entry = response.context["entries"][0]
    assert entry.who == "Priya Patel"
    assert entry.action == "Changed"
    changes = {c.label: (c.old, c.new) for c in entry.changes}
    assert changes["Title"] == ("Body-worn video", "Body-worn video and evidence platform")
    assert changes["Total value (£)"] == ("£300,000", "£450,000")
    page = response.content.decode()
    assert "Body-worn video and evidence platform" in page and "£450,000" in page and "Priya Patel" in page


@pytest.mark.parametrize("name", ["contracts:detail", "contracts:history", "contracts:edit"])
def test_a_contract_page_looks_its_contract_up_once(client, alice, contract, name):
    """The permission check (rules) and the page ask for the same contract: one query between them."""
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name, args=[contract.pk])).status_code == 200
    # The lookup through alice's scope: the contracts on which she is named, this one by its id.
    lookups = [q["sql"] for q in queries if f'"contracts_contract"."oco_id" = {alice.pk}' in q["sql"]]
    assert len(lookups) == 1, lookups


def test_register_list_totals_the_filtered_set(client, priya):
    factories.ContractFactory(title="Fleet fuel cards", total_value=Decimal("1000000"), status="active")
    factories.ContractFactory(title="Fleet tyres", total_value=Decimal("250000.50"), status="active")
    factories.ContractFactory(title="Custody meals", total_value=Decimal("9000"), status="expired")
    client.force_login(priya)
    response = client.get(reverse("contracts:list"), {"q": "fleet", "status": "active"})
    assert response.context["totals"]["count"] == 2
    assert "£1,250,000.50" in response.content.decode()


def test_register_list_sorts_by_a_column(client, priya):
    for value in ("5000", "12000000", "75000"):
        factories.ContractFactory(total_value=Decimal(value))
    client.force_login(priya)
    response = client.get(reverse("contracts:list"), {"sort": "-total_value"})
    values = [c.total_value for c in response.context["object_list"]]
    assert values == sorted(values, reverse=True)


def test_register_list_paginates_25_a_page(client, priya):
    factories.ContractFactory.create_batch(30)
    client.force_login(priya)
    response = client.get(reverse("contracts:list"))
    assert len(response.context["object_list"]) == 25
    assert "Page 1 of 2" in response.content.decode()


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("contracts:list"), {"sort": "oco"}).status_code == 200
    return len(queries)


def test_register_list_query_count_is_the_same_for_1_and_25_rows(
    client, priya, alice, sam, django_assert_max_num_queries
):
    client.force_login(priya)
    factories.ContractFactory(oco=alice, sro=sam)
    with django_assert_max_num_queries(13):
        one = _list_queries(client)
    for _ in range(24):
        factories.ContractFactory(oco=alice, sro=sam, supplier=factories.SupplierFactory())
    with django_assert_max_num_queries(13):
        many = _list_queries(client)
    assert one == many


def test_the_register_pages_through_its_contracts_in_the_registers_order(client, priya, alice):
    client.force_login(priya)
    for status in ["active"] * 20 + ["draft"] * 5 + ["ended"] * 5:
        factories.ContractFactory(oco=alice, status=status)
    expected = list(Contract.objects.in_register_order().values_list("reference", flat=True))
    shown = []
    for number in (1, 2):
        response = client.get(reverse("contracts:list"), {"page": number})
        shown += [contract.reference for contract in response.context["object_list"]]
        page = response.content.decode()
        positions = [page.index(contract.reference) for contract in response.context["object_list"]]
        assert positions == sorted(positions)  # on screen in the same order
    assert shown == expected and len(shown) == 30
    assert response.context["totals"]["count"] == 30
