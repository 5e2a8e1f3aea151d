"""Upgrading: the reminders sent before notifications became tasks become tasks about their subject,
each thing to do counted once, and a task nothing can resolve is closed. No row is added."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from notifications.models import Notification
from tests.factories import SupplierFactory, UserFactory
from tests.migrating import migrate

BEFORE = ("notifications", "0006_meeting_arranged_late_kind")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_old_reminders_become_tasks_about_their_subject_each_counted_once():
    user = UserFactory()
    subject = SupplierFactory()  # any saved row will do as the subject
    subject_type = ContentType.objects.get_for_model(subject)
    try:
        executor = migrate([BEFORE])
        apps = executor.loader.project_state(BEFORE).apps
        OldNotification = apps.get_model("notifications", "Notification")
        OldLedger = apps.get_model("notifications", "ReminderLedger")

        def sent(kind, due, *, ledger=True):
            notification = OldNotification.objects.create(recipient_id=user.pk, kind=kind, title=f"{kind} {due}")
            if ledger:
                OldLedger.objects.create(
                    recipient_id=user.pk,
                    kind=kind,
                    subject_type_id=subject_type.pk,
                    subject_id=subject.pk,
                    due_date=due,
                    notification=notification,
                )
            return notification.pk

        week1 = sent("meeting_arrange_overdue", dt.date(2026, 11, 1))
        week2 = sent("meeting_arrange_overdue", dt.date(2026, 11, 8))
        january = sent("kpi_result_overdue", dt.date(2026, 1, 1))
        february = sent("kpi_result_overdue", dt.date(2026, 2, 1))
        orphan = sent("strategic_without_sro", None, ledger=False)
        information = sent("escalation", None, ledger=False)
        rows = OldNotification.objects.count()
    finally:
        migrate()  # forward again even when a check fails, for the tests after this one

    assert Notification.objects.count() == rows
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
