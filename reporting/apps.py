from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate


def _drop_views(sender, using="default", **kwargs):
    from reporting import schema

    connection = connections[using]
    if schema.schema_exists(connection):
        schema.views_drop(connection)


def _create_views(sender, using="default", **kwargs):
    from reporting import schema

    connection = connections[using]
    if schema.schema_exists(connection):
        schema.views_create(connection)


class ReportingConfig(AppConfig):
    name = "reporting"

    def ready(self) -> None:
        # Once per `migrate` (each signal is sent for every app; only this app's is taken).
        pre_migrate.connect(_drop_views, sender=self)
        post_migrate.connect(_create_views, sender=self)
