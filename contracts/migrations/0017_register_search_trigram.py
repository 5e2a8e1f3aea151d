"""Trigram (pg_trgm) GIN indexes for the register's search: a contract's reference and title and a
supplier's name, as Django's icontains compares them (UPPER(column::text) LIKE UPPER('%...%')).
PostgreSQL only: on SQLite (`make run`) the migration does nothing."""

from django.db import migrations

INDEXES = (
    ("contract_reference_trgm", "contracts_contract", "reference"),
    ("contract_title_trgm", "contracts_contract", "title"),
    ("supplier_name_trgm", "suppliers_supplier", "name"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER(("{column}")::text) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0016_contract_find_a_tender_ocid"),
        ("suppliers", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
