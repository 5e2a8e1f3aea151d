"""British formatting used across the site: pounds, dates and day counts."""

from datetime import date, datetime
from decimal import Decimal

from django.utils.dateformat import format as date_format


def long_date(day: date | datetime) -> str:
    """25 Nov 2026: the date as messages, notifications and notices write it."""
    return date_format(day, "j M Y")


def pounds(value) -> str:
    """£1,250,000 for whole pounds, £1,250.50 otherwise; blank values as an em dash."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value == value.to_integral_value():
        return f"{sign}£{value:,.0f}"
    return f"{sign}£{value:,.2f}"


def days_phrase(days: int) -> str:
    """'in 12 days', 'today', '3 days ago'."""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    if days > 0:
        return f"in {days:,} days"
    return f"{-days:,} days ago"
