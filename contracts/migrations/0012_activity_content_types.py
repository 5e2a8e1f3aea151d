# The content types of the administration log keep their rows (and so their permissions, the groups
# that hold them and the admin's log entries): only their app label changes, as ImportJob's did in
# exchange/migrations/0002. On a new database there are no rows yet; Django creates contracts' after
# migrating.

from django.db import migrations

MODELS = ("activity", "historicalactivity")


def relabel(apps, from_label: str, to_label: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=to_label, model=model).exists():
            ContentType.objects.filter(app_label=from_label, model=model).update(app_label=to_label)


def forwards(apps, schema_editor):
    relabel(apps, "meetings", "contracts")


def backwards(apps, schema_editor):
    relabel(apps, "contracts", "meetings")


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0011_activity_becomes_timeline"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
