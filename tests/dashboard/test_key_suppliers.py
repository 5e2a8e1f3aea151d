"""Key suppliers as the policy says: a supplier-level overview (value, contracts, highest quadrant, open
escalations, Companies House status, share of Good ratings) at a constant query count; the rule that
suggests candidates; the Procurement Unit designates them with a reason and a relationship plan and
confirms them in the six-monthly review round; OCOs and SROs are refused."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from contracts import services
from contracts.models import Contract, Escalation, KeySupplier, Quadrant
from contracts.selectors.key_suppliers import key_supplier_candidates, suggestion_reasons, with_key_supplier_figures
from notifications.models import Notification
from performance.models import KpiResult
from performance.ratings import Rating
from suppliers.models import CompanyRecord, Supplier
from tests import factories
from tests.performance_factories import KpiFactory

NOW = "2027-01-05 09:00 +00:00"
pytestmark = pytest.mark.usefixtures("_clock")


@pytest.fixture
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def result(kpi, month: int, rating: str, override: str = "", year: int = 2026) -> KpiResult:
    start = dt.date(year, month, 1)
    return KpiResult.objects.create(
        kpi=kpi,
        period_start=start,
        period_end=start + dt.timedelta(days=27),
        actual=Decimal("90"),
        rating=rating,
        rating_override=override,
        override_reason="Measured on the wrong calls" if override else "",
        recorded_by=factories.UserFactory(username="recorder"),
    )


def escalation(contract, *, severity=Escalation.Severity.MEDIUM, status=Escalation.Status.OPEN) -> Escalation:
    return Escalation.objects.create(
        contract=contract, source=Escalation.Source.FINANCIAL, severity=severity, status=status, title="Late payment"
    )


@pytest.fixture
def fleet(alice):
    """A supplier with a strategic and a leverage contract, an ended one, escalations, KPI results and a
    Companies House record."""
    supplier = factories.SupplierFactory(name="Fleetway Vehicle Services Ltd")
    strategic = factories.ContractFactory(
        supplier=supplier, oco=alice, kraljic_quadrant=Quadrant.STRATEGIC, total_value=Decimal("2000000")
    )
    leverage = factories.ContractFactory(
        supplier=supplier, kraljic_quadrant=Quadrant.LEVERAGE, total_value=Decimal("500000")
    )
    ended = factories.ContractFactory(supplier=supplier, status=Contract.Status.EXPIRED, total_value=Decimal("9000000"))
    escalation(strategic)
    escalation(leverage, status=Escalation.Status.IN_PROGRESS)
    escalation(leverage, status=Escalation.Status.RESOLVED)
    kpi = KpiFactory(contract=strategic)
    result(kpi, 9, Rating.GOOD)
    result(kpi, 10, Rating.GOOD)
    result(kpi, 11, Rating.APPROACHING, override=Rating.GOOD)  # the override counts
    result(kpi, 12, Rating.INADEQUATE)
    result(KpiFactory(contract=ended), 12, Rating.INADEQUATE)  # an ended contract's does not
    result(kpi, 11, Rating.INADEQUATE, year=2025)  # more than a year ago: does not count
    CompanyRecord.objects.create(
        supplier=supplier,
        company_number=supplier.companies_house_number,
        company_status="active",
        accounts_overdue=True,
        source="api",
        as_of=dt.date(2027, 1, 5),
        checked_at=timezone.now(),
        concerns=["accounts_overdue"],
    )
    return supplier


def overview(client, **params):
    return client.get(reverse("dashboard:suppliers"), params)


def test_the_overview_shows_each_suppliers_figures(client, priya, fleet):
    client.force_login(priya)
    assert reverse("dashboard:suppliers") in client.get(reverse("suppliers:list")).content.decode()
    response = overview(client)
    row = next(s for s in response.context["suppliers"] if s.pk == fleet.pk)
    assert row.active_value == Decimal("2500000.00")
    assert row.active_contracts == 2
    assert row.highest_quadrant == Quadrant.STRATEGIC
    assert row.open_escalations == 2
    assert (row.results_good, row.results_rated) == (3, 4)
    page = response.content.decode()
    assert "75% Good" in page and "(3 of 4 results)" in page
    assert "active, filing overdue" in page
    assert "Suggested: an active strategic contract" in page


def test_the_overview_costs_the_same_queries_for_one_supplier_and_many(client, priya, django_assert_max_num_queries):
    client.force_login(priya)
    factories.ContractFactory(kraljic_quadrant=Quadrant.BOTTLENECK)
    with django_assert_max_num_queries(10) as one:
        assert len(overview(client).context["suppliers"]) == 1
    for n in range(24):
        supplier = factories.SupplierFactory()
        contract = factories.ContractFactory(supplier=supplier, kraljic_quadrant=Quadrant.STRATEGIC)
        escalation(contract)
        result(KpiFactory(contract=contract), 10, Rating.GOOD)
        if n % 3 == 0:
            services.key_supplier_save(
                key_supplier=KeySupplier(supplier=supplier, reason="Strategic", lead=priya), by=priya
            )
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(overview(client).context["suppliers"]) == 25


def test_the_rule_suggests_strategic_top_value_and_high_risk_suppliers(settings, fleet):
    settings.KEY_SUPPLIER_TOP_N = 2
    big = factories.ContractFactory(total_value=Decimal("9000000")).supplier
    bottleneck = factories.ContractFactory(kraljic_quadrant=Quadrant.BOTTLENECK, total_value=Decimal("10")).supplier
    critical = factories.ContractFactory(total_value=Decimal("10"))
    escalation(critical, severity=Escalation.Severity.CRITICAL)
    plain = factories.ContractFactory(total_value=Decimal("10")).supplier
    rows = {s.pk: s for s in with_key_supplier_figures(Supplier.objects.all())}
    assert suggestion_reasons(rows[fleet.pk]) == [
        "an active strategic contract",
        "among the top 2 by active contract value",
        "high risk",  # accounts overdue at Companies House
    ]
    assert suggestion_reasons(rows[big.pk]) == ["among the top 2 by active contract value"]
    assert suggestion_reasons(rows[bottleneck.pk]) == ["high risk"]
    assert suggestion_reasons(rows[critical.supplier.pk]) == ["high risk"]
    assert suggestion_reasons(rows[plain.pk]) == []
    assert {s.pk for s in key_supplier_candidates()} == {fleet.pk, big.pk, bottleneck.pk, critical.supplier.pk}


def test_procurement_designates_a_key_supplier_with_a_reason_and_a_relationship_plan(client, priya, sam, fleet):
    client.force_login(priya)
    url = reverse("contracts:key_supplier", args=[fleet.pk])
    page = client.get(url).content.decode()
    assert "The rule suggests it: an active strategic contract" in page

    refused = client.post(url, {"meeting_frequency": "quarterly"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["reason"] == ["This field is required."]
    assert not KeySupplier.objects.exists()

    response = client.post(
        url,
        {
            "reason": "Runs the whole response fleet; a strategic contract worth £2m.",
            "lead": sam.pk,
            "objectives": "Fleet availability above 95%\nJoint plan for electric vehicles",
            "meeting_frequency": "quarterly",
            "next_meeting_on": "2027-02-10",
        },
    )
    assert response.status_code == 302
    key = KeySupplier.objects.get(supplier=fleet)
    assert (key.designated_by, key.designated_on, key.lead) == (priya, dt.date(2027, 1, 5), sam)
    assert Notification.objects.filter(recipient=sam, title__contains="You lead the relationship").count() == 1

    supplier_page = client.get(reverse("suppliers:detail", args=[fleet.pk])).content.decode()
    assert "Relationship plan" in supplier_page and "Joint plan for electric vehicles" in supplier_page
    assert "Quarterly; next 10 Feb 2027" in supplier_page
    listed = client.get(reverse("suppliers:list"), {"key": "on"}).context["object_list"]
    assert [s.pk for s in listed] == [fleet.pk]
    assert [s.pk for s in overview(client, show="key").context["suppliers"]] == [fleet.pk]

    # Saving the plan again with the same lead tells nobody again.
    client.post(url, {"reason": key.reason, "lead": sam.pk, "meeting_frequency": "monthly"})
    assert Notification.objects.filter(recipient=sam, title__contains="You lead the relationship").count() == 1
    assert KeySupplier.objects.get().meeting_frequency == "monthly"


def test_key_suppliers_are_confirmed_or_removed_in_the_review_round(client, priya, fleet, contract):
    review_round, _ = services.review_round_open(today=dt.date(2027, 1, 5))
    other = contract.supplier
    for supplier in (fleet, other):
        services.key_supplier_save(key_supplier=KeySupplier(supplier=supplier, reason="Strategic"), by=priya)
    client.force_login(priya)
    page = client.get(review_round.get_absolute_url()).content.decode()
    assert "<strong>0 of 2</strong> key suppliers confirmed in this round" in page

    client.post(reverse("contracts:key_supplier_review", args=[fleet.pk]), {"round": review_round.pk})
    key = KeySupplier.objects.get(supplier=fleet)
    assert (key.review_round, key.reviewed_on) == (review_round, dt.date(2027, 1, 5))
    client.post(reverse("contracts:key_supplier_remove", args=[other.pk]), {"round": review_round.pk})
    assert list(KeySupplier.objects.values_list("supplier", flat=True)) == [fleet.pk]
    assert KeySupplier.history.filter(supplier_id=other.pk, history_type="-").exists()  # kept in the history

    page = client.get(review_round.get_absolute_url()).content.decode()
    assert "<strong>1 of 1</strong> key supplier confirmed in this round" in page
    # Confirmed only in an open round.
    refused = client.post(reverse("contracts:key_supplier_review", args=[fleet.pk]), {"round": 0})
    assert refused.url == reverse("contracts:review_rounds")


@pytest.mark.parametrize("persona", ["alice", "sam"])
def test_ocos_and_sros_are_refused(client, request, persona, priya, fleet):
    services.key_supplier_save(key_supplier=KeySupplier(supplier=fleet, reason="Strategic"), by=priya)
    client.force_login(request.getfixturevalue(persona))
    assert overview(client).status_code == 403
    url = reverse("contracts:key_supplier", args=[fleet.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "Mine", "meeting_frequency": "monthly"}).status_code == 403
    assert client.post(reverse("contracts:key_supplier_remove", args=[fleet.pk])).status_code == 403
    assert client.post(reverse("contracts:key_supplier_review", args=[fleet.pk]), {"round": 1}).status_code == 403
    assert KeySupplier.objects.get().reason == "Strategic"
    assert "Supplier overview and key suppliers" not in client.get(reverse("suppliers:list")).content.decode()
    # The supplier page shows the plan to whoever may see the supplier, without the link to change it.
    if persona == "alice":
        page = client.get(reverse("suppliers:detail", args=[fleet.pk])).content.decode()
        assert "Relationship plan" in page and "Change the plan" not in page
