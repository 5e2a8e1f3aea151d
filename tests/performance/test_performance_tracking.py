"""Milestones, MI reports, the performance task list and the £5m published-KPI rule, as people use them."""

import datetime as dt
from decimal import Decimal

import factory
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from contracts.models import Contract
from performance.models import Kpi, KpiResult, Milestone, MiReport
from performance.templatetags.performance_tags import published_kpi_flag
from tests import factories, performance_factories
from tests.conftest import pdf_bytes

NOW = "2026-11-25 09:00 +00:00"
TODAY = dt.date(2026, 11, 25)


class KpiFactory(performance_factories.KpiFactory):
    start_date = dt.date(2026, 7, 1)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    contract = factory.SubFactory(factories.ContractFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_date = dt.date(2027, 3, 1)
    status = Milestone.Status.SCHEDULED


class MiReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MiReport

    contract = factory.SubFactory(factories.ContractFactory)
    period_label = "Q2 2026-27"
    period_start = dt.date(2026, 7, 1)
    period_end = dt.date(2026, 9, 30)
    expected_by = dt.date(2026, 10, 21)
    recorded_by = factory.SubFactory(factories.UserFactory)


def _result(kpi: Kpi, start: dt.date, end: dt.date, by: User) -> KpiResult:
    return KpiResult.objects.create(
        kpi=kpi, period_start=start, period_end=end, actual=Decimal("96"), rating="good", recorded_by=by
    )


# --- Milestones ---------------------------------------------------------------------------------


def milestone_data(**overrides):
    data = {"title": "Mobilisation complete", "due_date": "2026-12-15", "status": "scheduled", "met_on": ""}
    data.update({"owner": "", "notes": ""}, **overrides)
    return data


@time_machine.travel(NOW, tick=False)
def test_the_oco_adds_a_milestone_then_records_it_met(client, alice, contract):
    client.force_login(alice)
    response = client.post(reverse("performance:milestone_create", args=[contract.pk]), milestone_data())
    milestone = Milestone.objects.get()
    url = reverse("performance:milestones", args=[contract.pk])
    assert response.status_code == 302 and response["Location"] == f"{url}#milestone-{milestone.pk}"
    assert milestone.contract == contract and milestone.owner == alice  # blank owner: the contract's OCO
    assert milestone.history.get().history_user == alice

    data = milestone_data(status="met", met_on="2026-11-20", notes="Went live a week early")
    assert client.post(reverse("performance:milestone_edit", args=[milestone.pk]), data).status_code == 302
    milestone.refresh_from_db()
    assert (milestone.status, milestone.met_on) == ("met", dt.date(2026, 11, 20))
    page = client.get(url).content.decode()
    assert "Mobilisation complete" in page and "20 Nov 2026" in page and "Went live a week early" in page


@time_machine.travel(NOW, tick=False)
def test_overdue_milestones_say_overdue_in_colour_and_words(client, sam, contract):
    late = MilestoneFactory(contract=contract, title="Exit plan agreed", due_date=dt.date(2026, 11, 1))
    MilestoneFactory(contract=contract, title="Met late", due_date=dt.date(2026, 10, 1), status="met", met_on=TODAY)
    MilestoneFactory(contract=contract, title="Still to come", due_date=dt.date(2027, 1, 1))
    client.force_login(sam)
    response = client.get(reverse("performance:milestones", args=[contract.pk]))
    page = response.content.decode()
    row = page[page.index(f'id="milestone-{late.pk}"') - 10 :].split("</tr>")[0]
    assert 'class="table-danger"' in row and "Overdue" in row
    assert page.count(">Overdue<") == 1
    assert "1 overdue" in page
    assert "Add a milestone" not in page  # the SRO reads only


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"status": "met", "met_on": "2026-12-01"}, "met_on", "cannot be met in the future"),
        ({"status": "met", "met_on": ""}, "met_on", "Say when the milestone was met"),
        ({"status": "scheduled", "met_on": "2026-11-01"}, "met_on", "met or partially met"),
        ({"title": ""}, "title", "This field is required"),
        ({"due_date": "31/02/2026"}, "due_date", "Enter a valid date"),
    ],
)
def test_bad_milestones_are_refused_next_to_the_field(client, alice, contract, overrides, field, message):
    client.force_login(alice)
    response = client.post(reverse("performance:milestone_create", args=[contract.pk]), milestone_data(**overrides))
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    page = response.content.decode()
    assert "Nothing has been saved" in page and f'id="error_1_id_{field}"' in page  # beside the field
    assert not Milestone.objects.exists()


# --- MI reports -----------------------------------------------------------------------------------


