"""`manage.py meeting_dates_rebuild`: store each contract's last held face-to-face meeting again
(meetings.services.dates). Run once after upgrading to the release that stores them, and after
seeding with SQL. Safe to run again."""

from django.core.management.base import BaseCommand

from meetings.services import last_held_rebuild


class Command(BaseCommand):
    help = "Store each contract's last held face-to-face meeting on its meeting plan, from its meetings."

    def handle(self, *args, **options):
        changed = last_held_rebuild()
        self.stdout.write(f"Last held meeting stored again for {changed:,} contracts.")
