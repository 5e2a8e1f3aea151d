"""The read-only API: token authentication, the pages' visibility rules, filters, pagination,
query budgets, and Schemathesis against the generated OpenAPI schema."""

import datetime as dt
from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings

from config.wsgi import application
from contracts.models import Contract, Escalation, Quadrant
from exchange.services.tokens import api_token_create
from performance.models import KpiResult
from performance.ratings import Rating
from tests import factories
from tests.examples import examples
from tests.meeting_factories import MeetingFactory
from tests.performance_factories import KpiFactory

LIST_URLS = [
    "/api/contracts/",
    "/api/suppliers/",
    "/api/kpis/",
    "/api/kpi-results/",
    "/api/meetings/",
    "/api/escalations/",
]


def auth(user) -> dict:
    _, key = api_token_create(user=user, name="Tests", expires_at=timezone.now() + dt.timedelta(days=30))
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def result(kpi, period_start: dt.date, *, actual="96", rating=Rating.GOOD, by, **fields) -> KpiResult:
    period_end = (period_start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return KpiResult.objects.create(
        kpi=kpi,
        period_start=period_start,
        period_end=period_end,
        actual=Decimal(actual),
        rating=rating,
        recorded_by=by,
        **fields,
    )


def escalation(contract, **fields) -> Escalation:
    return Escalation.objects.create(
        contract=contract,
        source=fields.pop("source", Escalation.Source.DISPUTE),
        severity=fields.pop("severity", Escalation.Severity.MEDIUM),
        title=fields.pop("title", "Dispute over service credits"),
        **fields,
    )


@pytest.fixture
def portfolio(alice, bob, contract, other_contract):
    """Alice's contract and Bob's, each with a KPI, results, a meeting and an escalation."""
    for owned, owner in ((contract, alice), (other_contract, bob)):
        kpi = KpiFactory(contract=owned)
        result(kpi, dt.date(2026, 1, 1), by=owner)
        result(kpi, dt.date(2026, 2, 1), actual="70", rating=Rating.INADEQUATE, by=owner)
        result(
            kpi,
            dt.date(2026, 3, 1),
            actual="85",
            rating=Rating.REQUIRES_IMPROVEMENT,
            rating_override=Rating.APPROACHING,
            override_reason="Two failures were the force's own",
            by=owner,
        )
        MeetingFactory(contract=owned, created_by=owner)
        escalation(owned, raised_by=owner)
    return {"mine": contract, "theirs": other_contract}


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


# --- Authentication ---------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/", *LIST_URLS, "/api/schema/"])
def test_no_token_is_refused_with_401(client, db, url):
    response = client.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_wrong_token_is_refused(client, db):
    response = client.get("/api/contracts/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 401


def test_a_deactivated_users_token_is_refused(client, alice):
    headers = auth(alice)
    alice.is_active = False
    alice.save()
    assert client.get("/api/contracts/", **headers).status_code == 401


def test_the_root_lists_the_endpoints(client, priya):
    response = client.get("/api/", **auth(priya))
    assert response.status_code == 200
    assert set(response.json()) == {"contracts", "suppliers", "kpis", "kpi-results", "meetings", "escalations"}


def test_the_schema_is_served_to_an_authenticated_user(client, alice):
    response = client.get("/api/schema/?format=json", **auth(alice))
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/contracts/", "/api/contracts/{id}/", "/api/kpi-results/", "/api/escalations/{id}/"} <= set(paths)
    # Read only: no operation other than GET is described.
    assert {method for operations in paths.values() for method in operations} == {"get"}


# --- Visibility -------------------------------------------------------------------------


def test_an_oco_sees_only_their_contracts(client, alice, portfolio):
    mine, theirs = portfolio["mine"], portfolio["theirs"]
    headers = auth(alice)
    response = client.get("/api/contracts/", **headers)
    assert response.status_code == 200
    assert ids(response) == {mine.pk}
    assert client.get(f"/api/contracts/{mine.pk}/", **headers).status_code == 200
    assert client.get(f"/api/contracts/{theirs.pk}/", **headers).status_code == 404
    assert client.get("/api/contracts/999999999/", **headers).status_code == 404


def test_an_sro_sees_the_contracts_they_are_named_on(client, sam, portfolio):
    assert ids(client.get("/api/contracts/", **auth(sam))) == {portfolio["mine"].pk}


def test_the_procurement_unit_sees_the_whole_register(client, priya, portfolio):
    headers = auth(priya)
    assert ids(client.get("/api/contracts/", **headers)) == {portfolio["mine"].pk, portfolio["theirs"].pk}
    assert client.get("/api/kpi-results/", **headers).json()["count"] == 6
    for url in ["/api/kpis/", "/api/meetings/", "/api/escalations/", "/api/suppliers/"]:
        assert client.get(url, **headers).json()["count"] == 2, url


@pytest.mark.parametrize("url", ["/api/kpis/", "/api/kpi-results/", "/api/meetings/", "/api/escalations/"])
def test_kpis_results_meetings_and_escalations_follow_the_contract(client, alice, portfolio, url):
    mine, theirs = portfolio["mine"], portfolio["theirs"]
    headers = auth(alice)
    rows = client.get(url, **headers).json()["results"]
    assert rows
    assert {row["contract"] for row in rows} == {mine.pk}
    # Bob's objects answer 404 to Alice, her own 200.
    model = {
        "/api/kpis/": mine.kpis,
        "/api/kpi-results/": KpiResult.objects.filter(kpi__contract=mine),
        "/api/meetings/": mine.meetings,
        "/api/escalations/": mine.escalations,
    }[url]
    theirs_model = {
        "/api/kpis/": theirs.kpis,
        "/api/kpi-results/": KpiResult.objects.filter(kpi__contract=theirs),
        "/api/meetings/": theirs.meetings,
        "/api/escalations/": theirs.escalations,
    }[url]
    assert client.get(f"{url}{model.first().pk}/", **headers).status_code == 200
    assert client.get(f"{url}{theirs_model.first().pk}/", **headers).status_code == 404


def test_an_oco_sees_the_suppliers_of_their_contracts_only(client, alice, portfolio):
    headers = auth(alice)
    assert ids(client.get("/api/suppliers/", **headers)) == {portfolio["mine"].supplier_id}
    assert client.get(f"/api/suppliers/{portfolio['theirs'].supplier_id}/", **headers).status_code == 404


def test_filtering_by_someone_elses_contract_reveals_nothing(client, alice, portfolio):
    response = client.get(f"/api/kpis/?contract={portfolio['theirs'].pk}", **auth(alice))
    # The choice is validated against the user's own contracts: refused, as for one that does not exist.
    assert response.status_code == 400
    assert response.json() == client.get("/api/kpis/?contract=999999999", **auth(alice)).json()


# --- Representation ---------------------------------------------------------------------


def test_money_is_a_decimal_string_and_dates_are_iso(client, alice, portfolio):
    row = client.get(f"/api/contracts/{portfolio['mine'].pk}/", **auth(alice)).json()
    assert row["total_value"] == "300000.00"
    assert row["annual_value"] == "100000.00"
    assert row["end_date"] == "2028-03-31"
    assert row["notice_date"] == "2028-01-01"
    assert row["reference"] == "CON-ALICE"
    assert row["oco_name"] == "Alice Adams"
    assert row["sro_name"] == "Sam Singh"


def test_a_result_gives_its_rating_override_and_effective_rating(client, alice, portfolio):
    rows = client.get("/api/kpi-results/?period_after=2026-03-01", **auth(alice)).json()["results"]
    assert len(rows) == 1
    assert rows[0]["rating"] == Rating.REQUIRES_IMPROVEMENT
    assert rows[0]["rating_override"] == Rating.APPROACHING
    assert rows[0]["effective_rating"] == Rating.APPROACHING
    assert rows[0]["actual"] == "85.00"
    assert rows[0]["period_start"] == "2026-03-01"
    assert rows[0]["period_end"] == "2026-03-31"


# --- Filtering --------------------------------------------------------------------------


def test_contracts_filter_by_status_quadrant_and_end_date(client, priya, portfolio):
    mine, theirs = portfolio["mine"], portfolio["theirs"]
    Contract.objects.filter(pk=mine.pk).update(kraljic_quadrant=Quadrant.STRATEGIC)
    Contract.objects.filter(pk=theirs.pk).update(status=Contract.Status.EXPIRED, end_date=dt.date(2026, 3, 31))
    headers = auth(priya)

    def found(query: str) -> set[int]:
        response = client.get(f"/api/contracts/?{query}", **headers)
        assert response.status_code == 200, response.json()
        return ids(response)

    assert found("status=active") == {mine.pk}
    assert found("status=expired") == {theirs.pk}
    assert found("kraljic_quadrant=strategic") == {mine.pk}
    assert found("kraljic_quadrant=leverage") == set()
    assert found("end_date_before=2026-12-31") == {theirs.pk}
    assert found("end_date_after=2026-04-01") == {mine.pk}
    assert found(f"supplier={mine.supplier_id}") == {mine.pk}
    assert found(f"oco={theirs.oco_id}") == {theirs.pk}
    assert client.get("/api/contracts/?status=nonsense", **headers).status_code == 400


def test_results_filter_by_period_range_rating_and_contract(client, priya, portfolio):
    mine = portfolio["mine"]
    headers = auth(priya)

    def periods(query: str) -> list[str]:
        response = client.get(f"/api/kpi-results/?{query}", **headers)
        assert response.status_code == 200, response.json()
        return sorted(row["period_start"] for row in response.json()["results"])

    assert periods("period_after=2026-02-01&period_before=2026-02-28") == ["2026-02-01", "2026-02-01"]
    assert periods(f"contract={mine.pk}&period_before=2026-02-01") == ["2026-01-01", "2026-02-01"]
    assert periods(f"contract={mine.pk}&rating=inadequate") == ["2026-02-01"]
    # The effective rating: the override counts, the rating it replaced does not.
    assert periods(f"contract={mine.pk}&rating=approaching") == ["2026-03-01"]
    assert periods(f"contract={mine.pk}&rating=requires_improvement") == []


def test_meetings_and_escalations_filter(client, priya, portfolio):
    mine = portfolio["mine"]
    Escalation.objects.filter(contract=mine).update(status=Escalation.Status.RESOLVED)
    headers = auth(priya)
    assert client.get("/api/escalations/?status=open", **headers).json()["count"] == 1
    assert client.get(f"/api/escalations/?status=resolved&contract={mine.pk}", **headers).json()["count"] == 1
    assert client.get("/api/escalations/?severity=critical", **headers).json()["count"] == 0
    assert client.get("/api/escalations/?source=dispute", **headers).json()["count"] == 2
    assert client.get(f"/api/meetings/?contract={mine.pk}&status=planned", **headers).json()["count"] == 1
    assert client.get("/api/meetings/?kind=virtual", **headers).json()["count"] == 0


# --- Pagination and methods -------------------------------------------------------------


def test_lists_are_paginated(client, priya):
    factories.ContractFactory.create_batch(5)
    headers = auth(priya)
    page = client.get("/api/contracts/?page_size=2", **headers).json()
    assert page["count"] == 5
    assert len(page["results"]) == 2
    assert page["next"].endswith("/api/contracts/?page=2&page_size=2")
    assert page["previous"] is None
    last = client.get("/api/contracts/?page=3&page_size=2", **headers).json()
    assert len(last["results"]) == 1
    assert last["next"] is None
    assert client.get("/api/contracts/?page=9", **headers).status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/contracts/", "/api/contracts/{pk}/", "/api/escalations/{pk}/"])
def test_writes_are_refused(client, priya, portfolio, method, path):
    contract = portfolio["mine"]
    url = path.format(pk=contract.pk if "contracts" in path else contract.escalations.get().pk)
    response = getattr(client, method)(url, data={"title": "Changed"}, content_type="application/json", **auth(priya))
    assert response.status_code == 405
    contract.refresh_from_db()
    assert contract.title == "Body-worn video"
    assert contract.escalations.exists()


# --- Query budgets ----------------------------------------------------------------------


@pytest.mark.parametrize("url", LIST_URLS)
def test_list_query_count_does_not_grow_with_rows(client, priya, django_assert_max_num_queries, url):
    headers = auth(priya)
    alice = factories.oco(username="alice")

    def seed(count: int):
        for _ in range(count):
            contract = factories.ContractFactory(oco=alice, sro=priya)
            kpi = KpiFactory(contract=contract)
            result(kpi, dt.date(2026, 1, 1), by=alice)
            MeetingFactory(contract=contract, created_by=alice)
            escalation(contract, owner=priya)

    seed(1)
    with django_assert_max_num_queries(6) as one:
        assert client.get(url, **headers).status_code == 200
    seed(29)
    with django_assert_max_num_queries(len(one)):
        response = client.get(url, **headers)
    assert response.json()["count"] == 30


def test_an_ocos_contract_list_query_count_does_not_grow(client, alice, django_assert_max_num_queries):
    headers = auth(alice)
    factories.ContractFactory(oco=alice)
    with django_assert_max_num_queries(6) as one:
        client.get("/api/contracts/", **headers)
    factories.ContractFactory.create_batch(29, oco=alice)
    with django_assert_max_num_queries(len(one)):
        assert client.get("/api/contracts/", **headers).json()["count"] == 30


# --- Schemathesis -----------------------------------------------------------------------


@pytest.fixture
def wsgi_shares_test_transaction():
    """Schemathesis calls the WSGI application directly; like Django's test client, keep the
    end of each request from closing the connection that holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi_shares_test_transaction, priya, portfolio):
    factories.ContractFactory.create_batch(3, status=Contract.Status.DRAFT, kraljic_quadrant=Quadrant.LEVERAGE)
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", application, headers={"Authorization": auth(priya)["HTTP_AUTHORIZATION"]}
    )
    return schema


# Schemathesis' own pytest integration (`from_fixture(...).parametrize()`) reads `Node._nodeid`,
# which pytest 9 no longer has; its Hypothesis strategies are driven directly here instead.
def test_no_endpoint_answers_a_server_error(api_schema, priya):
    headers = {"Authorization": auth(priya)["HTTP_AUTHORIZATION"]}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 12  # a list and a detail for each of the six resources
    called = []

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=examples(15), deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def no_server_error(case):
            response = case.call(headers=headers)
            called.append((case.method, case.path, response.status_code))
            case.validate_response(response, checks=[schemathesis.checks.not_a_server_error])

        no_server_error()

    assert {path for _, path, _ in called} == {operation.path for operation in operations}
    assert all(status < 500 for _, _, status in called)


def test_real_objects_match_the_schema(api_schema, priya, portfolio):
    """Generated ids rarely hit a row: ask for real ones and check the bodies against the schema."""
    headers = {"Authorization": auth(priya)["HTTP_AUTHORIZATION"]}
    mine = portfolio["mine"]
    real_ids = {
        "/api/contracts/{id}/": mine.pk,
        "/api/suppliers/{id}/": mine.supplier_id,
        "/api/kpis/{id}/": mine.kpis.get().pk,
        "/api/kpi-results/{id}/": KpiResult.objects.filter(kpi__contract=mine).first().pk,
        "/api/meetings/{id}/": mine.meetings.get().pk,
        "/api/escalations/{id}/": mine.escalations.get().pk,
    }
    checks = [
        schemathesis.checks.not_a_server_error,
        schemathesis.checks.status_code_conformance,
        schemathesis.checks.content_type_conformance,
        schemathesis.checks.response_schema_conformance,
    ]
    for result in api_schema.get_all_operations():
        operation = result.ok()
        if operation.path in real_ids:
            case = operation.Case(path_parameters={"id": real_ids[operation.path]})
        else:
            case = operation.Case(query={"page_size": 2})
        response = case.call(headers=headers)
        assert response.status_code == 200, operation.path
        case.validate_response(response, checks=checks)


def test_a_meeting_says_when_it_was_due_and_whether_it_was_late(client, priya, portfolio):
    meeting = portfolio["mine"].meetings.get()
    meeting.due_on = meeting.local_date - dt.timedelta(days=1)
    meeting.save()
    row = client.get(f"/api/meetings/{meeting.pk}/", **auth(priya)).json()
    assert (row["due_on"], row["lateness"]) == (meeting.due_on.isoformat(), "late")
