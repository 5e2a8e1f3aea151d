"""Once after upgrading: judge the face-to-face meetings recorded before meetings were judged."""

from django.core.management.base import BaseCommand

from meetings.services import meeting_due_dates_fill


class Command(BaseCommand):
    help = (
        "Work out when each face-to-face meeting recorded before this release was due, so that the "
        "pages tag those late or arranged late. Safe to run again: it fills only what is missing."
    )

    def handle(self, *args, **options):
        filled = meeting_due_dates_fill()
        self.stdout.write(f"Due dates worked out for {filled} face-to-face meeting{'s' if filled != 1 else ''}.")
