# The timeline's kinds are read from `Activity.Kind` through a function, not listed in the field:
# adding a kind no longer needs a migration. No change to the database.

import contracts.models.timeline
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0024_activity_late_payment"),
    ]

    operations = [
        migrations.AlterField(
            model_name="activity",
            name="kind",
            field=models.CharField(choices=contracts.models.timeline.activity_kinds, max_length=40),
        ),
        migrations.AlterField(
            model_name="historicalactivity",
            name="kind",
            field=models.CharField(choices=contracts.models.timeline.activity_kinds, max_length=40),
        ),
    ]
