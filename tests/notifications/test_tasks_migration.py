"""Upgrading: the reminders sent before notifications became tasks become tasks about their subject,
each thing to do counted once, and a task nothing can resolve is closed. No row is added. The round
trip through the migrations is the run's shared one (tests/migrating.py: `_reminders_before_tasks`)."""

import pytest

from accounts.models import User
from notifications.models import Notification
from suppliers.models import Supplier
from tests.migrating import round_trip  # noqa: F401  (a fixture: the database after the round trip)


@pytest.mark.slow
def test_old_reminders_become_tasks_about_their_subject_each_counted_once(round_trip):  # noqa: F811
    notes = round_trip["reminders"]
    user, subject = User.objects.get(pk=notes["user"]), Supplier.objects.get(pk=notes["subject"])
    week1, week2, january, february = notes["week1"], notes["week2"], notes["january"], notes["february"]
    orphan, information = notes["orphan"], notes["information"]

    assert Notification.objects.count() == notes["rows"]
    by_pk = {n.pk: n for n in Notification.objects.all()}
    assert by_pk[week2].subject == subject and by_pk[week2].resolved_at is None
    assert by_pk[week1].resolved_at is not None and by_pk[week1].replaced  # by the next week's
    assert by_pk[january].resolved_at is None and by_pk[february].resolved_at is None  # two periods
    assert by_pk[orphan].resolved_at is not None
    assert by_pk[information].resolved_at is None and by_pk[information].subject is None
    assert set(Notification.objects.for_user(user).open_tasks().values_list("pk", flat=True)) == {
        week2,
        january,
        february,
    }
