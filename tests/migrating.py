"""Migration tests take the database back to an earlier migration, fill it as the old code would,
and migrate forwards again."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reporting import schema


def migrate(targets=None) -> MigrationExecutor:
    """Migrate to `targets` (the latest migrations when None); a fresh executor reads the history anew.
    As `manage.py migrate` does, the reporting views are dropped first and made again at the latest
    migrations (reporting/apps.py)."""
    schema.views_drop(connection)
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    if targets is None:
        schema.views_create(connection)
    return MigrationExecutor(connection)
