"""Procurement Act notices in Find a Tender's form: UK9, UK10 and UK11 as OCDS releases, valid against the
OCDS 1.1.5 release schema extended by the metrics, performance failures and UK extensions; the force's
identity from the settings; each notice's page, its OCDS release and recording its publication."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from contracts import services
from contracts.models import ContractEnding, Variation
from exchange.models import NoticePublication
from exchange.selectors import notice_releases, notices
from exchange.selectors.notice_schema import extended_release_schema, notice_validation_errors
from exchange.selectors.ocds_export import contracts_for_export, release_package
from performance.models import ImprovementPlan, PerformanceNotice
from performance.ratings import Rating
from tests.exchange.test_notices import big_contract, result
from tests.performance_factories import KpiFactory

pytestmark = pytest.mark.django_db

# Queries of one notice page (the session and user, the notice and its parts), whatever its size.
QUERY_BUDGET = 20


@pytest.fixture(autouse=True)
def _the_force(settings):
    day = settings.PROCUREMENT_ACT_COMMENCEMENT
    settings.ACT_KPI_NOTICES_IN_FORCE = {"england": day, "wales": day}
    settings.OCDS_PREFIX = "ocds-ab12cd"
    settings.OCDS_BUYER_ID = "GB-PPON-PLJD-5438-MXHT"
    settings.OCDS_BUYER_NAME = "Chief Constable of Anyshire Police"
    settings.OCDS_PUBLISHER_NAME = "Anyshire Police"


@pytest.mark.parametrize(
    ("rating", "classification"),
    [
        (Rating.GOOD, "met"),
        (Rating.APPROACHING, "slightlyBelow"),
        (Rating.REQUIRES_IMPROVEMENT, "below"),
        (Rating.INADEQUATE, "significantlyBelow"),
        (Rating.OTHER, "other"),
    ],
)
def test_each_rating_is_its_measure_classification(rating, classification):
    assert notice_releases.RATING_CLASSIFICATION[rating] == classification


def test_every_rating_has_a_measure_classification():
    assert set(notice_releases.RATING_CLASSIFICATION) == set(Rating.values)


def test_the_schema_is_extended_in_the_readmes_order():
    definitions = extended_release_schema()["definitions"]
    assert "metrics" in definitions["Implementation"]["properties"]  # metrics
    assert "performanceFailures" in definitions["Implementation"]["properties"]  # performance failures
    # The UK extension adds to what the performance failures extension defined: it came after it.
    failure = definitions["PerformanceFailure"]["properties"]
    assert {"penaltyType", "events", "partialTermination"} <= set(failure)
    assert definitions["Observation"]["properties"]["measureClassification"] == {
        "title": "Measure classification",
        "description": definitions["Observation"]["properties"]["measureClassification"]["description"],
        "$ref": "#/definitions/Classification",
    }


# --- UK9 contract performance notice ----------------------------------------------------------------


def _year_one_notice(priya, *, with_failure: bool):
    contract = big_contract()
    kpis = {rating: KpiFactory(contract=contract, name=f"KPI {rating}", is_published=True) for rating in Rating.values}
    for rating, kpi in kpis.items():
        if rating != Rating.OTHER:  # no result at all: Other
            result(kpi, 3, rating, by=priya)
    if with_failure:
        ImprovementPlan.objects.create(
            contract=contract,
            kpi=kpis[Rating.INADEQUATE],
            must_improve="Answer 95% of calls within 20 seconds",
            improve_by=date(2025, 9, 30),
            review_on=date(2025, 10, 15),
            owner=priya,
            status=ImprovementPlan.Status.NOT_IMPROVED,
            created_by=priya,
        )
    [notice] = notices.performance_notices(type(contract).objects.all(), today=date(2026, 1, 10))
    return contract, notice


def test_a_performance_notice_is_valid_with_each_kpis_rating_and_the_failure_to_improve(priya):
    contract, notice = _year_one_notice(priya, with_failure=True)
    release = notice_releases.performance_notice_release(notice, on=date(2026, 1, 10))

    assert notice_validation_errors(release) == []
    assert release["ocid"] == "ocds-ab12cd-CON-BIG"
    assert release["tag"] == ["implementation"]
    [ocds_contract] = release["contracts"]
    assert ocds_contract["id"] == "AG-7781"  # the Agresso reference
    assert ocds_contract["documents"][0]["documentType"] == "implementationNotice"
    assert ocds_contract["documents"][0]["noticeType"] == "UK9"
    classifications = {
        metric["title"]: metric["observations"][0]["measureClassification"]["id"]
        for metric in ocds_contract["implementation"]["metrics"]
    }
    assert classifications == {
        "KPI good": "met",
        "KPI approaching": "slightlyBelow",
        "KPI requires_improvement": "below",
        "KPI inadequate": "significantlyBelow",
        "KPI other": "other",
    }
    [failure] = ocds_contract["implementation"]["performanceFailures"]
    assert failure["requirement"] == "KPI inadequate"
    assert "Answer 95% of calls within 20 seconds" in failure["description"]
    assert failure["suppliers"] == [{"id": "GB-COH-01234567", "name": "Blue Lamp Systems Limited"}]
    buyer = release["parties"][0]
    assert buyer["id"] == "GB-PPON-PLJD-5438-MXHT" and buyer["name"] == "Chief Constable of Anyshire Police"
    assert buyer["identifier"]["scheme"] == "GB-PPON"


def test_a_performance_notice_with_no_failure_leaves_the_array_out_and_uses_find_a_tenders_ocid(priya):
    contract, notice = _year_one_notice(priya, with_failure=False)
    contract = notice.contract
    contract.find_a_tender_ocid = "ocds-h6vhtk-04a1b2"
    contract.save()
    release = notice_releases.performance_notice_release(notice, on=date(2026, 1, 10))
    assert notice_validation_errors(release) == []
    assert release["ocid"] == "ocds-h6vhtk-04a1b2"
    assert "performanceFailures" not in release["contracts"][0]["implementation"]


def test_a_performance_notice_discloses_the_breaches_and_failures_to_improve_of_its_period(priya):
    from performance import services as performance_services
    from performance.models import Breach, CureOutcome, ImprovementNotice

    contract, notice = _year_one_notice(priya, with_failure=False)
    decided = notice.period_start + timedelta(days=40)
    breach = performance_services.breach_record(
        breach=Breach(contract=contract, identified_on=notice.period_start, requirement="Clause 4", description="Late"),
        by=priya,
    )
    breach.outcome, breach.outcome_on, breach.value = "settlement", decided, Decimal("18500")
    performance_services.breach_decide(breach=breach, by=priya)
    cure = performance_services.improvement_notice_issue(
        notice=ImprovementNotice(
            contract=contract,
            issued_on=notice.period_start,
            failure="Calls answered late",
            required_action="Back to 95%",
            cure_by=notice.period_start + timedelta(days=20),
        ),
        by=priya,
    )
    cure.outcome, cure.outcome_on = CureOutcome.NOT_CURED, decided
    performance_services.improvement_notice_decide(notice=cure, by=priya)

    release = notice_releases.performance_notice_release(notice, on=date(2026, 1, 10))
    assert notice_validation_errors(release) == []
    settled, failed = release["contracts"][0]["implementation"]["performanceFailures"]
    assert settled["id"] == f"breach-{breach.pk}" and settled["penaltyType"] == "negotiated"
    assert settled["penaltyValue"] == {"amount": 18500, "currency": "GBP"}
    assert settled["penaltyDate"].startswith(decided.isoformat()) and settled["requirement"] == "Clause 4"
    assert failed["id"] == f"failure-to-improve-{cure.pk}" and failed["decisionDate"].startswith(decided.isoformat())


def test_the_builder_takes_failures_from_elsewhere_and_the_schema_refuses_a_bad_penalty_type(priya):
    contract, notice = _year_one_notice(priya, with_failure=False)
    breach = notice_releases.PerformanceFailure(
        id="breach-1",
        category="Breach",
        description="Control room down for two days",
        penalty_type="negotiated",
        penalty_value=Decimal("25000"),
        partial_termination="Out-of-hours service",
    )
    release = notice_releases.performance_notice_release(notice, on=date(2026, 1, 10), failures=[breach])
    assert notice_validation_errors(release) == []
    [failure] = release["contracts"][0]["implementation"]["performanceFailures"]
    assert failure["penaltyValue"] == {"amount": 25000, "currency": "GBP"}
    release["contracts"][0]["implementation"]["performanceFailures"][0]["penaltyType"] = "fined"
    assert any("penaltyType" in error for error in notice_validation_errors(release))


# --- UK10 contract change notice and UK11 contract termination notice ---------------------------------


def _variation(contract, priya, *, number_of_earlier=1):
    # The contract's value now is its value on award with every variation below.
    contract.original_total_value = contract.total_value - Decimal("100000") * number_of_earlier - Decimal("900000")
    contract.save()
    for n in range(number_of_earlier):
        Variation.objects.create(
            contract=contract,
            number=n + 1,
            status=Variation.Status.AGREED,
            agreed_on=date(2025, 3, 1),
            description="Earlier change",
            reason="Earlier reason",
            value_change=Decimal("100000"),
            approved_by=priya,
            recorded_by=priya,
        )
    variation = Variation.objects.create(
        contract=contract,
        number=number_of_earlier + 1,
        agreed_on=date(2025, 6, 1),
        description="Two more custody suites",
        reason="The new custody suite at Northgate",
        value_change=Decimal("900000"),
        new_end_date=date(2029, 6, 30),
        change_notice_required=True,
        change_notice_reason="Over 10% of the contract's value",
        approved_by=priya,
        recorded_by=priya,
    )
    return variation


def test_a_change_notice_is_valid_with_the_value_and_end_date_after_the_variation(priya):
    contract = big_contract(end_date=date(2029, 6, 30), total_value=Decimal("7000000"))
    variation = _variation(contract, priya)
    release = notice_releases.change_notice_release(variation, on=date(2025, 6, 2))
    assert notice_validation_errors(release) == []
    assert release["tag"] == ["contractAmendment"]
    [amendment] = release["contracts"][0]["amendments"]
    assert amendment["id"] == "2" and amendment["rationale"] == "The new custody suite at Northgate"
    assert amendment["value"] == {"amount": 7000000, "currency": "GBP"}
    assert amendment["period"]["endDate"].startswith("2029-06-30")
    earlier = notice_releases.change_notice_release(variation.contract.variations.get(number=1), on=date(2025, 3, 2))
    assert earlier["contracts"][0]["amendments"][0]["value"] == {"amount": 6100000, "currency": "GBP"}


def test_a_termination_notice_is_valid_and_says_why(priya):
    contract = big_contract()
    ending = ContractEnding.objects.create(
        contract=contract,
        kind=ContractEnding.Kind.TERMINATED,
        ended_on=date(2026, 3, 31),
        reason="Persistent failure of the control room service",
        ended_early_for_breach=True,
        breach_details="Service down for two days",
        damages_or_settlement="£50,000 settlement",
        recorded_by=priya,
    )
    release = notice_releases.termination_notice_release(ending, on=date(2026, 4, 2))
    assert notice_validation_errors(release) == []
    ocds_contract = release["contracts"][0]
    assert release["tag"] == ["contractTermination"] and ocds_contract["status"] == "terminated"
    assert ocds_contract["documents"][0]["documentType"] == "contractTerminationNotice"
    assert ocds_contract["period"]["endDate"].startswith("2026-03-31")
    [why] = ocds_contract["terminationRationaleClassifications"]
    assert why["id"] == "breach" and "£50,000 settlement" in why["description"]


def test_the_register_export_uses_the_forces_identity(client, priya):
    contract = big_contract()
    package = release_package(contracts_for_export(type(contract).objects.all()), uri="https://example.test/")
    assert package["publisher"] == {"name": "Anyshire Police"}
    [release] = package["releases"]
    assert release["ocid"] == "ocds-ab12cd-CON-BIG"
    assert release["buyer"] == {"id": "GB-PPON-PLJD-5438-MXHT", "name": "Chief Constable of Anyshire Police"}


# --- The pages ------------------------------------------------------------------------------------


@time_machine.travel("2026-01-10 09:00 +00:00")
def test_the_performance_notice_page_gives_its_release_and_records_the_find_a_tender_identifier(client, priya, alice):
    contract, notice = _year_one_notice(priya, with_failure=True)
    url = reverse("exchange:notice", args=[contract.pk, "2025-01-01", "annual"])
    client.force_login(priya)
    page = client.get(url)
    assert page.status_code == 200
    assert "Before you publish" in page.content.decode() and "Requires improvement → <code>below</code>" in (
        page.content.decode()
    )
    release = client.get(url, {"format": "ocds"}).json()
    assert release["id"] == "AG-7781-UK9-2025-01-01" and notice_validation_errors(release) == []

    response = client.post(url, {"notice_id": "12345-2026", "published_on": "2026-01-09"})
    assert response.status_code == 200
    assert "six digits, a hyphen and the year" in response.context["form"].errors["notice_id"][0]
    assert not PerformanceNotice.objects.exists()

    response = client.post(url, {"notice_id": "012345-2026", "published_on": "2026-01-09"})
    assert response.status_code == 302
    publication = NoticePublication.objects.get()
    assert (publication.notice_type, publication.notice_id, publication.published_on) == (
        "UK9",
        "012345-2026",
        date(2026, 1, 9),
    )
    assert publication.performance_notice == PerformanceNotice.objects.get()
    assert "Waiting" in client.get(url).content.decode()

    client.force_login(alice)
    assert client.post(url, {"notice_id": "012346-2026", "published_on": "2026-01-09"}).status_code == 403


@time_machine.travel("2025-06-05 09:00 +00:00")
def test_the_change_notice_page_records_the_notice_and_refuses_an_identifier_already_used(client, priya):
    contract = big_contract(end_date=date(2029, 6, 30))
    variation = _variation(contract, priya, number_of_earlier=0)
    other = big_contract(reference="CON-OTHER", finance_reference="", supplier=contract.supplier)
    other_variation = _variation(other, priya, number_of_earlier=0)
    client.force_login(priya)
    url = reverse("exchange:change_notice", args=[variation.pk])
    assert client.get(url).status_code == 200
    assert client.get(url, {"format": "ocds"}).json()["tag"] == ["contractAmendment"]
    assert client.post(url, {"notice_id": "054321-2025", "published_on": "2025-06-04"}).status_code == 302
    variation.refresh_from_db()
    assert variation.change_notice_published_on == date(2025, 6, 4)
    assert variation.publication.notice_id == "054321-2025"
    assert contract.activities.filter(summary__contains="Contract change notice for variation 1").exists()
    assert variation not in notices.change_notices_due(type(contract).objects.all())

    response = client.post(
        reverse("exchange:change_notice", args=[other_variation.pk]),
        {"notice_id": "054321-2025", "published_on": "2025-06-04"},
    )
    assert "already recorded for another notice" in response.context["form"].errors["notice_id"][0]


@time_machine.travel("2026-04-02 09:00 +00:00")
def test_the_termination_notice_page(client, priya):
    contract = big_contract()
    ending = ContractEnding(
        contract=contract, kind=ContractEnding.Kind.EXPIRED, ended_on=date(2026, 3, 31), reason="Not renewed"
    )
    ending = services.contract_end(ending=ending, by=priya)
    client.force_login(priya)
    url = reverse("exchange:termination_notice", args=[ending.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Contract termination notice: CON-BIG" in page.content.decode()
    release = client.get(url, {"format": "ocds"}).json()
    assert notice_validation_errors(release) == [] and json.dumps(release)
    assert client.post(url, {"notice_id": "000777-2026", "published_on": "2026-04-01"}).status_code == 302
    ending.refresh_from_db()
    assert ending.notice_published_on == date(2026, 4, 1) and ending.publication.notice_type == "UK11"


@time_machine.travel("2026-01-10 09:00 +00:00")
@pytest.mark.parametrize("kpis", [1, 8])
def test_the_performance_notice_page_costs_the_same_whatever_the_number_of_kpis(
    client, priya, kpis, django_assert_max_num_queries
):
    contract = big_contract()
    for n in range(kpis):
        kpi = KpiFactory(contract=contract, name=f"KPI {n}", is_published=True)
        result(kpi, 3, Rating.GOOD, by=priya)
    url = reverse("exchange:notice", args=[contract.pk, "2025-01-01", "annual"])
    client.force_login(priya)
    client.get(url)  # the schema, read once per process
    with django_assert_max_num_queries(QUERY_BUDGET):
        assert client.get(url).status_code == 200


@time_machine.travel("2025-06-05 09:00 +00:00")
@pytest.mark.parametrize("earlier", [0, 8])
def test_the_change_notice_page_costs_the_same_whatever_the_number_of_variations(
    client, priya, earlier, django_assert_max_num_queries
):
    contract = big_contract(end_date=date(2029, 6, 30))
    variation = _variation(contract, priya, number_of_earlier=earlier)
    client.force_login(priya)
    with django_assert_max_num_queries(QUERY_BUDGET):
        assert client.get(reverse("exchange:change_notice", args=[variation.pk])).status_code == 200
