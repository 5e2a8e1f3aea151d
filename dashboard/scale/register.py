"""The scale register: the decisions about each contract, drawn in Python, and the small tables.

Users, categories, suppliers, savings and escalations raised by hand go through the ORM; contracts,
Kraljic assessments and review items are written with COPY; the big tables are filled in SQL
(dashboard/scale/bulk.py) from the temporary table `seed_contract` made here.
"""

# ruff: noqa: S311 - seeded pseudo-random data, not secrets.

import math
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
    Category,
    Contract,
    ContractAssignment,
    Escalation,
    KraljicAssessment,
    KraljicCriterion,
    KraljicScore,
    KraljicSettings,
    Quadrant,
    ReviewItem,
    ReviewRound,
    Saving,
)
from contracts.models.kraljic import Axis
from contracts.services.kraljic import round_due_date, weighted_score
from core.dates import add_months
from dashboard.scale import bulk
from dashboard.scale.bulk import table
from dashboard.scale.data import (
    ACTIVE,
    AREAS,
    BOTTLENECK,
    CATEGORIES,
    COVER,
    DRAFT,
    END_BANDS,
    EXPIRED,
    FIRST_NAMES,
    GOOD,
    LAST_NAMES,
    LEVERAGE,
    MIXED,
    MONTHS_OF_RESULTS,
    NON_CRITICAL,
    PASSWORD,
    POOR,
    PROCUREMENT_OFFICERS,
    STRATEGIC,
    SUPPLIER_PREFIXES,
    SUPPLIER_SUFFIXES,
    SUPPLIER_TRADES,
    TERMINATED,
    TERMS,
    Clock,
    Plan,
)
from meetings.models import Action, Activity, Meeting
from meetings.schedule import CADENCE_BY_QUADRANT, CADENCE_MONTHS, DEFAULT_CADENCE
from performance.models import Kpi, KpiResult, MiReport
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


