# ImportJob, moved from the contracts app: created in the migration state only, on the table
# contracts/migrations/0006_import_jobs.py created (and 0008 altered), which keeps its name and rows.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import exchange.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The contracts app lets go of the model first, so that one model owns the table at a time.
        ("contracts", "0009_importjob_moves_to_exchange"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ImportJob",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("file", models.FileField(max_length=200, upload_to=exchange.models.import_upload_to)),
                        ("original_name", models.CharField(max_length=255)),
                        ("format", models.CharField(choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)")], max_length=4)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Checking the file"),
                                    ("previewed", "Previewed"),
                                    ("running", "Importing"),
                                    ("done", "Imported"),
                                    ("failed", "Failed"),
                                ],
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        ("new_count", models.PositiveIntegerField(default=0)),
                        ("updated_count", models.PositiveIntegerField(default=0)),
                        ("skipped_count", models.PositiveIntegerField(default=0)),
                        ("error_count", models.PositiveIntegerField(default=0)),
                        ("progress_done", models.PositiveIntegerField(default=0)),
                        ("progress_total", models.PositiveIntegerField(default=0)),
                        ("errors", models.JSONField(blank=True, default=list)),
                        ("rows", models.JSONField(blank=True, default=list)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("waiting_since", models.DateTimeField(blank=True, null=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="import_jobs",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "contracts_importjob",
                        "ordering": ["-created_at"],
                    },
                ),
            ],
        ),
    ]
