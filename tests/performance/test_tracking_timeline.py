"""MI reports received, evaluated and late, and milestones missed, on the contract's timeline: written
by the service that records them, or once by the daily job for what became late."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from contracts.models import Activity
from performance import services, tasks
from performance.models import Milestone, MiReport
from tests.concurrency import four_at_once
from tests.performance.test_performance_tracking import MilestoneFactory, MiReportFactory, mi_data, milestone_data

NOW = "2026-11-25 09:00 +00:00"
TODAY = dt.date(2026, 11, 25)


def about(subject, kind):
    return list(Activity.objects.about(subject).filter(kind=kind).order_by("-pk"))  # newest first


@time_machine.travel(NOW, tick=False)
def test_a_report_received_then_evaluated_goes_on_the_timeline_once_each(client, alice, contract):
    client.force_login(alice)
    client.post(reverse("performance:mi_report_create", args=[contract.pk]), mi_data())
    report = MiReport.objects.get()
    assert not Activity.objects.exists()  # expected, not received: nothing happened yet

    received = mi_data(received_on="2026-11-24")
    client.post(reverse("performance:mi_report_edit", args=[report.pk]), received)
    client.post(reverse("performance:mi_report_edit", args=[report.pk]), received)  # saved again: no new entry
    (entry,) = about(report, Activity.Kind.MI_REPORT)
    assert entry.contract == contract and entry.recorded_by == alice
    assert entry.occurred_on == dt.date(2026, 11, 24)
    assert entry.summary == "MI report for October 2026 received, 3 days late"
    assert not about(report, Activity.Kind.MI_EVALUATION)

    evaluated = mi_data(received_on="2026-11-24", evaluation="Complete.", issues_found="Two KPIs lack evidence.")
    client.post(reverse("performance:mi_report_edit", args=[report.pk]), evaluated)
    client.post(reverse("performance:mi_report_edit", args=[report.pk]), evaluated)
    (evaluation,) = about(report, Activity.Kind.MI_EVALUATION)
    assert evaluation.summary == "MI report for October 2026 evaluated" and evaluation.occurred_on == TODAY
    assert evaluation.details == "Complete.\n\nTwo KPIs lack evidence."

    revised = mi_data(received_on="2026-11-24", evaluation="Complete; evidence since sent.")
    client.post(reverse("performance:mi_report_edit", args=[report.pk]), revised)
    assert about(report, Activity.Kind.MI_EVALUATION)[0].summary == "MI report for October 2026 re-evaluated"

    log = client.get(reverse("meetings:log", args=[contract.pk])).content.decode()
    assert f'href="/performance/contract/{contract.pk}/mi-reports/#mi-report-{report.pk}"' in log


@time_machine.travel(NOW, tick=False)
def test_a_report_received_on_time_says_nothing_of_lateness(alice, contract):
    report = MiReportFactory.build(contract=contract, received_on=dt.date(2026, 10, 20), recorded_by=alice)
    report = services.mi_report_save(report=report, by=alice)
    (entry,) = about(report, Activity.Kind.MI_REPORT)
    assert entry.summary == "MI report for Q2 2026-27 received"


@time_machine.travel(NOW, tick=False)
def test_the_daily_job_writes_each_late_report_and_missed_milestone_once(alice, contract):
    late = MiReportFactory(contract=contract, expected_by=dt.date(2026, 11, 24))
    due_today = MiReportFactory(contract=contract, expected_by=TODAY)
    received = MiReportFactory(contract=contract, expected_by=dt.date(2026, 10, 21), received_on=dt.date(2026, 10, 1))
    missed = MilestoneFactory(contract=contract, title="Mobilisation", due_date=dt.date(2026, 11, 1))
    met = MilestoneFactory(contract=contract, due_date=dt.date(2026, 11, 1), status="met", met_on=dt.date(2026, 11, 1))
    MilestoneFactory(contract=contract, due_date=TODAY)

    assert tasks.record_late_mi_and_missed_milestones() == 2
    assert tasks.record_late_mi_and_missed_milestones() == 0  # run twice: written once

    (entry,) = about(late, Activity.Kind.MI_LATE)
    assert entry.recorded_by is None and entry.occurred_on == TODAY  # the day after it was expected
    assert entry.summary == "MI report for Q2 2026-27 not received by 24 Nov 2026"
    (entry,) = about(missed, Activity.Kind.MILESTONE_MISSED)
    assert entry.occurred_on == dt.date(2026, 11, 2) and entry.recorded_by is None
    assert entry.summary == "Mobilisation: not met by its due date, 1 Nov 2026"
    assert not Activity.objects.about(due_today).exists() and not Activity.objects.about(received).exists()
    assert not Activity.objects.about(met).exists()

    with time_machine.travel("2026-11-26 09:00 +00:00", tick=False):  # the next day, what fell due today is late
        assert tasks.record_late_mi_and_missed_milestones() == 2
    assert Activity.objects.filter(kind__in=[Activity.Kind.MI_LATE, Activity.Kind.MILESTONE_MISSED]).count() == 4


@time_machine.travel(NOW, tick=False)
def test_a_milestone_recorded_not_met_goes_on_the_timeline_once(client, alice, contract):
    client.force_login(alice)
    client.post(reverse("performance:milestone_create", args=[contract.pk]), milestone_data(due_date="2026-12-15"))
    milestone = Milestone.objects.get()
    data = milestone_data(due_date="2026-12-15", status="not_met", notes="Supplier short of engineers")
    client.post(reverse("performance:milestone_edit", args=[milestone.pk]), data)
    client.post(reverse("performance:milestone_edit", args=[milestone.pk]), data)
    (entry,) = about(milestone, Activity.Kind.MILESTONE_MISSED)
    assert entry.recorded_by == alice and entry.details == "Supplier short of engineers"
    assert entry.summary == "Mobilisation complete: not met (due 15 Dec 2026)"


@time_machine.travel(NOW, tick=False)
def test_a_milestone_the_job_wrote_missed_is_not_written_again_when_recorded_not_met(client, alice, contract):
    milestone = MilestoneFactory(contract=contract, title="Mobilisation", due_date=dt.date(2026, 11, 1))
    services.lateness_record(today=TODAY)
    client.force_login(alice)
    data = milestone_data(title="Mobilisation", due_date="2026-11-01", status="partially_met")
    assert client.post(reverse("performance:milestone_edit", args=[milestone.pk]), data).status_code == 302
    assert len(about(milestone, Activity.Kind.MILESTONE_MISSED)) == 1


@pytest.mark.django_db(transaction=True)
def test_four_workers_at_once_write_each_late_report_and_missed_milestone_once(alice, contract):
    for number in range(3):
        MiReportFactory(contract=contract, period_label=f"Q{number + 1}", expected_by=dt.date(2026, 10, 1 + number))
        MilestoneFactory(contract=contract, due_date=dt.date(2026, 11, 1 + number))
    four_at_once(lambda: services.lateness_record(today=TODAY))
    assert Activity.objects.filter(kind=Activity.Kind.MI_LATE).count() == 3
    assert Activity.objects.filter(kind=Activity.Kind.MILESTONE_MISSED).count() == 3
