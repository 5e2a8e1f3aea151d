"""The monthly rating counts the dashboard's trend reads equal a plain count of the results, whatever
sequence of recording, correcting, overriding and deleting results came before."""

from datetime import date
from decimal import Decimal

import time_machine
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from performance import services
from performance.models import KpiResult, RatingMonth
from performance.ratings import Rating
from performance.services.rating_months import monthly_counts
from tests.examples import examples
from tests.factories import ContractFactory
from tests.performance.conftest import KpiFactory

MONTHS = [date(2026, month, 1) for month in range(1, 7)]
ACTUALS = [Decimal("99"), Decimal("92"), Decimal("85"), Decimal("50")]  # good, approaching, requires, inadequate

record = st.tuples(st.just("record"), st.integers(0, 2), st.sampled_from(MONTHS), st.sampled_from(ACTUALS))
override = st.tuples(st.just("override"), st.integers(0, 2), st.sampled_from(MONTHS), st.sampled_from(["", *Rating]))
delete = st.tuples(st.just("delete"), st.integers(0, 2), st.sampled_from(MONTHS), st.none())


def stored() -> dict:
    """Contract rows and the register's rows (contract None), without the zeros."""
    return {(row.contract_id, row.month, row.rating): row.results for row in RatingMonth.objects.exclude(results=0)}


def counted() -> dict:
    by_contract = {(row["kpi__contract"], row["month"], row["effective"]): row["n"] for row in monthly_counts()}
    register: dict = {}
    for (_, month, rating), n in by_contract.items():
        register[(None, month, rating)] = register.get((None, month, rating), 0) + n
    return by_contract | register


def apply(step, kpis, by) -> None:
    action, which, month, value = step
    kpi = kpis[which]
    result = KpiResult.objects.filter(kpi=kpi, period_start=month).first()
    if action == "record":
        services.kpi_result_record(kpi=kpi, period_start=month, actual=value, commentary="Why", by=by)
    elif result and action == "override":
        services.kpi_result_override(result=result, rating=value, reason="Agreed at the meeting", by=by)
    elif result and action == "delete":
        services.kpi_result_delete(result=result, by=by)


@time_machine.travel(date(2026, 8, 10), tick=False)
def test_counts_equal_the_results_after_any_writes(alice, bob, contract):
    other = ContractFactory(reference="CON-BOB", oco=bob)
    kpis = [KpiFactory(contract=contract), KpiFactory(contract=contract), KpiFactory(contract=other)]

    @settings(max_examples=examples(25), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps=st.lists(st.one_of(record, override, delete), max_size=12))
    def check(steps):
        with transaction.atomic():
            for step in steps:
                apply(step, kpis, alice)
            assert stored() == counted()
            transaction.set_rollback(True)

    check()


@time_machine.travel(date(2026, 8, 10), tick=False)
def test_rebuild_counts_from_the_results(alice, contract):
    kpi = KpiFactory(contract=contract)
    for month, actual in zip(MONTHS, ACTUALS, strict=False):
        services.kpi_result_record(kpi=kpi, period_start=month, actual=actual, commentary="Why", by=alice)
    RatingMonth.objects.update(results=7)  # drifted, say after a contract was deleted in the admin

    call_command("rating_months_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert stored() == counted()
    assert stored()[(None, MONTHS[0], Rating.GOOD)] == 1


def test_deleting_in_the_admin_keeps_the_counts(admin_client, alice, contract):
    kpi = KpiFactory(contract=contract)
    with time_machine.travel(date(2026, 8, 10), tick=False):
        result = services.kpi_result_record(kpi=kpi, period_start=MONTHS[0], actual=Decimal("99"), by=alice)
    assert stored() == {(contract.pk, MONTHS[0], Rating.GOOD): 1, (None, MONTHS[0], Rating.GOOD): 1}

    response = admin_client.post(f"/admin/performance/kpiresult/{result.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert stored() == {} == counted()
