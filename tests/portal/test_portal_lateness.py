"""Repeated lateness follows the policy's escalation rule: the third late MI report of a contract within 12
months raises one escalation to the Procurement Unit, with the late reports as its reason, from the daily
reminders job; run twice or by four workers at once, it is raised and told once."""

import datetime as dt

import pytest
import time_machine

from contracts.models import Activity, Contract, Escalation
from notifications.models import Kind, Notification
from performance.models import MiReport
from portal.services.reminders import supplier_mi_reminders_send
from tests.concurrency import four_at_once


def _report(contract, *, by, due: dt.date, received: dt.date | None = None) -> MiReport:
    start = due.replace(day=1) - dt.timedelta(days=31)
    return MiReport.objects.create(
        contract=contract,
        period_label=f"{start:%B %Y}",
        period_start=start.replace(day=1),
        period_end=due.replace(day=1) - dt.timedelta(days=1),
        expected_by=due,
        received_on=received,
        recorded_by=by,
    )


def _run(day: dt.date) -> int:
    with time_machine.travel(dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC), tick=False):
        return supplier_mi_reminders_send(today=day)


@pytest.mark.django_db(transaction=True)
def test_the_third_late_report_in_12_months_raises_one_escalation_once(
    contract, other_contract, alice, bob, priya, supplier1
):
    _report(contract, by=alice, due=dt.date(2025, 7, 15), received=dt.date(2025, 8, 1))  # late, but over a year ago
    _report(contract, by=alice, due=dt.date(2026, 8, 15), received=dt.date(2026, 8, 20))  # 5 days late
    _report(contract, by=alice, due=dt.date(2026, 9, 15), received=dt.date(2026, 9, 14))  # on time
    _report(contract, by=alice, due=dt.date(2026, 10, 15), received=dt.date(2026, 10, 16))  # 1 day late
    _report(contract, by=alice, due=dt.date(2026, 11, 15))  # not received
    _report(other_contract, by=bob, due=dt.date(2026, 11, 15))  # bob's supplier: late once only

    _run(dt.date(2026, 11, 15))  # due today: not late yet, two late in 12 months
    assert not Escalation.objects.exists()

    day = dt.date(2026, 11, 16)
    _run(day)
    _run(day)
    with time_machine.travel(dt.datetime(2026, 11, 16, 7, tzinfo=dt.UTC), tick=False):
        four_at_once(lambda: supplier_mi_reminders_send(today=day))
    escalation = Escalation.objects.get()
    assert escalation.contract == contract and escalation.raised_by is None
    assert escalation.title == "Repeated late MI reports: 3 late in 12 months"
    assert escalation.source == Escalation.Source.SIGNIFICANT_PERFORMANCE_ISSUE
    assert "due 15 Aug 2026, received 20 Aug 2026 (5 days late)" in escalation.details
    assert "received 16 Oct 2026 (1 day late)" in escalation.details
    assert "due 15 Nov 2026, not received" in escalation.details
    assert "2025" not in escalation.details and "14 Sep 2026" not in escalation.details
    assert escalation.respond_by is not None  # the Procurement Unit answers it as any escalation
    for person in (priya, alice):
        assert Notification.objects.filter(recipient=person, kind=Kind.ESCALATION).count() == 1
    assert not Notification.objects.filter(recipient__in=[bob, supplier1], kind=Kind.ESCALATION).exists()
    assert Activity.objects.about(escalation).filter(kind=Activity.Kind.ESCALATION_RAISED).count() == 1

    # A fourth late report within the 12 months: the same problem, already escalated.
    _report(contract, by=alice, due=dt.date(2026, 12, 15))
    _run(dt.date(2026, 12, 16))
    assert Escalation.objects.count() == 1

    # A year on, three more late reports in the 12 months since: escalated again, once.
    for month in (9, 10, 11):
        _report(contract, by=alice, due=dt.date(2027, month, 15))
    _run(dt.date(2027, 11, 17))
    _run(dt.date(2027, 11, 18))
    assert Escalation.objects.count() == 2


def test_a_contract_no_longer_active_is_not_escalated(contract, alice, supplier1):
    for month in (8, 9, 10):
        _report(contract, by=alice, due=dt.date(2026, month, 15))
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.EXPIRED)
    _run(dt.date(2026, 11, 1))
    assert not Escalation.objects.exists()
