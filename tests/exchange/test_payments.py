"""Invoice payments from the finance system: the import (preview, all or nothing, re-import unchanged,
history, matching), the figures against a plain computation, the pages and who may see them."""

import csv
import io
import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.models import Activity
from contracts.selectors.timeline import subject_url
from exchange.models import ImportJob, Invoice, PaymentComplianceApproval
from exchange.payments import days_to_pay
from exchange.services import imports as services
from exchange.services.invoice_import import INVOICE_COLUMNS
from exchange.tasks import run_import_job
from tests import factories
from tests.examples import examples


def _row(n: int, **changes) -> dict:
    row = {
        "invoice_number": f"INV-{n:04d}",
        "supplier": "Acme Services Limited",
        "order_reference": "AG-1001",
        "received_on": "01/05/2026",
        "valid_from": "",
        "paid_on": "20/05/2026",
        "amount": "£1,200.00",
        "disputed": "no",
        "dispute_resolved_on": "",
    }
    row.update(changes)
    return row


def _csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=INVOICE_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _import(content: bytes, *, by, name="agresso.csv") -> ImportJob:
    job = services.import_job_create(upload=SimpleUploadedFile(name, content), by=by, kind=ImportJob.Kind.INVOICES)
    run_import_job.apply(args=[job.pk], kwargs={"dry_run": True})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    if job.can_confirm:
        services.import_job_confirm(job=job)
        run_import_job.apply(args=[job.pk], kwargs={"dry_run": False})
        job.refresh_from_db()
    return job


@pytest.fixture
def acme_contract(priya, alice):
    supplier = factories.SupplierFactory(name="Acme Services Limited")
    return factories.ContractFactory(
        reference="CON-ACME", finance_reference="AG-1001", supplier=supplier, oco=alice, title="Fleet servicing"
    )


def test_import_matches_by_order_number_or_reference_and_lists_the_rest(priya, acme_contract):
    rows = [
        _row(1),
        _row(2, order_reference="con-acme", paid_on="30/06/2026"),  # the contract's own reference, 60 days
        _row(3, order_reference="PO-UNKNOWN"),
    ]
    job = _import(_csv(rows), by=priya)

    assert (job.status, job.new_count, job.error_count) == (ImportJob.Status.DONE, 3, 0)
    assert set(Invoice.objects.filter(contract=acme_contract).values_list("invoice_number", flat=True)) == {
        "INV-0001",
        "INV-0002",
    }
    unmatched = Invoice.objects.get(contract__isnull=True)
    assert unmatched.invoice_number == "INV-0003" and unmatched.order_reference == "PO-UNKNOWN"
    assert unmatched.valid_from == date(2026, 5, 1)  # blank: the day received
    assert unmatched.history.get().history_user == priya
    # The late one (60 days) is on the contract's timeline, once.
    late = Activity.objects.filter(contract=acme_contract, kind=Activity.Kind.LATE_PAYMENT)
    assert [a.summary for a in late] == ["Invoice INV-0002 (£1,200) paid in 60 days"]
    assert late.get().occurred_on == date(2026, 6, 30)
    assert subject_url(late.get()) == reverse("payments:contract", args=[acme_contract.pk])


def test_reimport_changes_nothing_and_a_change_is_recorded_by_the_user(priya, acme_contract):
    rows = [_row(n, paid_on="30/07/2026") for n in range(1, 6)]
    _import(_csv(rows), by=priya)
    history = Invoice.history.count()
    activities = Activity.objects.count()

    again = _import(_csv(rows), by=priya)
    assert (again.new_count, again.updated_count, again.skipped_count) == (0, 0, 5)
    assert Invoice.history.count() == history and Activity.objects.count() == activities

    rows[1] = _row(2, paid_on="31/07/2026")
    changed = _import(_csv(rows), by=priya)
    assert (changed.new_count, changed.updated_count, changed.skipped_count) == (0, 1, 4)
    invoice = Invoice.objects.get(invoice_number="INV-0002")
    assert invoice.paid_on == date(2026, 7, 31)
    assert [h.history_user for h in invoice.history.order_by("history_date")] == [priya, priya]
    assert Activity.objects.count() == activities  # still one timeline entry per invoice


