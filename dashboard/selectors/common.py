"""What the dashboard's figures share."""

from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

ZERO = Decimal("0")
# The renewal bands of the dashboard, in months from today: [start, end).
BANDS = (("0-3", 0, 3), ("3-6", 3, 6), ("6-12", 6, 12))
HEATMAP_ROWS = 15


def sum_of(field_name: str, **filters) -> Coalesce:
    return Coalesce(Sum(field_name, filter=Q(**filters) if filters else None), ZERO)
