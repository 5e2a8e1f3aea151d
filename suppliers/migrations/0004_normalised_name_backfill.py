from django.db import migrations

from suppliers.identity import normalise_name


def backfill(apps, schema_editor):
    Supplier = apps.get_model("suppliers", "Supplier")
    suppliers = list(Supplier.objects.only("pk", "name"))
    for supplier in suppliers:
        supplier.normalised_name = normalise_name(supplier.name)[:200]
    Supplier.objects.bulk_update(suppliers, ["normalised_name"], batch_size=1000)


def trigram_index(apps, schema_editor):
    # The likely duplicates join suppliers on trigram similarity (suppliers.selectors): a GIN index
    # keeps it from comparing every pair. PostgreSQL only; SQLite matches exact normalised names.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS supplier_normalised_name_trgm "
            "ON suppliers_supplier USING gin (normalised_name gin_trgm_ops)"
        )


def trigram_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS supplier_normalised_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0003_identity")]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, trigram_index_drop),
    ]
