"""The one check both demo commands make before writing anything."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class DemoDataCommand(BaseCommand):
    """A command that creates users with a published password: it refuses to run unless this database
    is marked as a demo (settings.DEMO_DATA_ALLOWED, from DJANGO_ALLOW_DEMO_DATA)."""

    def execute(self, *args, **options):
        # Checked before handle(), so no subclass can write a row first.
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                f"Refusing to run {self.command_name()}: it creates users with a published password and this "
                "database is not marked as a demo. Set DJANGO_ALLOW_DEMO_DATA=true (make run does) only where "
                "that is safe, never in production."
            )
        return super().execute(*args, **options)

    def command_name(self) -> str:
        return self.__module__.rpartition(".")[2]
