"""Section 70's payments over £30,000 as the CSV for Find a Tender's upload, over the demo register seeded
on a pinned day: the documented columns in their order (docs/payments-over-30000.md), and exactly the
demo's payments over £30,000 in the quarter under Act contracts whose procurement began from 1 Apr 2026."""

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from exchange.models import Invoice
from tests.demo_world import demo_transaction, in_savepoint

PINNED = "2026-10-20 09:00 +01:00"  # the quarter 1 Jul to 30 Sep 2026 has ended; its list is due on 30 Oct
QUARTER = (date(2026, 7, 1), date(2026, 9, 30))

pytestmark = pytest.mark.slow  # seeds the whole demo: the slow tier

# The upload's columns, in order, read from the table in docs/payments-over-30000.md: the upload and its
# documentation must agree.
COLUMNS = re.findall(
    r"^\| \d+ \| `([^`]+)` \|", (Path(__file__).parents[2] / "docs/payments-over-30000.md").read_text(), re.M
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with (
        demo_transaction(django_db_blocker, tmp_path_factory.mktemp("media-demo-payments")),
        time_machine.travel(PINNED, tick=False),
    ):
        call_command("seed_demo", stdout=io.StringIO())
        yield


@pytest.fixture
def db(demo):
    with in_savepoint():
        yield


def _published_under_section_70(invoice: Invoice) -> bool:
    """The rule spelt out plainly: over £30,000, paid in the quarter, under a contract under the Act whose
    procurement began on or after 1 April 2026 (its start date when the procurement's start is not recorded)."""
    contract = invoice.contract
    if contract is None or invoice.paid_on is None or invoice.amount <= Decimal("30000"):
        return False
    began = contract.procurement_started_on or contract.start_date
    return QUARTER[0] <= invoice.paid_on <= QUARTER[1] and contract.under_act and began >= date(2026, 4, 1)


def test_the_csv_for_find_a_tender_has_the_documented_columns_and_only_the_payments_to_publish(db, client):
    invoices = list(Invoice.objects.select_related("contract", "supplier").order_by("paid_on", "invoice_number"))
    expected = [i for i in invoices if _published_under_section_70(i)]
    paid_in_quarter_over = [
        i for i in invoices if i.paid_on and QUARTER[0] <= i.paid_on <= QUARTER[1] and i.amount > 30000
    ]
    assert expected, "the demo has payments to publish in the quarter"
    assert len(paid_in_quarter_over) > len(expected), "and payments over £30,000 that are not published"
    assert any(i.contract and i.contract.under_act for i in paid_in_quarter_over if i not in expected)

    with time_machine.travel(PINNED, tick=False):
        client.force_login(User.objects.get(username="procurement"))
        page = client.get(reverse("payments:large"))
        response = client.get(reverse("payments:large"), {"quarter": "2026-07-01", "format": "csv"})

    assert "1 Jul 2026 to 30 Sep 2026: to publish by 30 Oct 2026" in page.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == COLUMNS
    assert rows[1:] == [
        [
            i.contract.find_a_tender_ocid,
            i.contract.finance_reference or i.contract.reference,
            f"{i.amount:.2f}",
            i.paid_on.isoformat(),
            i.supplier.name,
            f"GB-PPON-{i.supplier.ppon}" if i.supplier.ppon else f"GB-COH-{i.supplier.companies_house_number}",
            f"{i.contract.title}: invoice {i.invoice_number}",
        ]
        for i in expected
    ]
    assert {row[0] for row in rows[1:]} == {"ocds-h6vhtk-05c3d1"}  # CON-2026-006, on Find a Tender
