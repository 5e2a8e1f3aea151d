"""`manage.py rating_months_rebuild`: count the KPI results of every month again, by contract and
rating (performance.services.rating_months). Run once after upgrading to the release that added the
counts, after seeding with SQL, and whenever contracts or KPIs were deleted in the admin. Safe to run again."""

import time

from django.core.management.base import BaseCommand

from performance.services.rating_months import rating_months_rebuild


class Command(BaseCommand):
    help = "Rebuild the monthly KPI rating counts the Procurement dashboard's trend reads, from the results."

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = rating_months_rebuild()
        self.stdout.write(f"{rows:,} monthly rating counts written in {time.perf_counter() - started:.1f} s")