def test_bad_rows_are_named_by_line_and_column_and_nothing_is_saved(priya, acme_contract):
    rows = [_row(n) for n in range(1, 21)]
    rows[3] = _row(4, received_on="31/02/2026")  # line 5
    rows[9] = _row(10, supplier="Nobody Limited", amount="twelve")  # line 11
    rows[12] = _row(13, disputed="perhaps", paid_on="01/04/2026")  # line 14: paid before received too
    rows[15] = _row(1)  # line 17: the same invoice as line 2
    job = _import(_csv(rows), by=priya)

    assert not job.can_confirm and not Invoice.objects.exists()
    assert [(e["line"], e["column"]) for e in job.errors] == [
        (5, "received_on"),
        (11, "amount"),
        (11, "supplier"),
        (14, "disputed"),
        (14, "paid_on"),
        (17, "invoice_number"),
    ]
    assert "also on line 2" in job.errors[-1]["message"]


def test_a_missing_column_is_named(priya, acme_contract):
    content = b"invoice_number,supplier,amount\nINV-1,Acme Services Limited,10\n"
    job = _import(content, by=priya)
    assert job.errors == [
        {
            "line": 1,
            "column": "received_on",
            "message": "This column is missing: download the template for the headers.",
        }
    ]


def test_procurement_matches_an_unmatched_invoice_and_its_late_payment_reaches_the_timeline(
    client, priya, acme_contract
):
    _import(_csv([_row(1, order_reference="", paid_on="15/07/2026")]), by=priya)
    invoice = Invoice.objects.get()
    other = factories.ContractFactory()  # another supplier's contract
    client.force_login(priya)
    page = client.get(reverse("payments:unmatched"))
    assert "INV-0001" in page.content.decode() and "CON-ACME" in page.content.decode()

    client.post(reverse("payments:match", args=[invoice.pk]), {"contract": other.pk})
    invoice.refresh_from_db()
    assert invoice.contract is None  # not one of the supplier's contracts: refused

    client.post(reverse("payments:match", args=[invoice.pk]), {"contract": acme_contract.pk})
    invoice.refresh_from_db()
    assert invoice.contract == acme_contract
    assert Activity.objects.about(invoice).get().kind == Activity.Kind.LATE_PAYMENT
    assert invoice.history.latest().history_user == priya
    # A later re-import (the reference still matches nothing) keeps the contract Procurement chose.
    again = _import(_csv([_row(1, order_reference="", paid_on="15/07/2026")]), by=priya)
    assert again.skipped_count == 1
    invoice.refresh_from_db()
    assert invoice.contract == acme_contract


@pytest.mark.parametrize("name", ["payments:late", "payments:import", "payments:unmatched"])
def test_oco_and_sro_are_refused_the_procurement_pages(client, alice, sam, name):
    for user in (alice, sam):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403


def test_oco_and_sro_cannot_match_an_invoice(client, alice, sam, priya, acme_contract):
    _import(_csv([_row(1, order_reference="")]), by=priya)
    invoice = Invoice.objects.get()
    for user in (alice, sam):
        client.force_login(user)
        response = client.post(reverse("payments:match", args=[invoice.pk]), {"contract": acme_contract.pk})
        assert response.status_code == 403
    invoice.refresh_from_db()
    assert invoice.contract is None


def test_oco_sees_the_payment_panel_of_their_contract_only(client, alice, bob, priya, acme_contract):
    _import(_csv([_row(1, paid_on="30/07/2026"), _row(2)]), by=priya)
    with time_machine.travel("2026-08-01 09:00 +00:00", tick=False):
        client.force_login(alice)
        panel = client.get(reverse("payments:contract", args=[acme_contract.pk]), HTTP_HX_REQUEST="true")
        text = panel.content.decode()
        assert "Paying the supplier" in text and "Invoice INV-0001: paid 30 Jul 2026 in 90 days" in text
        client.force_login(bob)
        assert client.get(reverse("payments:contract", args=[acme_contract.pk])).status_code == 404


