# The content type of ImportJob keeps its row (and so its permissions, the groups that hold them
# and the admin's log entries): only its app label changes. On a new database there is no row yet;
# Django creates exchange's after migrating.

from django.db import migrations


def relabel(apps, from_label: str, to_label: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=to_label, model="importjob").exists():
        ContentType.objects.filter(app_label=from_label, model="importjob").update(app_label=to_label)


def forwards(apps, schema_editor):
    relabel(apps, "contracts", "exchange")


def backwards(apps, schema_editor):
    relabel(apps, "exchange", "contracts")


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
