"""Procurement Act 2023 notices: contract performance notices due and overdue, their data and
ratings, recording publication, change and termination notices due, exports and permissions."""

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from contracts import services
from contracts.models import Contract, ContractEnding, Regime, Variation
from core.dates import add_months
from exchange.selectors import notices
from performance.models import KpiResult, PerformanceNotice
from performance.ratings import Rating
from tests import factories
from tests.performance_factories import KpiFactory

NOTICES = reverse("exchange:notices")
CHANGES = reverse("exchange:change_notices")
TERMINATIONS = reverse("exchange:termination_notices")


@pytest.fixture(autouse=True)
def _section_71_from_the_acts_commencement(settings):
    """These tests are about the notice periods, their data and the lists: their contracts are
    recorded as under the Act, and section 71 is taken to be in force from the Act's commencement
    (24 February 2025). Which contracts the duties reach, and from when, is tested in
    tests/contracts/test_regime.py with the real dates."""
    day = settings.PROCUREMENT_ACT_COMMENCEMENT
    settings.ACT_KPI_NOTICES_IN_FORCE = {"england": day, "wales": day}


def big_contract(**kwargs):
    supplier = kwargs.pop("supplier", None)
    if supplier is None:
        supplier = factories.SupplierFactory(
            name="Blue Lamp Systems Limited", address="1 High Street\nLeeds LS1 1AA", companies_house_number="01234567"
        )
        factories.SupplierContactFactory(supplier=supplier, name="Zoe Young", email="zoe@bluelamp.example")
        factories.SupplierContactFactory(supplier=supplier, name="Adam Ash", email="adam@bluelamp.example")
    fields = {
        "reference": "CON-BIG",
        "title": "Control room system",
        "supplier": supplier,
        "start_date": date(2025, 1, 1),
        "end_date": date(2028, 12, 31),
        "total_value": Decimal("6000000"),
        "annual_value": Decimal("1500000"),
        "finance_reference": "AG-7781",
        "regime": Regime.ACT,
        **kwargs,
    }
    return factories.ContractFactory(**fields)


def result(kpi, month: int, rating: str, *, year: int = 2025, by, override: str = ""):
    start = date(year, month, 1)
    end = add_months(start, 1) - timedelta(days=1)
    return KpiResult.objects.create(
        kpi=kpi,
        period_start=start,
        period_end=end,
        actual=Decimal("90"),
        rating=rating,
        rating_override=override,
        override_reason="Agreed at the review meeting" if override else "",
        recorded_by=by,
    )


def listed(client, user=None) -> list:
    if user is not None:
        client.force_login(user)  # inside the travelled clock: sessions end after 8 idle hours
    response = client.get(NOTICES)
    assert response.status_code == 200
    return [row["notice"] for row in response.context["rows"]]


# --- When a performance notice is due ------------------------------------------------------------


def test_first_annual_notice_is_due_then_overdue_then_gone_once_published(client, priya):
    contract = big_contract()
    with time_machine.travel("2025-12-31 12:00 +00:00"):
        assert listed(client, priya) == []  # the first 12 months have not ended
    with time_machine.travel("2026-01-01 09:00 +00:00"):
        [notice] = listed(client, priya)
        assert (notice.contract, notice.kind, notice.number) == (contract, "annual", 1)
        assert (notice.period_start, notice.period_end) == (date(2025, 1, 1), date(2025, 12, 31))
        assert notice.due_by == date(2026, 1, 30)
        [row] = client.get(NOTICES).context["rows"]
        assert (row["colour"], row["state"], row["detail"]) == ("warning", "Due", "in 29 days")
    with time_machine.travel("2026-01-30 09:00 +00:00"):
        assert not listed(client, priya)[0].is_overdue(date(2026, 1, 30))  # the last day is still on time
    with time_machine.travel("2026-01-31 09:00 +00:00"):
        [notice] = listed(client, priya)
        assert notice.is_overdue(date(2026, 1, 31))
        [row] = client.get(NOTICES).context["rows"]
        assert (row["colour"], row["state"], row["detail"]) == ("danger", "Overdue", "by 1 day")
        assert "Overdue</span>" in client.get(NOTICES).content.decode()
        url = reverse("exchange:notice", args=[contract.pk, "2025-01-01", "annual"])
        response = client.post(url, {"published_on": "2026-01-31", "notice_id": "000123-2026", "from": "list"})
        assert response.status_code == 302 and response.url == NOTICES
        assert listed(client, priya) == []
    record = PerformanceNotice.objects.get()
    assert (record.contract, record.period_start, record.period_end, record.kind) == (
        contract,
        date(2025, 1, 1),
        date(2025, 12, 31),
        "annual",
    )
    assert (record.published_on, record.published_by) == (date(2026, 1, 31), priya)
    assert record.history.count() == 1


