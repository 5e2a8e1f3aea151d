"""The To do tab says by when each task is due and marks it Overdue, in red, once that day has passed."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from notifications.models import Kind, Notification
from notifications.services import notify
from performance import services as performance_services
from tests.notifications.test_tasks import at
from tests.performance_factories import KpiFactory

pytestmark = pytest.mark.django_db


def _task_on_the_to_do_tab(client, notification: Notification) -> str:
    page = client.get(reverse("notifications:list")).content.decode()
    item = re.search(rf'<li [^>]*id="notification-{notification.pk}">.*?</li>', page, re.S)
    assert item, "the task is not on the To do tab"
    return " ".join(re.sub(r"<[^>]+>", " ", item.group(0)).split())


def test_a_result_due_reads_due_by_then_overdue_once_the_day_has_passed(client, alice, contract):
    KpiFactory(contract=contract, name="Calls answered", start_date=date(2026, 1, 1))
    with time_machine.travel(at(date(2026, 2, 10)), tick=False):
        performance_services.kpi_reminders_send(today=date(2026, 2, 10))  # January's result due by 14 Feb
    (task,) = Notification.objects.for_user(alice).open_tasks()
    client.force_login(alice)

    with time_machine.travel(at(date(2026, 2, 14)), tick=False):
        text = _task_on_the_to_do_tab(client, task)
        assert "To do" in text and "Due by 14 Feb 2026" in text
        assert "Overdue" not in text

    # The next day, before the overdue reminder is sent: the same task, marked.
    with time_machine.travel(at(date(2026, 2, 15)), tick=False):
        text = _task_on_the_to_do_tab(client, task)
        assert "Overdue: it was due by 14 Feb 2026" in text
        assert "To do" not in text
        page = client.get(reverse("notifications:list")).content.decode()
        assert '<span class="badge text-bg-danger me-1">Overdue</span>' in page


def test_a_task_without_a_due_date_is_simply_to_do(client, alice, contract):
    task = notify(recipient=alice, kind=Kind.MI_SUBMITTED, title="Verify the figures", subject=contract)
    client.force_login(alice)
    text = _task_on_the_to_do_tab(client, task)
    assert "To do" in text and "Due by" not in text and "Overdue" not in text