def mi_data(**overrides):
    data = {
        "period_label": "October 2026",
        "period_start": "2026-10-01",
        "period_end": "2026-10-31",
        "expected_by": "2026-11-21",
        "received_on": "",
        "evaluation": "",
        "issues_found": "",
    }
    data.update(overrides)
    return data


@time_machine.travel(NOW, tick=False)
def test_the_oco_expects_a_report_then_records_its_receipt_and_evaluation(client, alice, sam, contract):
    client.force_login(alice)
    response = client.post(reverse("performance:mi_report_create", args=[contract.pk]), mi_data())
    report = MiReport.objects.get()
    assert response["Location"].endswith(f"#mi-report-{report.pk}")
    assert report.recorded_by == alice and report.is_late  # expected on 21 Nov, not received
    page = client.get(reverse("performance:mi_reports", args=[contract.pk])).content.decode()
    assert "Late" in page and "not received by the expected date" in page

    data = mi_data(
        received_on="2026-11-24",
        evaluation="Complete; weekend response times slipping.",
        issues_found="Two KPIs reported without evidence.",
        file_upload=SimpleUploadedFile("october-mi.pdf", pdf_bytes("MI October")),
    )
    assert client.post(reverse("performance:mi_report_edit", args=[report.pk]), data).status_code == 302
    report.refresh_from_db()
    assert report.received_on == dt.date(2026, 11, 24) and not report.is_late
    assert report.file_name == "october-mi.pdf" and report.history.first().history_user == alice
    page = client.get(reverse("performance:mi_reports", args=[contract.pk])).content.decode()
    assert "weekend response times slipping" in page and "Two KPIs reported without evidence" in page
    assert "not received by the expected date" not in page

    client.force_login(sam)  # whoever sees the contract downloads the file, never cached
    response = client.get(reverse("performance:mi_report_file", args=[report.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert b"MI October" in b"".join(response.streaming_content)
    assert 'filename="october-mi.pdf"' in response["Content-Disposition"]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"period_end": "2026-09-30"}, "period_end", "must end on or after the day it starts"),
        ({"received_on": "2026-11-26"}, "received_on", "cannot be received in the future"),
        ({"evaluation": "Looks fine"}, "received_on", "Say when the report was received"),
        ({"expected_by": "2026-09-01"}, "expected_by", "cannot be due before its period starts"),
        (
            {"received_on": "2026-11-20", "file_upload": SimpleUploadedFile("mi.exe", b"MZ\x90\x00")},
            "file_upload",
            "not an accepted file type",
        ),
        (
            {"received_on": "2026-11-20", "file_upload": SimpleUploadedFile("mi.pdf", b"MZ\x90\x00")},
            "file_upload",
            "does not contain a PDF",
        ),
    ],
)
def test_bad_mi_reports_are_refused_next_to_the_field(client, alice, contract, overrides, field, message):
    client.force_login(alice)
    response = client.post(reverse("performance:mi_report_create", args=[contract.pk]), mi_data(**overrides))
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    page = response.content.decode()
    assert "Nothing has been saved" in page and f'id="error_1_id_{field}"' in page
    assert not MiReport.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_only_reports_past_their_date_and_not_received_are_late(client, alice, contract):
    late = MiReportFactory(contract=contract, period_label="Q2 2026-27", expected_by=dt.date(2026, 10, 21))
    MiReportFactory(contract=contract, period_label="Received", received_on=dt.date(2026, 10, 20))
    MiReportFactory(contract=contract, period_label="Awaited", expected_by=dt.date(2026, 12, 21))
    client.force_login(alice)
    response = client.get(reverse("performance:mi_reports", args=[contract.pk]))
    assert response.context["late"] == [late]
    tasks = client.get(reverse("performance:tasks")).context["tasks"]
    assert tasks.late_mi_reports.rows == [late]
    page = client.get(reverse("performance:tasks")).content.decode()
    assert reverse("performance:mi_report_edit", args=[late.pk]) in page


def test_a_report_without_a_file_has_nothing_to_download(client, alice, contract):
    report = MiReportFactory(contract=contract)
    client.force_login(alice)
    assert client.get(reverse("performance:mi_report_file", args=[report.pk])).status_code == 404


# --- Who may do what (every tracking page as every persona: test_tracking_permissions.py) ---------------


def test_administrators_see_the_published_kpi_list(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("performance:published_kpis")).status_code == 200


