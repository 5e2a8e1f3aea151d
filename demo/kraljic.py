"""Demo Kraljic data: last half-year's round, completed and closed, and this half-year's round, open.

Safe to run twice: nothing is done when any review round exists."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from contracts import services
from contracts.models import Contract, KraljicCriterion, ReviewItem, ReviewRound
from contracts.services.kraljic import round_due_date

# Category -> (share of category spend, impact on policing, alternatives, switching, market, public safety)
CATEGORY_SCORES = {
    "Fleet": (4, 4, 2, 3, 2, 4),
    "ICT": (4, 5, 3, 4, 3, 4),
    "Estates and facilities": (3, 2, 1, 2, 2, 2),
    "Forensics": (3, 5, 4, 4, 4, 5),
    "Custody": (4, 5, 4, 4, 3, 5),
    "Uniform and equipment": (2, 3, 2, 2, 2, 3),
    "Professional services": (2, 1, 1, 1, 1, 1),
    "Communications": (3, 4, 4, 5, 3, 5),
}


def _annual_value_score(value: Decimal) -> int:
    for score, floor in ((5, 1_000_000), (4, 250_000), (3, 100_000), (2, 25_000)):
        if value >= floor:
            return score
    return 1


def _scores(contract: Contract, criteria: list[KraljicCriterion]) -> dict[int, int]:
    share, impact, alternatives, switching, market, safety = CATEGORY_SCORES.get(contract.category.name, (2,) * 6)
    by_name = {
        "Annual value": _annual_value_score(contract.annual_value),
        "Share of category spend": share,
        "Impact on operational policing and service quality": impact,
        "Number of alternative suppliers": alternatives,
        "Switching difficulty and time": switching,
        "Market stability": market,
        "Criticality to public safety": safety,
    }
    return {c.pk: by_name.get(c.name, 3) for c in criteria}


def seed(*, today: date, users: dict[str, User]) -> None:
    if ReviewRound.objects.exists():
        return
    procurement = users["procurement"]
    criteria = list(KraljicCriterion.objects.filter(is_active=True))
    year, half = ReviewRound.half_of(today)
    last_year, last_half = (year, 1) if half == 2 else (year - 1, 2)
    opened_on = date(last_year, 1 if last_half == 1 else 7, 1)
    past = ReviewRound.objects.create(
        year=last_year,
        half=last_half,
        opened_at=timezone.make_aware(datetime(opened_on.year, opened_on.month, 1, 7)),
        due_date=round_due_date(last_year, last_half),
    )
    contracts = list(Contract.objects.active().select_related("category", "sro").order_by("reference"))
    ReviewItem.objects.bulk_create(ReviewItem(review_round=past, contract=c) for c in contracts)
    assessed_on = date(opened_on.year, opened_on.month + 1, 10)
    for contract in contracts:
        services.assessment_record(
            contract=contract,
            scores=_scores(contract, criteria),
            rationale=f"Assessed in the {past.label} review from the market and service picture.",
            by=procurement,
            review_round=past,
            on=assessed_on,
        )
    services.review_round_close(review_round=past, by=procurement)

    # This half-year's round is open; a third of it is done.
    current, _ = services.review_round_open(today=today)
    for number, item in enumerate(current.items.select_related("contract", "previous__review_round")):
        if number % 3 == 0 and item.previous is not None:
            services.assessment_confirm(item=item, by=procurement)
