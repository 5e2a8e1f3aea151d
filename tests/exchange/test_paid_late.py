"""The dashboards' "paid late" panel (Procurement Act 2023, section 68): the contracts and suppliers the
force paid late in the current reporting period, on the Procurement dashboard and on My work, each person
seeing the invoices of the contracts they may see, at a cost that does not grow with the invoices."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from exchange.models import Invoice
from tests import factories

TODAY = "2026-12-05 09:00 +00:00"  # in the reporting period 1 Oct 2026 to 31 Mar 2027


def _invoice(contract, number: str, *, paid: date, days: int, supplier=None, **extra) -> Invoice:
    return Invoice.objects.create(
        invoice_number=number,
        supplier=supplier or contract.supplier,
        contract=contract,
        received_on=paid - timedelta(days=days),
        valid_from=paid - timedelta(days=days),
        paid_on=paid,
        amount=Decimal("1200.00"),
        **extra,
    )


def _panel(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("payments:paid_late"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def contracts(alice, bob):
    acme = factories.SupplierFactory(name="Acme Services Limited")
    bolt = factories.SupplierFactory(name="Bolt Fleet Limited")
    return {
        "alice": factories.ContractFactory(reference="CON-ALICE", title="Fleet servicing", supplier=acme, oco=alice),
        "bob": factories.ContractFactory(reference="CON-BOB", title="Tyres", supplier=bolt, oco=bob),
    }


def test_procurement_sees_each_contract_and_supplier_paid_late_this_period_with_links(client, priya, contracts):
    alice_contract, bob_contract = contracts["alice"], contracts["bob"]
    _invoice(alice_contract, "A-1", paid=date(2026, 11, 2), days=45)  # late
    _invoice(alice_contract, "A-2", paid=date(2026, 11, 20), days=75)  # late, 61 days or more
    _invoice(alice_contract, "A-3", paid=date(2026, 11, 25), days=30)  # on time: 30 days is within
    _invoice(bob_contract, "B-1", paid=date(2026, 10, 10), days=31)  # late
    _invoice(bob_contract, "B-2", paid=date(2026, 9, 30), days=90)  # late, but in the last reporting period
    # Disputed: the days count from the dispute's resolution, so this one was paid on time.
    resolved = date(2026, 10, 20)
    _invoice(bob_contract, "B-3", paid=date(2026, 11, 1), days=80, disputed=True, dispute_resolved_on=resolved)
    with time_machine.travel(TODAY, tick=False):
        client.force_login(priya)
        dashboard = client.get(reverse("dashboard:procurement")).content.decode()
        assert f'hx-get="{reverse("payments:paid_late")}"' in dashboard
        panel = _panel(client, priya)
    assert "Invoices paid from 1 Oct 2026 to 5 Dec 2026 by the force" in panel
    assert "2 contracts paid late" in panel and "2 suppliers paid late" in panel
    assert "2 of 3 invoices paid late, 1 in 61 days or more" in panel  # CON-ALICE, the most paid late first
    assert "1 of 2 invoices paid late" in panel  # CON-BOB: B-2 was paid in the last period
    assert panel.index("CON-ALICE") < panel.index("CON-BOB")
    assert reverse("contracts:detail", args=[alice_contract.pk]) in panel
    assert reverse("payments:contract", args=[alice_contract.pk]) in panel
    assert reverse("suppliers:detail", args=[bob_contract.supplier_id]) in panel
    assert f"{reverse('payments:late')}?start=2026-10-01&amp;end=2026-12-05" in panel


def test_an_oco_sees_only_the_contracts_they_are_named_on_in_my_work(client, alice, contracts):
    _invoice(contracts["alice"], "A-1", paid=date(2026, 11, 2), days=40)
    _invoice(contracts["bob"], "B-1", paid=date(2026, 11, 2), days=70)
    unmatched = _invoice(contracts["alice"], "U-1", paid=date(2026, 11, 2), days=70)
    Invoice.objects.filter(pk=unmatched.pk).update(contract=None)  # the Procurement Unit's to match
    with time_machine.travel(TODAY, tick=False):
        client.force_login(alice)
        my_work = client.get(reverse("dashboard:my_work")).content.decode()
        assert f'hx-get="{reverse("payments:paid_late")}"' in my_work
        panel = _panel(client, alice)
        page = client.get(reverse("payments:paid_late")).content.decode()  # without JavaScript: a page
    assert "on the contracts on which you are named" in panel
    assert "1 contract paid late" in panel and "1 supplier paid late" in panel
    assert "1 of 1 invoice paid late" in panel
    assert "CON-ALICE" in panel and "CON-BOB" not in panel and "Bolt Fleet" not in panel
    assert "61 days or more" not in panel  # the unmatched invoice is not hers to see
    assert f'href="{reverse("payments:late")}?' not in panel  # the force's page is the Procurement Unit's
    assert "<title>Suppliers paid late" in page and "CON-ALICE" in page


def test_nothing_to_show_when_no_invoice_was_paid_late(client, alice, priya, contracts):
    _invoice(contracts["alice"], "A-1", paid=date(2026, 11, 2), days=12)
    _invoice(contracts["alice"], "A-2", paid=date(2026, 9, 2), days=70)  # the last period
    _invoice(contracts["alice"], "A-3", paid=date(2026, 11, 2), days=70, disputed=True)  # still in dispute: not counted
    with time_machine.travel(TODAY, tick=False):
        for user in (alice, priya):
            assert "Nothing to show: no invoice paid late in this period." in _panel(client, user)


def test_before_the_first_reporting_period_the_panel_covers_the_last_twelve_months(client, priya, contracts):
    _invoice(contracts["alice"], "A-1", paid=date(2025, 11, 2), days=40)
    with time_machine.travel("2026-02-01 09:00 +00:00", tick=False):
        panel = _panel(client, priya)
    assert "Invoices paid from 2 Feb 2025 to 1 Feb 2026" in panel and "1 contract paid late" in panel


@pytest.mark.parametrize("size", [1, 30])
def test_the_panel_costs_the_same_whatever_the_number_of_invoices(
    client, priya, alice, size, django_assert_max_num_queries
):
    made = [factories.ContractFactory(oco=alice) for _ in range(size)]
    Invoice.objects.bulk_create(
        Invoice(
            invoice_number=f"N-{n}",
            supplier_id=contract.supplier_id,
            contract=contract,
            received_on=date(2026, 9, 20),
            valid_from=date(2026, 9, 20),
            paid_on=date(2026, 9, 20) + timedelta(days=20 + 10 * (n % 6)),  # from 10 Oct to 29 Nov
            amount=Decimal("100.00"),
        )
        for contract in made
        for n in range(20)
    )
    with time_machine.travel(TODAY, tick=False):
        for user in (priya, alice):
            client.force_login(user)
            with django_assert_max_num_queries(7):
                response = client.get(reverse("payments:paid_late"), headers={"HX-Request": "true"})
            panel = response.content.decode()
            expected = "1 contract paid late" if size == 1 else f"{size} contracts paid late, the 10 most often"
            assert expected in panel
            assert "12 of 20 invoices paid late" in panel  # paid in 40 to 70 days
