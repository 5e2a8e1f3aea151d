"""Over seed_demo: each demo user starts with a handful of open tasks, the bell shows that number, and
oco1's result tasks close once oco1 has recorded every result due.

A copy of the demo seeded once for the run on a pinned day, in a transaction rolled back at the end."""

import re
from types import SimpleNamespace

import pytest
import time_machine
from django.utils import timezone

from accounts.models import User
from demo import register as register_demo
from notifications.models import Kind, Notification
from performance import services as performance_services
from performance.selectors import performance_tasks
from tests.demo_world import in_savepoint, seeded_demo

RESULT_TASKS = [Kind.KPI_RESULT_DUE, Kind.KPI_RESULT_OVERDUE]


pytestmark = pytest.mark.slow  # seeds the whole demo: the slow tier


@pytest.fixture(scope="module")
def demo(request, django_db_setup, django_db_blocker, tmp_path_factory):
    with (
        time_machine.travel("2026-12-04 08:00 +00:00"),
        seeded_demo(request.config, django_db_blocker, tmp_path_factory.mktemp("media-demo-tasks"), key="demo20261204"),
    ):
        yield SimpleNamespace(users=[row[0] for row in register_demo.USERS])


@pytest.fixture
def db(demo):
    """Each test in a savepoint of the seeded transaction, rolled back after it."""
    with in_savepoint():
        yield


def bell(client, user) -> int:
    client.force_login(user)
    html = client.get("/", follow=True).content.decode()  # the page they land on
    start = html.index('id="notification-bell-count"')
    badge = re.search(r'class="badge[^"]*">(\d+\+?)<span class="visually-hidden"> to do', html[start : start + 400])
    return int(badge.group(1)) if badge else 0


def test_each_demo_user_starts_with_a_handful_of_tasks_and_the_bell_shows_them(demo, db, client):
    counts = {}
    for username in demo.users:
        user = User.objects.get(username=username)
        counts[username] = Notification.objects.for_user(user).open_tasks().count()
        assert bell(client, user) == counts[username]
    assert all(count <= 10 for count in counts.values()), counts
    assert counts["oco1"] >= 3 and counts["procurement"] >= 1  # something to show, not nothing
    # The work the demo users did closed tasks the way a user's work does: they show as done.
    oco1 = User.objects.get(username="oco1")
    assert Notification.objects.for_user(oco1).tasks().filter(resolved_at__isnull=False).exists()


def test_each_demo_user_has_read_all_but_the_newest_few_pieces_of_information(demo, db):
    procurement = User.objects.get(username="procurement")
    assert Notification.objects.for_user(procurement).information().count() > 5  # plenty was sent
    for username in demo.users:
        information = Notification.objects.for_user(User.objects.get(username=username)).information()
        assert information.unread().count() <= 5, username


def test_after_oco1_records_every_result_due_no_result_task_is_open(demo, db, client):
    oco1 = User.objects.get(username="oco1")
    mine = Notification.objects.for_user(oco1)
    result_tasks = mine.open_tasks().filter(kind__in=RESULT_TASKS).count()
    assert result_tasks >= 1
    before = bell(client, oco1)

    today = timezone.localdate()
    due = performance_tasks(oco1, today=today)
    for task in due.results_overdue.rows + due.results_due.rows:
        if task.kpi.contract.oco_id != oco1.pk:
            continue
        performance_services.kpi_result_record(
            kpi=task.kpi,
            period_start=task.period.start,
            actual=task.kpi.target,
            commentary="From the supplier's monthly report.",
            by=oco1,
        )

    assert not mine.open_tasks().filter(kind__in=RESULT_TASKS).exists()
    remaining = mine.open_tasks().count()
    assert remaining == before - result_tasks
    assert bell(client, oco1) == remaining
