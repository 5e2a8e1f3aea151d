"""Migration tests take the database back to an earlier migration, fill it as the old code would,
and migrate forwards again."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets=None) -> MigrationExecutor:
    """Migrate to `targets` (the latest migrations when None); a fresh executor reads the history anew."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    return MigrationExecutor(connection)
