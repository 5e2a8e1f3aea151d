"""The contracts of the scale register: what is decided about each one, drawn in Python, written
with COPY with its Kraljic assessments and review items, and the temporary table `seed_contract`
from which SQL fills in the big tables."""

# ruff: noqa: S311, S608 - seeded pseudo-random data, not secrets; SQL built from model table names.

import math
import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.management.base import CommandError
from django.db.backends.utils import CursorWrapper

from contracts.models import Category, Contract, ContractAssignment, kraljic
from contracts.services.kraljic import round_due_date, weighted_score
from core.dates import add_months
from demo.scale.data import (
    ACTIVE,
    AREAS,
    BOTTLENECK,
    CATEGORIES,
    COVER,
    DRAFT,
    END_BANDS,
    EXPIRED,
    GOOD,
    LEVERAGE,
    MIXED,
    NON_CRITICAL,
    POOR,
    STRATEGIC,
    TERMINATED,
    TERMS,
    Clock,
    Plan,
)
from demo.scale.rows import copy_rows, insert_select, table
from meetings.schedule import CADENCE_BY_QUADRANT, CADENCE_MONTHS, DEFAULT_CADENCE


class ContractPlans:
    """The contract half of ScaleRegister (demo/scale/register.py), whose people and suppliers it draws on."""

    # What ScaleRegister sets up before it plans the contracts.
    n: int
    rng: random.Random
    now: datetime
    today: date
    officers: list[int]
    ocos: list[int]
    budget_sros: list[int]
    plain_sros: list[int]
    categories: list[Category]
    category_weights: list[int]
    suppliers_ids: list[int]

    if TYPE_CHECKING:
        # ScaleRegister's own.
        def _at(self, day: date, hour: int = 10) -> datetime: ...

        def _skewed(self, choices: list[int], power: float = 1.5) -> int: ...

    # --- Contracts -----------------------------------------------------------------------------

    def _plan(self, number: int, cover: dict) -> tuple[Plan, dict]:
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
        row = {
            "id": number,
            "reference": f"SC{start.year}-{number:06d}",
            "title": title,
            "supplier_id": self._skewed(self.suppliers_ids, 2.0),
            "category_id": category.pk,
            "status": status,
            "nature": rng.choices(Contract.Nature.values, weights=(25, 70, 5))[0],
            "start_date": start,
            "end_date": end,
            "extended_end_date": extended,
            "notice_period_days": rng.choice((30, 60, 90, 90, 120, 180)),
            "total_value": total,
            "original_total_value": total,
            "original_end_date": end,
            "annual_value": annual,
            "cost_centre": f"CC{rng.randint(1000, 9999)}",
            "finance_reference": f"AGR-{100_000 + number}",
            "procurement_route": rng.choice(Contract.ProcurementRoute.values),
            "oco_id": oco_id,
            "sro_id": sro_id,
            "kraljic_quadrant": quadrant,
            "kraljic_assessment_id": None,  # set with the assessments
        }
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
            row["kraljic_assessment_id"] = plan.current_assessment_id
        # The rest of each table's columns (created_at, version, the text fields left blank) as the models say.
        copy_rows(cursor, Contract, rows, now=self.now)
        copy_rows(cursor, kraljic.KraljicAssessment, assessments, now=self.now)
        copy_rows(cursor, kraljic.KraljicScore, scores, now=self.now)
        copy_rows(cursor, kraljic.ReviewItem, items, now=self.now)
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

    def _kraljic(self) -> tuple[list, list, list]:
        """A current assessment for each contract with a quadrant (its scores make that quadrant), and
        the review round of this half-year: contracts reviewed in it have a second, confirming one."""
        rng, today = self.rng, self.today
        thresholds = kraljic.KraljicSettings.current()
        criteria = list(kraljic.KraljicCriterion.objects.filter(is_active=True))
        by_axis = {axis: [c for c in criteria if c.axis == axis] for axis in kraljic.Axis}
        if not all(by_axis.values()):
            raise CommandError("Each Kraljic axis needs an active criterion: run `manage.py migrate` first.")
        # Scores all at or above an axis's threshold make it high; all below it, low.
        high_from = {
            kraljic.Axis.PROFIT_IMPACT: math.ceil(thresholds.profit_impact_threshold),
            kraljic.Axis.SUPPLY_RISK: math.ceil(thresholds.supply_risk_threshold),
        }
        highs: dict[str, tuple[bool, bool]] = {
            STRATEGIC: (True, True),
            LEVERAGE: (True, False),
            BOTTLENECK: (False, True),
            NON_CRITICAL: (False, False),
        }
        year, half = kraljic.ReviewRound.half_of(today)
        opened = date(year, 1 if half == 1 else 7, 1)
        due = round_due_date(year, half)
        review_round = kraljic.ReviewRound.objects.filter(
            year=year, half=half
        ).first() or kraljic.ReviewRound.objects.create(
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
        assessments: list[dict[str, Any]] = []
        scores: list[dict[str, Any]] = []
        items: list[dict[str, Any]] = []
        for plan in self.plans:
            in_review = plan.status == ACTIVE and plan.start <= opened
            reviewed = False
            if plan.quadrant:
                picked = {}
                for axis, high in zip(
                    (kraljic.Axis.PROFIT_IMPACT, kraljic.Axis.SUPPLY_RISK), highs[plan.quadrant], strict=True
                ):
                    low, top = (high_from[axis], 5) if high else (1, high_from[axis] - 1)
                    if low > top:
                        raise CommandError(f"The Kraljic thresholds leave no room for a {plan.quadrant} contract.")
                    picked.update({c: rng.randint(low, top) for c in by_axis[axis]})
                impact = weighted_score(
                    [(c.weight, s) for c, s in picked.items() if c.axis == kraljic.Axis.PROFIT_IMPACT]
                )
                risk = weighted_score([(c.weight, s) for c, s in picked.items() if c.axis == kraljic.Axis.SUPPLY_RISK])
                quadrant = thresholds.quadrant(profit_impact=impact, supply_risk=risk)
                if plan.status == DRAFT:
                    assessed = today - timedelta(days=rng.randint(0, 30))
                else:
                    earliest = max(plan.start - timedelta(days=30), earliest_assessment)
                    latest = opened - timedelta(days=1) if in_review else today
                    assessed = earliest + timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))
                versions: list[tuple[int, date, int | None, int | None, str]] = [
                    (plan.id, assessed, None, None, f"Assessed as {kraljic.Quadrant(quadrant).label.lower()}.")
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
                        {
                            "id": pk,
                            "contract_id": plan.id,
                            "profit_impact": impact,
                            "supply_risk": risk,
                            "quadrant": quadrant,
                            "rationale": rationale,
                            "assessed_by_id": officer,
                            "assessed_on": on,
                            "created_at": at,
                            "review_round_id": round_id,
                            "confirms_id": confirms,
                        }
                    )
                    scores.extend(
                        {"assessment_id": pk, "criterion_id": c.pk, "score": score, "weight": c.weight}
                        for c, score in picked.items()
                    )
            if in_review:
                reviewed_at = self._at(assessments[-1]["assessed_on"], 11) if reviewed else None
                current = plan.current_assessment_id if reviewed else None
                items.append(
                    {
                        "review_round_id": review_round.pk,
                        "contract_id": plan.id,
                        "previous_id": plan.first_assessment_id,
                        "assessment_id": current,
                        "reviewed_at": reviewed_at,
                    }
                )
        return assessments, scores, items


def assignments(cursor: CursorWrapper, *, clock: Clock, assigned_by: int) -> None:
    """The current OCO and SRO assignment of each contract, open since it started."""
    contracts = table(Contract)
    insert_select(
        cursor,
        ContractAssignment,
        f"""
        SELECT id AS contract_id, role, user_id,
               (least(start_date, %(today)s) + time '09:00') AT TIME ZONE %(tz)s AS started_at, %(by)s AS assigned_by_id
        FROM (
            SELECT id, 'oco' AS role, oco_id AS user_id, start_date FROM {contracts} WHERE oco_id IS NOT NULL
            UNION ALL
            SELECT id, 'sro', sro_id, start_date FROM {contracts} WHERE sro_id IS NOT NULL
        ) holders
        """,
        {"today": clock.today, "tz": clock.tz, "by": assigned_by},
        now=clock.now,
    )
