from django.db import migrations

from suppliers.identity import normalise_name


def backfill(apps, schema_editor):
    Supplier = apps.get_model("suppliers", "Supplier")
    suppliers = list(Supplier.objects.only("pk", "name"))
    for supplier in suppliers:
        supplier.normalised_name = normalise_name(supplier.name)[:200]
    Supplier.objects.bulk_update(suppliers, ["normalised_name"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0003_identity")]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
