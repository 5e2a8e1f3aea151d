"""My work costs a fixed number of queries: the same for an OCO with a few contracts and KPIs as for
one with many, with a row in every list (so that no row reads something the list did not load)."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import Contract
from meetings.models import Meeting
from performance.models import Milestone, MiReport
from tests import dashboard_portfolio as portfolio
from tests.meeting_factories import MeetingFactory
from tests.performance_factories import KpiFactory

pytestmark = pytest.mark.django_db
NOW = "2026-11-25 10:00 +00:00"
TODAY = portfolio.TODAY
# The session, the user and their roles; the contracts; the KPIs, their recorded periods and the
# KPIs of the rows shown; MI reports and milestones (each counted only when a page of them is full);
# meetings arranged late, actions, renewals, escalations; the bell.
MY_WORK_QUERIES = 14


def _every_list_has_a_row(alice, *, kpis: int) -> None:
    """Beyond the portfolio: KPIs with results missing (overdue and due), a late MI report, an
    overdue milestone and a face-to-face meeting arranged late, on alice's active contracts."""
    contracts = list(Contract.objects.filter(oco=alice).active().order_by("pk"))
    for index in range(kpis):
        contract = contracts[index % len(contracts)]
        KpiFactory(contract=contract, name=f"KPI {index}", start_date=max(contract.start_date, dt.date(2025, 6, 1)))
    contract = contracts[0]
    MiReport.objects.create(
        contract=contract,
        period_label="October 2026",
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 10, 31),
        expected_by=TODAY - dt.timedelta(days=10),
        recorded_by=alice,
    )
    Milestone.objects.create(contract=contract, title="Go live", due_date=TODAY - dt.timedelta(days=5), owner=alice)
    MeetingFactory(
        contract=contract,
        kind=Meeting.Kind.FACE_TO_FACE,
        status=Meeting.Status.HELD,
        starts_at=portfolio._at(TODAY - dt.timedelta(days=30)),
        arranged_on=TODAY - dt.timedelta(days=60),
        due_on=TODAY - dt.timedelta(days=20),
    )


def _my_work(client) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard:my_work"))
    assert response.status_code == 200
    return len(queries), response.context


@time_machine.travel(NOW, tick=False)
def test_my_work_costs_the_same_queries_for_a_few_contracts_and_kpis_as_for_many(
    client, priya, alice, sam, django_assert_max_num_queries
):
    portfolio.build_portfolio(6, ocos=[alice], sros=[sam], recorder=priya, seed=3)
    _every_list_has_a_row(alice, kpis=2)
    client.force_login(alice)
    small, context = _my_work(client)
    assert small <= MY_WORK_QUERIES, small

    portfolio.build_portfolio(40, ocos=[alice], sros=[sam], recorder=priya, seed=4)
    _every_list_has_a_row(alice, kpis=30)
    with django_assert_max_num_queries(small):
        response = client.get(reverse("dashboard:my_work"))

    context = response.context
    tasks = context["tasks"]
    for section in (tasks.results_overdue, tasks.results_due, tasks.late_mi_reports, tasks.overdue_milestones):
        assert section.rows, "every task list shows rows"
    for name in ("to_arrange", "arranged_late", "actions", "renewals", "without_document", "escalations"):
        assert context[name], f"no row in {name}"
