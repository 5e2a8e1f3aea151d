"""Each contract's last held face-to-face meeting, stored on its meeting plan, so the "not arranged
in time" list is right from the first page after upgrading (a contract with a held meeting and no plan
yet gets one)."""

from django.db import migrations
from django.db.models import Max
from django.utils import timezone


def fill(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    ContractMeetingPlan = apps.get_model("meetings", "ContractMeetingPlan")
    held = (
        Meeting.objects.filter(kind="face_to_face", status="held")
        .values("contract")
        .annotate(last=Max("starts_at"))
        .order_by()
    )
    for row in held.iterator():
        last_on = timezone.localdate(row["last"])
        if not ContractMeetingPlan.objects.filter(contract_id=row["contract"]).update(last_held_on=last_on):
            ContractMeetingPlan.objects.create(contract_id=row["contract"], last_held_on=last_on)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_meeting_plan_last_held")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
