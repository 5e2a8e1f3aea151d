"""`manage.py seed_scale --contracts N`: a register at national scale, to time the dashboards on.

N contracts (10,000 by default) with their suppliers, OCOs and SROs, a current Kraljic assessment on
most, 8 monthly KPIs each with 36 months of rated results, face-to-face meetings by cadence with
their actions, administration log entries, quarterly MI reports, escalations and savings. At
N=100,000 that is 28.8 million KPI results, so the big tables are filled server-side
(INSERT ... SELECT over generate_series) and the contracts with COPY; the ORM makes only the small
tables. See demo/scale/ for what is made and in what proportions.

PostgreSQL only, on an empty register, and only where DJANGO_ALLOW_DEMO_DATA allows it: every user
it creates shares one published password.
"""

import time

from django.core.management.base import CommandError
from django.db import connection, transaction

from accounts.models import TrainingRecord, User
from contracts import models as register
from demo.guard import DemoDataCommand
from demo.scale.data import PASSWORD, PROCUREMENT_OFFICERS
from demo.scale.register import ScaleRegister
from meetings.models import Action, Meeting
from performance.models import Kpi, KpiResult, MiReport, PoorPerformanceRun
from suppliers.models import Supplier, SupplierContact

COUNTED = (
    ("users", User),
    ("training records", TrainingRecord),
    ("categories", register.Category),
    ("suppliers", Supplier),
    ("supplier contacts", SupplierContact),
    ("contracts", register.Contract),
    ("contract assignments", register.ContractAssignment),
    ("Kraljic assessments", register.KraljicAssessment),
    ("Kraljic scores", register.KraljicScore),
    ("review rounds", register.ReviewRound),
    ("review items", register.ReviewItem),
    ("KPIs", Kpi),
    ("KPI results", KpiResult),
    ("meetings", Meeting),
    ("meeting actions", Action),
    ("activities", register.Activity),
    ("MI reports", MiReport),
    ("escalations", register.Escalation),
    ("poor performance runs", PoorPerformanceRun),
    ("savings", register.Saving),
)


class Command(DemoDataCommand):
    help = (
        "Fill an empty PostgreSQL register with N contracts (10,000 by default) and everything around them, "
        "in the proportions of a national force, to time the dashboards. Every user it creates has the "
        f"password {PASSWORD}: for benchmark databases only (DJANGO_ALLOW_DEMO_DATA=true)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--contracts", type=int, default=10_000, help="contracts to create (10000)")
        parser.add_argument("--seed", type=int, default=2026, help="seed of the pseudo-random data (2026)")

    def handle(self, *args, contracts: int, seed: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError(f"seed_scale needs PostgreSQL; this database is {connection.vendor}.")
        if contracts < 1:
            raise CommandError("--contracts must be at least 1.")
        existing = register.Contract.objects.count()
        if existing:
            raise CommandError(
                f"Refusing to seed: the database already holds {existing:,} contracts. seed_scale fills an "
                "empty register: create a new database, migrate it, and seed that."
            )
        started = time.perf_counter()
        self.stdout.write(f"Seeding {contracts:,} contracts into {connection.settings_dict['NAME']}:")
        with transaction.atomic():
            ScaleRegister(n=contracts, seed=seed, log=self._log).run()
        self._log("commit", started)
        analysed = time.perf_counter()
        with connection.cursor() as cursor:
            if connection.in_atomic_block:  # in a test's transaction, where VACUUM cannot run
                cursor.execute("ANALYZE")
                self._log("ANALYZE", analysed)
            else:
                # VACUUM as well as ANALYZE: it sets the visibility map (index-only scans) as autovacuum
                # would on a live register, and leaves autovacuum nothing to do during a benchmark.
                cursor.execute("SET maintenance_work_mem TO '512MB'")
                cursor.execute("VACUUM (ANALYZE)")
                cursor.execute("RESET maintenance_work_mem")
                self._log("VACUUM (ANALYZE)", analysed)
        self.stdout.write("\nRows:")
        for label, model in COUNTED:
            self.stdout.write(f"  {label:<24} {model.objects.count():>12,}")
        self.stdout.write(
            self.style.SUCCESS(f"\nSeeded {contracts:,} contracts in {time.perf_counter() - started:.1f} s.")
        )
        self.stdout.write(
            f"Every user's password is {PASSWORD}: procurement1 to procurement{PROCUREMENT_OFFICERS} "
            "(Procurement Unit), oco00001... (OCOs), sro0001... (SROs), scaleadmin (administrator)."
        )

    def _log(self, step: str, since: float) -> None:
        self.stdout.write(f"  {step:<36} {time.perf_counter() - since:>8.1f} s")
