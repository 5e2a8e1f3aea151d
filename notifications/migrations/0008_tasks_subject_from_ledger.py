"""Existing reminders become tasks about their subject: the ledger knew it. Updates rows, adds none.

A task notification without a ledger (nothing could ever resolve it) is closed, and of several open
reminders of the same thing (weekly "not arranged", "due" then "overdue") only the newest stays open,
as `remind` now does: the bell counts each thing to do once."""

from django.db import migrations
from django.db.models import OuterRef, Subquery
from django.utils import timezone

TASK_KINDS = [
    "meeting_arrange_soon",
    "meeting_arrange_today",
    "meeting_arrange_overdue",
    "action_overdue",
    "minutes_missing",
    "review_round_opened",
    "review_round_due",
    "review_round_overdue",
    "strategic_without_sro",
    "kpi_result_due",
    "kpi_result_overdue",
    "contract_past_end",
    "training_due",
]


# As notifications.models.TASK_GROUPS and TASKS_PER_PERIOD were when this migration was written.
GROUPS = {
    "meeting_arrange_soon": "meeting_arrange",
    "meeting_arrange_today": "meeting_arrange",
    "meeting_arrange_overdue": "meeting_arrange",
    "review_round_opened": "review_round",
    "review_round_due": "review_round",
    "review_round_overdue": "review_round",
    "kpi_result_due": "kpi_result",
    "kpi_result_overdue": "kpi_result",
}
PER_PERIOD = {"kpi_result"}


def forwards(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    ReminderLedger = apps.get_model("notifications", "ReminderLedger")
    ledger = ReminderLedger.objects.filter(notification=OuterRef("pk"))
    Notification.objects.filter(subject_type__isnull=True, ledger__isnull=False).update(
        subject_type=Subquery(ledger.values("subject_type")[:1]), subject_id=Subquery(ledger.values("subject_id")[:1])
    )
    now = timezone.now()
    Notification.objects.filter(kind__in=TASK_KINDS, subject_type__isnull=True, resolved_at__isnull=True).update(
        resolved_at=now
    )
    seen, replaced = set(), []
    open_tasks = (
        Notification.objects.filter(kind__in=TASK_KINDS, resolved_at__isnull=True)
        .order_by("-created_at", "-pk")
        .values_list("pk", "recipient_id", "kind", "subject_type_id", "subject_id", "ledger__due_date")
    )
    for pk, recipient_id, kind, subject_type_id, subject_id, due_date in open_tasks.iterator():
        group = GROUPS.get(kind, kind)
        key = (recipient_id, group, subject_type_id, subject_id, due_date if group in PER_PERIOD else None)
        if key in seen:
            replaced.append(pk)
        seen.add(key)
    for start in range(0, len(replaced), 1000):
        Notification.objects.filter(pk__in=replaced[start : start + 1000]).update(resolved_at=now, replaced=True)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0007_notifications_become_tasks")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
