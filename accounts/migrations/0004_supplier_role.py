from django.db import migrations

SUPPLIER = "Supplier"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=SUPPLIER)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=SUPPLIER).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_training_records")]

    operations = [migrations.RunPython(create_group, remove_group)]