def _invoices(count: int, suppliers, contracts) -> list[Invoice]:
    rng = random.Random(count)
    start = date(2026, 1, 1)
    invoices = []
    for n in range(count):
        received = start + timedelta(days=rng.randrange(200))
        valid = received + timedelta(days=rng.choice([0, 0, 0, rng.randrange(20)]))
        disputed = rng.random() < 0.2
        resolved = valid + timedelta(days=rng.randrange(90)) if disputed and rng.random() < 0.8 else None
        paid = received + timedelta(days=rng.randrange(130)) if rng.random() < 0.9 else None
        contract = rng.choice(contracts)
        invoices.append(
            Invoice(
                invoice_number=f"R-{n}",
                supplier_id=contract.supplier_id,
                contract=contract,
                received_on=received,
                valid_from=valid,
                paid_on=paid,
                disputed=disputed,
                dispute_resolved_on=resolved,
                amount=Decimal("100.00"),
            )
        )
    return invoices


def _plain(invoices, start, end) -> dict:
    days = []
    for i in invoices:
        if i.paid_on is None or not (start <= i.paid_on <= end):
            continue
        if i.disputed and i.dispute_resolved_on is None:
            continue
        begin = max(i.received_on, i.valid_from)
        if i.disputed:
            begin = max(begin, i.dispute_resolved_on)
        days.append(max((i.paid_on - begin).days, 0))
    return {
        "invoices": len(days),
        "within_30": sum(d <= 30 for d in days),
        "within_60": sum(30 < d <= 60 for d in days),
        "over_60": sum(d > 60 for d in days),
        "average_days": round(sum(days) / len(days), 1) if days else None,
    }


@pytest.fixture
def three_contracts(db):
    return [factories.ContractFactory() for _ in range(3)]


@settings(max_examples=examples(8), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(min_value=1, max_value=10_000),
    start=st.dates(date(2025, 12, 1), date(2026, 9, 30)),
    length=st.integers(0, 400),
)
def test_figures_equal_a_plain_computation_over_1000_random_invoices(three_contracts, seed, start, length):
    Invoice.objects.all().delete()
    invoices = _invoices(1000, [], three_contracts)
    random.Random(seed).shuffle(invoices)
    Invoice.objects.bulk_create(invoices)
    end = start + timedelta(days=length)

    figures = Invoice.objects.payment_figures(start=start, end=end)
    assert {k: figures[k] for k in ("invoices", "within_30", "within_60", "over_60", "average_days")} == _plain(
        invoices, start, end
    )
    for contract in three_contracts:
        mine = [i for i in invoices if i.contract == contract]
        got = Invoice.objects.filter(contract=contract).payment_figures(start=start, end=end)
        assert got["invoices"] == _plain(mine, start, end)["invoices"]
        assert got["over_60"] == _plain(mine, start, end)["over_60"]
    rows = {r["supplier"]: r for r in Invoice.objects.payment_figures(start=start, end=end, group_by=["supplier"])}
    for contract in three_contracts:
        plain = _plain([i for i in invoices if i.supplier_id == contract.supplier_id], start, end)
        if plain["invoices"]:
            assert (rows[contract.supplier_id]["within_60"], rows[contract.supplier_id]["invoices"]) == (
                plain["within_60"],
                plain["invoices"],
            )
    # The one-invoice property agrees with the SQL.
    for invoice in Invoice.objects.with_days_to_pay()[:50]:
        assert invoice.days == invoice.days_to_pay or (invoice.days_to_pay is None)


@given(
    received=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    valid_after=st.integers(0, 30),
    resolved_after=st.one_of(st.none(), st.integers(0, 90)),
    paid_after=st.integers(0, 150),
    disputed=st.booleans(),
)
def test_days_to_pay_leaves_out_time_in_dispute(received, valid_after, resolved_after, paid_after, disputed):
    valid = received + timedelta(days=valid_after)
    resolved = valid + timedelta(days=resolved_after) if resolved_after is not None else None
    paid = received + timedelta(days=paid_after)
    days = days_to_pay(
        received_on=received, valid_from=valid, paid_on=paid, disputed=disputed, dispute_resolved_on=resolved
    )
    if disputed and resolved is None:
        assert days is None
    else:
        begin = max(valid, resolved) if disputed and resolved else valid
        assert days == max((paid - begin).days, 0)