def test_writes_are_refused_to_the_sro_and_hidden_from_another_oco(client, bob, sam, contract):
    milestone = MilestoneFactory(contract=contract, title="Original")
    report = MiReportFactory(contract=contract)
    for persona, code in ((sam, 403), (bob, 404)):
        client.force_login(persona)
        create = client.post(reverse("performance:milestone_create", args=[contract.pk]), milestone_data())
        edit = client.post(reverse("performance:milestone_edit", args=[milestone.pk]), milestone_data(title="X"))
        mi_create = client.post(reverse("performance:mi_report_create", args=[contract.pk]), mi_data())
        mi_edit = client.post(reverse("performance:mi_report_edit", args=[report.pk]), mi_data(period_label="X"))
        assert [r.status_code for r in (create, edit, mi_create, mi_edit)] == [code] * 4
    assert list(Milestone.objects.values_list("title", flat=True)) == ["Original"]
    assert list(MiReport.objects.values_list("period_label", flat=True)) == ["Q2 2026-27"]


def test_procurement_manages_milestones_on_any_contract(client, priya, contract):
    client.force_login(priya)
    response = client.post(reverse("performance:milestone_create", args=[contract.pk]), milestone_data())
    assert response.status_code == 302
    assert Milestone.objects.get().history.get().history_user == priya


# --- My performance tasks -------------------------------------------------------------------------


@time_machine.travel("2026-11-10 09:00 +00:00", tick=False)
def test_the_task_list_shows_results_due_and_overdue_with_links_to_the_kpi(client, alice, bob, contract):
    kpi = KpiFactory(contract=contract, name="Vehicles available", start_date=dt.date(2026, 7, 1))
    _result(kpi, dt.date(2026, 8, 1), dt.date(2026, 8, 31), alice)
    KpiFactory(contract=contract, name="Retired KPI", is_active=False)
    ended = factories.ContractFactory(oco=alice, status=Contract.Status.EXPIRED)
    KpiFactory(contract=ended, name="On an expired contract")
    KpiFactory(contract=factories.ContractFactory(oco=bob), name="Bob's KPI")
    MilestoneFactory(contract=contract, title="Exit plan agreed", due_date=dt.date(2026, 11, 1))

    client.force_login(alice)
    response = client.get(reverse("performance:tasks"))
    tasks = response.context["tasks"]
    # July (due 14 Aug) and September (due 14 Oct) are overdue; August is recorded; October ended on
    # 31 Oct and is due by 14 Nov; November has not ended.
    assert [(t.kpi.name, t.period.start) for t in tasks.results_overdue.rows] == [
        ("Vehicles available", dt.date(2026, 7, 1)),
        ("Vehicles available", dt.date(2026, 9, 1)),
    ]
    assert [(t.period.start, t.due_on) for t in tasks.results_due.rows] == [
        (dt.date(2026, 10, 1), dt.date(2026, 11, 14))
    ]
    assert [m.title for m in tasks.overdue_milestones.rows] == ["Exit plan agreed"]
    page = response.content.decode()
    anchor = reverse("performance:contract", args=[contract.pk]) + f"#kpi-{kpi.pk}"
    assert page.count(f'href="{anchor}"') == 3
    assert "Overdue" in page and "Due" in page and "within 14 days of the period" in page
    assert "Retired KPI" not in page and "On an expired contract" not in page and "Bob&#x27;s KPI" not in page

    client.force_login(bob)  # bob sees only his own contract's work
    tasks = client.get(reverse("performance:tasks")).context["tasks"]
    assert [t.kpi.name for t in tasks.results_overdue.rows + tasks.results_due.rows] == ["Bob's KPI"] * 4
    assert tasks.overdue_milestones.total == 0


@time_machine.travel("2026-11-10 09:00 +00:00", tick=False)
def test_the_work_lists_are_in_the_navbar(client, alice, sam, priya, contract):
    client.force_login(alice)
    page = client.get(reverse("contracts:list")).content.decode()
    assert f'href="{reverse("dashboard:my_work")}">My work</a>' in page
    client.force_login(sam)
    page = client.get(reverse("contracts:list")).content.decode()
    assert f'href="{reverse("dashboard:sro")}">SRO overview</a>' in page
    client.force_login(priya)
    page = client.get(reverse("contracts:list")).content.decode()
    assert f'href="{reverse("performance:tasks")}">Performance tasks</a>' in page
    assert f'href="{reverse("dashboard:procurement")}">Dashboard</a>' in page


def _contract_with_work(oco: User) -> Contract:
    contract = factories.ContractFactory(oco=oco)
    for name in ("Availability", "Response"):
        kpi = KpiFactory(contract=contract, name=name, start_date=dt.date(2026, 7, 1))
        _result(kpi, dt.date(2026, 8, 1), dt.date(2026, 8, 31), oco)
    MilestoneFactory(contract=contract, due_date=dt.date(2026, 11, 1), owner=oco)
    MiReportFactory(contract=contract)
    return contract