@time_machine.travel("2026-06-01 09:00 +00:00")
def test_publication_cannot_be_dated_before_the_period_ends_or_in_the_future(client, priya):
    contract = big_contract()
    client.force_login(priya)
    url = reverse("exchange:notice", args=[contract.pk, "2025-01-01", "annual"])
    for day in ("2025-12-30", "2026-06-02"):
        response = client.post(url, {"published_on": day})
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not PerformanceNotice.objects.exists()
    assert client.get(reverse("exchange:notice", args=[contract.pk, "2026-01-01", "annual"])).status_code == 404
    assert client.get(reverse("exchange:notice", args=[contract.pk, "not-a-date", "annual"])).status_code == 404


@time_machine.travel("2027-03-01 09:00 +00:00")
def test_a_contract_of_5m_or_less_has_no_performance_notice(client, priya):
    big_contract(reference="CON-4M", total_value=Decimal("4000000"))
    big_contract(reference="CON-5M", total_value=Decimal("5000000"), supplier=factories.SupplierFactory())
    client.force_login(priya)
    assert listed(client) == []


@time_machine.travel("2027-03-01 09:00 +00:00")
def test_each_ended_12_month_period_has_its_notice(client, priya):
    contract = big_contract()
    client.force_login(priya)
    assert [(n.number, n.period_start, n.period_end) for n in listed(client)] == [
        (1, date(2025, 1, 1), date(2025, 12, 31)),
        (2, date(2026, 1, 1), date(2026, 12, 31)),
    ]
    PerformanceNotice.objects.create(
        contract=contract,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        kind="annual",
        published_on=date(2026, 1, 10),
        published_by=priya,
    )
    assert [n.number for n in listed(client)] == [2]


@time_machine.travel("2026-01-10 09:00 +00:00")
def test_periods_that_ended_before_the_act_came_into_force_have_no_notice(client, priya):
    big_contract(start_date=date(2023, 6, 1))
    # Year 1 ended on 31 May 2024, before 24 Feb 2025; year 2 ended after it, on 31 May 2025.
    assert [(n.number, n.period_start) for n in listed(client, priya)] == [(2, date(2024, 6, 1))]


# --- The notice's data and its ratings ------------------------------------------------------------


