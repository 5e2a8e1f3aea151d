"""Each contract's latest planned face-to-face meeting, stored on its meeting plan beside the last held
one, filled from the meetings so the "not arranged in time" figures are right from the first page after
upgrading (a contract with a planned meeting and no plan yet gets one); and the index the dashboard's
lateness counts read."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery


def fill(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    ContractMeetingPlan = apps.get_model("meetings", "ContractMeetingPlan")
    planned = Meeting.objects.filter(kind="face_to_face", status="planned")
    missing = planned.exclude(contract__in=ContractMeetingPlan.objects.values("contract"))
    ContractMeetingPlan.objects.bulk_create(
        [ContractMeetingPlan(contract_id=pk) for pk in missing.order_by().values_list("contract", flat=True).distinct()],
        batch_size=2000,
    )
    latest = planned.filter(contract=OuterRef("contract_id")).order_by().values("contract").annotate(at=Max("starts_at"))
    ContractMeetingPlan.objects.update(last_planned_at=Subquery(latest.values("at")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0025_activity_kind_registry'),
        ('meetings', '0006_dashboard_indexes'),
        ('suppliers', '0006_supplier_contact_user'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='contractmeetingplan',
            name='last_planned_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='latest planned face-to-face meeting'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(condition=models.Q(('kind', 'face_to_face'), models.Q(('status', 'planned'), ('status', 'held'), _connector='OR')), fields=['starts_at'], include=('contract', 'kind', 'status', 'arranged_on', 'due_on'), name='meeting_face_to_face_judged'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
