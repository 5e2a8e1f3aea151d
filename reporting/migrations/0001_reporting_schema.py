"""The reporting schema and its views (reporting/schema.py). Made again after every `migrate`."""

from django.db import migrations


def create(apps, schema_editor):
    from reporting import schema

    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE SCHEMA IF NOT EXISTS {schema.SCHEMA}")
    schema.views_create(schema_editor.connection)


def drop(apps, schema_editor):
    from reporting import schema

    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP SCHEMA IF EXISTS {schema.SCHEMA} CASCADE")


class Migration(migrations.Migration):
    # The latest migration of every app whose tables the views read: unapplying one of those unapplies
    # this first, so a view never stands in the way of going back.
    dependencies = [
        ("accounts", "0003_training_records"),
        ("contracts", "0015_escalation_threads"),
        ("meetings", "0003_meeting_arranged_by_the_clock_and_due_date"),
        ("performance", "0005_improvement_plan"),
        ("suppliers", "0002_supplier_information"),
    ]

    operations = [migrations.RunPython(create, drop)]