@time_machine.travel("2026-02-01 09:00 +00:00")
def test_notice_data_and_the_worst_rating_in_the_period(client, priya, alice, settings):
    contract = big_contract()
    mixed = KpiFactory(contract=contract, name="Calls answered", start_date=date(2025, 1, 1), is_published=True)
    overridden = KpiFactory(
        contract=contract, name="Incidents resolved", start_date=date(2025, 1, 1), is_published=True
    )
    KpiFactory(contract=contract, name="Uptime", start_date=date(2025, 1, 1), is_published=True)
    other_only = KpiFactory(contract=contract, name="Social value", start_date=date(2025, 1, 1), is_published=True)
    KpiFactory(contract=contract, name="Internal measure", start_date=date(2025, 1, 1), is_published=False)
    KpiFactory(contract=contract, name="Retired", start_date=date(2025, 1, 1), is_published=True, is_active=False)
    for month, rating in ((1, Rating.GOOD), (6, Rating.INADEQUATE), (12, Rating.GOOD)):
        result(mixed, month, rating, by=alice)
    result(mixed, 1, Rating.INADEQUATE, year=2026, by=alice)  # the next period's: not in this notice
    result(overridden, 3, Rating.GOOD, by=alice)
    result(overridden, 4, Rating.REQUIRES_IMPROVEMENT, override=Rating.APPROACHING, by=alice)
    result(other_only, 5, Rating.OTHER, by=alice)

    [notice] = notices.notices_due(Contract.objects.all(), today=date(2026, 2, 1))
    data = notice.as_dict()
    assert {kpi["name"]: kpi["rating"] for kpi in data["kpis"]} == {
        "Calls answered": "inadequate",  # the worst, not the latest (Good in December)
        "Incidents resolved": "approaching",  # the override counts, not the calculated rating
        "Social value": "other",
        "Uptime": "other",  # no result in the period
    }
    assert data["contract_reference"] == "CON-BIG"
    assert data["procurement_identifier"] == "AG-7781"
    assert data["buyer"] == settings.OCDS_BUYER_NAME
    assert data["supplier_name"] == "Blue Lamp Systems Limited"
    assert data["supplier_address"] == "1 High Street\nLeeds LS1 1AA"
    assert data["supplier_email"] == "adam@bluelamp.example"  # the first contact by name
    assert data["supplier_identifier"] == "01234567"
    assert (data["period_start"], data["period_end"]) == ("2025-01-01", "2025-12-31")

    client.force_login(priya)
    page = client.get(reverse("exchange:notice", args=[contract.pk, "2025-01-01", "annual"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Inadequate" in text and "Approaching target" in text and "AG-7781" in text
    assert "Internal measure" not in text and "Retired" not in text
    assert json.loads(client.get(page.request["PATH_INFO"] + "?format=json").content) == data


def test_period_rating_rule():
    assert notices.period_rating([]) == Rating.OTHER
    assert notices.period_rating([Rating.OTHER, Rating.GOOD]) == Rating.GOOD
    assert notices.period_rating([Rating.GOOD, Rating.APPROACHING, Rating.GOOD]) == Rating.APPROACHING
    assert notices.period_rating([Rating.REQUIRES_IMPROVEMENT, Rating.INADEQUATE]) == Rating.INADEQUATE


@time_machine.travel("2026-01-01 09:00 +00:00")
def test_the_procurement_identifier_falls_back_to_the_reference(priya):
    big_contract(finance_reference="")
    [notice] = notices.notices_due(Contract.objects.all(), today=date(2026, 1, 1))
    assert notice.as_dict()["procurement_identifier"] == "CON-BIG"


# --- Termination ---------------------------------------------------------------------------------


def test_a_terminated_contract_gets_a_notice_for_the_part_period(client, priya):
    contract = big_contract()
    with time_machine.travel("2026-03-20 09:00 +00:00"):
        ending = ContractEnding(
            contract=contract, kind="terminated", ended_on=date(2026, 3, 15), reason="Supplier insolvent"
        )
        services.contract_end(ending=ending, by=priya)
        assert [(n.kind, n.period_start, n.period_end, n.due_by) for n in listed(client, priya)] == [
            ("annual", date(2025, 1, 1), date(2025, 12, 31), date(2026, 1, 30)),
            ("termination", date(2026, 1, 1), date(2026, 3, 15), date(2026, 4, 14)),
        ]
    with time_machine.travel("2028-01-01 09:00 +00:00"):
        assert len(listed(client, priya)) == 2  # nothing after the day it ended


@time_machine.travel("2026-03-20 09:00 +00:00")
def test_a_contract_let_expire_gets_no_termination_notice(priya):
    contract = big_contract(end_date=date(2026, 3, 15))
    ending = ContractEnding(contract=contract, kind="expired", ended_on=date(2026, 3, 15), reason="Not needed")
    services.contract_end(ending=ending, by=priya)
    found = notices.notices_due(Contract.objects.all(), today=date(2026, 3, 20))
    assert [(n.kind, n.period_end) for n in found] == [("annual", date(2025, 12, 31)), ("annual", date(2026, 3, 15))]


# --- Change and termination notices due -----------------------------------------------------------


def _variation(contract, number, priya, **kwargs):
    return Variation.objects.create(
        contract=contract,
        number=number,
        agreed_on=date(2026, 2, number),
        description=f"Change {number}",
        reason="More sites",
        value_change=Decimal("750000"),
        new_end_date=date(2029, 6, 30),
        approved_by=priya,
        recorded_by=priya,
        change_notice_reason="A contract change notice is required.",
        **kwargs,
    )


def _csv_rows(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@time_machine.travel("2026-03-01 09:00 +00:00")
def test_change_notices_due_on_the_page_and_in_the_exports(client, priya):
    contract = big_contract()
    due = _variation(contract, 1, priya, change_notice_required=True)
    _variation(contract, 2, priya, change_notice_required=True, change_notice_published_on=date(2026, 2, 20))
    _variation(contract, 3, priya, change_notice_required=False)
    client.force_login(priya)
    page = client.get(CHANGES)
    assert list(page.context["variations"]) == [due]
    assert "Change 1" in page.content.decode() and "£750,000" in page.content.decode()
    rows = _csv_rows(client.get(CHANGES + "?format=csv"))
    assert [(r["contract_reference"], r["variation_number"]) for r in rows] == [("CON-BIG", "1")]
    assert rows[0]["value_change"] == "750000.00" and rows[0]["new_end_date"] == "2029-06-30"
    data = json.loads(client.get(CHANGES + "?format=json").content)["notices"]
    assert [(n["contract_reference"], n["variation_number"]) for n in data] == [("CON-BIG", 1)]
    assert data[0]["agreed_on"] == "2026-02-01" and data[0]["reason"] == "More sites"


@time_machine.travel("2026-05-01 09:00 +00:00")
def test_termination_notices_due_on_the_page_and_in_the_exports(client, priya):
    ended = big_contract()
    published = big_contract(reference="CON-DONE", supplier=factories.SupplierFactory())
    services.contract_end(
        ending=ContractEnding(
            contract=ended,
            kind="terminated",
            ended_on=date(2026, 3, 15),
            reason="Persistent failure",
            ended_early_for_breach=True,
            breach_details="Missed every response target",
        ),
        by=priya,
    )
    services.contract_end(
        ending=ContractEnding(
            contract=published,
            kind="expired",
            ended_on=date(2026, 3, 1),
            reason="Not needed",
            notice_published_on=date(2026, 3, 10),
        ),
        by=priya,
    )
    client.force_login(priya)
    page = client.get(TERMINATIONS)
    assert [row["ending"].contract for row in page.context["rows"]] == [ended]
    text = page.content.decode()
    assert "Missed every response target" in text and "Overdue" in text and "14 Apr 2026" in text
    rows = _csv_rows(client.get(TERMINATIONS + "?format=csv"))
    assert [(r["contract_reference"], r["ended_on"], r["notice_due_by"]) for r in rows] == [
        ("CON-BIG", "2026-03-15", "2026-04-14")
    ]
    assert rows[0]["breach_details"] == "Missed every response target" and rows[0]["kind"] == "terminated"
    data = json.loads(client.get(TERMINATIONS + "?format=json").content)["notices"]
    assert [(n["contract_reference"], n["ended_early_for_breach"]) for n in data] == [("CON-BIG", True)]


@time_machine.travel("2027-01-15 09:00 +00:00")
def test_performance_notice_exports_carry_the_page_rows(client, priya, alice):
    contract = big_contract()
    kpi = KpiFactory(contract=contract, name="Calls answered", start_date=date(2025, 1, 1), is_published=True)
    KpiFactory(contract=contract, name="Uptime", start_date=date(2025, 1, 1), is_published=True)
    result(kpi, 3, Rating.REQUIRES_IMPROVEMENT, by=alice)
    bare = big_contract(reference="CON-BARE", supplier=factories.SupplierFactory(name="Bare Limited"))
    client.force_login(priya)
    page_keys = [(n.contract.reference, n.period_start.isoformat(), n.kind) for n in listed(client)]
    assert page_keys == [
        ("CON-BARE", "2025-01-01", "annual"),
        ("CON-BIG", "2025-01-01", "annual"),
        ("CON-BARE", "2026-01-01", "annual"),
        ("CON-BIG", "2026-01-01", "annual"),
    ]
    data = json.loads(client.get(NOTICES + "?format=json").content)["notices"]
    assert [(n["contract_reference"], n["period_start"], n["kind"]) for n in data] == page_keys
    assert [n["state"] for n in data] == ["overdue", "overdue", "due", "due"]
    assert data[1]["kpis"] == [
        {
            "name": "Calls answered",
            "description": "",
            "rating": "requires_improvement",
            "rating_label": "Requires improvement",
        },
        {"name": "Uptime", "description": "", "rating": "other", "rating_label": "Other"},
    ]
    rows = _csv_rows(client.get(NOTICES + "?format=csv"))
    # One row per notice and KPI; a notice without published KPIs keeps one row.
    assert [(r["contract_reference"], r["period_start"], r["kpi_name"], r["kpi_rating"]) for r in rows] == [
        ("CON-BARE", "2025-01-01", "", ""),
        ("CON-BIG", "2025-01-01", "Calls answered", "requires_improvement"),
        ("CON-BIG", "2025-01-01", "Uptime", "other"),
        ("CON-BARE", "2026-01-01", "", ""),
        ("CON-BIG", "2026-01-01", "Calls answered", "other"),
        ("CON-BIG", "2026-01-01", "Uptime", "other"),
    ]
    assert rows[1]["supplier_email"] == "adam@bluelamp.example" and rows[1]["supplier_identifier"] == "01234567"
    assert bare.pk


# --- Query counts and permissions -----------------------------------------------------------------


@pytest.mark.parametrize("contracts", [1, 10])
@time_machine.travel("2027-02-15 09:00 +00:00")
def test_the_performance_notice_list_has_a_fixed_query_count(
    client, priya, alice, contracts, django_assert_max_num_queries
):
    for n in range(contracts):
        contract = big_contract(reference=f"CON-{n}", supplier=factories.SupplierFactory())
        factories.SupplierContactFactory(supplier=contract.supplier)
        for name in ("A", "B", "C"):
            kpi = KpiFactory(contract=contract, name=name, start_date=date(2025, 1, 1), is_published=True)
            result(kpi, 2, Rating.GOOD, by=alice)
        services.contract_end(
            ending=ContractEnding(contract=contract, kind="terminated", ended_on=date(2026, 6, 1), reason="Ended")
            if n % 2
            else ContractEnding(contract=contract, kind="expired", ended_on=date(2026, 12, 31), reason="Ended"),
            by=priya,
        )
    client.force_login(priya)
    with django_assert_max_num_queries(12):
        response = client.get(NOTICES)
    assert len(response.context["rows"]) == 2 * contracts
    with django_assert_max_num_queries(12):
        client.get(NOTICES + "?format=json")


@pytest.mark.parametrize("url", [NOTICES, CHANGES, TERMINATIONS, NOTICES + "?format=csv", CHANGES + "?format=json"])
@pytest.mark.parametrize(
    ("persona", "status"), [("alice", 403), ("sam", 403), ("priya", 200), ("admin_user", 200)], indirect=["persona"]
)
def test_only_the_procurement_unit_and_administrators_see_the_notices(client, contract, persona, status, url):
    client.force_login(persona)
    assert client.get(url).status_code == status


@time_machine.travel("2026-02-01 09:00 +00:00")
def test_the_notice_page_and_publishing_are_refused_to_an_oco(client, alice):
    contract = big_contract(oco=alice)
    url = reverse("exchange:notice", args=[contract.pk, "2025-01-01", "annual"])
    client.force_login(alice)
    assert client.get(url).status_code == 403
    assert client.post(url, {"published_on": "2026-01-15"}).status_code == 403
    assert not PerformanceNotice.objects.exists()


@pytest.mark.parametrize("url", [NOTICES, CHANGES, TERMINATIONS])
def test_anonymous_visitors_are_sent_to_log_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and "login" in response.url


# --- The Procurement Unit's task: publish it -------------------------------------------------------


def test_a_notice_to_publish_is_a_task_once_and_closes_when_recorded_as_published(client, priya):
    from exchange.services.notices import performance_notice_reminders_send
    from notifications.models import Kind, Notification

    contract = big_contract()
    for day in (date(2026, 1, 1), date(2026, 1, 2)):
        with time_machine.travel(f"{day.isoformat()} 07:50 +00:00", tick=False):
            performance_notice_reminders_send(today=day)
    [task] = Notification.objects.for_user(priya).open_tasks()
    assert task.kind == Kind.PERFORMANCE_NOTICE_DUE and task.subject == contract
    assert task.title == "Publish the contract performance notice for CON-BIG (1 Jan 2025 to 31 Dec 2025)"
    assert task.url == reverse("exchange:notice", args=[contract.pk, "2025-01-01", "annual"])

    with time_machine.travel("2026-01-05 09:00 +00:00"):
        client.force_login(priya)
        client.post(task.url, {"published_on": "2026-01-05", "notice_id": "000124-2026", "from": "list"})
    task.refresh_from_db()
    assert task.resolved_at is not None and not task.replaced
    assert not Notification.objects.for_user(priya).open_tasks().exists()
