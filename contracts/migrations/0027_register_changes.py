"""The register's change marker (contracts/register_changes.py): a sequence drawn from by a statement
trigger on every table the register list reads (under a shared advisory lock held until the writer
ends), and the function that reads it when no writer is in progress. PostgreSQL only: elsewhere nothing
is made, and the list is not cached."""

from django.db import migrations

SEQUENCE = "contracts_register_changes"
VERSION_FUNCTION = "contracts_register_version"
TRIGGER = "register_changed"
LOCK = "20261205, 17"  # an advisory lock of two keys (no other use of the pair)
# What the register list shows or filters by (the people's groups too: their roles set their scope).
TABLES = [
    ("contracts", "Contract"),
    ("contracts", "Category"),
    ("contracts", "SavedView"),
    ("suppliers", "Supplier"),
    ("accounts", "User"),
    ("auth", "Group"),
]


def _tables(apps) -> list[str]:
    tables = []
    for app_label, model_name in TABLES:
        model = apps.get_model(app_label, model_name)
        tables.append(model._meta.db_table)
        if (app_label, model_name) == ("accounts", "User"):
            tables.append(model._meta.get_field("groups").remote_field.through._meta.db_table)
    return tables


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
    # A writer holds the lock (shared with other writers) from its first write to its commit or rollback,
    # and draws after taking it.
    schema_editor.execute(
        f"""CREATE OR REPLACE FUNCTION {SEQUENCE}_draw() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock_shared({LOCK});
            PERFORM nextval('{SEQUENCE}');
            RETURN NULL;
        END $$"""
    )
    # The version, or NULL while a writer is in progress (its change may not be visible yet, and its
    # commit would not move the sequence): only a version may key a page read afterwards. The lock, held
    # to the end of the reader's transaction (its one statement, in autocommit) and never beyond, keeps a
    # writer from drawing between the test and the read.
    schema_editor.execute(
        f"""CREATE OR REPLACE FUNCTION {VERSION_FUNCTION}() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
        DECLARE drawn bigint;
        BEGIN
            IF NOT pg_try_advisory_xact_lock({LOCK}) THEN
                RETURN NULL;
            END IF;
            SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO drawn FROM {SEQUENCE};
            RETURN drawn::text || ':' || coalesce(pg_current_xact_id_if_assigned()::text, '');
        END $$"""
    )
    for table in _tables(apps):
        schema_editor.execute(
            f'CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {SEQUENCE}_draw()"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in _tables(apps):
        schema_editor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"')
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {VERSION_FUNCTION}()")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {SEQUENCE}_draw()")
    schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0026_contract_register_order_index"),
        ("suppliers", "0006_supplier_contact_user"),
        ("accounts", "0004_supplier_role"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create, drop)]
