"""Notifications that ask for an action are tasks: tied to their subject, closed by the service that
does the thing, counted by the bell. Information is read or dismissed in bulk."""

import datetime as dt
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import TrainingRecord
from contracts import services as contract_services
from contracts.models import ContractEnding, ExtensionOption, KraljicCriterion
from meetings import services as meeting_services
from meetings.models import Meeting
from meetings.schedule import Cadence
from notifications.models import TASK_KINDS, Kind, Notification
from notifications.services import information_dismiss, notify, remind, tasks_resolve
from performance import services as performance_services
from tests import factories
from tests.meeting_factories import ActionFactory, MeetingFactory
from tests.performance_factories import KpiFactory


def at(day: date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def bell(client) -> int:
    """The number in the navbar's bell badge on a page, as the user sees it (0 without a badge)."""
    html = client.get(reverse("contracts:list")).content.decode()
    start = html.index('id="notification-bell-count"')
    badge = re.search(r'class="badge[^"]*">(\d+\+?)<span class="visually-hidden"> to do', html[start : start + 400])
    return int(badge.group(1)) if badge else 0


def open_kinds(user) -> list[str]:
    return sorted(Notification.objects.for_user(user).open_tasks().values_list("kind", flat=True))


# --- The rule, once ------------------------------------------------------------------------


def test_a_task_needs_its_subject_and_information_is_not_a_task(alice):
    with pytest.raises(ValueError, match="needs the subject"):
        notify(recipient=alice, kind=Kind.ACTION_OVERDUE, title="Do it")
    for kind in (Kind.ESCALATION, Kind.SUPPLIER_INFORMATION, Kind.GENERAL, Kind.MEETING_UPCOMING):
        assert kind not in TASK_KINDS
    assert Kind.KPI_RESULT_OVERDUE in TASK_KINDS
    with pytest.raises(ValueError, match="Not tasks"):
        tasks_resolve(subject=alice, kinds=[Kind.ESCALATION])


# --- KPI results -----------------------------------------------------------------------------


@pytest.fixture
def kpi(contract):
    return KpiFactory(contract=contract, name="Calls answered", start_date=date(2026, 1, 1))


def test_recording_a_result_closes_that_periods_task_and_the_bell_goes_down(client, kpi, alice):
    with time_machine.travel(at(date(2026, 2, 10)), tick=False):
        performance_services.kpi_reminders_send(today=date(2026, 2, 10))  # January due by 14 Feb
    with time_machine.travel(at(date(2026, 3, 20)), tick=False):
        performance_services.kpi_reminders_send(today=date(2026, 3, 20))  # January and February overdue
    # "Due" for January became "overdue": one task for it, not two.
    assert open_kinds(alice) == [Kind.KPI_RESULT_OVERDUE, Kind.KPI_RESULT_OVERDUE]
    client.force_login(alice)
    with time_machine.travel(at(date(2026, 3, 20), 10), tick=False):
        assert bell(client) == 2
        performance_services.kpi_result_record(kpi=kpi, period_start=date(2026, 1, 1), actual=Decimal(96), by=alice)
        assert bell(client) == 1
    (still_open,) = Notification.objects.for_user(alice).open_tasks()
    assert "1 Feb 2026" in still_open.title  # February's task is another period's: still to do
    january = Notification.objects.for_user(alice).filter(title__contains="1 Jan 2026")
    assert all(n.resolved_at is not None for n in january)


# --- Meetings --------------------------------------------------------------------------------


@pytest.fixture
def late_contract(alice, priya):
    """Quarterly, started January 2024, never met: the arrange-by date has long passed."""
    contract = factories.ContractFactory(reference="CON-LATE", oco=alice, start_date=date(2024, 1, 1))
    meeting_services.meeting_plan_set(contract=contract, cadence=Cadence.QUARTERLY, by=priya)
    return contract


def test_arranging_the_meeting_closes_the_weekly_reminder_which_replaces_last_weeks(
    client, late_contract, alice, priya
):
    for day in (date(2026, 12, 1), date(2026, 12, 8)):
        with time_machine.travel(at(day, 7), tick=False):
            meeting_services.meeting_lead_time_reminders_send(today=day)
    mine = Notification.objects.for_user(alice)
    assert mine.filter(kind=Kind.MEETING_ARRANGE_OVERDUE).count() == 2
    assert open_kinds(alice) == [Kind.MEETING_ARRANGE_OVERDUE]  # this week's replaces last week's
    assert open_kinds(priya) == []  # the Procurement Unit's flag is information
    client.force_login(alice)
    assert "A newer reminder replaced it" in client.get(reverse("notifications:list"), {"show": "all"}).content.decode()

    with time_machine.travel(at(date(2026, 12, 9)), tick=False):
        meeting_services.meeting_save(
            meeting=Meeting(
                contract=late_contract,
                kind=Meeting.Kind.FACE_TO_FACE,
                starts_at=at(date(2027, 1, 20), 10),
                short_notice_reason="Overdue",
            ),
            by=alice,
        )
    assert open_kinds(alice) == []
    done = client.get(reverse("notifications:list"), {"show": "done"}).content.decode()
    assert done.count("has not been arranged") == 1  # this week's, done; last week's was replaced


def test_a_virtual_meeting_does_not_close_the_face_to_face_task(late_contract, alice):
    with time_machine.travel(at(date(2026, 12, 1), 7), tick=False):
        meeting_services.meeting_lead_time_reminders_send(today=date(2026, 12, 1))
        meeting_services.meeting_save(
            meeting=Meeting(contract=late_contract, kind=Meeting.Kind.VIRTUAL, starts_at=at(date(2026, 12, 20))),
            by=alice,
        )
    assert open_kinds(alice) == [Kind.MEETING_ARRANGE_OVERDUE]


def test_minutes_and_a_finished_action_close_their_tasks(contract, alice):
    with time_machine.travel(at(date(2026, 10, 1)), tick=False):
        meeting = MeetingFactory(contract=contract, starts_at=at(date(2026, 10, 1), 10), created_by=alice)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    meeting.refresh_from_db()
    action = ActionFactory(meeting=meeting, owner=alice, due_date=date(2026, 10, 15))
    with time_machine.travel(at(date(2026, 10, 20), 7), tick=False):
        meeting_services.minutes_missing_send(today=date(2026, 10, 20))
        meeting_services.actions_overdue_send(today=date(2026, 10, 20))
    assert open_kinds(alice) == [Kind.ACTION_OVERDUE, Kind.MINUTES_MISSING]

    meeting.minutes = "Agreed the new rota."
    meeting_services.meeting_save(meeting=meeting, by=alice)
    assert open_kinds(alice) == [Kind.ACTION_OVERDUE]
    action.done_on = date(2026, 10, 21)
    meeting_services.action_save(action=action, by=alice)
    assert open_kinds(alice) == []


# --- Contracts: review rounds, SROs, endings, training -----------------------------------------


def _scores(profit: int, risk: int) -> dict[int, int]:
    return {
        c.pk: profit if c.axis == "profit_impact" else risk for c in KraljicCriterion.objects.filter(is_active=True)
    }


def test_the_round_task_closes_when_its_last_item_is_reviewed(kraljic_reference_data, priya, alice):
    first = factories.ContractFactory(reference="CON-1", oco=alice)
    second = factories.ContractFactory(reference="CON-2", oco=alice)
    with time_machine.travel(at(date(2027, 1, 1), 7), tick=False):
        review_round, _ = contract_services.review_round_open(today=date(2027, 1, 1))
    with time_machine.travel(at(date(2027, 2, 27), 7), tick=False):
        contract_services.review_round_reminders_send(today=date(2027, 2, 27))
    assert open_kinds(priya) == [Kind.REVIEW_ROUND_DUE]  # "due tomorrow" replaces "opened"
    with time_machine.travel(at(date(2027, 2, 27), 10), tick=False):
        contract_services.assessment_record(
            contract=first, scores=_scores(2, 2), rationale="", by=priya, review_round=review_round
        )
        assert open_kinds(priya) == [Kind.REVIEW_ROUND_DUE]  # one contract still to review
        contract_services.assessment_record(
            contract=second, scores=_scores(2, 2), rationale="", by=priya, review_round=review_round
        )
    assert open_kinds(priya) == []


def test_naming_an_sro_closes_the_strategic_without_sro_task(kraljic_reference_data, priya, alice, sam):
    contract = factories.ContractFactory(reference="CON-S", oco=alice, sro=None)
    contract_services.assessment_record(contract=contract, scores=_scores(4, 4), rationale="", by=priya)
    assert open_kinds(priya) == [Kind.STRATEGIC_WITHOUT_SRO]
    sam.is_budget_holder = True
    sam.save()
    contract.refresh_from_db()
    contract.sro = sam
    contract_services.contract_save(contract=contract, by=priya)
    assert open_kinds(priya) == []


def extension_taken(contract) -> None:
    """A year's extension taken up but its end date not moved: "still active past its end date" is
    the alarm (with none taken, the daily job expires the contract instead)."""
    type(contract).objects.filter(pk=contract.pk).update(extended_end_date=contract.end_date + timedelta(days=366))
    ExtensionOption.objects.create(
        contract=contract, length_months=12, decide_by=contract.end_date, decision=ExtensionOption.Decision.TAKEN
    )


def test_ending_a_contract_past_its_end_closes_the_past_end_task(contract, alice, priya):
    extension_taken(contract)
    today = contract.end_date + timedelta(days=3)
    with time_machine.travel(at(today, 7), tick=False):
        contract_services.expiry_alerts_send(today=today)
        assert Kind.CONTRACT_PAST_END in open_kinds(alice)
        contract_services.contract_end(
            ending=ContractEnding(
                contract=contract, kind=ContractEnding.Kind.EXPIRED, ended_on=contract.end_date, reason="Expired"
            ),
            by=priya,
        )
    assert Kind.CONTRACT_PAST_END not in open_kinds(alice) + open_kinds(priya)


def test_recording_current_training_closes_the_training_task(contract, alice, priya):
    with time_machine.travel(at(date(2026, 12, 1), 7), tick=False):
        contract_services.training_reminders_send(today=date(2026, 12, 1))
        assert open_kinds(alice) == [Kind.TRAINING_DUE]
        contract_services.training_record(
            record=TrainingRecord(user=alice, completed_on=date(2026, 11, 30), expires_on=date(2028, 11, 30)),
            by=priya,
        )
    assert open_kinds(alice) == []


# --- The page: To do apart from For information; dismissing information ------------------------


def _information(user, n: int) -> list[Notification]:
    return [notify(recipient=user, kind=Kind.ESCALATION, title=f"Escalation {i} changed") for i in range(n)]


def test_the_page_separates_to_do_from_information_and_dismisses_information_in_bulk(client, alice, bob, contract):
    remind(
        recipient=alice,
        kind=Kind.MINUTES_MISSING,
        subject=contract,
        due_date=date(2026, 12, 1),
        title="Record the minutes",
    )
    first, second, third = _information(alice, 3)
    bobs = _information(bob, 1)[0]
    client.force_login(alice)

    todo = client.get(reverse("notifications:list")).content.decode()
    assert "Record the minutes" in todo and "Escalation 0 changed" not in todo
    assert 'To do (<span id="todo-count">1</span>)' in todo
    information = client.get(reverse("notifications:list"), {"show": "information"}).content.decode()
    assert "Escalation 0 changed" in information and "Record the minutes" not in information
    assert "Dismiss all information" in information

    # Tick two (and someone else's, which is ignored); then dismiss the rest.
    response = client.post(
        reverse("notifications:dismiss"),
        {"ids": [first.pk, second.pk, bobs.pk], "next": "/notifications/?show=information"},
        follow=True,
    )
    assert "2 notifications dismissed." in response.content.decode()
    bobs.refresh_from_db()
    assert bobs.read_at is None
    response = client.post(reverse("notifications:dismiss"), {"all": "1"}, follow=True)
    assert "1 notification dismissed." in response.content.decode()
    assert not Notification.objects.for_user(alice).information().unread().exists()
    assert bell(client) == 1  # dismissing never closes a task
    assert information_dismiss(user=alice) == 0


def test_dismiss_needs_a_post(client, alice):
    client.force_login(alice)
    assert client.get(reverse("notifications:dismiss")).status_code == 405


@pytest.mark.parametrize("show", ["todo", "information", "done", "all"])
def test_the_page_costs_the_same_queries_with_one_or_many_notifications(
    client, alice, contract, show, django_assert_max_num_queries
):
    def add(n: int, start: int) -> None:
        """n open tasks, n done and n information."""
        for i in range(start, start + n):
            for done in (False, True):
                task = remind(
                    recipient=alice,
                    kind=Kind.ACTION_OVERDUE,
                    subject=contract,
                    due_date=date(2026, 1, 1) + timedelta(days=2 * i + done),
                    title=f"Task {i}",
                )
                if done:
                    Notification.objects.filter(pk=task.pk).update(resolved_at=timezone.now())
        _information(alice, n)

    client.force_login(alice)
    url = reverse("notifications:list") + f"?show={show}"
    add(1, 0)
    client.get(url)  # warm up: session, content types
    with django_assert_max_num_queries(10) as one:
        assert client.get(url).status_code == 200
    add(60, 1)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


# --- Answered some other way: the job's next run closes the task -------------------------------


def test_a_result_recorded_without_the_service_closes_its_task_on_the_next_run(kpi, alice):
    with time_machine.travel(at(date(2026, 2, 20), 7), tick=False):
        performance_services.kpi_reminders_send(today=date(2026, 2, 20))
    assert open_kinds(alice) == [Kind.KPI_RESULT_OVERDUE]
    # An import (or an administrator) writes the row directly: no service closed the task.
    kpi.results.create(period_start=date(2026, 1, 1), period_end=date(2026, 1, 31), actual=96, recorded_by=alice)
    with time_machine.travel(at(date(2026, 2, 21), 7), tick=False):
        performance_services.kpi_reminders_send(today=date(2026, 2, 21))
    assert open_kinds(alice) == []


def test_minutes_and_a_status_changed_elsewhere_close_their_tasks_on_the_next_run(contract, alice, priya):
    extension_taken(contract)
    past_end = contract.end_date + timedelta(days=3)
    held_on = past_end - timedelta(days=14)
    with time_machine.travel(at(held_on), tick=False):
        meeting = MeetingFactory(contract=contract, starts_at=at(held_on, 10), created_by=alice)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    with time_machine.travel(at(past_end, 7), tick=False):
        meeting_services.minutes_missing_send(today=past_end)
        contract_services.expiry_alerts_send(today=past_end)
    assert open_kinds(alice) == [Kind.CONTRACT_PAST_END, Kind.MINUTES_MISSING]

    Meeting.objects.filter(pk=meeting.pk).update(minutes="Typed in by an administrator")
    type(contract).objects.filter(pk=contract.pk).update(status="expired")  # e.g. in the admin
    with time_machine.travel(at(past_end + timedelta(days=1), 7), tick=False):
        meeting_services.minutes_missing_send(today=past_end + timedelta(days=1))
        contract_services.expiry_alerts_send(today=past_end + timedelta(days=1))
    assert open_kinds(alice) == open_kinds(priya) == []
