"""The register list keeps its page in the cache between changes (ContractListView): a repeat visit costs
no query of the register, and anything that changes what the list shows, however it is written, shows
on the next request."""

import re

import psycopg
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import roles
from contracts import services
from contracts.models import Category, Contract
from tests import factories

URL = reverse("contracts:list")


def _page(client, query: dict | None = None) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, query or {})
    assert response.status_code == 200
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return html, [query["sql"] for query in queries]


def _reads_the_register(sql: list[str]) -> bool:
    return any('FROM "contracts_contract"' in statement for statement in sql)


def test_a_repeat_visit_is_the_same_page_without_reading_the_register(client, priya, contract):
    client.force_login(priya)
    first, first_sql = _page(client)
    again, again_sql = _page(client)
    assert again == first and contract.reference in again
    assert _reads_the_register(first_sql) and not _reads_the_register(again_sql)
    assert len(again_sql) < len(first_sql)


def test_an_edit_shows_at_once(client, priya, contract):
    client.force_login(priya)
    _page(client)
    contract.title = "Body-worn video, renewed"
    services.contract_save(contract=contract, by=priya)
    assert "Body-worn video, renewed" in _page(client)[0]


def test_a_change_written_around_the_models_shows_at_once(client, priya, contract):
    """An update() or the admin's bulk action calls no save(): the database itself marks the change."""
    client.force_login(priya)
    _page(client)
    Contract.objects.filter(pk=contract.pk).update(title="Changed by a bulk update")
    assert "Changed by a bulk update" in _page(client)[0]
    contract.supplier.__class__.objects.filter(pk=contract.supplier_id).update(name="Renamed Supplies Ltd")
    assert "Renamed Supplies Ltd" in _page(client)[0]


def test_a_renamed_person_and_a_new_category_show_at_once(client, priya, contract, alice):
    client.force_login(priya)
    _page(client)
    alice.__class__.objects.filter(pk=alice.pk).update(first_name="Alicia")
    assert "Alicia Adams" in _page(client)[0]
    Category.objects.create(name="Estates and facilities")
    assert "Estates and facilities</option>" in _page(client)[0]


def test_each_person_sees_their_own_scope_from_the_same_address(client, priya, alice, bob, contract, other_contract):
    client.force_login(priya)
    everything = _page(client)[0]
    assert contract.reference in everything and other_contract.reference in everything
    client.force_login(alice)
    mine = _page(client)[0]
    assert contract.reference in mine and other_contract.reference not in mine


def test_a_new_role_widens_the_list_at_once(client, alice, contract, other_contract):
    client.force_login(alice)
    assert other_contract.reference not in _page(client)[0]
    alice.groups.add(Group.objects.get(name=roles.PROCUREMENT))
    assert other_contract.reference in _page(client)[0]


def test_the_query_string_and_page_are_part_of_the_key(client, priya):
    factories.ContractFactory.create_batch(26, status=Contract.Status.ACTIVE)
    client.force_login(priya)
    first, second = _page(client)[0], _page(client, {"page": 2})[0]
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert _page(client, {"status": "draft"})[0].count("<tr>") == 0  # no rows: not page 1 again


def test_the_bulk_form_carries_this_sessions_token(client, priya, contract):
    client.force_login(priya)
    client.get(URL)
    other = client.__class__()
    other.force_login(priya)
    first, second = client.get(URL).content.decode(), other.get(URL).content.decode()
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.search(first) and token.search(second)
    assert token.search(first).group(1) != token.search(second).group(1)


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_after_the_page_was_cached_shows_at_once(client, priya, contract):
    """Another process's transaction has written but not committed when the page is cached: its commit
    alone (no later write) is enough for the next request to show the change."""
    client.force_login(priya)
    other = psycopg.connect(**connection.get_connection_params())
    try:
        other.execute("UPDATE contracts_contract SET title = 'Committed later' WHERE id = %s", [contract.pk])
        assert "Committed later" not in _page(client)[0]  # not yet committed: the old title, now cached
        assert "Committed later" not in _page(client)[0]
        other.commit()
        assert "Committed later" in _page(client)[0]
        # Reading the version leaves no lock behind: a writer is not kept waiting.
        other.execute("SET lock_timeout = '2s'")
        other.execute("UPDATE contracts_contract SET title = 'And again' WHERE id = %s", [contract.pk])
        other.commit()
        assert "And again" in _page(client)[0]
    finally:
        other.close()
