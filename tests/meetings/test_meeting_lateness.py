"""Meetings tell the truth: the arranged date is the system's, a face-to-face meeting recorded after
its arrange-by date is "arranged late", one dated after it was due is "late", the Procurement Unit is
told once, and every meeting event is on the contract's timeline."""

import datetime as dt
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from contracts.models import Activity
from meetings import services, tasks
from meetings.models import Action, Meeting
from meetings.schedule import Cadence, Lateness
from notifications.models import Kind, Notification
from tests.meeting_factories import MeetingFactory

NOW = "2026-11-25 09:00 +00:00"


def at(day: date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def yearly(contract, priya):
    """Every year; last held on 1 Sep 2026, so the next is due by 1 Sep 2027, to arrange by 1 Mar 2027."""
    services.meeting_plan_set(contract=contract, cadence=Cadence.ANNUAL, by=priya)
    with time_machine.travel(at(date(2026, 9, 2)), tick=False):
        MeetingFactory(contract=contract, starts_at=at(date(2026, 9, 1)), status="held", arranged_on=date(2026, 2, 1))
    return contract


def arrange(client, user, contract, **overrides):
    data = {
        "kind": "face_to_face",
        "starts_at": "2027-08-15T10:00",
        "duration_minutes": "90",
        "location": "Headquarters, room 2",
        "status": "planned",
        "short_notice_reason": "",
        "agenda": "Annual review",
        "minutes": "",
        "attendees": [user.pk],
    }
    client.force_login(user)
    # A meeting already held is recorded with the full form; one ahead is arranged with the short one.
    record = "?record=held" if overrides.get("status", "planned") != "planned" else ""
    return client.post(reverse("meetings:create", args=[contract.pk]) + record, {**data, **overrides})


def told(user) -> int:
    return Notification.objects.filter(recipient=user, kind=Kind.MEETING_ARRANGED_LATE).count()


@time_machine.travel(NOW, tick=False)
def test_a_meeting_arranged_in_time_shows_a_green_arranged(client, alice, priya, yearly):
    assert arrange(client, alice, yearly).status_code == 302
    meeting = Meeting.objects.get(status="planned")
    assert (meeting.arranged_on, meeting.due_on, meeting.lateness) == (date(2026, 11, 25), date(2027, 9, 1), "")
    page = client.get(reverse("meetings:contract", args=[yearly.pk])).content.decode()
    assert 'text-bg-success">Arranged</span>' in page and "lateness-tag" not in page
    entry = Activity.objects.about(meeting).get()
    assert entry.kind == Activity.Kind.MEETING_ARRANGED and entry.recorded_by == alice
    assert entry.summary == "Face-to-face meeting on 15 Aug 2027 arranged"
    assert told(priya) == 0


def test_a_meeting_recorded_after_its_arrange_by_date_is_arranged_late(client, alice, priya, yearly):
    with time_machine.travel(at(date(2027, 3, 10), 9), tick=False):
        response = arrange(client, alice, yearly, short_notice_reason="The supplier changed account manager.")
        assert response.status_code == 302
        meeting = Meeting.objects.get(status="planned")
        assert meeting.arranged_on == date(2027, 3, 10) and meeting.lateness == Lateness.ARRANGED_LATE
        assert "arranged late: it was to be arranged by 1 Mar 2027" in str(
            list(client.get(response["Location"]).context["messages"])[0]
        )
        page = client.get(reverse("meetings:contract", args=[yearly.pk])).content.decode()
        assert "lateness-arranged_late" in page and "Arranged late" in page
        assert 'text-bg-success">Arranged<' not in page  # never a green "Arranged"
        contract_page = client.get(yearly.get_absolute_url()).content.decode()
        assert "Arranged late" in contract_page and 'text-bg-success">Arranged' not in contract_page
    summary = Activity.objects.about(meeting).get().summary
    assert summary == (
        "Face-to-face meeting on 15 Aug 2027 arranged (arranged late: it was to be arranged by 1 Mar 2027)"
    )
    assert told(priya) == 1 and told(alice) == 0
    note = Notification.objects.get(recipient=priya, kind=Kind.MEETING_ARRANGED_LATE)
    assert note.title == "CON-ALICE: face-to-face meeting on 15 Aug 2027 arranged late"


@time_machine.travel(NOW, tick=False)
def test_a_meeting_dated_after_it_was_due_is_late_and_stays_late_once_held(client, alice, priya, yearly):
    assert arrange(client, alice, yearly, starts_at="2027-10-01T10:00").status_code == 302
    meeting = Meeting.objects.get(status="planned")
    assert meeting.lateness == Lateness.LATE and meeting.lateness_note == "late: it was due by 1 Sep 2027"
    page = client.get(reverse("meetings:contract", args=[yearly.pk])).content.decode()
    assert "lateness-late" in page and 'text-bg-success">Arranged<' not in page
    assert told(priya) == 1
    with time_machine.travel(at(date(2027, 10, 2)), tick=False):
        client.force_login(alice)
        response = client.post(
            reverse("meetings:edit", args=[meeting.pk]),
            {
                "kind": "face_to_face",
                "starts_at": "2027-10-01T10:00",
                "duration_minutes": "90",
                "location": "Headquarters, room 2",
                "status": "held",
                "agenda": "Annual review",
                "minutes": "Performance reviewed; prices held.",
                "attendees": [alice.pk],
            },
        )
        assert response.status_code == 302
        meeting.refresh_from_db()
        assert meeting.status == "held" and meeting.lateness == Lateness.LATE
        detail = client.get(meeting.get_absolute_url()).content.decode()
        assert "lateness-late" in detail and "Late: it was due by 1 Sep 2027" in detail
    kinds = list(Activity.objects.about(meeting).order_by("pk").values_list("kind", "summary"))
    assert kinds == [
        (
            Activity.Kind.MEETING_ARRANGED,
            "Face-to-face meeting on 1 Oct 2027 arranged (late: it was due by 1 Sep 2027)",
        ),
        (Activity.Kind.MEETING_HELD, "Face-to-face meeting on 1 Oct 2027 held"),
        (Activity.Kind.MINUTES, "Minutes of the face-to-face meeting on 1 Oct 2027 recorded"),
    ]
    assert told(priya) == 1  # told when it was arranged, not again when held


@time_machine.travel(NOW, tick=False)
def test_the_date_arranged_cannot_be_typed(client, alice, yearly):
    """Setting it back 300 days to dodge the six-month rule is ignored: the form has no such field."""
    client.force_login(alice)
    form = client.get(reverse("meetings:create", args=[yearly.pk])).content.decode()
    assert 'name="arranged_on"' not in form
    assert arrange(client, alice, yearly, arranged_on="2026-01-29", starts_at="2027-03-01T10:00").status_code == 200
    # Less than six months ahead: short notice, whatever date is typed.
    response = arrange(
        client, alice, yearly, arranged_on="2026-01-29", starts_at="2027-03-01T10:00", short_notice_reason="Urgent"
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(status="planned")
    assert meeting.arranged_on == date(2026, 11, 25) and meeting.is_short_notice
    data = {
        "kind": "face_to_face",
        "starts_at": "2027-03-01T10:00",
        "duration_minutes": "90",
        "status": "planned",
        "short_notice_reason": "Urgent",
        "arranged_on": "2025-01-01",
        "attendees": [alice.pk],
    }
    with time_machine.travel(at(date(2026, 12, 1)), tick=False):
        assert client.post(reverse("meetings:edit", args=[meeting.pk]), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.arranged_on == date(2026, 11, 25)


@time_machine.travel(NOW, tick=False)
def test_the_cadence_is_in_words(client, alice, priya, contract):
    services.meeting_plan_set(contract=contract, cadence=Cadence.SIX_MONTHLY, by=priya)
    client.force_login(alice)
    page = client.get(reverse("meetings:contract", args=[contract.pk])).content.decode()
    assert "Every six months" in page and "Six_monthly" not in page and "six_monthly" not in page
    client.force_login(priya)
    page = client.get(reverse("meetings:contract", args=[contract.pk])).content.decode()
    assert '<option value="quarterly">Every three months</option>' in page


def test_the_procurement_unit_is_told_once_by_the_service_and_the_job_run_twice(client, alice, priya, yearly):
    with time_machine.travel(at(date(2027, 3, 10), 9), tick=False):
        arrange(client, alice, yearly, short_notice_reason="Late start.")
        tasks.send_meeting_lead_time_reminders()
        tasks.send_meeting_lead_time_reminders()
    assert told(priya) == 1


def test_the_job_tells_of_a_meeting_the_service_did_not(alice, priya, yearly):
    """A late meeting the job finds (recorded when the Procurement Unit had no officer, say) is told once."""
    with time_machine.travel(at(date(2027, 3, 10), 9), tick=False):
        MeetingFactory(
            contract=yearly, starts_at=at(date(2027, 10, 1)), arranged_on=date(2027, 3, 10), due_on=date(2027, 9, 1)
        )
    for day in (date(2027, 3, 11), date(2027, 3, 11), date(2027, 3, 12)):
        with time_machine.travel(at(day, 7), tick=False):
            tasks.send_meeting_lead_time_reminders()
    assert told(priya) == 1
    # Meetings recorded more than 30 days ago were told at the time: the job does not go back for them.
    with time_machine.travel(at(date(2027, 5, 1)), tick=False):
        MeetingFactory(
            contract=yearly, starts_at=at(date(2027, 11, 1)), arranged_on=date(2027, 3, 1), due_on=date(2027, 9, 1)
        )
        tasks.send_meeting_lead_time_reminders()
    assert told(priya) == 1


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("kind", "status", "day", "arranged_on", "due_on", "expected"),
    [
        ("face_to_face", "planned", date(2027, 8, 1), date(2026, 11, 25), date(2027, 9, 1), ""),
        ("face_to_face", "planned", date(2027, 8, 1), date(2027, 3, 1), date(2027, 9, 1), ""),  # on the day
        ("face_to_face", "planned", date(2027, 8, 1), date(2027, 3, 2), date(2027, 9, 1), "arranged_late"),
        ("face_to_face", "planned", date(2027, 9, 1), date(2027, 3, 2), date(2027, 9, 1), "arranged_late"),
        ("face_to_face", "planned", date(2027, 9, 2), date(2026, 11, 25), date(2027, 9, 1), "late"),
        ("face_to_face", "held", date(2026, 11, 1), date(2026, 10, 1), date(2026, 9, 1), "late"),
        ("face_to_face", "cancelled", date(2027, 9, 2), date(2026, 11, 25), date(2027, 9, 1), ""),
        ("face_to_face", "postponed", date(2027, 9, 2), date(2026, 11, 25), date(2027, 9, 1), ""),
        ("virtual", "planned", date(2027, 9, 2), date(2026, 11, 25), date(2027, 9, 1), ""),
        ("face_to_face", "planned", date(2027, 9, 2), date(2026, 11, 25), None, ""),  # recorded before judging
    ],
)
def test_the_rule_is_the_same_on_the_model_and_in_sql(contract, kind, status, day, arranged_on, due_on, expected):
    meeting = MeetingFactory(
        contract=contract, kind=kind, status=status, starts_at=at(day), arranged_on=arranged_on, due_on=due_on
    )
    assert meeting.lateness == expected
    assert Meeting.objects.with_lateness().get(pk=meeting.pk).timeliness == expected
    assert Meeting.objects.arranged_late().filter(pk=meeting.pk).exists() == bool(expected)


@time_machine.travel(NOW, tick=False)
def test_minutes_and_actions_go_on_the_timeline(client, alice, sam, yearly):
    meeting = Meeting.objects.get()
    client.force_login(alice)
    with time_machine.travel(at(date(2026, 9, 3)), tick=False):
        client.force_login(alice)
        client.post(
            reverse("meetings:edit", args=[meeting.pk]),
            {
                "kind": "face_to_face",
                "starts_at": "2026-09-01T10:00",
                "duration_minutes": "60",
                "status": "held",
                "minutes": "Prices held for a year.",
                "attendees": [alice.pk],
            },
        )
    client.force_login(alice)
    action_url = reverse("meetings:action_create", args=[meeting.pk])
    data = {"description": "Send the price schedule", "owner": sam.pk, "due_date": "2026-12-01", "done_on": ""}
    assert client.post(action_url, data).status_code == 302
    action = Action.objects.get()
    assert (
        client.post(reverse("meetings:action_edit", args=[action.pk]), {**data, "done_on": "2026-11-24"}).status_code
        == 302
    )
    minutes = Activity.objects.about(meeting).get(kind=Activity.Kind.MINUTES)
    assert minutes.summary == "Minutes of the face-to-face meeting on 1 Sep 2026 recorded"
    assert minutes.occurred_on == date(2026, 9, 3)
    agreed, done = Activity.objects.about(action).order_by("pk")
    assert agreed.summary.startswith("Action agreed at the face-to-face meeting on 1 Sep 2026: Send the price")
    assert "due 1 Dec 2026" in agreed.summary and agreed.occurred_on == date(2026, 11, 25)
    assert done.summary.startswith("Action completed") and done.occurred_on == date(2026, 11, 24)
    assert {agreed.kind, done.kind} == {Activity.Kind.MEETING_ACTION}
    # Saving the done action again writes nothing more.
    client.post(reverse("meetings:action_edit", args=[action.pk]), {**data, "done_on": "2026-11-24"})
    assert Activity.objects.about(action).count() == 2


@time_machine.travel(NOW, tick=False)
def test_a_cancelled_meeting_goes_on_the_timeline(client, alice, yearly):
    assert arrange(client, alice, yearly).status_code == 302
    meeting = Meeting.objects.get(status="planned")
    data = {
        "kind": "face_to_face",
        "starts_at": "2027-08-15T10:00",
        "duration_minutes": "90",
        "status": "cancelled",
        "attendees": [alice.pk],
    }
    assert client.post(reverse("meetings:edit", args=[meeting.pk]), data).status_code == 302
    assert (
        Activity.objects.about(meeting)
        .filter(kind=Activity.Kind.MEETING_CANCELLED, summary="Face-to-face meeting on 15 Aug 2027 cancelled")
        .exists()
    )


@time_machine.travel(NOW, tick=False)
def test_the_meetings_tab_counts_the_same_queries_with_late_meetings(
    client, alice, yearly, django_assert_max_num_queries
):
    client.force_login(alice)
    url = reverse("meetings:contract", args=[yearly.pk])
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for months in range(12):
        MeetingFactory(
            contract=yearly,
            starts_at=at(date(2027, 1, 1) + dt.timedelta(days=30 * months)),
            due_on=date(2027, 3, 1),
            arranged_on=date(2026, 11, 25),
        )
    with django_assert_max_num_queries(len(few)):
        page = client.get(url).content.decode()
    assert "lateness-late" in page and "lateness-arranged_late" in page


def test_my_work_and_the_procurement_dashboard_flag_meetings_late_or_arranged_late(
    client, alice, priya, yearly, other_contract, bob, settings
):
    settings.DASHBOARD_CACHE_SECONDS = 0
    with time_machine.travel(at(date(2027, 3, 10), 9), tick=False):
        arrange(client, alice, yearly, starts_at="2027-10-01T10:00")
        arrange(client, alice, yearly, short_notice_reason="Late start.")
        client.force_login(alice)
        mine = client.get(reverse("dashboard:my_work")).content.decode()
        assert mine.count("lateness-tag lateness-arranged_late") >= 1 and "lateness-tag lateness-late" in mine
        assert "Arranged late: it was to be arranged by 1 Mar 2027" in mine
        client.force_login(bob)
        assert "15 Aug 2027" not in client.get(reverse("dashboard:my_work")).content.decode()
        client.force_login(priya)
        figures = client.get(reverse("dashboard:procurement")).context["meetings"]
        assert (figures["arranged_late"], figures["late"]) == (1, 1)
        listing = client.get(reverse("dashboard:list", args=["meetings-arranged-late"]), {"lateness": "late"})
        assert listing.context["heading"] == "Meetings late"
        assert [row[0][1] for row in listing.context["table"]] == [date(2027, 10, 1)]
        csv_text = client.get(reverse("dashboard:list", args=["meetings-arranged-late"]), {"format": "csv"})
        assert "Arranged late" in csv_text.content.decode() and "Late" in csv_text.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_meeting_recorded_after_it_took_place_is_late_and_held_on_the_timeline(client, alice, priya, contract):
    """The contract started on 1 Apr 2025 with nothing held: its first yearly meeting was due by 1 Apr 2026."""
    response = arrange(client, alice, contract, starts_at="2026-11-20T10:00", status="held", short_notice_reason="x")
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.arranged_on == date(2026, 11, 25) and meeting.lateness == Lateness.LATE
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert "recorded after it took place" in detail
    entries = dict(Activity.objects.about(meeting).values_list("kind", "occurred_on"))
    assert entries == {
        Activity.Kind.MEETING_ARRANGED: date(2026, 11, 25),
        Activity.Kind.MEETING_HELD: date(2026, 11, 20),
    }
    assert told(priya) == 1


@time_machine.travel(NOW, tick=False)
def test_moving_a_meeting_goes_on_the_timeline_and_is_judged_again(client, alice, priya, yearly):
    assert arrange(client, alice, yearly).status_code == 302
    meeting = Meeting.objects.get(status="planned")
    data = {
        "kind": "face_to_face",
        "starts_at": "2027-09-20T10:00",
        "duration_minutes": "90",
        "status": "planned",
        "attendees": [alice.pk],
    }
    assert client.post(reverse("meetings:edit", args=[meeting.pk]), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.lateness == Lateness.LATE and meeting.arranged_on == date(2026, 11, 25)
    moved = Activity.objects.about(meeting).get(summary__startswith="Meeting of")
    assert moved.summary == (
        "Meeting of 15 Aug 2027 moved: Face-to-face meeting on 20 Sep 2027 (late: it was due by 1 Sep 2027)"
    )
    assert told(priya) == 1


@time_machine.travel(NOW, tick=False)
def test_meetings_recorded_before_judging_are_judged_once_by_the_command(yearly, priya):
    import io

    from django.core.management import call_command

    before = Meeting.objects.get()  # held 1 Sep 2026, with nothing before it on record
    late = MeetingFactory(contract=yearly, starts_at=at(date(2027, 10, 1)), arranged_on=date(2026, 11, 1))
    virtual = MeetingFactory(contract=yearly, kind="virtual", starts_at=at(date(2027, 1, 5)))
    assert late.lateness == ""  # not judged: no due date yet
    output = io.StringIO()
    call_command("meeting_due_dates", stdout=output)
    assert "for 1 face-to-face meeting." in output.getvalue()
    for meeting in (late, before, virtual):
        meeting.refresh_from_db()
    assert (late.due_on, late.lateness) == (date(2027, 9, 1), Lateness.LATE)
    assert before.due_on is None and virtual.due_on is None
    call_command("meeting_due_dates", stdout=output)
    assert "for 0 face-to-face meetings." in output.getvalue()
    assert told(priya) == 0 and not Activity.objects.about(late).exists()


@time_machine.travel(NOW, tick=False)
def test_my_work_and_the_late_list_count_the_same_queries_for_one_late_meeting_and_many(
    client, alice, priya, yearly, django_assert_max_num_queries
):
    def late_meeting(day: date):
        MeetingFactory(contract=yearly, starts_at=at(day), arranged_on=date(2026, 11, 1), due_on=date(2026, 12, 1))

    late_meeting(date(2027, 1, 5))
    pages = [(alice, reverse("dashboard:my_work")), (priya, reverse("dashboard:list", args=["meetings-arranged-late"]))]
    budgets = []
    for user, url in pages:
        client.force_login(user)
        with django_assert_max_num_queries(60) as few:
            assert "lateness-late" in client.get(url).content.decode()
        budgets.append(len(few))
    for days in range(1, 16):
        late_meeting(date(2027, 1, 5) + dt.timedelta(days=days))
    for (user, url), budget in zip(pages, budgets, strict=True):
        client.force_login(user)
        with django_assert_max_num_queries(budget):
            assert client.get(url).content.decode().count("lateness-tag lateness-late") >= 16
