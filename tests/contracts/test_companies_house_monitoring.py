"""Companies House monitoring: a change that matters becomes supplier information from Companies House,
escalated once per active contract; a second run with no change changes nothing; the supplier page says
what Companies House said and when. The API is a stub server; the snapshot a small CSV in its layout."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from contracts.models import Activity, Contract, Escalation
from contracts.services import companies_house_snapshot_load, suppliers_check
from contracts.tasks import check_suppliers_at_companies_house
from notifications.models import JobRun, Kind, Notification
from suppliers.companies_house import CompaniesHouseClient, CompaniesHouseError
from suppliers.models import CompanyRecord, SupplierInformation
from tests import factories
from tests.companies_house_stub import CompaniesHouseStub, profile, snapshot_csv, snapshot_row

TODAY = dt.date(2026, 12, 4)
NOW = "2026-12-04 05:30 +00:00"


@pytest.fixture
def stub(settings):
    with CompaniesHouseStub() as server:
        settings.COMPANIES_HOUSE_API_KEY = "test-key"
        settings.COMPANIES_HOUSE_API_URL = server.url
        yield server


@pytest.fixture
def albion(contract, priya):
    """The supplier of alice's contract, with a second active contract and an expired one."""
    supplier = contract.supplier
    supplier.companies_house_number = "05566123"
    supplier.name = "Albion Estates Maintenance Ltd"
    supplier.save()
    factories.ContractFactory(reference="CON-ALBION-2", supplier=supplier)
    factories.ContractFactory(reference="CON-ALBION-OLD", supplier=supplier, status=Contract.Status.EXPIRED)
    return supplier


def no_wait_client(stub) -> CompaniesHouseClient:
    return CompaniesHouseClient(api_key="test-key", base_url=stub.url, sleep=lambda seconds: None)


@time_machine.travel(NOW, tick=False)
def test_liquidation_is_recorded_once_and_escalates_each_active_contract_once(stub, albion, priya):
    stub.profiles["05566123"] = profile("05566123", "ALBION ESTATES MAINTENANCE LTD", status="liquidation")
    result = suppliers_check(today=TODAY, client=no_wait_client(stub))
    assert (result.checked, len(result.information), result.escalations) == (1, 1, 2)

    information = SupplierInformation.objects.get(supplier=albion)
    assert information.kind == SupplierInformation.Kind.FINANCIAL
    assert information.category == SupplierInformation.Category.ADMINISTRATION
    assert information.severity == SupplierInformation.Severity.CRITICAL
    assert information.source == "Companies House"
    assert information.occurred_on == TODAY
    assert information.recorded_by is None
    assert "liquidation" in information.summary
    escalated = Escalation.objects.filter(supplier_information=information)
    assert sorted(escalated.values_list("contract__reference", flat=True)) == ["CON-ALBION-2", "CON-ALICE"]
    # Raised by the system, the Procurement Unit must still answer it.
    assert all(e.answered_on is None and e.respond_by for e in escalated)
    assert Activity.objects.filter(kind=Activity.Kind.SUPPLIER_INFORMATION).count() == 2
    assert Notification.objects.filter(kind=Kind.SUPPLIER_INFORMATION, recipient=priya).count() == 1

    # The next day, nothing has changed at Companies House: nothing changes here.
    counts = (SupplierInformation.objects.count(), Escalation.objects.count(), Notification.objects.count())
    again = suppliers_check(today=TODAY + dt.timedelta(days=1), client=no_wait_client(stub))
    assert (again.checked, again.information, again.escalations) == (1, [], 0)
    assert (SupplierInformation.objects.count(), Escalation.objects.count(), Notification.objects.count()) == counts
    assert CompanyRecord.objects.get(supplier=albion).as_of == TODAY + dt.timedelta(days=1)


