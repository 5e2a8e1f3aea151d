"""Poor performance is acted on (issue 15, point 3): a result rated Requires improvement or Inadequate
needs commentary, goes on the timeline, offers "Raise an escalation" and "Start an improvement plan"
on its row; an Inadequate result tells the SRO and the Procurement Unit at once, one message each even
when it also completes a persistent run. The KPI: 95 % target, Approaching from 90, Inadequate below 80."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from contracts.models import Activity, Escalation
from notifications.models import Kind, Notification
from performance import services
from performance.models import ImprovementPlan, KpiResult
from performance.ratings import Rating

NOW = "2026-11-10 09:00 +00:00"
SEPTEMBER, OCTOBER = date(2026, 9, 1), date(2026, 10, 1)

pytestmark = pytest.mark.usefixtures("_pinned")


@pytest.fixture
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def record(kpi, by, actual, start=SEPTEMBER, commentary="The supplier lost two engineers"):
    return services.kpi_result_record(kpi=kpi, period_start=start, actual=Decimal(actual), commentary=commentary, by=by)


def timeline(kind) -> list[str]:
    return list(Activity.objects.filter(kind=kind).order_by("pk").values_list("summary", flat=True))


def messages_to(person) -> list[str]:
    return list(Notification.objects.filter(recipient=person).order_by("pk").values_list("kind", flat=True))


# --- Commentary ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [True, False])
def test_a_poor_result_needs_commentary_said_next_to_the_field(client, alice, kpi, htmx):
    client.force_login(alice)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    url = reverse("performance:result_record", args=[kpi.pk])
    refused = client.post(url, {"period_start": "2026-09-01", "actual": "70", "commentary": " "}, **headers)
    html = refused.content.decode()
    error = re.search(r'id="due-\d+-20260901-commentary-error">([^<]*)<', html)
    assert error and "rated Inadequate: say why" in error.group(1)
    assert not KpiResult.objects.exists()

    saved = client.post(
        url, {"period_start": "2026-09-01", "actual": "70", "commentary": "Vans off the road"}, **headers
    )
    assert KpiResult.objects.get().effective_rating == Rating.INADEQUATE
    if htmx:  # the same row now offers what to do about it
        html = saved.content.decode()
        assert "Raise an escalation" in html and "Start an improvement plan" in html


def test_a_good_result_needs_no_commentary(alice, kpi):
    services.kpi_result_record(kpi=kpi, period_start=SEPTEMBER, actual=Decimal("91"), by=alice)
    assert not Activity.objects.filter(kind=Activity.Kind.KPI_POOR_RESULT).exists()


# --- The timeline and who is told -------------------------------------------------------------------------


def test_a_poor_result_is_on_the_timeline_once_for_each_rating_it_comes_to(alice, kpi):
    result = record(kpi, alice, "85")
    record(kpi, alice, "84")  # corrected, still Requires improvement: nothing new
    assert timeline(Activity.Kind.KPI_POOR_RESULT) == [
        f"{kpi.name}: Requires improvement for 1 Sep 2026 to 30 Sep 2026"
    ]
    record(kpi, alice, "70")
    assert len(timeline(Activity.Kind.KPI_POOR_RESULT)) == 2
    entry = Activity.objects.filter(kind=Activity.Kind.KPI_POOR_RESULT).last()
    assert (entry.subject, entry.recorded_by, entry.contract) == (result, alice, kpi.contract)
    assert "The supplier lost two engineers" in entry.details


def test_an_inadequate_result_tells_the_sro_and_the_procurement_unit_at_once(alice, sam, priya, kpi):
    record(kpi, alice, "85")  # Requires improvement: on the timeline, nobody told
    assert not Notification.objects.exists()
    record(kpi, alice, "70", start=OCTOBER)
    assert messages_to(sam) == [Kind.KPI_INADEQUATE] and messages_to(priya) == [Kind.KPI_INADEQUATE]
    assert messages_to(alice) == []  # she recorded it
    message = Notification.objects.get(recipient=sam)
    assert "rated Inadequate for 1 Oct 2026 to 31 Oct 2026" in message.title and "Vans" not in message.body


def test_an_inadequate_result_that_completes_a_persistent_run_tells_each_person_once(alice, sam, priya, kpi):
    record(kpi, alice, "85", start=date(2026, 8, 1))
    record(kpi, alice, "85", start=SEPTEMBER)
    record(kpi, alice, "70", start=OCTOBER)  # the third poor result in a row
    escalation = Escalation.objects.get(source=Escalation.Source.PERSISTENT_POOR_PERFORMANCE)
    assert messages_to(priya) == [Kind.ESCALATION]  # the escalation, which says it all
    assert messages_to(alice) == [Kind.ESCALATION]  # as before: the OCO hears of the run
    assert messages_to(sam) == [Kind.KPI_INADEQUATE]
    assert escalation.respond_by == date(2026, 11, 12)  # high: two working days
    assert Activity.objects.about(escalation).get().kind == Activity.Kind.ESCALATION_RAISED


def test_an_override_is_on_the_timeline_and_an_override_to_inadequate_is_told(alice, sam, priya, kpi):
    result = record(kpi, alice, "85")
    services.kpi_result_override(result=result, rating=Rating.OTHER, reason="Outage at the force", by=alice)
    assert timeline(Activity.Kind.KPI_OVERRIDE) == [
        f"{kpi.name}, 1 Sep 2026: rated Other instead of the calculated Requires improvement"
    ]
    services.kpi_result_override(result=result, rating=Rating.INADEQUATE, reason="Worse than measured", by=alice)
    assert len(timeline(Activity.Kind.KPI_OVERRIDE)) == 2
    assert len(timeline(Activity.Kind.KPI_POOR_RESULT)) == 2  # Requires improvement, then Inadequate
    assert messages_to(sam) == [Kind.KPI_INADEQUATE] and messages_to(priya) == [Kind.KPI_INADEQUATE]


# --- What the row offers -------------------------------------------------------------------------------------


def test_the_row_raises_an_escalation_filled_in_with_the_kpi_and_period(client, alice, sam, kpi):
    record(kpi, alice, "70")
    client.force_login(alice)
    page = client.get(reverse("performance:contract", args=[kpi.contract_id])).content.decode()
    link = re.search(r'href="([^"]*/escalations/contract/\d+/new/\?[^"]*)"', page)
    assert link, "the poor result's row offers an escalation"
    form = client.get(unescape(link.group(1))).content.decode()
    assert f'value="{kpi.name}: Inadequate for September 2026"' in form
    assert '<option value="significant_performance_issue" selected>' in form
    assert '<option value="high" selected>' in form
    client.force_login(sam)  # the SRO reads: no links to act
    assert (
        "Raise an escalation"
        not in client.get(reverse("performance:contract", args=[kpi.contract_id])).content.decode()
    )


def test_an_improvement_plan_is_started_from_the_row_and_followed_up(client, alice, sam, priya, bob, kpi):
    result = record(kpi, alice, "70")
    url = reverse("performance:improvement_plan_start", args=[result.pk])
    client.force_login(sam)
    assert client.get(url).status_code == 403
    client.force_login(bob)
    assert client.get(url).status_code == 404
    client.force_login(alice)
    form = client.get(url).content.decode()
    assert "proper opportunity to improve" in form
    refused = client.post(url, {"must_improve": "", "improve_by": "2026-10-01", "review_on": "", "owner": priya.pk})
    assert refused.status_code == 200 and "This date has passed" in refused.content.decode()
    response = client.post(
        url,
        {
            "must_improve": "95% of calls answered within 20 seconds, every week",
            "improve_by": "2027-01-31",
            "review_on": "2026-12-15",
            "owner": priya.pk,
        },
    )
    plan = ImprovementPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert (plan.kpi, plan.result, plan.contract, plan.owner, plan.created_by) == (
        kpi,
        result,
        kpi.contract,
        priya,
        alice,
    )
    assert timeline(Activity.Kind.IMPROVEMENT_PLAN) == [
        f"Improvement plan started for {kpi.name}: improve by 31 Jan 2027"
    ]
    assert Notification.objects.filter(recipient=priya, kind=Kind.IMPROVEMENT_PLAN).count() == 1
    page = client.get(reverse("performance:contract", args=[kpi.contract_id])).content.decode()
    assert "Improve by 31 Jan 2027" in page

    client.force_login(sam)  # the SRO reads it, and may not change it
    assert client.get(plan.get_absolute_url()).status_code == 200
    assert client.post(plan.get_absolute_url(), {"status": "improved", "review_on": "2026-12-15"}).status_code == 403
    client.force_login(alice)
    client.post(plan.get_absolute_url(), {"status": "improved", "review_on": "2026-12-15"})
    plan.refresh_from_db()
    assert plan.status == ImprovementPlan.Status.IMPROVED
    assert timeline(Activity.Kind.IMPROVEMENT_PLAN)[-1] == f"Improvement plan for {kpi.name}: improved"


def test_the_performance_page_costs_the_same_queries_with_one_plan_or_ten(
    client, alice, priya, kpi, django_assert_max_num_queries
):
    result = record(kpi, alice, "70")

    def start_plans(count):
        for _ in range(count):
            services.improvement_plan_start(
                plan=ImprovementPlan(
                    contract=kpi.contract,
                    kpi=kpi,
                    result=result,
                    must_improve="Back to target",
                    improve_by=date(2027, 1, 31),
                    review_on=date(2026, 12, 15),
                    owner=priya,
                ),
                by=alice,
            )

    start_plans(1)
    client.force_login(alice)
    url = reverse("performance:contract", args=[kpi.contract_id])
    with django_assert_max_num_queries(20) as one:
        client.get(url)
    start_plans(9)
    with django_assert_max_num_queries(len(one)):
        page = client.get(url).content.decode()
    assert page.count("Improve by 31 Jan 2027") == 10
