"""A small, varied portfolio for the dashboard tests, and straightforward computations of each
panel's figures over it (Python loops over every row: slow, obviously right)."""

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from django.utils import timezone

from accounts.models import TrainingRecord
from contracts.models import Contract, Escalation, Quadrant, ReviewItem, ReviewRound, Saving
from core.dates import add_months
from meetings.models import Action, Meeting
from meetings.schedule import State
from meetings.selectors import schedule_from_facts, with_meeting_facts
from meetings.services.dates import last_held_rebuild
from performance.models import Kpi, KpiResult
from performance.ratings import POOR, Rating
from performance.services.kpi_ratings import kpi_ratings_rebuild
from performance.services.rating_months import rating_months_rebuild
from tests import factories
from tests.meeting_factories import ActionFactory, MeetingFactory
from tests.performance_factories import KpiFactory

TODAY = dt.date(2026, 11, 25)
CATEGORIES = ("ICT", "Fleet", "Estates and facilities")


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def build_portfolio(size: int, *, ocos, sros, recorder, seed: int = 7) -> list[Contract]:
    """`size` contracts of every status, quadrant and renewal band, with KPIs and results, meetings,
    actions, escalations, savings and a review round. Run with the clock pinned to TODAY."""
    rng = random.Random(seed)
    categories = [factories.CategoryFactory(name=name) for name in CATEGORIES]
    statuses = [Contract.Status.ACTIVE] * 5 + [
        Contract.Status.EXPIRED,
        Contract.Status.DRAFT,
        Contract.Status.TERMINATED,
    ]
    contracts = []
    # The first few make sure every panel has something to show, whatever the seed.
    fixed = [
        {"status": Contract.Status.ACTIVE, "end_date": TODAY + dt.timedelta(days=40), "notice_period_days": 30},
        {"status": Contract.Status.ACTIVE, "end_date": TODAY - dt.timedelta(days=20)},
        {"status": Contract.Status.ACTIVE, "kraljic_quadrant": Quadrant.STRATEGIC, "sro": None},
        {"status": Contract.Status.ACTIVE, "kraljic_quadrant": Quadrant.STRATEGIC, "sro": sros[-1]},
        {"status": Contract.Status.ACTIVE, "oco": None},
    ]
    for index in range(size):
        end = TODAY + dt.timedelta(days=rng.randint(-120, 500))
        attributes = {
            "status": rng.choice(statuses),
            "category": rng.choice(categories),
            "start_date": min(end, TODAY) - dt.timedelta(days=rng.randint(60, 1000)),
            "end_date": end,
            "notice_period_days": rng.choice([30, 90, 180]),
            "total_value": Decimal(rng.randint(1, 900) * 1000),
            "annual_value": Decimal(rng.randint(1, 300) * 1000),
            "kraljic_quadrant": rng.choice([*Quadrant.values, ""]),
            "oco": rng.choice([*ocos, None]),
            "sro": rng.choice([*sros, None]),
        }
        if index < len(fixed):
            attributes.update(fixed[index])
            attributes["start_date"] = min(attributes["end_date"], TODAY) - dt.timedelta(days=400)
        contract = factories.ContractFactory(**attributes)
        contracts.append(contract)
        _performance(contract, rng, recorder)
        _meetings(contract, rng, recorder)
        if rng.random() < 0.4 or index == 0:
            Escalation.objects.create(
                contract=contract,
                source=rng.choice(Escalation.Source.values),
                severity=rng.choice(Escalation.Severity.values),
                status=rng.choice(Escalation.Status.values) if index else Escalation.Status.OPEN,
                title="Service failures",
                raised_on=TODAY - dt.timedelta(days=rng.randint(0, 300)),
            )
        if rng.random() < 0.3 or index == 0:
            achieved = TODAY - dt.timedelta(days=rng.randint(0, 500) if index else 10)
            Saving.objects.create(
                contract=contract,
                kind=rng.choice(Saving.Kind.values),
                amount=Decimal(rng.randint(1, 50) * 1000),
                achieved_on=achieved,
                financial_year=Saving.financial_year_of(achieved),
                description="Renegotiated rates",
                recorded_by=recorder,
            )
    Kpi.objects.refresh_latest()
    # The results and meetings went in with bulk_create and factories, as seed_scale's with SQL.
    rating_months_rebuild()
    kpi_ratings_rebuild()
    last_held_rebuild()
    for oco in ocos[::2]:
        TrainingRecord.objects.get_or_create(user=oco, completed_on=TODAY - dt.timedelta(days=100))
    review_round, _ = ReviewRound.objects.get_or_create(
        year=2026, half=2, defaults={"opened_at": _at(dt.date(2026, 7, 1)), "due_date": dt.date(2026, 8, 31)}
    )
    for contract in contracts[::2]:
        ReviewItem.objects.create(review_round=review_round, contract=contract)
    return contracts