@time_machine.travel(NOW, tick=False)
def test_each_new_concern_is_recorded_when_it_appears_and_again_if_it_comes_back(stub, albion):
    stub.profiles["05566123"] = profile("05566123", "ALBION LTD", accounts_overdue=True)
    suppliers_check(today=TODAY, client=no_wait_client(stub))
    assert list(SupplierInformation.objects.values_list("category", flat=True)) == ["late_filing"]

    # The confirmation statement falls overdue too: only that is new.
    stub.profiles["05566123"] = profile("05566123", "ALBION LTD", accounts_overdue=True, statement_overdue=True)
    result = suppliers_check(today=TODAY, client=no_wait_client(stub))
    assert [i.summary for i in result.information] == [
        "Confirmation statement overdue at Companies House (due 14 Jun 2026)"
    ]
    assert Escalation.objects.count() == 4

    # Both filed, then the accounts late again next year: recorded again.
    stub.profiles["05566123"] = profile("05566123", "ALBION LTD")
    assert suppliers_check(today=TODAY, client=no_wait_client(stub)).information == []
    stub.profiles["05566123"] = profile("05566123", "ALBION LTD", accounts_overdue=True)
    assert len(suppliers_check(today=TODAY, client=no_wait_client(stub)).information) == 1
    assert SupplierInformation.objects.count() == 3


@time_machine.travel(NOW, tick=False)
def test_the_beat_job_checks_every_supplier_with_a_number_through_429_and_5xx(stub, albion, other_contract):
    other = other_contract.supplier
    factories.SupplierFactory(companies_house_number="")  # nothing to ask about
    stub.profiles["05566123"] = profile("05566123", "ALBION LTD", status="administration")
    stub.profiles[other.companies_house_number] = profile(other.companies_house_number, "OTHER LTD")
    stub.queue("/company/05566123", 429, {"error": "Too Many Requests"}, {"Retry-After": "0"})
    stub.queue(f"/company/{other.companies_house_number}", 503, b"")

    check_suppliers_at_companies_house.apply()

    run = JobRun.objects.get(job="companies-house-check")
    assert run.outcome == JobRun.Outcome.OK
    assert run.detail == "2 supplier(s) checked; 1 change(s) recorded; 2 escalation(s) raised."
    assert sorted(set(stub.paths())) == sorted(["/company/05566123", f"/company/{other.companies_house_number}"])
    assert CompanyRecord.objects.get(supplier=other).company_status == "active"


def test_without_an_api_key_the_job_does_nothing_and_the_command_says_why(settings, albion):
    settings.COMPANIES_HOUSE_API_KEY = ""
    check_suppliers_at_companies_house.apply()
    assert JobRun.objects.get(job="companies-house-check").detail.startswith("COMPANIES_HOUSE_API_KEY is not set")
    assert not CompanyRecord.objects.exists()
    with pytest.raises(CommandError, match="COMPANIES_HOUSE_API_KEY"):
        call_command("check_suppliers")


@time_machine.travel(NOW, tick=False)
def test_check_suppliers_runs_the_same_check_on_demand(stub, albion):
    stub.profiles["05566123"] = profile("05566123", "ALBION LTD", status="receivership")
    out = StringIO()
    call_command("check_suppliers", stdout=out)
    assert out.getvalue().strip() == "1 supplier(s) checked; 1 change(s) recorded; 2 escalation(s) raised."
    call_command("check_suppliers", stdout=out)
    assert Escalation.objects.count() == 2


@time_machine.travel(NOW, tick=False)
def test_companies_house_failing_stops_the_run_keeping_what_was_read(stub, albion, other_contract):
    other = other_contract.supplier
    stub.profiles["05566123"] = profile("05566123", "ALBION LTD", status="liquidation")
    for _ in range(5):
        stub.queue(f"/company/{other.companies_house_number}", 500, b"")
    with pytest.raises(CompaniesHouseError):
        suppliers_check(today=TODAY, client=no_wait_client(stub))
    assert CompanyRecord.objects.get(supplier=albion).company_status == "liquidation"
    assert Escalation.objects.count() == 2


@time_machine.travel(NOW, tick=False)
def test_loading_the_monthly_snapshot_keeps_only_the_register_suppliers(tmp_path, albion, other_contract):
    other = other_contract.supplier
    path = tmp_path / "BasicCompanyDataAsOneFile-2026-12-01.csv"
    rows = [
        snapshot_row("09999999", "NOT A SUPPLIER LTD", status="Liquidation"),
        snapshot_row("5566123", "ALBION ESTATES MAINTENANCE LTD", status="In Administration"),
        snapshot_row(other.companies_house_number, "OTHER LTD", statement_due="14/11/2026"),
    ]
    path.write_text(snapshot_csv(rows), encoding="utf-8")
    out = StringIO()
    call_command("load_companies_house", str(path), stdout=out)
    assert out.getvalue().strip() == (
        "Snapshot of 01/12/2026: 2 supplier(s) checked; 2 change(s) recorded; 3 escalation(s) raised."
    )
    assert CompanyRecord.objects.count() == 2
    information = SupplierInformation.objects.get(supplier=albion)
    assert information.source == "Companies House (monthly snapshot of 1 Dec 2026)"
    assert information.occurred_on == dt.date(2026, 12, 1)
    assert SupplierInformation.objects.get(supplier=other).category == "late_filing"

    # The same file again: nothing changes.
    again = companies_house_snapshot_load(path=path, as_of=dt.date(2026, 12, 1))
    assert (again.information, again.escalations) == ([], 0)
    assert Escalation.objects.count() == 3


