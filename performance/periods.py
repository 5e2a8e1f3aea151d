"""Reporting periods of a KPI: they follow from its start date and frequency.

A monthly KPI starting on 15 January reports on 15 Jan - 14 Feb, 15 Feb - 14 Mar,
and so on; each period starts the same day of the month (clamped at the month's
end: a KPI starting on 31 January has a period starting on 28 or 29 February).
Pure date arithmetic, no database."""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from django.db import models

from core.dates import add_months


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    SIX_MONTHLY = "six_monthly", "Six-monthly"
    ANNUAL = "annual", "Annual"


MONTHS: dict[str, int] = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.SIX_MONTHLY: 6, Frequency.ANNUAL: 12}

# A result is due within this many days after its period ends; after that it is overdue.
RESULT_DUE_DAYS = 14


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def due_on(self) -> date:
        return self.end + timedelta(days=RESULT_DUE_DAYS)


def _period(start: date, months: int, index: int) -> Period:
    # Each boundary from the start date itself, so clamping at one month's end does not drift.
    return Period(add_months(start, index * months), add_months(start, (index + 1) * months) - timedelta(days=1))


def _first_index(start: date, months: int, since: date) -> int:
    """The index of the first period ending on or after `since` (0 when `since` is before the start)."""
    if since <= start:
        return 0
    index = max(0, ((since.year - start.year) * 12 + since.month - start.month) // months - 1)
    while _period(start, months, index).end < since:
        index += 1
    return index


def periods_between(*, start: date, frequency: str, until: date, since: date | None = None) -> list[Period]:
    """Every period that has started on or before `until` (and, given `since`, ends on or after it:
    walked from there, not from the start, so a KPI of many years costs no more than a new one)."""
    return list(_periods_between(start, frequency, until, since))


@lru_cache(maxsize=4096)  # the same KPIs' periods on every page (a Period is frozen, so they may be shared)
def _periods_between(start: date, frequency: str, until: date, since: date | None) -> tuple[Period, ...]:
    months = MONTHS[frequency]
    periods, index = [], _first_index(start, months, since) if since else 0
    while (period := _period(start, months, index)).start <= until:
        periods.append(period)
        index += 1
    return tuple(periods)


def period_containing(*, start: date, frequency: str, day: date) -> Period | None:
    if day < start:
        return None
    months = MONTHS[frequency]
    index = max(0, ((day.year - start.year) * 12 + day.month - start.month) // months - 1)
    while True:
        period = _period(start, months, index)
        if period.start <= day <= period.end:
            return period
        index += 1