class ScaleRegister:
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
            recreate = self._step("drop indexes of the big tables", bulk.drop_indexes, cursor, BULK_MODELS)
            self._step("contracts, Kraljic assessments", self.contracts, cursor)
            self._step("assignments", lambda: bulk.assignments(cursor, clock=clock, assigned_by=self.officers[0]))
            self._step("KPI results", lambda: bulk.kpi_results(cursor, clock=clock))
            self._step("KPIs", lambda: bulk.kpis(cursor, clock=clock))
            self._step("meetings and actions", lambda: bulk.meetings(cursor, clock=clock))
            self._step("activities and MI reports", lambda: bulk.activities(cursor, clock=clock))
            self._step("indexes and foreign keys again", bulk.recreate, cursor, recreate)
            self._step(
                "escalations of poor performance",
                lambda: bulk.poor_performance_escalations(cursor, clock=clock, officers=self.officers),
            )
            bulk.reset_sequences(cursor, (Contract, KraljicAssessment, Kpi, Escalation))
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

    # --- Contracts -----------------------------------------------------------------------------

    def _plan(self, number: int, cover: dict) -> tuple[Plan, list]:
        rng, today = self.rng, self.today
        band = cover.get("band") or rng.choices(END_BANDS, weights=[b[3] for b in END_BANDS])[0][0]
        _, first, last, _ = next(b for b in END_BANDS if b[0] == band)
        end = today + timedelta(days=rng.randint(first, last))
        if "status" in cover:
            status = cover["status"]
        elif band == "past":
            status = rng.choices((EXPIRED, ACTIVE, TERMINATED), weights=(80, 10, 10))[0]
        else:
            status = rng.choices((ACTIVE, DRAFT, TERMINATED), weights=(95, 3 if band == "later" else 0, 2))[0]
        term = rng.choices([t for t, _ in TERMS], weights=[w for _, w in TERMS])[0]
        if status == DRAFT:
            start = today + timedelta(days=rng.randint(14, 150))
            end = add_months(start, term) - timedelta(days=1)
        else:
            start = add_months(end, -term) + timedelta(days=1)
            if start > today - timedelta(days=30):
                start = today - timedelta(days=rng.randint(30, 400))
        # Skewed from £10,000 to £50,000,000: many small contracts, a few very large.
        size = rng.random() ** 1.4
        total = Decimal(int(round(10_000 * 5_000**size, -3)))
        annual = (total * 12 / max(term, 12)).quantize(Decimal("0.01"))
        if "quadrant" in cover:
            quadrant = cover["quadrant"]
        elif rng.random() < (0.6 if status == DRAFT else 0.92):
            high_impact = rng.random() < 0.1 + 0.7 * size**1.2
            high_risk = rng.random() < 0.28
            quadrant = {
                (True, True): STRATEGIC,
                (True, False): LEVERAGE,
                (False, True): BOTTLENECK,
                (False, False): NON_CRITICAL,
            }[high_impact, high_risk]
        else:
            quadrant = ""
        if "sro" in cover:
            sro_kind = cover["sro"]
        elif quadrant == STRATEGIC:
            sro_kind = None if rng.random() < 0.15 else ("budget" if rng.random() < 0.92 else "plain")
        elif quadrant == LEVERAGE and total >= 1_000_000:
            sro_kind = "budget" if rng.random() < 0.3 else None
        else:
            sro_kind = "budget" if rng.random() < 0.02 else None
        sro_id = None
        if sro_kind == "budget":
            sro_id = self._skewed(self.budget_sros, 1.3)
        elif sro_kind == "plain":  # breaks the rule that a strategic contract's SRO holds the budget
            sro_id = rng.choice(self.plain_sros)
        oco_id = cover["oco"] if "oco" in cover else (self._skewed(self.ocos, 1.4) if rng.random() < 0.97 else None)
        if "profile" in cover:
            profile = cover["profile"]
        else:
            draw = rng.random()
            profile = POOR if status == ACTIVE and draw < 0.025 else MIXED if draw < 0.175 else GOOD
        live = status in (ACTIVE, DRAFT)
        plan = Plan(
            id=number,
            status=status,
            start=start,
            end=end,
            quadrant=quadrant,
            oco_id=oco_id,
            sro_id=sro_id,
            recorder_id=oco_id or self.officers[0],
            annual_value=annual,
            profile=profile,
            poor_kpis=rng.randint(1, 3),
            poor_months=rng.randint(3, 9),
            plans_ahead=live and rng.random() < (0.85 if quadrant == STRATEGIC else 0.65),
            virtual_meetings=2 if status == ACTIVE and rng.random() < 0.25 else 0,
            activities=0 if status == DRAFT else rng.randint(3, 8),
            escalation=cover.get("escalation", status != DRAFT and rng.random() < 0.02),
            savings=cover.get("savings", rng.randint(1, 3) if status != DRAFT and rng.random() < 0.10 else 0),
        )
        category = rng.choices(self.categories, weights=self.category_weights)[0]
        title = f"{rng.choice(CATEGORIES[category.name][1])} ({rng.choice(AREAS)})"
        extended = add_months(end, rng.choice((12, 24))) if rng.random() < 0.3 else None
        row = [
            number,
            f"SC{start.year}-{number:06d}",
            title,
            "",
            self._skewed(self.suppliers_ids, 2.0),
            category.pk,
            status,
            rng.choices(Contract.Nature.values, weights=(25, 70, 5))[0],
            start,
            end,
            extended,
            rng.choice((30, 60, 90, 90, 120, 180)),
            total,
            total,
            end,
            annual,
            f"CC{rng.randint(1000, 9999)}",
            f"AGR-{100_000 + number}",
            rng.choice(Contract.ProcurementRoute.values),
            oco_id,
            sro_id,
            "",
            quadrant,
            None,  # kraljic_assessment_id: set with the assessments
            self.now,
            self.now,
            1,  # version: the first save
        ]
        return plan, row

    def contracts(self, cursor) -> None:
        self.plans: list[Plan] = []
        rows = []
        for number in range(1, self.n + 1):
            plan, row = self._plan(number, COVER[number - 1] if number <= len(COVER) else {})
            self.plans.append(plan)
            rows.append(row)
        assessments, scores, items = self._kraljic()
        for plan, row in zip(self.plans, rows, strict=True):
            row[CONTRACT_COLUMNS.index("kraljic_assessment_id")] = plan.current_assessment_id
        self._copy(cursor, Contract, CONTRACT_COLUMNS, rows)
        self._copy(cursor, KraljicAssessment, ASSESSMENT_COLUMNS, assessments)
        self._copy(cursor, KraljicScore, ("assessment_id", "criterion_id", "score", "weight"), scores)
        self._copy(
            cursor, ReviewItem, ("review_round_id", "contract_id", "previous_id", "assessment_id", "reviewed_at"), items
        )
        cursor.execute(
            "CREATE TEMP TABLE seed_contract (contract_id bigint PRIMARY KEY, recorder_id bigint NOT NULL, "
            "profile smallint NOT NULL, poor_kpis smallint NOT NULL, poor_months smallint NOT NULL, "
            "cadence_months smallint NOT NULL, meeting_offset integer NOT NULL, plans_ahead boolean NOT NULL, "
            "virtual_meetings smallint NOT NULL, activities smallint NOT NULL) ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY seed_contract FROM STDIN") as copy:
            for plan in self.plans:
                months = CADENCE_MONTHS[CADENCE_BY_QUADRANT.get(plan.quadrant, DEFAULT_CADENCE)]
                copy.write_row(
                    (
                        plan.id,
                        plan.recorder_id,
                        plan.profile,
                        plan.poor_kpis,
                        plan.poor_months,
                        months,
                        self.rng.randrange(months * 28),
                        plan.plans_ahead,
                        plan.virtual_meetings,
                        plan.activities,
                    )
                )
        cursor.execute("ANALYZE seed_contract")

    def _copy(self, cursor, model, columns: tuple[str, ...], rows) -> None:
        with cursor.cursor.copy(f"COPY {table(model)} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def _kraljic(self) -> tuple[list, list, list]:
        """A current assessment for each contract with a quadrant (its scores make that quadrant), and
        the review round of this half-year: contracts reviewed in it have a second, confirming one."""
        rng, today = self.rng, self.today
        thresholds = KraljicSettings.current()
        criteria = list(KraljicCriterion.objects.filter(is_active=True))
        by_axis = {axis: [c for c in criteria if c.axis == axis] for axis in Axis}
        if not all(by_axis.values()):
            raise CommandError("Each Kraljic axis needs an active criterion: run `manage.py migrate` first.")
        # Scores all at or above an axis's threshold make it high; all below it, low.
        high_from = {
            Axis.PROFIT_IMPACT: math.ceil(thresholds.profit_impact_threshold),
            Axis.SUPPLY_RISK: math.ceil(thresholds.supply_risk_threshold),
        }
        highs: dict[str, tuple[bool, bool]] = {
            STRATEGIC: (True, True),
            LEVERAGE: (True, False),
            BOTTLENECK: (False, True),
            NON_CRITICAL: (False, False),
        }
        year, half = ReviewRound.half_of(today)
        opened = date(year, 1 if half == 1 else 7, 1)
        due = round_due_date(year, half)
        review_round = ReviewRound.objects.filter(year=year, half=half).first() or ReviewRound.objects.create(
            year=year, half=half, opened_at=self._at(opened, 7), due_date=due
        )
        if today > due and review_round.closed_at is None:
            review_round.closed_at = self._at(due + timedelta(days=5), 16)
            review_round.closed_by_id = self.officers[0]
            review_round.summary = "No quadrant changed: every contract reviewed was confirmed."
            review_round.save()
        last_review_day = min(today, due)
        reviewed_share = 0.96 if today > due else 0.95 * (today - opened).days / max(1, (due - opened).days)
        earliest_assessment = today - timedelta(days=3 * 365)
        assessments, items = [], []
        scores: list[tuple[int, int, int, Decimal]] = []  # (assessment, criterion, score, weight)
        for plan in self.plans:
            in_review = plan.status == ACTIVE and plan.start <= opened
            reviewed = False
            if plan.quadrant:
                picked = {}
                for axis, high in zip((Axis.PROFIT_IMPACT, Axis.SUPPLY_RISK), highs[plan.quadrant], strict=True):
                    low, top = (high_from[axis], 5) if high else (1, high_from[axis] - 1)
                    if low > top:
                        raise CommandError(f"The Kraljic thresholds leave no room for a {plan.quadrant} contract.")
                    picked.update({c: rng.randint(low, top) for c in by_axis[axis]})
                impact = weighted_score([(c.weight, s) for c, s in picked.items() if c.axis == Axis.PROFIT_IMPACT])
                risk = weighted_score([(c.weight, s) for c, s in picked.items() if c.axis == Axis.SUPPLY_RISK])
                quadrant = thresholds.quadrant(profit_impact=impact, supply_risk=risk)
                if plan.status == DRAFT:
                    assessed = today - timedelta(days=rng.randint(0, 30))
                else:
                    earliest = max(plan.start - timedelta(days=30), earliest_assessment)
                    latest = opened - timedelta(days=1) if in_review else today
                    assessed = earliest + timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))
                versions: list[tuple[int, date, int | None, int | None, str]] = [
                    (plan.id, assessed, None, None, f"Assessed as {Quadrant(quadrant).label.lower()}.")
                ]
                plan.first_assessment_id = plan.current_assessment_id = plan.id
                reviewed = in_review and rng.random() < reviewed_share
                if reviewed:
                    confirmed = opened + timedelta(days=rng.randint(0, (last_review_day - opened).days))
                    plan.current_assessment_id = self.n + plan.id
                    rationale = f"Confirmed in the {review_round.label} review."
                    versions.append((self.n + plan.id, confirmed, review_round.pk, plan.id, rationale))
                for pk, on, round_id, confirms, rationale in versions:
                    officer = rng.choice(self.officers)
                    at = self._at(on, 12)
                    assessments.append(
                        (pk, plan.id, impact, risk, quadrant, rationale, officer, on, at, round_id, confirms)
                    )
                    scores.extend((pk, c.pk, score, c.weight) for c, score in picked.items())
            if in_review:
                reviewed_at = self._at(assessments[-1][7], 11) if reviewed else None
                current = plan.current_assessment_id if reviewed else None
                items.append((review_round.pk, plan.id, plan.first_assessment_id, current, reviewed_at))
        return assessments, scores, items

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


CONTRACT_COLUMNS = (
    "id", "reference", "title", "description", "supplier_id", "category_id", "status", "nature", "start_date",
    "end_date", "extended_end_date", "notice_period_days", "total_value", "original_total_value",
    "original_end_date", "annual_value", "cost_centre", "finance_reference", "procurement_route", "oco_id",
    "sro_id", "operational_notes", "kraljic_quadrant", "kraljic_assessment_id", "created_at", "updated_at",
    "version",
)  # fmt: skip
ASSESSMENT_COLUMNS = (
    "id", "contract_id", "profit_impact", "supply_risk", "quadrant", "rationale", "assessed_by_id", "assessed_on",
    "created_at", "review_round_id", "confirms_id",
)  # fmt: skip
