from django.db import migrations
from django.db.models import F


def fill(apps, schema_editor):
    # Contracts registered before variations existed: their values at award are their current ones.
    apps.get_model("contracts", "Contract").objects.filter(original_total_value__isnull=True).update(
        original_total_value=F("total_value")
    )
    apps.get_model("contracts", "Contract").objects.filter(original_end_date__isnull=True).update(
        original_end_date=F("end_date")
    )


class Migration(migrations.Migration):
    dependencies = [("contracts", "0004_lifecycle")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
