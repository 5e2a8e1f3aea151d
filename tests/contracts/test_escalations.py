"""Escalations to the Procurement Unit, supplier information that raises them, and key suppliers."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from contracts import services
from contracts.models import Contract, Escalation, Quadrant
from notifications.models import Kind, Notification
from suppliers.models import SupplierInformation
from tests import factories

PERSONAS = ["anonymous", "alice", "bob", "sam", "priya", "admin_user"]


def information_data(**overrides) -> dict:
    data = {
        "kind": "financial",
        "category": "profit_warning",
        "severity": "high",
        "occurred_on": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
        "summary": "Full-year profit expected to halve",
        "source": "Trading update to the London Stock Exchange",
        "details": "",
    }
    data.update(overrides)
    return data


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
    escalation = Escalation(
        contract=contract,
        source=fields.pop("source", Escalation.Source.DISPUTE),
        severity=fields.pop("severity", Escalation.Severity.MEDIUM),
        title=fields.pop("title", "Dispute over service credits"),
        details="The supplier disputes the credits for March.",
        **fields,
    )
    return services.escalation_raise(escalation=escalation, by=by)


def information(supplier, *, by, **fields) -> SupplierInformation:
    defaults = {
        "kind": SupplierInformation.Kind.FINANCIAL,
        "category": SupplierInformation.Category.PROFIT_WARNING,
        "severity": SupplierInformation.Severity.HIGH,
        "summary": "Full-year profit expected to halve",
        "source": "Trading update",
        "occurred_on": timezone.localdate() - dt.timedelta(days=1),
    }
    return SupplierInformation(supplier=supplier, **(defaults | fields))


def supplier_information_notifications():
    return Notification.objects.filter(kind=Kind.SUPPLIER_INFORMATION)


# --- Supplier information ----------------------------------------------------------------------


def test_financial_information_escalates_each_active_contract_once_and_notifies_each_person_once(
    alice, bob, sam, priya, admin_user, contract
):
    supplier = contract.supplier
    second = factories.ContractFactory(reference="CON-ALICE-2", supplier=supplier, oco=alice, sro=sam)
    bobs = factories.ContractFactory(reference="CON-BOB-SAME", supplier=supplier, oco=bob)
    factories.ContractFactory(reference="CON-EXPIRED", supplier=supplier, oco=alice, status=Contract.Status.EXPIRED)
    factories.ContractFactory(reference="CON-DRAFT", supplier=supplier, oco=alice, status=Contract.Status.DRAFT)
    factories.ContractFactory(reference="CON-OTHER-SUPPLIER", oco=alice)
    priya2 = factories.procurement_officer(username="quentin")

    # Bob sees only his own contract of the supplier; every active one is escalated all the same.
    escalations = services.supplier_information_record(information=information(supplier, by=bob), by=bob)

    assert sorted(e.contract.reference for e in escalations) == ["CON-ALICE", "CON-ALICE-2", "CON-BOB-SAME"]
    for escalation in Escalation.objects.all():
        assert escalation.source == Escalation.Source.FINANCIAL
        assert escalation.severity == Escalation.Severity.HIGH
        assert escalation.status == Escalation.Status.OPEN
        assert escalation.raised_by == bob
        assert escalation.title == f"Profit warning: {supplier.name}"
        assert escalation.supplier_information.recorded_by == bob

    received = {n.recipient.username: n for n in supplier_information_notifications().select_related("recipient")}
    assert sorted(received) == ["alice", "bob", "priya", "quentin", "sam"]  # not the administrator
    assert "CON-ALICE Body-worn video" in received["alice"].body and "CON-ALICE-2" in received["alice"].body
    assert "CON-BOB-SAME" not in received["alice"].body
    assert received["alice"].title == f"Profit warning: {supplier.name} (2 contracts escalated)"
    assert "CON-BOB-SAME" in received["bob"].body and "CON-ALICE" not in received["bob"].body
    assert received["bob"].url == Escalation.objects.get(contract=bobs).get_absolute_url()
    for procurement in ("priya", "quentin"):
        assert all(ref in received[procurement].body for ref in ("CON-ALICE", "CON-ALICE-2", "CON-BOB-SAME"))
        assert "CON-EXPIRED" not in received[procurement].body
    assert second.escalations.count() == 1
    assert priya2.notifications.count() == 1

    # Once: the same information again escalates and notifies nothing more.
    saved = SupplierInformation.objects.get()
    assert services.supplier_information_record(information=saved, by=priya) == []
    assert Escalation.objects.count() == 3
    assert supplier_information_notifications().count() == 5


def test_information_recorded_again_escalates_only_a_contract_that_has_since_become_active(alice, bob, priya, contract):
    supplier = contract.supplier
    draft = factories.ContractFactory(supplier=supplier, oco=bob, status=Contract.Status.DRAFT)
    recorded = information(supplier, by=alice)
    services.supplier_information_record(information=recorded, by=alice)
    assert Escalation.objects.count() == 1

    draft.status = Contract.Status.ACTIVE
    draft.save()
    (new,) = services.supplier_information_record(information=recorded, by=alice)

    assert new.contract == draft
    assert Escalation.objects.filter(contract=contract).count() == 1
    told = supplier_information_notifications().filter(body__contains=draft.reference)
    assert sorted(n.recipient.username for n in told) == ["bob", "priya"]
    assert alice.notifications.filter(kind=Kind.SUPPLIER_INFORMATION).count() == 1


def test_information_about_a_supplier_without_active_contracts_still_reaches_the_procurement_unit(priya, alice):
    expired = factories.ContractFactory(oco=alice, status=Contract.Status.EXPIRED)
    escalations = services.supplier_information_record(
        information=information(
            expired.supplier,
            by=alice,
            kind=SupplierInformation.Kind.REPUTATIONAL,
            category=SupplierInformation.Category.ADVERSE_MEDIA,
        ),
        by=alice,
    )
    assert escalations == []
    (notification,) = supplier_information_notifications()
    assert notification.recipient == priya
    assert "no active contracts" in notification.title


def test_an_oco_records_reputational_information_on_the_supplier_page(client, alice, sam, priya, contract):
    client.force_login(alice)
    page = client.get(reverse("suppliers:detail", args=[contract.supplier_id])).content.decode()
    create_url = reverse("escalations:supplier_information_create", args=[contract.supplier_id])
    assert "Financial and reputational information" in page
    assert create_url in page

    response = client.post(
        create_url,
        information_data(kind="reputational", category="adverse_media", severity="critical", summary="Fraud inquiry"),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("suppliers:detail", args=[contract.supplier_id]) + "#information"
    recorded = SupplierInformation.objects.get()
    assert (recorded.recorded_by, recorded.kind, recorded.severity) == (alice, "reputational", "critical")
    escalation = Escalation.objects.get()
    assert (escalation.contract, escalation.source, escalation.severity) == (contract, "reputational", "critical")
    assert escalation.title == f"Adverse media: {contract.supplier.name}"
    assert {n.recipient for n in supplier_information_notifications()} == {alice, sam, priya}
    page = client.get(response["Location"]).content.decode()
    assert "Fraud inquiry" in page and "Critical severity" in page


def test_supplier_information_is_listed_newest_first(client, alice, contract):
    supplier = contract.supplier
    for days, summary in ((30, "Older news"), (1, "Newer news")):
        recorded = information(
            supplier, by=alice, summary=summary, occurred_on=timezone.localdate() - dt.timedelta(days)
        )
        services.supplier_information_record(information=recorded, by=alice)
    client.force_login(alice)
    page = client.get(reverse("suppliers:detail", args=[supplier.pk])).content.decode()
    assert page.index("Newer news") < page.index("Older news")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"occurred_on": (dt.date.today() + dt.timedelta(days=3)).isoformat()}, "occurred_on", "in the future"),
        ({"kind": "financial", "category": "adverse_media"}, "category", "reputational information, not financial"),
        ({"kind": "reputational", "category": "late_filing"}, "category", "financial information, not reputational"),
        ({"source": ""}, "source", "This field is required"),
    ],
)
def test_bad_supplier_information_is_refused_next_to_the_field_and_nothing_is_saved(
    client, alice, contract, overrides, field, message
):
    client.force_login(alice)
    url = reverse("escalations:supplier_information_create", args=[contract.supplier_id])
    response = client.post(url, information_data(**overrides))
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    page = response.content.decode()
    assert "Nothing has been saved" in page
    assert f'id="error_1_id_{field}"' in page  # crispy puts the message under its field
    assert not SupplierInformation.objects.exists()
    assert not Escalation.objects.exists()
    assert not Notification.objects.exists()


# --- Permissions -------------------------------------------------------------------------------

# url name -> expected status for each persona, in PERSONAS order.
# alice: the contract's OCO; bob: another OCO; sam: the contract's SRO; priya: Procurement Unit.
MATRIX = {
    "list": [302, 200, 200, 200, 200, 200],
    "detail": [302, 200, 404, 200, 200, 200],
    "manage": [302, 403, 404, 403, 200, 200],
    "raise": [302, 200, 404, 403, 200, 200],
    "supplier_information_create": [302, 200, 404, 200, 200, 200],
}


@pytest.mark.parametrize(
    ("name", "persona", "expected"),
    [(name, p, codes[i]) for name, codes in MATRIX.items() for i, p in enumerate(PERSONAS)],
    indirect=["persona"],
)
def test_escalation_urls_answer_each_persona_as_intended(client, name, persona, expected, contract, other_contract):
    escalation = raised(contract, by=contract.oco)
    args = {
        "list": [],
        "detail": [escalation.pk],
        "manage": [escalation.pk],
        "raise": [contract.pk],
        "supplier_information_create": [contract.supplier_id],
    }[name]
    if persona is not None:
        client.force_login(persona)
    response = client.get(reverse(f"escalations:{name}", args=args))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


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


# --- Key suppliers -----------------------------------------------------------------------------------


def test_key_supplier_badge_and_active_value_count_only_what_the_user_can_see(client, alice, bob, priya, contract):
    supplier = contract.supplier
    Contract.objects.filter(pk=contract.pk).update(kraljic_quadrant=Quadrant.STRATEGIC)
    factories.ContractFactory(supplier=supplier, oco=bob, total_value=Decimal("1000000"))
    factories.ContractFactory(supplier=supplier, oco=alice, status=Contract.Status.EXPIRED, total_value=Decimal("5"))
    plain = factories.ContractFactory(oco=alice, total_value=Decimal("1250"))
    lapsed = factories.ContractFactory(
        oco=alice, status=Contract.Status.EXPIRED, kraljic_quadrant=Quadrant.STRATEGIC, total_value=Decimal("7")
    )

    client.force_login(alice)
    response = client.get(reverse("suppliers:list"))
    rows = {s.name: s for s in response.context["object_list"]}
    assert (rows[supplier.name].is_key, rows[supplier.name].active_value) == (True, Decimal("300000.00"))
    assert rows[supplier.name].active_contracts == 1
    assert (rows[plain.supplier.name].is_key, rows[plain.supplier.name].active_value) == (False, Decimal("1250.00"))
    assert rows[lapsed.supplier.name].is_key is False  # a strategic contract that has ended does not count
    assert rows[lapsed.supplier.name].active_value is None
    page = response.content.decode()
    assert page.count("Key supplier</span>") == 1
    assert "£300,000" in page and "£1,300,000" not in page

    keyed = client.get(reverse("suppliers:list"), {"key": "on"})
    assert [s.name for s in keyed.context["object_list"]] == [supplier.name]

    detail = client.get(reverse("suppliers:detail", args=[supplier.pk])).content.decode()
    assert "Key supplier</span>" in detail
    assert "£300,000" in detail and "that you can see" in detail

    client.force_login(priya)
    rows = {s.name: s for s in client.get(reverse("suppliers:list")).context["object_list"]}
    assert rows[supplier.name].active_value == Decimal("1300000.00")
    assert rows[supplier.name].active_contracts == 2
    assert "£1,300,000" in client.get(reverse("suppliers:detail", args=[supplier.pk])).content.decode()


# --- Demo data ------------------------------------------------------------------------------------------


def test_seed_demo_escalates_and_is_safe_to_run_twice(db, settings):
    settings.DEMO_DATA_ALLOWED = True
    call_command("seed_demo", stdout=io.StringIO())
    assert SupplierInformation.objects.count() == 2
    assert set(Escalation.objects.values_list("source", flat=True)) >= {"financial", "reputational", "dispute"}
    in_progress = Escalation.objects.get(status=Escalation.Status.IN_PROGRESS)
    assert in_progress.owner.username == "procurement"
    counts = (Escalation.objects.count(), Notification.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Escalation.objects.count(), Notification.objects.count()) == counts
