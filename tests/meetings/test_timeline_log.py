"""The administration log as the contract's one timeline: typed entries (an escalation to Procurement
raises a real one), every entry's kind in words, who or the system, its date and its link, filters by
kind and by group, the CSV, and a query count that does not grow with the entries."""

import datetime as dt

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from contracts.models import Activity, Escalation
from contracts.services.timeline import timeline_record
from notifications.models import Notification
from tests.conftest import pdf_bytes
from tests.meeting_factories import ActivityFactory, MeetingFactory
from tests.performance.test_performance_tracking import MiReportFactory

NOW = "2026-11-25 09:00 +00:00"


def log(client, contract, **params):
    return client.get(reverse("meetings:log", args=[contract.pk]), params)


def escalation_data(**overrides) -> dict:
    data = {
        "kind": "escalation",
        "occurred_on": "2026-11-24",
        "summary": "Supplier missed three call-outs this week",
        "details": "Custody suites left without cover overnight.",
        "source": "significant_performance_issue",
        "severity": "high",
    }
    data.update(overrides)
    return data


@time_machine.travel(NOW, tick=False)
def test_escalation_to_procurement_raises_a_real_escalation_that_the_log_links_to(client, alice, priya, contract):
    client.force_login(alice)
    response = client.post(reverse("meetings:log", args=[contract.pk]), escalation_data())
    assert response.status_code == 302

    escalation = Escalation.objects.get()
    assert escalation.status == Escalation.Status.OPEN and escalation.raised_by == alice
    assert escalation.contract == contract and escalation.severity == "high"
    assert escalation.title == "Supplier missed three call-outs this week"
    assert escalation.raised_on == dt.date(2026, 11, 24)
    assert Notification.objects.filter(recipient=priya, url=escalation.get_absolute_url()).exists()
    # The escalation is on the timeline once (written by escalation_raise, or by the log until it does).
    (entry,) = Activity.objects.about(escalation)
    assert entry.kind == Activity.Kind.ESCALATION_RAISED and entry.recorded_by == alice
    page = log(client, contract).content.decode()
    assert f'href="{escalation.get_absolute_url()}"' in page and "Escalation raised" in page


