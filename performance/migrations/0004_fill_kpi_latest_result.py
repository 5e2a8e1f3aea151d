from django.db import migrations
from django.db.models import Case, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    Kpi = apps.get_model("performance", "Kpi")
    KpiResult = apps.get_model("performance", "KpiResult")
    latest = KpiResult.objects.filter(kpi=OuterRef("pk")).order_by("-period_start")
    Kpi.objects.update(
        latest_period_start=Subquery(latest.values("period_start")[:1]),
        latest_rating=Coalesce(
            Subquery(
                latest.annotate(
                    effective=Case(When(rating_override="", then="rating"), default="rating_override")
                ).values("effective")[:1]
            ),
            Value(""),
        ),
    )


class Migration(migrations.Migration):
    dependencies = [("performance", "0003_kpi_latest_result")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
