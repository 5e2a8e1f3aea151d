"""KpiRatings scanned by PostgreSQL's parallel workers together.

The Procurement dashboard's pass over the active contracts (dashboard.selectors.common.active_figures)
joins each contract's KPI counts. PostgreSQL shares that pass among parallel workers, but it reads a
table of less than min_parallel_table_scan_size (8 MB) whole in each of them: at 100,000 contracts every
worker built the same hash of all 100,000 rows (a third of the pass). Named here, the table is read once,
a share by each worker, into one hash they share. Other databases have no such setting."""

from django.db import migrations

TABLE = "performance_kpiratings"


def parallel(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET (parallel_workers = 2)")


def serial(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} RESET (parallel_workers)")


class Migration(migrations.Migration):
    dependencies = [("performance", "0013_kpi_ratings")]

    operations = [migrations.RunPython(parallel, serial, elidable=False)]
