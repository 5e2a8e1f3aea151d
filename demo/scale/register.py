"""The scale register: the decisions about each contract, drawn in Python, and the small tables.

Users, categories, suppliers, savings and escalations raised by hand go through the ORM; contracts,
Kraljic assessments and review items are written with COPY (demo/scale/contracts.py); the big tables
are filled in SQL (demo/scale/performance.py, meetings.py) from the temporary table `seed_contract`.
Past the ORM, demo/scale/rows.py writes every column the models define.
"""

# ruff: noqa: S311 - seeded pseudo-random data, not secrets.

import random
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from accounts import roles
from accounts.models import TrainingRecord, User
from contracts.models import (
    Activity,
    Category,
    Contract,
    ContractAssignment,
    Escalation,
    KraljicAssessment,
    KraljicScore,
    ReviewItem,
    Saving,
)
from core.dates import add_months
from demo.scale import meetings as meeting_tables
from demo.scale import performance as performance_tables
from demo.scale import rows
from demo.scale.contracts import ContractPlans, assignments
from demo.scale.data import (
    AREAS,
    CATEGORIES,
    FIRST_NAMES,
    LAST_NAMES,
    MONTHS_OF_RESULTS,
    PASSWORD,
    PROCUREMENT_OFFICERS,
    SUPPLIER_PREFIXES,
    SUPPLIER_SUFFIXES,
    SUPPLIER_TRADES,
    Clock,
)
from meetings.models import Action, Meeting
from meetings.services.dates import last_held_rebuild
from performance.models import Kpi, KpiResult, MiReport
from performance.services.kpi_ratings import kpi_ratings_rebuild
from performance.services.rating_months import rating_months_rebuild
from suppliers.identity import normalise_name
from suppliers.models import Supplier, SupplierContact

# The big tables: their foreign keys and secondary indexes are dropped while they are filled.
BULK_MODELS = (
    Contract,
    ContractAssignment,
    KraljicAssessment,
    KraljicScore,
    ReviewItem,
    Kpi,
    KpiResult,
    Meeting,
    Action,
    Activity,
    MiReport,
)


