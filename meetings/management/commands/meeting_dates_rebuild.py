"""`manage.py meeting_dates_rebuild`: store each contract's last held and latest planned
face-to-face meetings again
(meetings.services.dates). Run once after upgrading to the release that stores them, and after
seeding with SQL. Safe to run again."""

from django.core.management.base import BaseCommand

from meetings.services import last_held_rebuild


class Command(BaseCommand):
    help = "Store each contract's last held and latest planned face-to-face meetings on its meeting plan."

    def handle(self, *args, **options):
        changed = last_held_rebuild()
        self.stdout.write(f"Last held and planned meetings stored again for {changed:,} contracts.")