@pytest.mark.parametrize("contracts", [1, 12])
def test_the_late_page_costs_the_same_whatever_the_number_of_contracts(
    client, priya, contracts, django_assert_max_num_queries
):
    made = [factories.ContractFactory() for _ in range(contracts)]
    invoices = _invoices(10 * contracts, [], made)
    for invoice in invoices[::4]:
        invoice.contract = None  # left to match: the unmatched page lists them with their suppliers' contracts
    Invoice.objects.bulk_create(invoices)
    client.force_login(priya)
    with time_machine.travel("2026-08-01 09:00 +00:00", tick=False):
        with django_assert_max_num_queries(12):
            response = client.get(reverse("payments:late"))
        assert response.status_code == 200
        assert made[0].reference in response.content.decode()  # some of its invoices were paid late
        with django_assert_max_num_queries(12):
            assert client.get(reverse("payments:unmatched")).status_code == 200
        with django_assert_max_num_queries(10):
            assert client.get(reverse("payments:contract", args=[made[0].pk])).status_code == 200


def test_compliance_notice_figures_for_each_reporting_period_with_their_due_dates(
    client, priya, alice, acme_contract, django_assert_max_num_queries
):
    _import(
        _csv(
            [
                _row(1, received_on="01/09/2026", paid_on="20/09/2026"),  # 19 days, period 1 Apr-30 Sep
                _row(2, received_on="01/08/2026", paid_on="29/09/2026"),  # 59 days
                _row(3, received_on="01/09/2026", paid_on="05/10/2026"),  # 34 days, the next period
                _row(
                    4, received_on="01/06/2026", paid_on="25/09/2026", disputed="yes", dispute_resolved_on="01/09/2026"
                ),
            ]
        ),
        by=priya,
    )
    with time_machine.travel("2026-12-05 09:00 +00:00", tick=False):
        client.force_login(priya)
        with django_assert_max_num_queries(9):  # whatever the number of periods: one query for all their figures
            page = client.get(reverse("payments:compliance")).content.decode()
        assert "1 Apr 2026 to 30 Sep 2026" in page and "30 Oct 2026" in page and "Still running" in page
        data = client.get(reverse("payments:compliance"), {"format": "json"}).json()["notices"]
        assert data == [
            {
                "period_start": "2026-04-01",
                "period_end": "2026-09-30",
                "due_on": "2026-10-30",
                "invoices": 3,
                "within_30_percent": 67,
                "within_60_percent": 33,
                "over_60_percent": 0,
                "average_days": 34.0,  # 19, 59 and 24 (from the end of the dispute)
                "approver_name": "",  # not yet approved
                "approver_role": "",
                "approved_on": None,
            }
        ]
        client.force_login(alice)
        assert client.get(reverse("payments:compliance")).status_code == 403


def test_payments_over_30000_of_act_contracts_begun_from_april_2026_by_quarter(client, priya, alice):
    supplier = factories.SupplierFactory(name="Acme Services Limited")
    factories.ContractFactory(
        reference="CON-ACT",
        finance_reference="AG-1001",
        supplier=supplier,
        regime="pa2023",
        procurement_started_on=date(2026, 4, 10),
        start_date=date(2026, 6, 1),
    )
    factories.ContractFactory(
        reference="CON-OLD",
        finance_reference="AG-2002",
        supplier=supplier,
        regime="pa2023",
        procurement_started_on=date(2025, 6, 1),
        start_date=date(2025, 9, 1),
    )
    _import(
        _csv(
            [
                _row(1, amount="£45,000.00", paid_on="20/07/2026", received_on="01/07/2026"),
                _row(2, amount="£30,000.00", paid_on="20/07/2026", received_on="01/07/2026"),  # not over
                _row(3, amount="£99,000.00", paid_on="20/07/2026", received_on="01/07/2026", order_reference="AG-2002"),
                _row(4, amount="£50,000.00", paid_on="02/10/2026", received_on="01/09/2026"),  # the next quarter
            ]
        ),
        by=priya,
    )
    with time_machine.travel("2026-10-15 09:00 +00:00", tick=False):
        client.force_login(priya)
        page = client.get(reverse("payments:large")).content.decode()
        assert "1 Jul 2026 to 30 Sep 2026: to publish by 30 Oct 2026" in page
        assert "1 payment is under a contract whose Find a Tender procurement identifier (ocid)" in page
        rows = client.get(reverse("payments:large"), {"format": "json"}).json()["notices"]
        assert [(r["invoice_number"], r["amount_including_vat"], r["contract_reference"]) for r in rows] == [
            ("INV-0001", "45000.00", "CON-ACT")
        ]
        csv_text = client.get(reverse("payments:large"), {"quarter": "2026-10-01", "format": "csv"}).content.decode()
        assert csv_text.splitlines()[0].startswith("Procurement identifier (OCID),Contract identifier,Payment amount")
        assert "INV-0004" in csv_text and "INV-0001" not in csv_text
        client.force_login(alice)
        assert client.get(reverse("payments:large")).status_code == 403


