# The administration log becomes the contract's timeline, which every app from contracts upwards
# writes to: the model moves to the contracts app with its tables. Here meetings forgets it (state
# only, the tables stay); contracts/migrations/0010_activity_from_meetings.py takes it over.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalActivity"),
                migrations.DeleteModel(name="Activity"),
            ],
            database_operations=[],
        ),
    ]
