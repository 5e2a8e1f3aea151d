"""British formatting used across the site: pounds, dates and day counts."""

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from django.utils.dateformat import format as date_format
from django.utils.formats import date_format as localized_date_format
from django.utils.translation import get_language


def long_date(day: date | datetime) -> str:
    """25 Nov 2026: the date as messages, notifications and notices write it."""
    if type(day) is date:
        return day_text(day, "j M Y")
    return date_format(day, "j M Y")


def day_text(day: date, fmt: str | None = None) -> str:
    """A calendar day in a date format (DATE_FORMAT when none), as Django's `date` filter writes it,
    worked out once per format and language: lists show hundreds of dates, and each is otherwise worked
    out afresh (the format parsed, the month's name looked up)."""
    return _day_text(day, fmt, get_language())


@lru_cache(maxsize=4096)
def _day_text(day: date, fmt: str | None, language: str | None) -> str:
    return localized_date_format(day, fmt)


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


def compact_pounds(value) -> str:
    """£75.3m, £850k, £1.2bn: a headline sum at a glance (the exact figure goes beside it)."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 10_000:
        for size, suffix in ((10**9, "bn"), (10**6, "m"), (10**3, "k")):
            figure = (value / size).quantize(Decimal("0.1"))
            if figure >= 1:
                return f"{sign}£{figure:,.1f}".removesuffix(".0") + suffix
    return f"{sign}£{round(value):,}"


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
