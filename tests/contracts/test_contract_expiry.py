"""Status follows the dates: an active contract past its end date with no extension taken becomes
expired, once, on its timeline, with the OCO, SRO and Procurement Unit told once and, under the
Procurement Act, its termination notice due."""

from datetime import date

import pytest
import time_machine
from django.conf import settings

from contracts import services, tasks
from contracts.models import Activity, Contract, ContractEnding, ExtensionOption
from contracts.models.regime import Regime
from notifications.models import JobRun, Kind, Notification, ReminderLedger
from notifications.services import _caught_up_entries
from tests import factories
from tests.concurrency import four_at_once

END = date(2026, 12, 31)


def at(day: date) -> str:
    return f"{day.isoformat()} 06:30 +00:00"


def expire(day: date, times: int = 1) -> None:
    with time_machine.travel(at(day), tick=False):
        for _ in range(times):
            services.contracts_expire(today=day)


def told(user, kind=Kind.CONTRACT_EXPIRED) -> list[str]:
    return list(Notification.objects.filter(recipient=user, kind=kind).values_list("title", flat=True))


@pytest.fixture
def ending_contract(alice, sam, priya):
    """Awarded in April 2025 (under the Procurement Act 2023), ends 31 Dec 2026."""
    contract = factories.ContractFactory(
        reference="CON-END", oco=alice, sro=sam, start_date=date(2025, 4, 1), end_date=END,
        extended_end_date=date(2028, 12, 31), regime=Regime.ACT,
    )  # fmt: skip
    return services.contract_save(contract=contract, by=priya)


def test_a_contract_past_its_end_date_expires_once_on_its_timeline(ending_contract, alice, sam, priya):
    expire(END)  # its last day: still active
    ending_contract.refresh_from_db()
    assert ending_contract.status == Contract.Status.ACTIVE
    expire(date(2027, 1, 1), times=2)  # the day after, run twice
    expire(date(2027, 1, 8))  # and a week later
    ending_contract.refresh_from_db()
    assert ending_contract.status == Contract.Status.EXPIRED
    entries = Activity.objects.filter(contract=ending_contract, kind=Activity.Kind.STATUS)
    assert [(e.summary, e.recorded_by, e.occurred_on) for e in entries] == [
        (
            "Status changed from active to expired: its end date, 31 Dec 2026, passed with no extension taken",
            None,
            date(2027, 1, 1),
        )
    ]
    assert list(Activity.objects.about(ending_contract)) == list(entries)
    for person in (alice, sam, priya):
        assert told(person) == ["CON-END has expired: it ended on 31 Dec 2026"]
    latest = ending_contract.history.latest()
    assert latest.history_user is None and "no extension taken" in latest.history_change_reason


def test_under_the_act_the_termination_notice_duty_starts(ending_contract, alice):
    expire(date(2027, 1, 1))
    ending = ContractEnding.objects.get(contract=ending_contract)
    assert (ending.kind, ending.ended_on, ending.recorded_by) == (ContractEnding.Kind.EXPIRED, END, None)
    assert ending.notice_due_by == date(2027, 1, 30)
    assert list(ContractEnding.objects.termination_notice_due()) == [ending]
    body = Notification.objects.get(recipient=alice, kind=Kind.CONTRACT_EXPIRED).body
    assert "Publish its contract termination notice by 30 Jan 2027" in body


def test_a_contract_outside_the_act_expires_without_a_termination_notice_duty(alice, sam, priya):
    contract = factories.ContractFactory(
        reference="CON-PCR", oco=alice, sro=sam, start_date=date(2023, 4, 1), end_date=END, regime=Regime.PCR
    )  # awarded under the Public Contracts Regulations 2015
    services.contract_save(contract=contract, by=priya)
    expire(date(2027, 1, 1))
    contract.refresh_from_db()
    assert contract.status == Contract.Status.EXPIRED
    ending = ContractEnding.objects.get(contract=contract)  # how it ended, for the record
    assert (ending.kind, ending.ended_on) == (ContractEnding.Kind.EXPIRED, END)
    assert not ContractEnding.objects.termination_notice_due().exists()  # no section 80 duty
    assert "termination notice" not in Notification.objects.get(recipient=alice, kind=Kind.CONTRACT_EXPIRED).body


def take(contract, *, months: int, decision=ExtensionOption.Decision.TAKEN) -> ExtensionOption:
    option = ExtensionOption(contract=contract, length_months=months, decide_by=date(2026, 9, 30), decision=decision)
    option.full_clean()
    return services.extension_option_save(option=option, by=contract.oco)


