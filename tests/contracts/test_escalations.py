"""Escalations to the Procurement Unit: who may raise, read and manage them, the list, demo data.
(Supplier information that raises them, and key suppliers: tests/suppliers/test_supplier_information.py.)"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts import services
from contracts.models import Contract, Escalation
from core.formatting import long_date
from notifications.models import Kind, Notification
from tests import factories


def raise_data(**overrides) -> dict:
    data = {
        "source": "significant_performance_issue",
        "severity": "medium",
        "title": "Weekend response times missed for three months",
        "details": "Service credits applied; no recovery plan yet.",
    }
    data.update(overrides)
    return data


def manage_data(escalation: Escalation, **overrides) -> dict:
    data = {
        "status": escalation.status,
        "severity": escalation.severity,
        "owner": escalation.owner_id or "",
        "actions": escalation.actions,
        "resolution": escalation.resolution,
    }
    data.update(overrides)
    return data


def raised(contract: Contract, *, by, **fields) -> Escalation:
    return factories.escalation_raised(contract, by=by, **fields)


# --- Permissions (every escalation page as every persona: test_escalation_permissions.py) ----------------


def test_an_oco_cannot_raise_on_someone_elses_contract(client, bob, contract):
    client.force_login(bob)
    response = client.post(reverse("escalations:raise", args=[contract.pk]), raise_data())
    assert response.status_code == 404
    assert not Escalation.objects.exists()


def test_an_sro_reads_escalations_but_cannot_raise_or_manage_one(client, sam, alice, contract):
    escalation = raised(contract, by=alice)
    client.force_login(sam)
    assert client.post(reverse("escalations:raise", args=[contract.pk]), raise_data()).status_code == 403
    response = client.post(
        reverse("escalations:manage", args=[escalation.pk]), manage_data(escalation, status="closed", resolution="x")
    )
    assert response.status_code == 403
    assert Escalation.objects.get().status == Escalation.Status.OPEN
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert escalation.title in page
    assert reverse("escalations:raise", args=[contract.pk]) not in page


def test_an_oco_cannot_manage_their_own_escalation(client, alice, contract):
    escalation = raised(contract, by=alice)
    client.force_login(alice)
    response = client.post(
        reverse("escalations:manage", args=[escalation.pk]), manage_data(escalation, status="closed", resolution="x")
    )
    assert response.status_code == 403
    assert Escalation.objects.get().status == Escalation.Status.OPEN


def test_an_oco_sees_only_the_escalations_of_their_own_contracts(client, alice, bob, contract, other_contract):
    raised(contract, by=alice, title="Alice's problem")
    raised(other_contract, by=bob, title="Bob's problem")
    client.force_login(bob)
    page = client.get(reverse("escalations:list")).content.decode()
    assert "Bob&#x27;s problem" in page
    assert "Alice&#x27;s problem" not in page
    searched = client.get(reverse("escalations:list"), {"q": "CON-ALICE", "status": ""})
    assert list(searched.context["object_list"]) == []


# --- Raising and managing --------------------------------------------------------------------------


def test_an_oco_raises_an_escalation_and_the_procurement_unit_is_notified(client, alice, priya, contract):
    client.force_login(alice)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert reverse("escalations:raise", args=[contract.pk]) in page
    assert "No open escalations" in page

    response = client.post(reverse("escalations:raise", args=[contract.pk]), raise_data())

    escalation = Escalation.objects.get()
    assert response.status_code == 302 and response["Location"] == escalation.get_absolute_url()
    assert (escalation.contract, escalation.raised_by, escalation.status) == (contract, alice, "open")
    assert escalation.raised_on == timezone.localdate()
    (notification,) = Notification.objects.filter(kind=Kind.ESCALATION)
    assert notification.recipient == priya
    assert notification.url == escalation.get_absolute_url()
    assert not alice.notifications.exists()
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "1 open escalation" in page
    assert escalation.get_absolute_url() in page


def test_a_raised_escalation_needs_its_title_and_details(client, alice, contract):
    client.force_login(alice)
    response = client.post(reverse("escalations:raise", args=[contract.pk]), raise_data(title="", details=""))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "details"}
    assert not Escalation.objects.exists()


def test_procurement_manages_an_escalation_the_oco_hears_and_the_history_keeps_who_and_what(
    client, alice, priya, contract
):
    escalation = raised(contract, by=alice)
    client.force_login(priya)

    response = client.post(
        reverse("escalations:manage", args=[escalation.pk]),
        manage_data(escalation, status="in_progress", owner=priya.pk, actions="Meeting the account director"),
    )

    assert response.status_code == 302
    escalation.refresh_from_db()
    assert (escalation.status, escalation.owner, escalation.actions) == (
        "in_progress",
        priya,
        "Meeting the account director",
    )
    (told,) = alice.notifications.filter(kind=Kind.ESCALATION)
    assert "in progress" in told.title and "Priya Patel" in told.body
    detail = client.get(escalation.get_absolute_url())
    (change, created) = detail.context["entries"]
    assert (change.action, change.who, created.action, created.who) == (
        "Changed",
        "Priya Patel",
        "Created",
        "Alice Adams",
    )
    assert {(c.label, c.old, c.new) for c in change.changes} == {
        ("Status", "Open", "In progress"),
        ("Owner", "—", "Priya Patel"),
        ("Actions", "—", "Meeting the account director"),
        ("Answered on", "—", long_date(timezone.localdate())),
    }
    assert "Meeting the account director" in detail.content.decode()

    # A change that is not of status is kept in the history but not sent to the OCO.
    client.post(reverse("escalations:manage", args=[escalation.pk]), manage_data(escalation, severity="high"))
    assert alice.notifications.filter(kind=Kind.ESCALATION).count() == 1
    assert len(client.get(escalation.get_absolute_url()).context["entries"]) == 3


@pytest.mark.parametrize("status", ["resolved", "closed"])
def test_resolving_or_closing_needs_a_resolution_and_saves_nothing_without_one(client, alice, priya, contract, status):
    escalation = raised(contract, by=alice)
    client.force_login(priya)
    url = reverse("escalations:manage", args=[escalation.pk])
    response = client.post(url, manage_data(escalation, status=status, resolution="  ", owner=priya.pk))
    assert response.status_code == 200
    assert "Say how it was resolved" in response.context["form"].errors["resolution"][0]
    assert 'id="error_1_id_resolution"' in response.content.decode()
    escalation.refresh_from_db()
    assert (escalation.status, escalation.owner) == ("open", None)
    assert escalation.history.count() == 1
    assert not alice.notifications.exists()

    response = client.post(url, manage_data(escalation, status=status, resolution="Credits paid; plan agreed."))
    assert response.status_code == 302
    assert Escalation.objects.get().status == status
    assert alice.notifications.filter(kind=Kind.ESCALATION).count() == 1


def test_the_owner_must_be_in_the_procurement_unit(client, alice, priya, contract):
    escalation = raised(contract, by=alice)
    client.force_login(priya)
    response = client.post(reverse("escalations:manage", args=[escalation.pk]), manage_data(escalation, owner=alice.pk))
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    assert Escalation.objects.get().owner is None


# --- The list ------------------------------------------------------------------------------------


def test_the_list_shows_open_ones_oldest_first_and_filters(client, alice, priya, contract, other_contract):
    today = timezone.localdate()
    raised(contract, by=alice, title="Newer", raised_on=today - dt.timedelta(days=1))
    older = raised(other_contract, by=priya, title="Older", raised_on=today - dt.timedelta(days=9))
    done = raised(contract, by=alice, title="Done", raised_on=today - dt.timedelta(days=20))
    done.status, done.resolution, done.owner = Escalation.Status.CLOSED, "Agreed", priya
    services.escalation_update(escalation=done, by=priya)
    older.status, older.owner = Escalation.Status.IN_PROGRESS, priya
    older.severity = Escalation.Severity.CRITICAL
    services.escalation_update(escalation=older, by=priya)
    client.force_login(priya)
    url = reverse("escalations:list")

    def listed(**params):
        return [e.title for e in client.get(url, params).context["object_list"]]

    assert listed() == ["Older", "Newer"]
    assert listed(status="") == ["Done", "Older", "Newer"]
    assert listed(status="closed") == ["Done"]
    assert listed(severity="critical") == ["Older"]
    assert listed(source="dispute", q="CON-BOB") == ["Older"]
    assert listed(owner=priya.pk, status="") == ["Done", "Older"]
    assert listed(owner="null") == ["Newer"]
    assert listed(contract=contract.pk, status="") == ["Done", "Newer"]


def test_the_list_paginates_25_a_page(client, priya, contract):
    for n in range(30):
        raised(contract, by=priya, title=f"Escalation {n}")
    client.force_login(priya)
    response = client.get(reverse("escalations:list"))
    assert len(response.context["object_list"]) == 25
    assert response.context["paginator"].count == 30
    assert len(client.get(reverse("escalations:list"), {"page": 2}).context["object_list"]) == 5


@pytest.mark.parametrize("persona", ["priya", "alice"], indirect=True)
def test_list_query_count_is_the_same_for_1_and_25_rows(client, persona, contract, django_assert_max_num_queries):
    raised(contract, by=contract.oco)
    client.force_login(persona)
    with django_assert_max_num_queries(12) as one:
        assert len(client.get(reverse("escalations:list")).context["object_list"]) == 1
    for n in range(24):
        supplier = factories.SupplierFactory()
        other = factories.ContractFactory(supplier=supplier, oco=contract.oco, sro=contract.sro)
        raised(other, by=contract.oco, owner=factories.procurement_officer(), title=f"Escalation {n}")
    with django_assert_max_num_queries(len(one)):
        assert len(client.get(reverse("escalations:list")).context["object_list"]) == 25


def test_contract_page_query_count_does_not_grow_with_escalations(
    client, alice, contract, django_assert_max_num_queries
):
    raised(contract, by=alice)
    client.force_login(alice)
    with django_assert_max_num_queries(40) as one:
        client.get(reverse("contracts:detail", args=[contract.pk]))
    for n in range(5):
        raised(contract, by=alice, title=f"Escalation {n}")
    with django_assert_max_num_queries(len(one)):
        page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "6 open escalations" in page
