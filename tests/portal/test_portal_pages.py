"""The portal's pages: what a supplier's person reads, in a bounded number of queries however much
there is, and a meeting's .ics from their own contracts only."""

from decimal import Decimal

import pytest
from django.urls import reverse

from meetings.models import Meeting
from performance import services as performance_services
from tests import factories
from tests.meeting_factories import ActionFactory, MeetingFactory
from tests.performance_factories import KpiFactory
from tests.portal.conftest import mi_report_due, sign_in_verified


def _fill(contract, alice, supplier1, *, many: int) -> None:
    for n in range(many):
        kpi = KpiFactory(contract=contract)
        for period in kpi.periods(until=kpi.start_date.replace(month=3))[:2]:
            performance_services.kpi_result_record(kpi=kpi, period_start=period.start, actual=Decimal("97"), by=alice)
        meeting = MeetingFactory(contract=contract, created_by=alice, agenda=f"Review {n}")
        ActionFactory(meeting=meeting, owner=supplier1)
        mi_report_due(contract, by=alice, label=f"Report {n}")
        factories.ContractFactory(supplier=contract.supplier, oco=alice)


@pytest.mark.parametrize("many", [1, 8])
def test_the_portal_pages_hold_their_query_budget(
    client, contract, alice, supplier1, many, django_assert_max_num_queries
):
    _fill(contract, alice, supplier1, many=many)
    sign_in_verified(client, supplier1)
    with django_assert_max_num_queries(16):
        home = client.get(reverse("portal:home"))
    with django_assert_max_num_queries(18):
        page = client.get(reverse("portal:contract", args=[contract.pk]))
    assert home.status_code == page.status_code == 200
    assert "Review 0" in page.content.decode() and supplier1.get_full_name() in page.content.decode()


def test_a_meetings_ics_from_their_own_contract_only(client, contract, other_contract, alice, bob, supplier1):
    mine = MeetingFactory(contract=contract, created_by=alice)
    theirs = MeetingFactory(contract=other_contract, created_by=bob)
    cancelled = MeetingFactory(contract=contract, created_by=alice, status=Meeting.Status.CANCELLED)
    sign_in_verified(client, supplier1)
    response = client.get(reverse("portal:meeting_ics", args=[mine.pk]))
    assert response.status_code == 200 and b"BEGIN:VCALENDAR" in response.content
    assert client.get(reverse("portal:meeting_ics", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("portal:meeting_ics", args=[cancelled.pk])).status_code == 404
