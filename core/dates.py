"""Date arithmetic shared by the register and the apps above it."""

import calendar
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError

# The dates the register takes: wide enough for any real contract, meeting or record, and far enough
# from the ends of Python's calendar (years 1 and 9999) that the date arithmetic of periods, notice
# dates and reminders (months and days added or taken away) never runs off it.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's last day (31 Aug + 6 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def validate_register_date(value: date | datetime) -> None:
    """Refuse a date outside EARLIEST_DATE to LATEST_DATE (a typing slip: 0202 for 2026, 9999 for "never")."""
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        earliest, latest = (f"{d.day} {d:%b %Y}" for d in (EARLIEST_DATE, LATEST_DATE))
        raise ValidationError(f"Enter a date between {earliest} and {latest}.", code="date_out_of_range")


def financial_year_of(day: date) -> int:
    """The year a UK financial year starts: 2026 is April 2026 to March 2027."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(year: int) -> str:
    """2026 -> "2026-27"."""
    return f"{year}-{str(year + 1)[-2:]}"


def add_working_days(day: date, days: int) -> date:
    """The day `days` working days (Monday to Friday) after `day`. Bank holidays are not counted
    out: a respond-by date may fall on one, a day earlier than strictly due, never later."""
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day