@time_machine.travel("2026-11-10 09:00 +00:00", tick=False)
@pytest.mark.parametrize("persona", ["alice", "priya"], indirect=True)
def test_the_task_list_query_count_is_the_same_for_1_and_10_contracts(
    client, persona, alice, django_assert_max_num_queries
):
    _contract_with_work(alice)
    client.force_login(persona)
    with django_assert_max_num_queries(15) as one:
        response = client.get(reverse("performance:tasks"))
    assert response.context["tasks"].results_overdue.total == 4
    for _ in range(9):
        _contract_with_work(alice)
    with django_assert_max_num_queries(len(one)):
        response = client.get(reverse("performance:tasks"))
    tasks = response.context["tasks"]
    assert (tasks.results_overdue.total, tasks.results_due.total) == (40, 20)
    assert (tasks.late_mi_reports.total, tasks.overdue_milestones.total) == (10, 10)


@time_machine.travel("2026-11-10 09:00 +00:00", tick=False)
def test_a_long_task_list_shows_the_oldest_fifty_with_their_kpis_and_counts_them_all(
    client, alice, django_assert_max_num_queries
):
    for _ in range(3):
        _contract_with_work(alice)
    client.force_login(alice)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("performance:tasks"))
    contracts = [_contract_with_work(alice) for _ in range(27)]
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("performance:tasks"))
    overdue = response.context["tasks"].results_overdue
    assert (overdue.total, len(overdue.rows), overdue.more) == (120, 50, 70)
    keys = [(task.due_on, task.contract.reference, task.kpi.name) for task in overdue.rows]
    assert keys == sorted(keys)
    # Each row names its own KPI, of one of alice's contracts, for a period of that KPI with no result.
    mine = {contract.pk for contract in contracts} | set(
        Contract.objects.filter(oco=alice).values_list("pk", flat=True)
    )
    for task in overdue.rows:
        assert task.kpi.contract_id in mine
        assert task.kpi.period_for(task.period.start) == task.period
        assert not task.kpi.results.filter(period_start=task.period.start).exists()
    assert f"{overdue.total}</span>" in response.content.decode()


# --- The £5m published-KPI rule -------------------------------------------------------------------


def _big_contract(reference: str, *, published: int, value: str = "6000000.00", **kwargs) -> Contract:
    contract = factories.ContractFactory(reference=reference, total_value=Decimal(value), **kwargs)
    for number in range(published):
        KpiFactory(contract=contract, name=f"Published KPI {number}", is_published=True)
    return contract


def test_contracts_over_5m_with_fewer_than_three_published_kpis_are_listed_and_flagged(client, priya, alice):
    two = _big_contract("CON-TWO", published=2, oco=alice)
    three = _big_contract("CON-THREE", published=3, oco=alice)
    # Three published, but one is inactive and an unpublished KPI does not count: two in effect.
    diluted = _big_contract("CON-DILUTED", published=2)
    KpiFactory(contract=diluted, name="Retired", is_published=True, is_active=False)
    KpiFactory(contract=diluted, name="Internal", is_published=False)
    _big_contract("CON-FIVE-MILLION", published=0, value="5000000.00")  # not more than £5m
    _big_contract("CON-DRAFT", published=0, status=Contract.Status.DRAFT)
    _big_contract("CON-EXPIRED", published=1, status=Contract.Status.EXPIRED)

    client.force_login(priya)
    response = client.get(reverse("performance:published_kpis"))
    listed = {c.reference: c.published_kpis for c in response.context["contracts"]}
    assert listed == {"CON-TWO": 2, "CON-DILUTED": 2}
    assert "2 of 3" in response.content.decode()

    client.force_login(alice)  # the OCO sees the warning on the contract page, without the list's link
    page = client.get(two.get_absolute_url()).content.decode()
    assert "Published KPIs: 2 of the 3 required" in page
    assert reverse("performance:published_kpis") not in page
    assert "Published KPIs:" not in client.get(three.get_absolute_url()).content.decode()
    client.force_login(priya)
    page = client.get(diluted.get_absolute_url()).content.decode()
    assert "Published KPIs: 2 of the 3 required" in page and reverse("performance:published_kpis") in page


def test_the_published_kpi_list_is_one_query_whatever_its_length(client, priya, django_assert_max_num_queries):
    _big_contract("CON-A", published=1)
    client.force_login(priya)
    with django_assert_max_num_queries(10) as one:
        client.get(reverse("performance:published_kpis"))
    for number in range(10):
        _big_contract(f"CON-B{number}", published=number % 3)
    with django_assert_max_num_queries(len(one)):
        response = client.get(reverse("performance:published_kpis"))
    assert len(response.context["contracts"]) == 11


def test_the_flag_costs_no_query_on_a_contract_the_rule_does_not_cover(contract, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert published_kpi_flag({}, contract)["published"] is None
