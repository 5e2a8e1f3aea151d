"""When the next face-to-face meeting is due and by when it must be arranged."""

import datetime as dt
from datetime import date

import pytest
import time_machine
from django.utils import timezone

from meetings.models import Meeting
from meetings.schedule import Cadence, State, add_months, meeting_schedule
from meetings.selectors import contract_meeting_schedule
from meetings.services import meeting_plan_set
from tests.meeting_factories import MeetingFactory

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # leap year
        (date(2026, 11, 25), -6, date(2026, 5, 25)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


# cadence, contract start, last held, next planned -> state, due, arrange-by
CASES = [
    # First meeting: one cadence after the contract started.
    (Cadence.QUARTERLY, date(2026, 10, 1), None, None, State.PASSED, date(2027, 1, 1), date(2026, 7, 1)),
    (Cadence.ANNUAL, date(2026, 10, 1), None, None, State.ARRANGE_BY, date(2027, 10, 1), date(2027, 4, 1)),
    (Cadence.SIX_MONTHLY, date(2026, 11, 25), None, None, State.ARRANGE_BY, date(2027, 5, 25), date(2026, 11, 25)),
    (Cadence.MONTHLY, date(2026, 11, 1), None, None, State.PASSED, date(2026, 12, 1), date(2026, 6, 1)),
    # After a held meeting: one cadence after it.
    (
        Cadence.ANNUAL,
        date(2020, 1, 1),
        date(2026, 6, 30),
        None,
        State.ARRANGE_BY,
        date(2027, 6, 30),
        date(2026, 12, 30),
    ),
    (
        Cadence.SIX_MONTHLY,
        date(2020, 1, 1),
        date(2026, 6, 30),
        None,
        State.PASSED,
        date(2026, 12, 30),
        date(2026, 6, 30),
    ),
    # The arrange-by date is today: still "arrange by", not passed.
    (
        Cadence.ANNUAL,
        date(2020, 1, 1),
        date(2026, 5, 25),
        None,
        State.ARRANGE_BY,
        date(2027, 5, 25),
        date(2026, 11, 25),
    ),
    # ... and the day after, passed.
    (Cadence.ANNUAL, date(2020, 1, 1), date(2026, 5, 24), None, State.PASSED, date(2027, 5, 24), date(2026, 11, 24)),
    # A meeting planned ahead: arranged.
    (
        Cadence.QUARTERLY,
        date(2020, 1, 1),
        date(2026, 6, 1),
        date(2027, 6, 1),
        State.ARRANGED,
        date(2027, 6, 1),
        date(2026, 12, 1),
    ),
    (Cadence.QUARTERLY, date(2020, 1, 1), None, TODAY, State.ARRANGED, TODAY, date(2026, 5, 25)),
    # No meetings required.
    (Cadence.NONE, date(2020, 1, 1), None, None, State.NOT_REQUIRED, None, None),
]


@pytest.mark.parametrize(("cadence", "start", "held", "planned", "state", "due", "arrange_by"), CASES)
def test_meeting_schedule(cadence, start, held, planned, state, due, arrange_by):
    schedule = meeting_schedule(cadence=cadence, today=TODAY, start_date=start, last_held=held, next_planned=planned)
    assert (schedule.state, schedule.due, schedule.arrange_by) == (state, due, arrange_by)


def at(day: date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@time_machine.travel("2026-11-25 09:00 +00:00", tick=False)
@pytest.mark.parametrize(
    ("status", "state"),
    [
        (Meeting.Status.PLANNED, State.ARRANGED),
        (Meeting.Status.CANCELLED, State.PASSED),
        (Meeting.Status.POSTPONED, State.PASSED),
    ],
)
def test_cancelled_and_postponed_meetings_do_not_count_as_arranged(contract, priya, status, state):
    meeting_plan_set(contract=contract, cadence=Cadence.QUARTERLY, by=priya)
    MeetingFactory(contract=contract, starts_at=at(date(2027, 3, 1)), arranged_on=date(2026, 9, 1), status=status)
    assert contract_meeting_schedule(contract).state == state


@time_machine.travel("2026-11-25 09:00 +00:00", tick=False)
def test_a_cancelled_meeting_is_not_the_last_held_one(contract, priya):
    meeting_plan_set(contract=contract, cadence=Cadence.ANNUAL, by=priya)
    MeetingFactory(contract=contract, starts_at=at(date(2026, 6, 30)), arranged_on=date(2025, 12, 1), status="held")
    MeetingFactory(contract=contract, starts_at=at(date(2026, 10, 1)), arranged_on=date(2026, 3, 1), status="cancelled")
    schedule = contract_meeting_schedule(contract)
    assert (schedule.due, schedule.arrange_by) == (date(2027, 6, 30), date(2026, 12, 30))


@time_machine.travel("2026-11-25 09:00 +00:00", tick=False)
def test_virtual_meetings_do_not_count_as_face_to_face(contract, priya):
    meeting_plan_set(contract=contract, cadence=Cadence.QUARTERLY, by=priya)
    MeetingFactory(contract=contract, kind="virtual", starts_at=at(date(2027, 1, 10)), arranged_on=date(2026, 11, 1))
    assert contract_meeting_schedule(contract).state == State.PASSED


@pytest.mark.parametrize(
    ("utc_moment", "local_day"),
    [
        # Spring forward, 29 Mar 2026: 00:30 UTC is 00:30 GMT; 01:30 UTC is 02:30 BST.
        ("2026-03-29 00:30 +00:00", date(2026, 3, 29)),
        ("2026-03-28 23:30 +00:00", date(2026, 3, 28)),
        # Fall back, 25 Oct 2026: 23:30 UTC on the 24th is 00:30 BST on the 25th.
        ("2026-10-24 23:30 +00:00", date(2026, 10, 25)),
        ("2026-10-25 23:30 +00:00", date(2026, 10, 25)),
    ],
)
def test_meeting_dates_are_london_dates_across_clock_changes(contract, priya, utc_moment, local_day):
    meeting_plan_set(contract=contract, cadence=Cadence.QUARTERLY, by=priya)
    starts_at = dt.datetime.fromisoformat(utc_moment.replace(" +00:00", "+00:00"))
    with time_machine.travel(starts_at - dt.timedelta(days=1), tick=False):
        MeetingFactory(contract=contract, starts_at=starts_at, arranged_on=local_day - dt.timedelta(days=200))
        schedule = contract_meeting_schedule(contract)
    assert schedule.next_planned == local_day
    assert schedule.arrange_by == add_months(local_day, -6)


def test_the_cadence_defaults_to_annual_and_the_procurement_unit_may_change_it(contract, priya):
    from meetings.selectors import contract_cadence

    assert contract_cadence(contract) == Cadence.ANNUAL
    meeting_plan_set(contract=contract, cadence=Cadence.MONTHLY, by=priya)
    contract.refresh_from_db()
    assert contract_cadence(contract) == Cadence.MONTHLY


@pytest.mark.parametrize(
    ("quadrant", "cadence"),
    [
        ("strategic", Cadence.QUARTERLY),
        ("leverage", Cadence.SIX_MONTHLY),
        ("bottleneck", Cadence.SIX_MONTHLY),
        ("non_critical", Cadence.ANNUAL),
        ("", Cadence.ANNUAL),
    ],
)
def test_the_cadence_follows_the_kraljic_quadrant_unless_set(contract, priya, quadrant, cadence):
    from meetings.selectors import contract_cadence

    contract.kraljic_quadrant = quadrant
    assert contract_cadence(contract) == cadence
    meeting_plan_set(contract=contract, cadence=Cadence.MONTHLY, by=priya)
    contract.refresh_from_db()
    contract.kraljic_quadrant = quadrant
    assert contract_cadence(contract) == Cadence.MONTHLY


@pytest.mark.parametrize(
    ("lateness", "label"),
    [
        ("", "Arranged for 1 Jun 2027"),
        ("arranged_late", "Arranged for 1 Jun 2027 (arranged late)"),
        ("late", "Arranged for 1 Jun 2027 (late)"),
    ],
)
def test_an_arranged_meeting_keeps_its_own_due_date_and_lateness(lateness, label):
    schedule = meeting_schedule(
        cadence=Cadence.QUARTERLY,
        today=TODAY,
        start_date=date(2020, 1, 1),
        last_held=date(2026, 6, 1),
        next_planned=date(2027, 6, 1),
        next_due=date(2026, 9, 1),
        next_lateness=lateness,
    )
    assert (schedule.state, schedule.due, schedule.arrange_by) == (State.ARRANGED, date(2026, 9, 1), date(2026, 3, 1))
    assert schedule.label == label
