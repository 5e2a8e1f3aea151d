"""`manage.py kpi_ratings_rebuild`: count every contract's active KPIs by their latest rating again
(performance.services.kpi_ratings). Run after seeding with SQL, and whenever KPIs or their latest
ratings were changed outside the services. Safe to run again."""

import time

from django.core.management.base import BaseCommand

from performance.services.kpi_ratings import kpi_ratings_rebuild


class Command(BaseCommand):
    help = "Rebuild each contract's KPI counts by latest rating, which the Procurement dashboard reads, from the KPIs."

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = kpi_ratings_rebuild()
        self.stdout.write(f"{rows:,} contracts' KPI ratings written in {time.perf_counter() - started:.1f} s")
