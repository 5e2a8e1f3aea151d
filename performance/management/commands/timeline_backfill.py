"""`manage.py timeline_backfill`: put on the contracts' timelines what was recorded before the services
wrote it (performance.services.backfill). Safe to run again."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from performance.services.backfill import timeline_backfill


class Command(BaseCommand):
    help = (
        "Write the timeline entries of MI reports received and evaluated, escalations, late MI reports and "
        "missed milestones recorded before the register wrote them itself. Writes only what has no entry yet."
    )

    def handle(self, *args, **options):
        written = timeline_backfill(today=timezone.localdate())
        for what, count in written.items():
            self.stdout.write(f"{what}: {count} entries written")
