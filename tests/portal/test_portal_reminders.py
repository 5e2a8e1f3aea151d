"""The supplier's people are reminded of an MI report a week before it is due and when it is late,
once each, however many times and workers run the job."""

import datetime as dt

import pytest
import time_machine

from notifications.models import Kind, Notification
from portal.services.reminders import supplier_mi_reminders_send
from tests.concurrency import four_at_once
from tests.portal.conftest import mi_report_due


def _sent(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind).count()


@pytest.mark.django_db(transaction=True)
def test_due_then_late_once_each_run_twice_and_four_at_once(contract, other_contract, alice, supplier1, supplier2):
    report = mi_report_due(contract, by=alice)  # due by 15 Dec 2026
    with time_machine.travel(dt.datetime(2026, 12, 7, 8, tzinfo=dt.UTC)):
        assert supplier_mi_reminders_send(today=dt.date(2026, 12, 7)) == 0  # more than a week away
    with time_machine.travel(dt.datetime(2026, 12, 8, 8, tzinfo=dt.UTC)):
        supplier_mi_reminders_send(today=dt.date(2026, 12, 8))
        supplier_mi_reminders_send(today=dt.date(2026, 12, 8))
        four_at_once(lambda: supplier_mi_reminders_send(today=dt.date(2026, 12, 9)))
    assert _sent(supplier1, Kind.MI_DUE_SUPPLIER) == 1
    with time_machine.travel(dt.datetime(2026, 12, 16, 8, tzinfo=dt.UTC)):
        four_at_once(lambda: supplier_mi_reminders_send(today=dt.date(2026, 12, 16)))
        supplier_mi_reminders_send(today=dt.date(2026, 12, 17))
    assert _sent(supplier1, Kind.MI_LATE_SUPPLIER) == 1
    # Nobody else's supplier hears of it; nobody of the force gets these.
    assert not Notification.objects.filter(recipient=supplier2).exists()
    assert (
        not Notification.objects.filter(kind__in=[Kind.MI_DUE_SUPPLIER, Kind.MI_LATE_SUPPLIER])
        .exclude(recipient=supplier1)
        .exists()
    )
    note = Notification.objects.get(recipient=supplier1, kind=Kind.MI_LATE_SUPPLIER)
    assert note.url == f"/supplier/mi-reports/{report.pk}/" and "is late" in note.title


def test_a_received_report_and_a_suspended_person_are_not_reminded(contract, alice, supplier1):
    report = mi_report_due(contract, by=alice)
    report.received_on = dt.date(2026, 12, 1)
    report.save()
    assert supplier_mi_reminders_send(today=dt.date(2026, 12, 16)) == 0
    report.received_on = None
    report.save()
    supplier1.is_active = False
    supplier1.save()
    assert supplier_mi_reminders_send(today=dt.date(2026, 12, 16)) == 0


def test_a_late_report_is_the_ocos_task_until_it_is_received(contract, alice, supplier1):
    report = mi_report_due(contract, by=alice)
    supplier_mi_reminders_send(today=dt.date(2026, 12, 16))
    supplier_mi_reminders_send(today=dt.date(2026, 12, 17))
    task = Notification.objects.get(recipient=alice, kind=Kind.MI_LATE_OCO)
    assert task.is_task and task.resolved_at is None and "chase the supplier" in task.title
    report.received_on = dt.date(2026, 12, 18)
    report.save()
    supplier_mi_reminders_send(today=dt.date(2026, 12, 18))
    task.refresh_from_db()
    assert task.resolved_at is not None
