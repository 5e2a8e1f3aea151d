"""KPI ratings, reporting periods, results, persistent poor performance and reminders."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from contracts.models import Escalation
from notifications.models import Kind, Notification
from performance import services
from performance.models import KpiResult, PoorPerformanceRun
from performance.periods import Frequency, Period, period_containing, periods_between
from performance.ratings import Direction, Rating, rate
from tests import factories
from tests.concurrency import at_once
from tests.performance_factories import KpiFactory

D = Decimal

# --- Ratings ----------------------------------------------------------------------------

HIGHER = {"target": D("95"), "direction": Direction.HIGHER, "tolerance": D("5"), "inadequate_threshold": D("80")}
LOWER = {"target": D("4"), "direction": Direction.LOWER, "tolerance": D("2"), "inadequate_threshold": D("8")}


@pytest.mark.parametrize(
    ("rules", "actual", "rating"),
    [
        (HIGHER, "100", Rating.GOOD),
        (HIGHER, "95", Rating.GOOD),  # the target itself is met
        (HIGHER, "94.99", Rating.APPROACHING),
        (HIGHER, "90", Rating.APPROACHING),  # the edge of the tolerance
        (HIGHER, "89.99", Rating.REQUIRES_IMPROVEMENT),
        (HIGHER, "80", Rating.REQUIRES_IMPROVEMENT),  # the threshold itself is not yet Inadequate
        (HIGHER, "79.99", Rating.INADEQUATE),
        (HIGHER, "0", Rating.INADEQUATE),
        (LOWER, "0", Rating.GOOD),
        (LOWER, "4", Rating.GOOD),
        (LOWER, "4.01", Rating.APPROACHING),
        (LOWER, "6", Rating.APPROACHING),
        (LOWER, "6.01", Rating.REQUIRES_IMPROVEMENT),
        (LOWER, "8", Rating.REQUIRES_IMPROVEMENT),
        (LOWER, "8.01", Rating.INADEQUATE),
        # No tolerance: anything short of the target requires improvement.
        ({**HIGHER, "tolerance": D("0")}, "94.99", Rating.REQUIRES_IMPROVEMENT),
        # Yes/no: 1 meets the target, 0 is inadequate.
        (
            {"target": D("1"), "direction": Direction.HIGHER, "tolerance": D("0"), "inadequate_threshold": D("1")},
            "1",
            Rating.GOOD,
        ),
        (
            {"target": D("1"), "direction": Direction.HIGHER, "tolerance": D("0"), "inadequate_threshold": D("1")},
            "0",
            Rating.INADEQUATE,
        ),
    ],
)
def test_rating_rules(rules, actual, rating):
    assert rate(actual=D(actual), **rules) == rating


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"target": D("140")}, "target"),
        ({"inadequate_threshold": D("92")}, "inadequate_threshold"),  # above target minus tolerance
        ({"direction": Direction.LOWER}, "inadequate_threshold"),  # 80 is below 95 + 5
        ({"end_date": date(2025, 1, 1)}, "end_date"),
    ],
)
def test_kpi_definitions_that_cannot_rate_are_refused(db, overrides, field):
    kpi = KpiFactory.build(contract=factories.ContractFactory(), **overrides)
    with pytest.raises(ValidationError) as error:
        kpi.full_clean()
    assert field in error.value.message_dict


# --- Periods ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "start", "expected"),
    [
        (
            Frequency.MONTHLY,
            date(2026, 1, 15),
            [
                (date(2026, 1, 15), date(2026, 2, 14)),
                (date(2026, 2, 15), date(2026, 3, 14)),
                (date(2026, 3, 15), date(2026, 4, 14)),
            ],
        ),
        (
            Frequency.MONTHLY,
            date(2026, 1, 31),  # clamped at month ends without drifting
            [
                (date(2026, 1, 31), date(2026, 2, 27)),
                (date(2026, 2, 28), date(2026, 3, 30)),
                (date(2026, 3, 31), date(2026, 4, 29)),
            ],
        ),
        (
            Frequency.QUARTERLY,
            date(2026, 2, 10),
            [
                (date(2026, 2, 10), date(2026, 5, 9)),
                (date(2026, 5, 10), date(2026, 8, 9)),
                (date(2026, 8, 10), date(2026, 11, 9)),
            ],
        ),
        (
            Frequency.SIX_MONTHLY,
            date(2025, 8, 31),
            [
                (date(2025, 8, 31), date(2026, 2, 27)),
                (date(2026, 2, 28), date(2026, 8, 30)),
                (date(2026, 8, 31), date(2027, 2, 27)),
            ],
        ),
        (
            Frequency.ANNUAL,
            date(2024, 2, 29),  # a leap day
            [
                (date(2024, 2, 29), date(2025, 2, 27)),
                (date(2025, 2, 28), date(2026, 2, 27)),
                (date(2026, 2, 28), date(2027, 2, 27)),
            ],
        ),
    ],
)
def test_periods_follow_from_the_start_date_and_frequency(frequency, start, expected):
    periods = periods_between(start=start, frequency=frequency, until=expected[-1][0])
    assert [(p.start, p.end) for p in periods] == expected
    for period_start, period_end in expected:
        assert period_containing(start=start, frequency=frequency, day=period_end) == Period(period_start, period_end)
    assert period_containing(start=start, frequency=frequency, day=date(2000, 1, 1)) is None


@time_machine.travel("2026-04-20 12:00 +01:00", tick=False)
def test_a_kpis_periods_end_with_its_life(db):
    kpi = KpiFactory(start_date=date(2026, 1, 15), end_date=date(2026, 3, 1))
    assert [p.start for p in kpi.periods(until=date(2026, 4, 20))] == [date(2026, 1, 15), date(2026, 2, 15)]
    assert kpi.period_for(date(2026, 2, 15)) is not None
    assert kpi.period_for(date(2026, 3, 15)) is None  # after the KPI's life
    assert kpi.period_for(date(2026, 2, 16)) is None  # not a period start


# --- Recording results ----------------------------------------------------------------------


@pytest.fixture
def kpi(contract):
    return KpiFactory(contract=contract)


@time_machine.travel("2026-06-20 12:00 +01:00", tick=False)
def test_a_result_is_rated_and_a_correction_edits_the_one_row(kpi, alice):
    result = services.kpi_result_record(kpi=kpi, period_start=date(2026, 5, 1), actual=D("91"), by=alice)
    assert (result.period_end, result.rating) == (date(2026, 5, 31), Rating.APPROACHING)
    corrected = services.kpi_result_record(kpi=kpi, period_start=date(2026, 5, 1), actual=D("96"), by=alice)
    assert corrected.pk == result.pk and corrected.rating == Rating.GOOD
    assert KpiResult.objects.count() == 1
    assert [h.actual for h in corrected.history.order_by("history_id")] == [D("91"), D("96")]


@time_machine.travel("2026-06-20 12:00 +01:00", tick=False)
@pytest.mark.parametrize(
    ("period_start", "actual", "field", "message"),
    [
        (date(2026, 5, 1), D("140"), "actual", "A percentage runs from 0 to 100."),
        (date(2026, 5, 2), D("90"), "period_start", "is not the start of a reporting period"),
        (date(2025, 12, 1), D("90"), "period_start", "is not the start of a reporting period"),  # before its life
        (date(2026, 7, 1), D("90"), "period_start", "has not started yet"),
    ],
)
def test_bad_results_are_refused_and_nothing_is_saved(kpi, alice, period_start, actual, field, message):
    with pytest.raises(ValidationError) as error:
        services.kpi_result_record(kpi=kpi, period_start=period_start, actual=actual, by=alice)
    assert message in " ".join(error.value.message_dict[field])
    assert not KpiResult.objects.exists()


def test_the_database_keeps_one_result_per_period(kpi, alice):
    from django.db import IntegrityError, transaction

    KpiResult.objects.create(
        kpi=kpi, period_start=date(2026, 1, 1), period_end=date(2026, 1, 31), actual=1, rating="good", recorded_by=alice
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        KpiResult.objects.create(
            kpi=kpi,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 1, 31),
            actual=2,
            rating="good",
            recorded_by=alice,
        )


@time_machine.travel("2026-06-20 12:00 +01:00", tick=False)
def test_an_override_needs_a_reason_and_is_kept_in_history(kpi, alice):
    result = services.kpi_result_record(
        kpi=kpi, period_start=date(2026, 5, 1), actual=D("85"), commentary="Short of staff", by=alice
    )
    with pytest.raises(ValidationError):
        services.kpi_result_override(result=result, rating=Rating.OTHER, reason="  ", by=alice)
    services.kpi_result_override(result=result, rating=Rating.OTHER, reason="System outage at the force", by=alice)
    result.refresh_from_db()
    assert (result.rating, result.effective_rating) == (Rating.REQUIRES_IMPROVEMENT, Rating.OTHER)
    assert result.history.latest().history_user == alice
    services.kpi_result_override(result=result, rating="", reason="", by=alice)
    result.refresh_from_db()
    assert result.effective_rating == Rating.REQUIRES_IMPROVEMENT and result.override_reason == ""


# --- Persistent poor performance ------------------------------------------------------------------

MONTHS = [date(2026, month, 1) for month in range(1, 7)]


def record(kpi, by, *actuals, first=0):
    for offset, actual in enumerate(actuals):
        services.kpi_result_record(
            kpi=kpi, period_start=MONTHS[first + offset], actual=D(actual), commentary="Explained", by=by
        )


@time_machine.travel("2026-07-20 12:00 +01:00", tick=False)
@pytest.mark.parametrize(
    ("actuals", "escalations"),
    [
        (["85", "85"], 0),  # two Requires improvement
        (["85", "85", "85"], 1),  # three Requires improvement
        (["70", "70"], 1),  # two Inadequate
        (["85", "70", "85"], 1),  # three poor, mixed
        (["85", "96", "85", "85"], 0),  # a Good result breaks the run
        (["70", "85", "70"], 1),
        (["85", "85", "85", "85", "70", "70"], 1),  # one run, escalated once however long it goes on
        (["70", "70", "96", "70", "70"], 2),  # two runs, two escalations
        (["91", "91", "91"], 0),  # Approaching target is not poor
    ],
)
def test_persistent_poor_performance_is_escalated_once_per_run(kpi, alice, priya, actuals, escalations):
    record(kpi, alice, *actuals)
    assert Escalation.objects.filter(source="persistent_poor_performance").count() == escalations
    assert PoorPerformanceRun.objects.count() == escalations
    if escalations:
        assert Notification.objects.filter(recipient=priya, kind=Kind.ESCALATION).count() == escalations
        assert Notification.objects.filter(recipient=alice, kind=Kind.ESCALATION).count() == escalations


@time_machine.travel("2026-07-20 12:00 +01:00", tick=False)
def test_a_missing_period_breaks_the_run(kpi, alice):
    record(kpi, alice, "85", "85")
    record(kpi, alice, "85", first=3)  # April has no result
    assert not Escalation.objects.exists()


@time_machine.travel("2026-07-20 12:00 +01:00", tick=False)
def test_an_override_to_poor_can_complete_a_run(kpi, alice):
    record(kpi, alice, "85", "85", "91")
    assert not Escalation.objects.exists()
    third = KpiResult.objects.get(period_start=MONTHS[2])
    services.kpi_result_override(result=third, rating=Rating.REQUIRES_IMPROVEMENT, reason="Data was late", by=alice)
    assert Escalation.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_results_saved_at_once_raise_one_escalation(alice, priya):
    """Two OCO sessions save the 2nd and 3rd poor results at the same moment against PostgreSQL:
    the run is seen by whichever commits second, and escalated exactly once."""
    with time_machine.travel("2026-07-20 12:00 +01:00", tick=False):
        kpi = KpiFactory(contract=factories.ContractFactory(oco=alice))
        record(kpi, alice, "70", first=0)
        at_once(lambda: record(kpi, alice, "85", first=1), lambda: record(kpi, alice, "85", first=2))
    assert KpiResult.objects.count() == 3
    assert Escalation.objects.filter(source="persistent_poor_performance").count() == 1
    assert PoorPerformanceRun.objects.get().first_period_start == MONTHS[0]


# --- Reminders ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "kinds"),
    [
        (date(2026, 2, 1), []),  # January's result is due by 14 Feb: more than 7 days away
        (date(2026, 2, 7), [Kind.KPI_RESULT_DUE]),  # within 7 days of being due
        (date(2026, 2, 14), [Kind.KPI_RESULT_DUE]),  # the day it is due
        (date(2026, 2, 15), [Kind.KPI_RESULT_OVERDUE]),  # overdue
    ],
)
def test_kpi_reminders_run_twice_send_once(
    kpi, alice, today, kinds, mailoutbox, django_capture_on_commit_callbacks, emails_each
):
    emails_each(alice)
    with (
        time_machine.travel(f"{today.isoformat()} 07:30 +00:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.kpi_reminders_send(today=today)
        services.kpi_reminders_send(today=today)
    assert list(Notification.objects.filter(recipient=alice).values_list("kind", flat=True)) == kinds
    assert len(mailoutbox) == len(kinds)


def test_a_recorded_result_is_not_reminded(kpi, alice):
    with time_machine.travel("2026-02-10 09:00 +00:00", tick=False):
        services.kpi_result_record(kpi=kpi, period_start=date(2026, 1, 1), actual=D("96"), by=alice)
        services.kpi_reminders_send(today=date(2026, 2, 10))
    assert not Notification.objects.exists()


def test_due_and_overdue_reminders_of_one_period_are_separate(kpi, alice):
    services.kpi_reminders_send(today=date(2026, 2, 10))
    services.kpi_reminders_send(today=date(2026, 2, 16))
    services.kpi_reminders_send(today=date(2026, 2, 17))
    assert list(Notification.objects.order_by("pk").values_list("kind", flat=True)) == [
        Kind.KPI_RESULT_DUE,
        Kind.KPI_RESULT_OVERDUE,
    ]