def _performance(contract: Contract, rng: random.Random, recorder) -> None:
    for _ in range(rng.randint(0, 3)):
        kpi = KpiFactory(contract=contract, start_date=dt.date(2025, 9, 1), is_active=rng.random() < 0.9)
        month = dt.date(2025, 9, 1)
        results = []
        while month < dt.date(2026, 11, 1):
            if rng.random() < 0.85:
                actual = Decimal(rng.choice([99, 96, 92, 85, 70]))
                override = rng.choice([""] * 8 + [Rating.OTHER, Rating.GOOD])
                results.append(
                    KpiResult(
                        kpi=kpi,
                        period_start=month,
                        period_end=add_months(month, 1) - dt.timedelta(days=1),
                        actual=actual,
                        rating=kpi.rate(actual),
                        rating_override=override,
                        override_reason="Agreed with the supplier" if override else "",
                        recorded_by=recorder,
                    )
                )
            month = add_months(month, 1)
        KpiResult.objects.bulk_create(results)


def _meetings(contract: Contract, rng: random.Random, recorder) -> None:
    for _ in range(rng.randint(0, 3)):
        day = TODAY + dt.timedelta(days=rng.randint(-500, 300))
        past = day < TODAY
        status = rng.choice(
            [Meeting.Status.HELD, Meeting.Status.HELD, Meeting.Status.CANCELLED]
            if past
            else [Meeting.Status.PLANNED, Meeting.Status.PLANNED, Meeting.Status.POSTPONED]
        )
        meeting = MeetingFactory(
            contract=contract,
            kind=rng.choice([Meeting.Kind.FACE_TO_FACE] * 3 + [Meeting.Kind.VIRTUAL]),
            starts_at=_at(day),
            arranged_on=day - dt.timedelta(days=rng.randint(10, 300)),
            # When it was due (derived, not drawn, so the other draws stay as they were): some late.
            due_on=day + dt.timedelta(days=(day.toordinal() % 4 - 1) * 45),
            status=status,
            minutes=rng.choice(["", "Minutes agreed"]) if status == Meeting.Status.HELD else "",
            created_by=recorder,
        )
        if past and rng.random() < 0.6:
            ActionFactory(
                meeting=meeting,
                owner=recorder,
                due_date=day + dt.timedelta(days=rng.randint(1, 60)),
                done_on=rng.choice([None, day + dt.timedelta(days=5)]),
            )


# --- Straightforward computations -------------------------------------------------------------


def effective(result: KpiResult) -> str:
    return result.rating_override or result.rating


def latest_ratings(contracts) -> Counter:
    """Active KPIs of active contracts by the rating of their latest result (Python over every result)."""
    counts = Counter()
    for contract in contracts:
        if contract.status != Contract.Status.ACTIVE:
            continue
        for kpi in Kpi.objects.filter(contract=contract, is_active=True):
            results = sorted(KpiResult.objects.filter(kpi=kpi), key=lambda r: r.period_start)
            counts[effective(results[-1]) if results else ""] += 1
    return counts


def poor_contracts(contracts) -> set[int]:
    poor = set()
    for kpi in Kpi.objects.filter(is_active=True, contract__status=Contract.Status.ACTIVE, contract__in=contracts):
        results = sorted(KpiResult.objects.filter(kpi=kpi), key=lambda r: r.period_start)
        if results and effective(results[-1]) in POOR:
            poor.add(kpi.contract_id)
    return poor


def arrange_by_passed(contracts) -> set[int]:
    annotated = with_meeting_facts(
        Contract.objects.filter(pk__in=[c.pk for c in contracts], status=Contract.Status.ACTIVE)
    )
    return {c.pk for c in annotated if schedule_from_facts(c, today=TODAY).state == State.PASSED}


def short_notice(contracts) -> set[int]:
    since = add_months(TODAY, -12)
    return {
        m.pk
        for m in Meeting.objects.filter(contract__in=contracts)
        if m.is_short_notice
        and since <= m.local_date
        and m.starts_at < timezone.now()
        and m.status not in (Meeting.Status.CANCELLED, Meeting.Status.POSTPONED)
    }


def arranged_late(contracts) -> dict[str, set[int]]:
    """Meetings of the last 12 months and ahead by Meeting.lateness, in Python."""
    since = add_months(TODAY, -12)
    found: dict[str, set[int]] = {"late": set(), "arranged_late": set()}
    for meeting in Meeting.objects.filter(contract__in=contracts):
        if meeting.lateness and meeting.local_date >= since:
            found[meeting.lateness].add(meeting.pk)
    return found


def without_minutes(contracts) -> set[int]:
    return {
        m.pk
        for m in Meeting.objects.filter(contract__in=contracts)
        if m.status == Meeting.Status.HELD and not m.has_minutes
    }


def overdue_actions(contracts) -> set[int]:
    return {a.pk for a in Action.objects.filter(meeting__contract__in=contracts) if a.is_overdue}