@time_machine.travel(NOW, tick=False)
def test_an_older_snapshot_does_not_overwrite_a_newer_api_check(stub, tmp_path, albion):
    stub.profiles["05566123"] = profile("05566123", "ALBION LTD")
    suppliers_check(today=TODAY, client=no_wait_client(stub))
    path = tmp_path / "BasicCompanyDataAsOneFile-2026-11-01.csv"
    path.write_text(snapshot_csv([snapshot_row("05566123", "ALBION LTD", status="Liquidation")]))
    call_command("load_companies_house", str(path), stdout=StringIO())
    assert CompanyRecord.objects.get(supplier=albion).company_status == "active"
    assert not SupplierInformation.objects.exists()


def test_a_file_that_is_not_a_snapshot_is_refused_plainly(tmp_path, albion):
    path = tmp_path / "contracts.csv"
    path.write_text("reference,title\nCON-1,Fleet\n")
    with pytest.raises(CommandError, match="Not a Basic Company Data snapshot"):
        call_command("load_companies_house", str(path))
    with pytest.raises(CommandError, match="No file"):
        call_command("load_companies_house", str(tmp_path / "missing.csv"))


@time_machine.travel(NOW, tick=False)
def test_the_supplier_page_shows_the_status_and_when_it_was_checked(client, stub, albion, priya):
    client.force_login(priya)
    page = client.get(reverse("suppliers:detail", args=[albion.pk])).content.decode()
    assert "Not checked yet" in page
    stub.profiles["05566123"] = profile("05566123", "ALBION LTD", status="liquidation", accounts_overdue=True)
    suppliers_check(today=TODAY, client=no_wait_client(stub))
    page = client.get(reverse("suppliers:detail", args=[albion.pk])).content.decode()
    assert "liquidation</span>" in page
    assert "Checked <time" in page and "4 Dec 2026 at 05:30" in page
    assert "from the Companies House API" in page
    assert "<strong>Overdue</strong> (were due 30 Sep 2026)" in page
    assert "recorded by the register's monitoring on 4 Dec 2026" in page


@time_machine.travel(NOW, tick=False)
def test_a_company_gone_from_the_complete_snapshot_of_live_companies_is_a_concern_once(
    tmp_path, albion, other_contract
):
    other = other_contract.supplier
    december = tmp_path / "BasicCompanyDataAsOneFile-2026-12-01.csv"
    december.write_text(snapshot_csv([snapshot_row("05566123", "ALBION LTD")]))
    call_command("load_companies_house", str(december), stdout=StringIO())
    # Never seen in the snapshot: recorded as not found (a wrong number?), not escalated.
    assert CompanyRecord.objects.get(supplier=other).found is False
    assert not SupplierInformation.objects.exists()

    # A part of the snapshot says nothing of the companies in the other parts.
    part = tmp_path / "BasicCompanyData-2027-01-01-part1_7.csv"
    part.write_text(snapshot_csv([snapshot_row("09999999", "SOMEONE ELSE LTD")]))
    call_command("load_companies_house", str(part), stdout=StringIO())
    assert CompanyRecord.objects.get(supplier=albion).found is True

    january = tmp_path / "BasicCompanyDataAsOneFile-2027-01-01.csv"
    january.write_text(snapshot_csv([snapshot_row("09999999", "SOMEONE ELSE LTD")]))
    for _ in range(2):
        call_command("load_companies_house", str(january), stdout=StringIO())
    gone = SupplierInformation.objects.get()
    assert gone.supplier == albion and "No longer on Companies House's register of live companies" in gone.summary
    assert Escalation.objects.count() == 2
