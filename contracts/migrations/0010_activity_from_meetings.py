# The administration log, moved from the meetings app with its tables and rows (created here in
# the migration state only, as meetings/migrations/0001_initial.py left them); 0011 then widens it
# into the contract's timeline, and 0012 moves its content type over.

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import contracts.models.timeline


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0009_importjob_moves_to_exchange"),
        # meetings lets go of the model first, so that one model owns the table at a time.
        ("meetings", "0002_activity_moves_to_contracts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="HistoricalActivity",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("call", "Telephone call"),
                                    ("mi_report", "Management-information report received"),
                                    ("supplier_event", "Supplier event"),
                                    ("mi_evaluation", "Evaluation of management information"),
                                    ("escalation", "Escalation to Procurement"),
                                    ("note", "Note"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("occurred_on", models.DateField(default=django.utils.timezone.localdate, verbose_name="date")),
                        ("summary", models.CharField(max_length=255)),
                        ("details", models.TextField(blank=True)),
                        ("attachment", models.TextField(blank=True, max_length=200)),
                        ("attachment_name", models.CharField(blank=True, max_length=255)),
                        ("recorded_at", models.DateTimeField(blank=True, editable=False)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                            ),
                        ),
                        (
                            "contract",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="contracts.contract",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "meetings_historicalactivity",
                        "verbose_name": "historical activity",
                        "verbose_name_plural": "historical activities",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="Activity",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("call", "Telephone call"),
                                    ("mi_report", "Management-information report received"),
                                    ("supplier_event", "Supplier event"),
                                    ("mi_evaluation", "Evaluation of management information"),
                                    ("escalation", "Escalation to Procurement"),
                                    ("note", "Note"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("occurred_on", models.DateField(default=django.utils.timezone.localdate, verbose_name="date")),
                        ("summary", models.CharField(max_length=255)),
                        ("details", models.TextField(blank=True)),
                        (
                            "attachment",
                            models.FileField(
                                blank=True, max_length=200, upload_to=contracts.models.timeline.activity_upload_to
                            ),
                        ),
                        ("attachment_name", models.CharField(blank=True, max_length=255)),
                        ("recorded_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "contract",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="activities",
                                to="contracts.contract",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="activities",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "meetings_activity",
                        "verbose_name_plural": "activities",
                        "ordering": ["-occurred_on", "-recorded_at"],
                        "indexes": [models.Index(fields=["contract", "-occurred_on"], name="activity_timeline_idx")],
                    },
                ),
            ],
        ),
    ]
