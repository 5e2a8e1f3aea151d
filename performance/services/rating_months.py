"""The monthly rating counts (RatingMonth) the dashboard's trend reads instead of every result.

`rating_count_move` is called by each service that records, overrides or deletes a result, in its
transaction: it moves one result of a contract's month from one rating to another ("" for none).
Counts change by UPDATE ... SET results = results + 1, so two writers on the same row wait for each
other rather than one overwriting the other. `rating_months_rebuild` counts them all again from the
results (after seeding with SQL, after deleting contracts or KPIs in the admin, or to check)."""

from datetime import date

from django.db import connection, transaction
from django.db.models import Case, Count, F, When
from django.db.models.functions import TruncMonth

from performance.models import KpiResult, RatingMonth


def _add(*, contract_id: int | None, month: date, rating: str, change: int) -> None:
    owner = {"contract_id": contract_id} if contract_id is not None else {"contract__isnull": True}
    row, _ = RatingMonth.objects.get_or_create(**owner, month=month, rating=rating)
    RatingMonth.objects.filter(pk=row.pk).update(results=F("results") + change)


@transaction.atomic
def rating_count_move(*, contract_id: int, period_start: date, before: str, after: str) -> None:
    """One result of the contract, for the period starting `period_start`, was rated `before` and is
    now rated `after` ("" when it did not exist, or no longer does)."""
    if before == after:
        return
    month = period_start.replace(day=1)
    changes = sorted([(before, -1), (after, 1)] if before and after else [(before or after, -1 if before else 1)])
    # The same order in every transaction (contract rows, then the register's, by rating): no deadlock.
    for owner in (contract_id, None):
        for rating, change in changes:
            _add(contract_id=owner, month=month, rating=rating, change=change)


def monthly_counts():
    """The straightforward count: results by contract, month and effective rating."""
    return (
        KpiResult.objects.annotate(
            month=TruncMonth("period_start"),
            effective=Case(When(rating_override="", then=F("rating")), default=F("rating_override")),
        )
        .values("kpi__contract", "month", "effective")
        .annotate(n=Count("pk"))
        .order_by()
    )


@transaction.atomic
def rating_months_rebuild() -> int:
    """Count every month again from the results; the number of rows written."""
    RatingMonth.objects.all().delete()
    if connection.vendor == "postgresql":
        # Server-side: 28.8 million results at 100,000 contracts never travel to Python.
        table, results, kpis = (
            model._meta.db_table for model in (RatingMonth, KpiResult, KpiResult.kpi.field.related_model)
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH counted AS (
                    SELECT k.contract_id, date_trunc('month', r.period_start)::date AS month,
                           COALESCE(NULLIF(r.rating_override, ''), r.rating) AS rating, count(*) AS n
                    FROM {results} r JOIN {kpis} k ON k.id = r.kpi_id
                    GROUP BY 1, 2, 3
                )
                INSERT INTO {table} (contract_id, month, rating, results)
                SELECT contract_id, month, rating, n FROM counted
                UNION ALL
                SELECT NULL, month, rating, sum(n) FROM counted GROUP BY month, rating
                """  # noqa: S608 - table names from the models, no input
            )
            return cursor.rowcount
    rows = [
        RatingMonth(contract_id=row["kpi__contract"], month=row["month"], rating=row["effective"], results=row["n"])
        for row in monthly_counts()
    ]
    register: dict[tuple[date, str], int] = {}
    for row in rows:
        register[(row.month, row.rating)] = register.get((row.month, row.rating), 0) + row.results
    rows += [RatingMonth(contract_id=None, month=m, rating=r, results=n) for (m, r), n in register.items()]
    RatingMonth.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
