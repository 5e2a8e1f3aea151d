"""A supplier's timeline: the entries of its contracts the user may see, newest first, a page at a time."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from contracts.models import Activity
from contracts.services.timeline import timeline_record
from tests import factories
from tests.meeting_factories import ActivityFactory

NOW = "2026-11-25 09:00 +00:00"
pytestmark = pytest.mark.usefixtures("pinned")


@pytest.fixture
def pinned():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def shared(contract, other_contract):
    """Alice's and Bob's contracts with the same supplier, each with an entry."""
    other_contract.supplier = contract.supplier
    other_contract.save()
    timeline_record(contract=contract, kind=Activity.Kind.MI_LATE, summary="Alice's MI report late")
    ActivityFactory(contract=other_contract, kind="call", summary="Bob's call", occurred_on=dt.date(2026, 11, 20))
    return contract.supplier


def timeline(client, supplier, **params):
    return client.get(reverse("timeline:supplier", args=[supplier.pk]), params)


def test_each_person_sees_the_entries_of_the_contracts_they_may_see(client, shared, alice, bob, sam, priya):
    seen = {}
    for person in (alice, bob, sam, priya):
        client.force_login(person)
        response = timeline(client, shared)
        assert response.status_code == 200
        seen[person.username] = [e.summary for e in response.context["entries"]]
    assert seen == {
        "alice": ["Alice's MI report late"],
        "bob": ["Bob's call"],
        "sam": ["Alice's MI report late"],
        "priya": ["Alice's MI report late", "Bob's call"],
    }
    client.force_login(priya)
    page = timeline(client, shared).content.decode()
    assert "CON-ALICE" in page and "CON-BOB" in page and "recorded by the system" in page
    assert f'aria-current="page" href="{reverse("timeline:supplier", args=[shared.pk])}">Timeline</a>' in page


def test_a_supplier_without_a_visible_contract_is_not_found(client, bob, contract):
    client.force_login(bob)
    assert timeline(client, contract.supplier).status_code == 404


def test_the_timeline_filters_by_group(client, shared, priya):
    client.force_login(priya)
    assert [e.summary for e in timeline(client, shared, kind="notes").context["entries"]] == ["Bob's call"]
    assert [e.summary for e in timeline(client, shared, kind="performance").context["entries"]] == [
        "Alice's MI report late"
    ]


def test_the_timeline_comes_a_page_at_a_time_in_a_constant_number_of_queries(
    client, contract, priya, django_assert_max_num_queries
):
    supplier = contract.supplier
    escalation_contract = factories.ContractFactory(supplier=supplier)
    timeline_record(contract=contract, kind=Activity.Kind.DOCUMENT, summary="First", subject=contract, by=priya)
    client.force_login(priya)
    with django_assert_max_num_queries(30) as one:
        assert timeline(client, supplier).status_code == 200
    for number in range(40):
        target = contract if number % 2 else escalation_contract
        timeline_record(
            contract=target, kind=Activity.Kind.DOCUMENT, summary=f"Entry {number}", subject=target, by=priya
        )
    with django_assert_max_num_queries(len(one)):
        first = timeline(client, supplier)
    assert len(first.context["entries"]) == 25 and first.context["page_obj"].paginator.count == 41
    second = timeline(client, supplier, page=2)
    assert len(second.context["entries"]) == 16 and second.context["entries"][-1].summary == "First"
