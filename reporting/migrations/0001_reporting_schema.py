"""The reporting schema. Its views are made at the end of every `migrate` (reporting/apps.py), once
every app's migrations have made the columns they read."""

from django.db import migrations


def create(apps, schema_editor):
    from reporting import schema

    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE SCHEMA IF NOT EXISTS {schema.SCHEMA}")


def drop(apps, schema_editor):
    from reporting import schema

    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SCHEMA IF EXISTS {schema.SCHEMA} CASCADE")


class Migration(migrations.Migration):
    dependencies = [("contracts", "0015_escalation_threads")]

    operations = [migrations.RunPython(create, drop)]