class ScaleRegister(ContractPlans):
    """Seed N contracts and everything around them into an empty register, in the current transaction."""

    def __init__(self, *, n: int, seed: int, log):
        self.n = n
        self.rng = random.Random(seed)
        self.seed = seed
        self.log = log
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.now = timezone.now()
        self.today = timezone.localdate()
        this_month = self.today.replace(day=1)
        self.window_start = add_months(this_month, -MONTHS_OF_RESULTS)
        self.clock = Clock(
            now=self.now,
            today=self.today,
            tz=settings.TIME_ZONE,
            first_period=self.window_start,
            last_period=add_months(this_month, -1),
        )

    def _at(self, day: date, hour: int = 10) -> datetime:
        return min(datetime(day.year, day.month, day.day, hour, tzinfo=self.tz), self.now)

    def _step(self, label: str, func, *args):
        started = time.perf_counter()
        result = func(*args)
        self.log(label, started)
        return result

    def run(self) -> None:
        clock = self.clock
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            cursor.execute("SET LOCAL maintenance_work_mem TO '1GB'")
            cursor.execute("SET LOCAL work_mem TO '64MB'")
            # random() in the SQL follows the seed too (setseed takes -1 to 1).
            cursor.execute("SELECT setseed(%s)", [(self.seed % 1999) / 1000 - 0.999])
            self._step("users and training", self.users)
            self._step("categories, suppliers", self.suppliers)
            recreate = self._step("drop indexes of the big tables", rows.drop_indexes, cursor, BULK_MODELS)
            self._step("contracts, Kraljic assessments", self.contracts, cursor)
            self._step("assignments", lambda: assignments(cursor, clock=clock, assigned_by=self.officers[0]))
            self._step("KPI results", lambda: performance_tables.kpi_results(cursor, clock=clock))
            self._step("KPIs", lambda: performance_tables.kpis(cursor, clock=clock))
            self._step("meetings and actions", lambda: meeting_tables.meetings(cursor, clock=clock))
            self._step("activities and MI reports", lambda: meeting_tables.activities(cursor, clock=clock))
            self._step("indexes and foreign keys again", rows.recreate, cursor, recreate)
            self._step("monthly rating counts", rating_months_rebuild)
            self._step("KPIs by latest rating", kpi_ratings_rebuild)
            self._step("last held meetings", last_held_rebuild)
            self._step(
                "escalations of poor performance",
                lambda: performance_tables.poor_performance_escalations(cursor, clock=clock, officers=self.officers),
            )
            rows.reset_sequences(cursor, (Contract, KraljicAssessment, Kpi, Escalation))
            self._step("escalations by hand, savings", self.escalations_and_savings)

    # --- People --------------------------------------------------------------------------------

    def _person(self, username: str, **fields) -> User:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        return User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@scale.police.example",
            password=self.hashed,
            **fields,
        )

    def users(self) -> None:
        self.hashed = make_password(PASSWORD)  # once: hashing costs a third of a second
        groups = {group.name: group for group in Group.objects.filter(name__in=roles.ALL)}
        if len(groups) != len(roles.ALL):
            raise CommandError("The role groups are missing: run `manage.py migrate` first.")
        n_ocos = max(3, round(self.n / 25))
        n_sros = max(3, round(self.n / 200))
        n_plain_sros = max(1, n_sros // 10)  # SROs who are not budget holders
        ocos = [
            self._person(f"oco{i:05d}", job_title="Contract manager", department=self.rng.choice(AREAS))
            for i in range(1, n_ocos + 1)
        ]
        sros = [
            self._person(
                f"sro{i:04d}",
                job_title="Head of department" if i > n_plain_sros else "Deputy head of department",
                department=self.rng.choice(AREAS),
                is_budget_holder=i > n_plain_sros,
            )
            for i in range(1, n_sros + 1)
        ]
        officers = [
            self._person(f"procurement{i}", job_title="Procurement officer", department="Procurement Unit")
            for i in range(1, PROCUREMENT_OFFICERS + 1)
        ]
        admin = self._person("scaleadmin", job_title="System administrator", is_staff=True, is_superuser=True)
        User.objects.bulk_create([*ocos, *sros, *officers, admin], batch_size=2000)
        membership = User.groups.through
        membership.objects.bulk_create(
            [membership(user_id=u.pk, group_id=groups[roles.OCO].pk) for u in ocos]
            + [membership(user_id=u.pk, group_id=groups[roles.SRO].pk) for u in sros]
            + [membership(user_id=u.pk, group_id=groups[roles.PROCUREMENT].pk) for u in officers],
            batch_size=5000,
        )
        records = []
        for oco in ocos:
            draw = self.rng.random()
            if draw < 0.70:  # current; some expire within the next two months
                completed = self.today - timedelta(days=self.rng.randint(30, 1050))
            elif draw < 0.82:  # expired
                completed = self.today - timedelta(days=self.rng.randint(1150, 1800))
            else:
                continue  # never trained
            records.append(
                TrainingRecord(
                    user=oco,
                    course=TrainingRecord.Course.COMMERCIAL_AWARENESS,
                    level=self.rng.choice(TrainingRecord.Level.values),
                    completed_on=completed,
                    expires_on=completed + timedelta(days=3 * 365),
                )
            )
        TrainingRecord.objects.bulk_create(records, batch_size=5000)
        # OCOs and SROs carry uneven loads: the first in each list are named on many contracts.
        self.ocos = [u.pk for u in ocos]
        self.budget_sros = [u.pk for u in sros if u.is_budget_holder]
        self.plain_sros = [u.pk for u in sros if not u.is_budget_holder]
        self.officers = [u.pk for u in officers]

    def _skewed(self, choices: list[int], power: float = 1.5) -> int:
        return choices[int(len(choices) * self.rng.random() ** power)]

    # --- Reference data and suppliers ----------------------------------------------------------

    def suppliers(self) -> None:
        existing = {c.name: c for c in Category.objects.filter(name__in=CATEGORIES)}
        Category.objects.bulk_create([Category(name=name) for name in CATEGORIES if name not in existing])
        self.categories = list(Category.objects.filter(name__in=CATEGORIES).order_by("name"))
        self.category_weights = [CATEGORIES[c.name][0] for c in self.categories]
        taken = set(
            Supplier.objects.exclude(companies_house_number="").values_list("companies_house_number", flat=True)
        )
        suppliers = []
        for number in range(1, max(5, round(self.n / 5)) + 1):
            # Unique by construction (7,919 and 37 are prime to the moduli), skipping any already taken.
            offset = 0
            while True:
                if number % 20 == 0:  # Scottish companies
                    ch = f"SC{(number * 37 + offset) % 1_000_000:06d}"
                else:
                    ch = f"{(10_000_000 + (number + offset) * 7_919) % 100_000_000:08d}"
                if ch not in taken:
                    break
                offset += 1_000_003
            taken.add(ch)
            name = " ".join(
                (
                    self.rng.choice(SUPPLIER_PREFIXES),
                    self.rng.choice(SUPPLIER_TRADES),
                    self.rng.choice(SUPPLIER_SUFFIXES),
                )
            )
            suppliers.append(
                Supplier(
                    name=name,
                    normalised_name=normalise_name(name),  # bulk_create does not call save()
                    companies_house_number=ch,
                    vat_number=f"GB{self.rng.randint(100_000_000, 999_999_999)}" if self.rng.random() < 0.7 else "",
                    address=f"{self.rng.randint(1, 250)} {self.rng.choice(LAST_NAMES)} Road, {self.rng.choice(AREAS)}",
                    status=self.rng.choices(Supplier.Status.values, weights=(94, 3, 2, 1))[0],
                )
            )
        Supplier.objects.bulk_create(suppliers, batch_size=2000)
        SupplierContact.objects.bulk_create(
            (
                SupplierContact(
                    supplier=s,
                    name=f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}",
                    role="Account manager",
                    email=f"account.manager{s.pk}@supplier.example",
                )
                for s in suppliers
            ),
            batch_size=2000,
        )
        self.suppliers_ids = [s.pk for s in suppliers]

    # --- Owners --------------------------------------------------------------------------------

    def escalations_and_savings(self) -> None:
        self._escalations_by_hand()
        self._savings()

    def _escalations_by_hand(self) -> None:
        rng, today = self.rng, self.today
        kinds = (
            (Escalation.Source.SIGNIFICANT_PERFORMANCE_ISSUE, "Service failure at a custody suite"),
            (Escalation.Source.FINANCIAL, "Supplier's credit rating downgraded"),
            (Escalation.Source.REPUTATIONAL, "Adverse press coverage of the supplier"),
            (Escalation.Source.DISPUTE, "Dispute over the annual price increase"),
            (Escalation.Source.OTHER, "Supplier proposes to subcontract the service"),
        )
        escalations = []
        for plan in self.plans:
            if not plan.escalation:
                continue
            source, title = rng.choice(kinds)
            earliest = max(plan.start, today - timedelta(days=730))
            raised = earliest + timedelta(days=rng.randint(0, max(0, (min(plan.end, today) - earliest).days)))
            age = (today - raised).days
            status = rng.choices(Escalation.Status.values, weights=(5, 4, 1, 1) if age < 90 else (1, 2, 3, 6))[0]
            escalations.append(
                Escalation(
                    contract_id=plan.id,
                    source=source,
                    severity=rng.choices(Escalation.Severity.values, weights=(2, 5, 3, 1))[0],
                    status=status,
                    title=title,
                    details="Raised by the OCO after a call with the supplier.",
                    raised_by_id=plan.recorder_id,
                    raised_on=raised,
                    owner_id=None if status == Escalation.Status.OPEN else rng.choice(self.officers),
                    actions="" if status == Escalation.Status.OPEN else "Meeting held with the supplier's director.",
                    resolution="Agreed in writing." if status in ("resolved", "closed") else "",
                )
            )
        Escalation.objects.bulk_create(escalations, batch_size=2000)

    def _savings(self) -> None:
        rng, today = self.rng, self.today
        savings = []
        for plan in self.plans:
            for _ in range(plan.savings):
                earliest = max(plan.start, self.window_start)
                achieved = earliest + timedelta(days=rng.randint(0, max(0, (min(plan.end, today) - earliest).days)))
                validated = achieved < today - timedelta(days=60) and rng.random() < 0.8
                savings.append(
                    Saving(
                        contract_id=plan.id,
                        kind=rng.choices(Saving.Kind.values, weights=(6, 4))[0],
                        amount=max(
                            Decimal("100.00"),
                            (plan.annual_value * Decimal(rng.uniform(0.01, 0.08))).quantize(Decimal("0.01")),
                        ),
                        achieved_on=achieved,
                        financial_year=Saving.financial_year_of(achieved),
                        description="Price held at renewal against the supplier's proposed increase.",
                        evidence="Supplier's letter and the invoices since.",
                        recorded_by_id=plan.recorder_id,
                        validated_by_id=rng.choice(self.officers) if validated else None,
                        validated_on=achieved + timedelta(days=30) if validated else None,
                    )
                )
        Saving.objects.bulk_create(savings, batch_size=2000)
