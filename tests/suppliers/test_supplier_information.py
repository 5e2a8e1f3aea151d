"""Supplier information (financial or reputational) escalates each active contract of the supplier once
and tells each person once; key suppliers and their active value, counted over what the user may see."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts import services
from contracts.models import Contract, Escalation, KeySupplier, Quadrant
from notifications.models import Kind, Notification
from suppliers.models import SupplierInformation
from tests import factories


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
    # Key: designated by the Procurement Unit (a strategic contract only makes the rule suggest it).
    services.key_supplier_save(key_supplier=KeySupplier(supplier=supplier, reason="Strategic"), by=priya)

    client.force_login(alice)
    response = client.get(reverse("suppliers:list"))
    rows = {s.name: s for s in response.context["object_list"]}
    assert (rows[supplier.name].is_key, rows[supplier.name].active_value) == (True, Decimal("300000.00"))
    assert rows[supplier.name].active_contracts == 1
    assert (rows[plain.supplier.name].is_key, rows[plain.supplier.name].active_value) == (False, Decimal("1250.00"))
    assert rows[lapsed.supplier.name].is_key is False  # not designated
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
