# ImportJob moves to the exchange app with its table: the contracts app forgets the model here
# (state only, the table stays), and exchange/migrations/0001_initial.py takes it over.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0008_import_job_waiting_since"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportJob")],
            database_operations=[],
        ),
    ]
