"""Each contract's KPIs counted by their latest rating (KpiRatings), which the Procurement dashboard
reads, equal a plain count of its active KPIs whatever sequence of recording, overriding and deleting
results, switching KPIs off and on, and deleting them came before."""

import contextlib
from datetime import date
from decimal import Decimal

import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from contracts.models import Contract
from dashboard import selectors
from performance import services
from performance.models import Kpi, KpiRatings, KpiResult
from performance.ratings import Rating
from performance.services.kpi_ratings import kpi_ratings_counted
from tests.examples import examples
from tests.factories import ContractFactory
from tests.performance.conftest import KpiFactory

MONTHS = [date(2026, month, 1) for month in range(6, 8)]  # two: writes often meet the latest result
ACTUALS = [Decimal("99"), Decimal("92"), Decimal("85"), Decimal("50")]  # good, approaching, requires, inadequate

record = st.tuples(st.just("record"), st.integers(0, 2), st.sampled_from(MONTHS), st.sampled_from(ACTUALS))
override = st.tuples(st.just("override"), st.integers(0, 2), st.sampled_from(MONTHS), st.sampled_from(["", *Rating]))
delete = st.tuples(st.just("delete"), st.integers(0, 2), st.sampled_from(MONTHS), st.none())
switch = st.tuples(st.just("switch"), st.integers(0, 2), st.none(), st.booleans())
remove = st.tuples(st.just("remove"), st.integers(0, 2), st.none(), st.none())
RECORDED = ("record", 0, MONTHS[1], ACTUALS[0])  # the first KPI's latest result, rated Good


def stored() -> dict:
    """Each contract's stored counts, without the rows that count nothing."""
    return {row.contract_id: row.counts for row in KpiRatings.objects.all() if any(row.counts.values())}


def apply(step, kpis, by) -> None:
    action, which, month, value = step
    kpi = Kpi.objects.filter(pk=kpis[which].pk).first()
    if kpi is None:  # deleted by an earlier step
        return
    # The month's result, else the KPI's latest: overrides and deletions meet a result more often.
    results = KpiResult.objects.filter(kpi=kpi)
    result = results.filter(period_start=month).first() or results.order_by("-period_start").first()
    if action == "record":
        with contextlib.suppress(ValidationError):
            services.kpi_result_record(kpi=kpi, period_start=month, actual=value, commentary="Why", by=by)
    elif result and action == "override":
        services.kpi_result_override(result=result, rating=value, reason="Agreed at the meeting", by=by)
    elif result and action == "delete":
        services.kpi_result_delete(result=result, by=by)
    elif action == "switch":
        kpi.is_active = value
        services.kpi_save(kpi=kpi, by=by)
    elif action == "remove":
        services.kpi_delete(kpi=kpi, by=by)


def _new_kpi(contract, by) -> Kpi:
    return services.kpi_save(kpi=KpiFactory.build(contract=contract), by=by)


@time_machine.travel(date(2026, 8, 10), tick=False)
def test_counts_equal_the_kpis_after_any_writes(alice, bob, contract):
    other = ContractFactory(reference="CON-BOB", oco=bob)
    kpis = [_new_kpi(contract, alice), _new_kpi(contract, alice), _new_kpi(other, alice)]
    assert (
        stored()
        == kpi_ratings_counted()
        == {
            contract.pk: {**dict.fromkeys(KpiRatings.FIELDS, 0), "unrated": 2},
            other.pk: {**dict.fromkeys(KpiRatings.FIELDS, 0), "unrated": 1},
        }
    )

    @settings(max_examples=examples(25), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps=st.lists(st.one_of(record, record, override, override, delete, switch, remove), max_size=12))
    # Each write that changes a KPI's latest rating, always tried (the random sequences may miss one).
    @example(steps=[RECORDED, ("override", 0, MONTHS[1], Rating.INADEQUATE), ("override", 0, MONTHS[1], "")])
    @example(steps=[RECORDED, ("delete", 0, MONTHS[1], None)])
    @example(steps=[RECORDED, ("switch", 0, None, False), ("switch", 0, None, True)])
    @example(steps=[RECORDED, ("remove", 0, None, None)])
    @example(steps=[("record", 2, MONTHS[0], ACTUALS[3]), ("record", 2, MONTHS[1], ACTUALS[0])])
    def check(steps):
        with transaction.atomic():
            for step in steps:
                apply(step, kpis, alice)
                assert stored() == kpi_ratings_counted(), step
            transaction.set_rollback(True)

    check()


@time_machine.travel(date(2026, 8, 10), tick=False)
def test_the_dashboard_counts_a_newly_poor_kpi_and_shows_its_contract_first(alice, contract):
    kpi = _new_kpi(contract, alice)
    assert selectors.performance(Contract.objects.all()).unrated_kpis == 1

    services.kpi_result_record(kpi=kpi, period_start=MONTHS[-1], actual=Decimal("50"), commentary="Why", by=alice)

    figures = selectors.performance(Contract.objects.all())
    assert figures.latest[Rating.INADEQUATE] == 1 and figures.unrated_kpis == 0
    assert figures.poor_contracts == 1
    assert [row["contract"] for row in figures.heatmap] == [contract]


@time_machine.travel(date(2026, 8, 10), tick=False)
def test_rebuild_counts_from_the_kpis(alice, contract):
    kpi = _new_kpi(contract, alice)
    services.kpi_result_record(kpi=kpi, period_start=MONTHS[0], actual=Decimal("85"), commentary="Why", by=alice)
    KpiRatings.objects.update(good=7)  # drifted, say after KPIs were changed with SQL

    call_command("kpi_ratings_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert (
        stored()
        == kpi_ratings_counted()
        == {contract.pk: {**dict.fromkeys(KpiRatings.FIELDS, 0), Rating.REQUIRES_IMPROVEMENT: 1}}
    )


def test_switching_off_and_deleting_kpis_in_the_admin_keeps_the_counts(admin_client, alice, contract):
    first, second = _new_kpi(contract, alice), _new_kpi(contract, alice)
    change = admin_client.get(f"/admin/performance/kpi/{first.pk}/change/")
    form = change.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.pop("is_active", None)  # unticked

    response = admin_client.post(f"/admin/performance/kpi/{first.pk}/change/", data)
    assert response.status_code == 302
    assert stored() == kpi_ratings_counted() == {contract.pk: {**dict.fromkeys(KpiRatings.FIELDS, 0), "unrated": 1}}

    response = admin_client.post(f"/admin/performance/kpi/{second.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert stored() == {} == kpi_ratings_counted()
