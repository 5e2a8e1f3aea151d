"""The Procurement Act 2023 ratings of a KPI result, from its target, direction and thresholds.

Pure functions, no database."""

from decimal import Decimal

from django.db import models


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Rating(models.TextChoices):
    GOOD = "good", "Good"
    APPROACHING = "approaching", "Approaching target"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"
    OTHER = "other", "Other"


# Each rating's words, by its value: a dict lookup where hundreds of results are shown.
RATING_WORDS: dict[str, str] = dict(Rating.choices)

# Ratings that count towards persistent poor performance.
POOR = {Rating.REQUIRES_IMPROVEMENT, Rating.INADEQUATE}


def rate(*, actual: Decimal, target: Decimal, direction: str, tolerance: Decimal, inadequate_threshold: Decimal) -> str:
    """Good when the target is met; Approaching target within the tolerance of it; Inadequate
    beyond the inadequate threshold; Requires improvement in between."""
    if direction == Direction.HIGHER:
        if actual >= target:
            return Rating.GOOD
        if actual >= target - tolerance:
            return Rating.APPROACHING
        if actual < inadequate_threshold:
            return Rating.INADEQUATE
        return Rating.REQUIRES_IMPROVEMENT
    if actual <= target:
        return Rating.GOOD
    if actual <= target + tolerance:
        return Rating.APPROACHING
    if actual > inadequate_threshold:
        return Rating.INADEQUATE
    return Rating.REQUIRES_IMPROVEMENT
