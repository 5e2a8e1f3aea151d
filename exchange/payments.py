"""Paying suppliers on time (Procurement Act 2023, sections 68 and 69): the days an invoice took to pay
and the figures over any set of invoices, written once here, in SQL (`Invoice.objects.payment_figures`)
and for one invoice (`days_to_pay`).

Days are counted from the later of the day the invoice was received and the day it became valid; for a
disputed invoice, the time in dispute is left out as the Act allows (counting starts when the dispute was
resolved). An invoice still in dispute (no resolution date) is not counted, nor is one not yet paid.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.db.models import Avg, Case, Count, F, Func, IntegerField, Q, When

LATE_AFTER_DAYS = 30
VERY_LATE_AFTER_DAYS = 60


def days_to_pay(
    *, received_on: date, valid_from: date, paid_on: date | None, disputed: bool, dispute_resolved_on: date | None
) -> int | None:
    """The days one invoice took to pay, or None when it does not count (unpaid, or still in dispute)."""
    if paid_on is None or (disputed and dispute_resolved_on is None):
        return None
    start = max(received_on, valid_from, dispute_resolved_on if disputed and dispute_resolved_on else received_on)
    return max((paid_on - start).days, 0)


class DaysToPay(Func):
    """`days_to_pay` in SQL, for PostgreSQL and SQLite (the demo)."""

    output_field = IntegerField()

    def __init__(self, **extra):
        resolved = Case(When(disputed=True, then=F("dispute_resolved_on")), default=F("received_on"))
        super().__init__(F("paid_on"), F("received_on"), F("valid_from"), resolved, **extra)

    def _parts(self, compiler):
        parts, params = [], []
        for expression in self.source_expressions:
            sql, sql_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(sql_params)
        return parts, params

    def as_postgresql(self, compiler, connection, **extra_context):
        (paid, received, valid, resolved), params = self._parts(compiler)
        return f"GREATEST(({paid}) - GREATEST({received}, {valid}, {resolved}), 0)", params

    def as_sqlite(self, compiler, connection, **extra_context):
        (paid, received, valid, resolved), params = self._parts(compiler)
        sql = f"MAX(CAST(julianday({paid}) - julianday(MAX({received}, {valid}, {resolved})) AS INTEGER), 0)"
        return sql, params


def _counted(start: date | None, end: date | None) -> Q:
    q = Q(paid_on__isnull=False) & ~Q(disputed=True, dispute_resolved_on__isnull=True)
    if start is not None:
        q &= Q(paid_on__gte=start)
    if end is not None:
        q &= Q(paid_on__lte=end)
    return q


FIGURES = {
    "invoices": Count("pk"),
    "within_30": Count("pk", filter=Q(days__lte=LATE_AFTER_DAYS)),
    "within_60": Count("pk", filter=Q(days__gt=LATE_AFTER_DAYS, days__lte=VERY_LATE_AFTER_DAYS)),
    "over_60": Count("pk", filter=Q(days__gt=VERY_LATE_AFTER_DAYS)),
    "average_days": Avg("days"),
}


def figures_shares(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures with each band's share in per cent (whole numbers, as the notice gives them)."""
    total = figures["invoices"] or 0
    shares = {
        f"{band}_percent": round(100 * figures[band] / total) if total else None
        for band in ("within_30", "within_60", "over_60")
    }
    average = figures["average_days"]
    return {**figures, **shares, "average_days": round(float(average), 1) if average is not None else None}


class PaymentFiguresMixin:
    """The invoices' queryset methods: the days to pay, and the figures over any period."""

    def with_days_to_pay(self):
        return self.annotate(days=DaysToPay())  # type: ignore[attr-defined]

    def counted(self, *, start: date | None = None, end: date | None = None):
        """The invoices paid in the period (both days included) that count in the figures."""
        return self.filter(_counted(start, end))  # type: ignore[attr-defined]

    def payment_figures(
        self, *, start: date | None = None, end: date | None = None, group_by: Sequence[str] | None = None
    ):
        """Invoices paid in the period within 30 days, 31 to 60 and 61 or more, and the average days to pay:
        a dict for the whole queryset, or with `group_by` (`["contract", "contract__reference"]`,
        `["supplier", ...]`) one row (a dict) per group, in the order of those fields."""
        rows = self.counted(start=start, end=end).with_days_to_pay()
        if group_by is None:
            return figures_shares(rows.aggregate(**FIGURES))
        return rows.order_by().values(*group_by).annotate(**FIGURES).order_by(*group_by)


# Section 69 (in force in England from 1 January 2026): a payments compliance notice for each six-month
# reporting period, 1 April to 30 September and 1 October to 31 March, within 30 days after its end. The
# register lists the periods from the first that begins after the section came into force.
PAYMENTS_REPORTING_FROM = date(2026, 4, 1)
NOTICE_DUE_AFTER_DAYS = 30


def reporting_periods(*, today: date) -> list[tuple[date, date]]:
    """Each reporting period from the first to the one `today` falls in, the latest first."""
    periods = []
    start = PAYMENTS_REPORTING_FROM
    while start <= today:
        end = date(start.year, 9, 30) if start.month == 4 else date(start.year + 1, 3, 31)
        periods.append((start, end))
        start = end + timedelta(days=1)
    return periods[::-1]


def notice_due_on(period_end: date) -> date:
    return period_end + timedelta(days=NOTICE_DUE_AFTER_DAYS)


# Section 70 (from 1 April 2026, for procurements begun from then): each payment over £30,000 under a public
# contract, published within 30 days after the quarter (1 Apr-30 Jun, 1 Jul-30 Sep, 1 Oct-31 Dec, 1 Jan-31 Mar).
PAYMENT_INFORMATION_FROM = date(2026, 4, 1)
PAYMENT_INFORMATION_OVER = 30_000


def quarters(*, today: date) -> list[tuple[date, date]]:
    """Each quarter from the first to the one `today` falls in, the latest first."""
    result = []
    start = PAYMENT_INFORMATION_FROM
    while start <= today:
        following = date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
        result.append((start, following - timedelta(days=1)))
        start = following
    return result[::-1]
