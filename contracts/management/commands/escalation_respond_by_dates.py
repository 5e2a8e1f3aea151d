"""Once after upgrading: give the escalations raised before respond-by dates existed their date."""

from django.core.management.base import BaseCommand

from contracts.services import escalation_respond_by_fill


class Command(BaseCommand):
    help = (
        "Set the respond-by date (by severity, from the day raised) of each escalation raised before this "
        "release, so that an open one the Procurement Unit has not answered shows as overdue. Escalations "
        "with a status other than Open count as answered. Safe to run again: it fills only what is missing."
    )

    def handle(self, *args, **options):
        filled = escalation_respond_by_fill()
        self.stdout.write(f"Respond-by dates set for {filled} escalation{'s' if filled != 1 else ''}.")
