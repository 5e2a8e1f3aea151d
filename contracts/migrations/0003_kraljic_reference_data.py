from decimal import Decimal

from django.db import migrations

CRITERIA = [
    ("profit_impact", 1, "Annual value", "1: under £25,000 a year. 5: over £1m a year.", "0.35"),
    ("profit_impact", 2, "Share of category spend", "1: a small part of the category. 5: most of it.", "0.25"),
    (
        "profit_impact",
        3,
        "Impact on operational policing and service quality",
        "1: back-office, no effect on the public. 5: frontline policing depends on it.",
        "0.40",
    ),
    ("supply_risk", 1, "Number of alternative suppliers", "1: many suppliers. 5: one or none.", "0.30"),
    ("supply_risk", 2, "Switching difficulty and time", "1: switch within weeks. 5: years, at great cost.", "0.25"),
    ("supply_risk", 3, "Market stability", "1: stable, competitive market. 5: volatile or failing market.", "0.20"),
    ("supply_risk", 4, "Criticality to public safety", "1: none. 5: failure endangers the public or officers.", "0.25"),
]


def add_reference_data(apps, schema_editor):
    Criterion = apps.get_model("contracts", "KraljicCriterion")
    for axis, position, name, description, weight in CRITERIA:
        Criterion.objects.get_or_create(
            axis=axis, name=name, defaults={"position": position, "description": description, "weight": Decimal(weight)}
        )
    apps.get_model("contracts", "KraljicSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("contracts", "0002_kraljic_and_escalations")]

    operations = [migrations.RunPython(add_reference_data, migrations.RunPython.noop)]
