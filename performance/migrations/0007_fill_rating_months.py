"""The monthly rating counts of the results already recorded, so the dashboard's trend shows the
register's history from the first page after upgrading (new rows in a new table only)."""

from collections import Counter

from django.db import migrations
from django.db.models import Case, Count, F, When
from django.db.models.functions import TruncMonth


def fill(apps, schema_editor):
    RatingMonth = apps.get_model("performance", "RatingMonth")
    KpiResult = apps.get_model("performance", "KpiResult")
    if RatingMonth.objects.exists():
        return
    counted = (
        KpiResult.objects.annotate(
            month=TruncMonth("period_start"),
            effective=Case(When(rating_override="", then=F("rating")), default=F("rating_override")),
        )
        .values("kpi__contract", "month", "effective")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows, register = [], Counter()
    for row in counted.iterator():
        rows.append(
            RatingMonth(contract_id=row["kpi__contract"], month=row["month"], rating=row["effective"], results=row["n"])
        )
        register[(row["month"], row["effective"])] += row["n"]
    rows += [RatingMonth(contract_id=None, month=month, rating=rating, results=n) for (month, rating), n in register.items()]
    RatingMonth.objects.bulk_create(rows, batch_size=5000)


class Migration(migrations.Migration):
    dependencies = [("performance", "0006_rating_month")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
