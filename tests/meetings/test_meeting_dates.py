"""Each contract's stored last held and latest planned face-to-face meetings, and the dashboard's "not arranged in time"
list that reads it, agree with the schedule rules after any sequence of meeting changes."""

import datetime as dt

import time_machine
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.models import Contract, Quadrant
from dashboard.selectors import arrange_by_passed
from meetings import services
from meetings.models import ContractMeetingPlan, Meeting
from meetings.schedule import Cadence, State
from meetings.selectors import contract_meeting_schedule
from tests.examples import examples
from tests.factories import ContractFactory

NOW = dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC)

days = st.integers(-900, 400)  # from about two and a half years ago to a year ahead
create = st.tuples(
    st.just("create"),
    st.integers(0, 2),
    days,
    st.sampled_from(list(Meeting.Kind)),
    st.sampled_from(list(Meeting.Status)),
)
change = st.tuples(st.just("status"), st.integers(0, 2), st.integers(0, 5), st.sampled_from(list(Meeting.Status)))
move = st.tuples(st.just("move"), st.integers(0, 2), st.integers(0, 5), days)
plan = st.tuples(st.just("plan"), st.integers(0, 2), st.sampled_from(["", *Cadence]))


def apply(step, contracts, by) -> None:
    action, which, *rest = step
    contract = contracts[which]
    meetings = list(Meeting.objects.filter(contract=contract).order_by("pk"))
    if action == "create":
        day, kind, status = rest
        meeting = Meeting(contract=contract, kind=kind, status=status, starts_at=NOW + dt.timedelta(days=day))
    elif action == "plan":
        services.meeting_plan_set(contract=contract, cadence=rest[0], by=by)
        return
    elif not meetings:
        return
    else:
        meeting = meetings[rest[0] % len(meetings)]
        if action == "status":
            meeting.status = rest[1]
        else:
            meeting.starts_at = NOW + dt.timedelta(days=rest[1])
    services.meeting_save(meeting=meeting, by=by)


def check(contracts) -> None:
    today = timezone.localdate()
    for contract in contracts:
        held = Meeting.objects.face_to_face().held().filter(contract=contract).order_by("-starts_at").first()
        stored = ContractMeetingPlan.objects.filter(contract=contract).values_list("last_held_on", flat=True).first()
        assert stored == (held.local_date if held else None)
        planned = Meeting.objects.face_to_face().planned().filter(contract=contract).order_by("-starts_at").first()
        stored_planned = (
            ContractMeetingPlan.objects.filter(contract=contract).values_list("last_planned_at", flat=True).first()
        )
        assert stored_planned == (planned.starts_at if planned else None)
    passed = {c.pk for c in contracts if contract_meeting_schedule(c, today=today).state == State.PASSED}
    assert set(arrange_by_passed(Contract.objects.all(), today=today).values_list("pk", flat=True)) == passed


@time_machine.travel(NOW, tick=False)
def test_stored_dates_follow_the_schedule_rules_after_any_meeting_changes(alice, contract):
    contracts = [
        contract,
        ContractFactory(reference="CON-STRATEGIC", oco=alice, kraljic_quadrant=Quadrant.STRATEGIC),
        ContractFactory(reference="CON-NEW", oco=alice, start_date=dt.date(2026, 6, 1)),
    ]

    @settings(max_examples=examples(25), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps=st.lists(st.one_of(create, change, move, plan), max_size=10))
    def run(steps):
        with transaction.atomic():
            for step in steps:
                apply(step, contracts, alice)
            check(contracts)
            transaction.set_rollback(True)

    run()


@time_machine.travel(NOW, tick=False)
def test_rebuild_stores_the_last_held_and_planned_meetings_of_meetings_saved_around_the_services(alice, contract):
    Meeting.objects.create(
        contract=contract, status=Meeting.Status.HELD, starts_at=NOW - dt.timedelta(days=40), created_by=alice
    )
    assert not ContractMeetingPlan.objects.filter(contract=contract).exists()

    planned = Meeting.objects.create(
        contract=contract, status=Meeting.Status.PLANNED, starts_at=NOW + dt.timedelta(days=30), created_by=alice
    )
    assert not ContractMeetingPlan.objects.filter(contract=contract).exists()

    services.last_held_rebuild()

    stored = ContractMeetingPlan.objects.get(contract=contract)
    assert (stored.last_held_on, stored.last_planned_at) == (dt.date(2026, 10, 1), planned.starts_at)
    check([contract])


@time_machine.travel(NOW, tick=False)
def test_rebuild_gives_a_plan_to_a_contract_with_only_a_planned_meeting(alice, contract):
    planned = Meeting.objects.create(
        contract=contract, status=Meeting.Status.PLANNED, starts_at=NOW + dt.timedelta(days=30), created_by=alice
    )

    services.last_held_rebuild()

    stored = ContractMeetingPlan.objects.get(contract=contract)
    assert (stored.last_held_on, stored.last_planned_at) == (None, planned.starts_at)
    check([contract])