def test_the_finance_directors_approval_is_recorded_for_an_ended_period_only(client, priya, alice):
    with time_machine.travel("2026-10-15 09:00 +00:00", tick=False):
        client.force_login(priya)
        approval = {"approver_name": "Dana Finch", "approver_role": "Director of Finance", "approved_on": "2026-10-12"}
        client.post(reverse("payments:compliance_approve", args=["2026-04-01"]), approval)
        current = client.post(reverse("payments:compliance_approve", args=["2026-10-01"]), approval)
        assert current.status_code == 404  # the period has not ended
        rows = client.get(reverse("payments:compliance"), {"format": "json"}).json()["notices"]
        assert [(r["period_start"], r["approver_name"], r["approver_role"], r["approved_on"]) for r in rows] == [
            ("2026-04-01", "Dana Finch", "Director of Finance", "2026-10-12")
        ]
        missing = client.post(reverse("payments:compliance_approve", args=["2026-04-01"]), {"approver_name": ""})
        assert "The approval was not recorded" in client.get(missing.url).content.decode()
        client.force_login(alice)
        assert client.post(reverse("payments:compliance_approve", args=["2026-04-01"]), approval).status_code == 403
    assert PaymentComplianceApproval.objects.get().history.get().history_user == priya


def test_an_xlsx_export_with_date_and_number_cells_imports_as_the_csv_does(priya, acme_contract):
    import tablib

    rows = [
        [
            "INV-X1",
            "Acme Services Limited",
            "AG-1001",
            date(2026, 5, 1),
            None,
            date(2026, 6, 15),
            1200.5,
            "Yes",
            date(2026, 5, 20),
        ],
    ]
    content = tablib.Dataset(*rows, headers=list(INVOICE_COLUMNS)).export("xlsx")
    job = _import(content, by=priya, name="agresso.xlsx")
    assert (job.status, job.new_count) == (ImportJob.Status.DONE, 1)
    invoice = Invoice.objects.get()
    assert (invoice.amount, invoice.disputed, invoice.dispute_resolved_on) == (
        Decimal("1200.50"),
        True,
        date(2026, 5, 20),
    )
    assert invoice.days_to_pay == 26  # from the dispute's end, 20 May, to 15 Jun


def test_the_oco_sees_a_late_payment_on_the_contracts_log_once_when_an_import_records_its_paid_date(
    client, priya, alice, acme_contract
):
    _import(_csv([_row(1, paid_on="")]), by=priya)  # received 1 May, not yet paid
    assert not Activity.objects.filter(kind=Activity.Kind.LATE_PAYMENT).exists()

    _import(_csv([_row(1, paid_on="15/07/2026")]), by=priya)  # the next export: paid in 75 days
    _import(_csv([_row(1, paid_on="15/07/2026")]), by=priya)  # the same export again
    _import(_csv([_row(1, paid_on="16/07/2026")]), by=priya)  # the finance system corrects the day

    late = Activity.objects.filter(contract=acme_contract, kind=Activity.Kind.LATE_PAYMENT)
    assert [(a.summary, a.occurred_on) for a in late] == [
        ("Invoice INV-0001 (£1,200) paid in 75 days", date(2026, 7, 15))
    ]
    client.force_login(alice)
    log = client.get(reverse("meetings:log", args=[acme_contract.pk])).content.decode()
    assert log.count("Invoice INV-0001 (£1,200) paid in 75 days") == 1