def test_a_contract_with_an_extension_taken_is_not_expired(ending_contract, alice):
    take(ending_contract, months=12)  # to 31 Dec 2027, its end date not yet moved by a variation
    expire(date(2027, 1, 1))
    expire(date(2027, 12, 31))
    ending_contract.refresh_from_db()
    assert ending_contract.status == Contract.Status.ACTIVE
    assert told(alice) == [] and not Activity.objects.filter(kind=Activity.Kind.STATUS).exists()
    # Its end date is wrong, though: the weekly "still active" alert asks for the variation.
    with time_machine.travel(at(date(2027, 1, 1)), tick=False):
        services.expiry_alerts_send(today=date(2027, 1, 1))
    assert told(alice, Kind.CONTRACT_PAST_END) == ["CON-END is still active but ended on 31 Dec 2026"]
    expire(date(2028, 1, 1))  # the year taken has run out
    ending_contract.refresh_from_db()
    assert ending_contract.status == Contract.Status.EXPIRED


def test_a_declined_extension_does_not_keep_a_contract_alive(ending_contract):
    take(ending_contract, months=12, decision=ExtensionOption.Decision.DECLINED)
    take(ending_contract, months=6, decision=ExtensionOption.Decision.PENDING)
    expire(date(2027, 1, 1))
    ending_contract.refresh_from_db()
    assert ending_contract.status == Contract.Status.EXPIRED


def test_one_alarm_not_two_the_past_end_alert_stays_quiet(ending_contract, alice, sam, priya):
    """Whichever job runs first, a contract that expired is told as expired only."""
    day = date(2027, 1, 1)
    with time_machine.travel(at(day), tick=False):
        services.expiry_alerts_send(today=day)  # before the expiry job, as after an outage
        services.contracts_expire(today=day)
        services.expiry_alerts_send(today=day)
    for person in (alice, sam, priya):
        assert told(person, Kind.CONTRACT_PAST_END) == []
        assert len(told(person)) == 1


def test_draft_terminated_and_ended_contracts_are_left_alone(alice, priya):
    for status in (Contract.Status.DRAFT, Contract.Status.TERMINATED, Contract.Status.EXPIRED):
        factories.ContractFactory(oco=alice, end_date=date(2026, 6, 30), status=status)
    expire(date(2027, 1, 1))
    assert not Activity.objects.exists() and not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_four_workers_at_once_expire_a_contract_and_remind_a_decision_once(
    ending_contract, alice, sam, priya, mailoutbox, emails_each
):
    emails_each(alice, sam, priya)
    undecided = factories.ContractFactory(reference="CON-UNDECIDED", oco=alice, sro=sam, end_date=date(2027, 5, 31))
    services.contract_save(contract=undecided, by=priya)  # notice date 2 Mar 2027: decide by 2 Dec 2026

    def worker():
        services.contracts_expire(today=date(2027, 1, 1))
        services.renewal_decisions_overdue_send(today=date(2027, 1, 1))

    four_at_once(worker)
    assert Activity.objects.filter(kind=Activity.Kind.STATUS).count() == 1
    assert ContractEnding.objects.count() == 1
    for person in (alice, sam, priya):
        assert len(told(person)) == 1
    assert len(told(alice, Kind.RENEWAL_DECISION_OVERDUE)) == 1
    assert len(told(sam, Kind.RENEWAL_DECISION_ESCALATED)) == len(told(priya, Kind.RENEWAL_DECISION_ESCALATED)) == 1
    assert ReminderLedger.objects.count() == 6
    assert len(mailoutbox) == 6


def test_the_daily_job_runs_before_the_alerts_and_is_caught_up(ending_contract, alice):
    entry = settings.CELERY_BEAT_SCHEDULE["contract-dates-daily"]
    alerts = settings.CELERY_BEAT_SCHEDULE["contract-expiry-alerts"]["schedule"]
    assert entry["task"] == "contracts.tasks.contract_dates_daily"
    ours = entry["schedule"]
    assert (min(ours.hour), min(ours.minute)) < (min(alerts.hour), min(alerts.minute))
    assert "contract-dates-daily" in _caught_up_entries()
    with time_machine.travel(at(date(2027, 1, 1)), tick=False):
        assert tasks.contract_dates_daily() == 3
    run = JobRun.objects.get(job="contract-dates-daily")
    assert (run.outcome, run.notifications_sent) == (JobRun.Outcome.OK, 3)


def test_expiry_closes_the_tasks_it_answers(ending_contract, alice):
    take(ending_contract, months=12)
    with time_machine.travel(at(date(2027, 1, 1)), tick=False):
        services.expiry_alerts_send(today=date(2027, 1, 1))  # "still active": a task
    task = Notification.objects.get(recipient=alice, kind=Kind.CONTRACT_PAST_END)
    assert task.is_open_task
    expire(date(2028, 1, 1))
    task.refresh_from_db()
    assert not task.is_open_task
    assert not Notification.objects.get(recipient=alice, kind=Kind.CONTRACT_EXPIRED).is_task