@time_machine.travel(NOW, tick=False)
def test_an_escalation_needs_its_reason_and_takes_no_attachment(client, alice, contract):
    client.force_login(alice)
    data = escalation_data(source="", attachment_upload=SimpleUploadedFile("x.pdf", pdf_bytes()))
    response = client.post(reverse("meetings:log", args=[contract.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Say why you escalate" in errors["source"][0]
    assert "without an attachment" in errors["attachment_upload"][0]
    assert not Escalation.objects.exists() and not Activity.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_sro_who_reads_the_log_cannot_escalate_from_it(client, sam, contract):
    client.force_login(sam)
    assert client.post(reverse("meetings:log", args=[contract.pk]), escalation_data()).status_code == 403
    assert not Escalation.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_form_offers_only_what_people_type(client, alice, contract):
    client.force_login(alice)
    choices = [value for value, _ in log(client, contract).context["form"].fields["kind"].choices]
    assert choices == ["call", "supplier_event", "note", "escalation"]
    response = client.post(
        reverse("meetings:log", args=[contract.pk]),
        {"kind": "mi_report", "occurred_on": "2026-11-24", "summary": "Typed MI report"},
    )
    assert response.status_code == 200 and "kind" in response.context["form"].errors


@time_machine.travel(NOW, tick=False)
def test_every_entry_shows_its_kind_who_or_the_system_its_date_and_its_link(client, alice, sam, contract):
    report = MiReportFactory(contract=contract, received_on=dt.date(2026, 10, 20))
    timeline_record(
        contract=contract,
        kind=Activity.Kind.MI_LATE,
        summary="MI report late",
        subject=report,
        occurred_on=dt.date(2026, 10, 22),
    )
    timeline_record(
        contract=contract, kind=Activity.Kind.MI_REPORT, summary="MI report received", subject=report, by=alice
    )
    # Rows typed before the services wrote the timeline stay readable.
    ActivityFactory(contract=contract, kind="mi_evaluation", summary="Evaluated the quarterly MI", recorded_by=alice)
    ActivityFactory(contract=contract, kind="escalation", summary="Escalated by hand in 2025", recorded_by=alice)

    client.force_login(sam)
    response = log(client, contract)
    page = response.content.decode()
    entries = {e.summary: e for e in response.context["entries"]}
    assert entries["MI report late"].who == "the system" and "recorded by the system" in page
    assert entries["MI report late"].kind_label == "Management-information report late"
    assert entries["MI report received"].who == "Alice Adams"
    assert "22 Oct 2026" in page
    mi_url = reverse("performance:mi_reports", args=[contract.pk]) + f"#mi-report-{report.pk}"
    assert entries["MI report received"].url == mi_url and f'href="{mi_url}"' in page
    assert entries["Evaluated the quarterly MI"].kind_label == "Evaluation of management information"
    assert entries["Escalated by hand in 2025"].kind_label == "Escalation to Procurement"
    assert entries["Escalated by hand in 2025"].url == ""


@time_machine.travel(NOW, tick=False)
def test_filters_by_group_and_kind_and_the_csv_follows(client, alice, contract):
    old_meeting = MeetingFactory(
        contract=contract, agenda="Annual review", status="held", starts_at=timezone.now() - dt.timedelta(days=40)
    )
    written = MeetingFactory(
        contract=contract, agenda="Quarterly review", status="held", starts_at=timezone.now() - dt.timedelta(days=5)
    )
    timeline_record(
        contract=contract,
        kind=Activity.Kind.MEETING_HELD,
        summary="Quarterly review held",
        subject=written,
        by=alice,
        occurred_on=dt.date(2026, 11, 20),
    )
    timeline_record(contract=contract, kind=Activity.Kind.ESCALATION_RAISED, summary="Escalation raised", by=alice)
    ActivityFactory(contract=contract, kind="escalation", summary="Old hand-typed escalation")
    ActivityFactory(contract=contract, kind="call", summary="A call")
    timeline_record(contract=contract, kind=Activity.Kind.MI_LATE, summary="MI late")
    timeline_record(contract=contract, kind=Activity.Kind.SUPPLIER_INFORMATION, summary="Profit warning", by=alice)

    client.force_login(alice)
    everything = [e.summary for e in log(client, contract).context["entries"]]
    # A meeting with its own entry shows once, through it; one recorded before meetings wrote entries still shows.
    assert everything.count("Quarterly review held") == 1 and "Quarterly review" not in everything
    assert "Annual review" in everything and len(everything) == 7

    def shown(kind):
        return {e.summary for e in log(client, contract, kind=kind).context["entries"]}

    assert shown("escalations") == {"Escalation raised", "Old hand-typed escalation", "Profit warning"}
    assert shown("meetings") == {"Quarterly review held", "Annual review"}
    assert shown("meeting") == shown("meetings")  # the old address of the filter
    assert shown("performance") == {"MI late"}
    assert shown("supplier") == {"Profit warning"}
    assert shown("call") == {"A call"}
    assert len(shown("nonsense")) == 7  # an unknown filter shows everything

    csv_text = client.get(reverse("meetings:log_csv", args=[contract.pk]), {"kind": "meetings"}).content.decode(
        "utf-8-sig"
    )
    rows = csv_text.strip().splitlines()
    assert len(rows) == 3
    assert rows[1].startswith("20/11/2026,Meeting held,Quarterly review held,,Alice Adams,http://testserver/meetings/")
    assert "Annual review" in rows[2]
    assert old_meeting.get_absolute_url() in rows[2]


@time_machine.travel(NOW, tick=False)
def test_the_log_query_count_does_not_grow_with_its_entries(client, alice, contract, django_assert_max_num_queries):
    def add_entries():
        meeting = MeetingFactory(contract=contract)
        report = MiReportFactory(contract=contract)
        timeline_record(
            contract=contract, kind=Activity.Kind.MEETING_ARRANGED, summary="Arranged", subject=meeting, by=alice
        )
        timeline_record(contract=contract, kind=Activity.Kind.MI_LATE, summary="Late", subject=report)
        ActivityFactory(contract=contract)

    add_entries()
    client.force_login(alice)
    with django_assert_max_num_queries(40) as one:
        assert log(client, contract).status_code == 200
    for _ in range(12):
        add_entries()
    MeetingFactory(contract=contract, status="held", starts_at=timezone.now() - dt.timedelta(days=3))  # no entry
    with django_assert_max_num_queries(len(one)):
        response = log(client, contract)
    assert len(response.context["entries"]) == 40
