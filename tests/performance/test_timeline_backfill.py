"""`manage.py timeline_backfill`: what was recorded before the services wrote the timeline goes on it
once, however often the command runs."""

import datetime as dt
import io

import time_machine
from django.core.management import call_command

from contracts.models import Activity, Escalation
from tests.performance.test_performance_tracking import MilestoneFactory, MiReportFactory


@time_machine.travel("2026-11-25 09:00 +00:00", tick=False)
def test_the_backfill_writes_what_has_no_entry_once(alice, contract):
    # Saved without the services, as before they wrote the timeline.
    report = MiReportFactory(
        contract=contract, received_on=dt.date(2026, 10, 20), evaluation="Complete.", recorded_by=alice
    )
    late = MiReportFactory(contract=contract, expected_by=dt.date(2026, 11, 1))
    missed = MilestoneFactory(contract=contract, due_date=dt.date(2026, 11, 1))
    escalation = Escalation.objects.create(
        contract=contract,
        source="dispute",
        title="Service credits disputed",
        raised_by=alice,
        raised_on=dt.date(2026, 9, 1),
    )
    written = Escalation.objects.create(contract=contract, source="other", title="Already on the timeline")
    Activity.objects.create(contract=contract, kind="escalation_raised", summary="Raised", subject=written)

    output = io.StringIO()
    call_command("timeline_backfill", stdout=output)
    assert "MI reports received: 1 entries written" in output.getvalue()
    call_command("timeline_backfill", stdout=io.StringIO())

    (received,) = Activity.objects.about(report).filter(kind="mi_report")
    assert received.occurred_on == dt.date(2026, 10, 20) and received.recorded_by == alice
    assert Activity.objects.about(report).filter(kind="mi_evaluation").count() == 1
    assert Activity.objects.about(late).get().kind == "mi_late"
    assert Activity.objects.about(missed).get().kind == "milestone_missed"
    (raised,) = Activity.objects.about(escalation)
    assert (raised.kind, raised.summary, raised.occurred_on) == (
        "escalation_raised",
        escalation.title,
        dt.date(2026, 9, 1),
    )
    assert Activity.objects.about(written).count() == 1
