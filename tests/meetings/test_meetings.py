"""Meetings, actions, the administration log and calendars, as OCOs and others use them."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from contracts.models import Activity
from meetings.models import Action, CalendarFeed, Meeting
from meetings.services import calendar_feed_renew
from tests.conftest import pdf_bytes
from tests.meeting_factories import ActionFactory, MeetingFactory

NOW = "2026-11-25 09:00 +00:00"


def meeting_data(**overrides):
    data = {
        "kind": "face_to_face",
        "starts_at": "2027-07-01T10:00",
        "duration_minutes": "90",
        "location": "Headquarters, room 2",
        "arranged_on": "2026-11-25",
        "status": "planned",
        "short_notice_reason": "",
        "agenda": "Service review\nKPIs",
        "minutes": "",
    }
    data.update(overrides)
    return data


@time_machine.travel(NOW, tick=False)
def test_a_meeting_arranged_after_it_was_due_shows_late_not_arranged(client, alice, contract):
    """The contract started on 1 Apr 2025 (annual cadence): its first meeting was due by 1 Apr 2026."""
    client.force_login(alice)
    page = client.get(reverse("meetings:contract", args=[contract.pk])).content.decode()
    assert "Arrange-by date passed" in page
    response = client.post(reverse("meetings:create", args=[contract.pk]), meeting_data(attendees=[alice.pk]))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert not meeting.is_short_notice and meeting.created_by == alice
    assert list(meeting.attendees.all()) == [alice]
    assert meeting.lateness == "late" and meeting.due_on == dt.date(2026, 4, 1)
    detail = client.get(contract.get_absolute_url()).content.decode()
    assert "lateness-late" in detail and "1 Jul 2027" in detail and 'text-bg-success">Arranged' not in detail


@time_machine.travel(NOW, tick=False)
def test_a_short_notice_meeting_asks_why(client, alice, contract):
    client.force_login(alice)
    response = client.post(reverse("meetings:create", args=[contract.pk]), meeting_data(starts_at="2027-01-10T10:00"))
    assert response.status_code == 200
    assert "less than six months ahead" in response.context["form"].errors["short_notice_reason"][0]
    assert not Meeting.objects.exists()
    response = client.post(
        reverse("meetings:create", args=[contract.pk]),
        meeting_data(starts_at="2027-01-10T10:00", short_notice_reason="Service failure needs a meeting now"),
    )
    assert response.status_code == 302
    assert Meeting.objects.get().is_short_notice


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"starts_at": "2026-11-01T10:00"}, "status", "in the past"),
        ({"starts_at": "2027-07-01T10:00", "status": "held"}, "status", "cannot have been held"),
        ({"starts_at": "2026-11-01T10:00", "arranging": True}, "starts_at", "a meeting is arranged ahead"),
        ({"starts_at": "not a date"}, "starts_at", "Enter a valid date/time"),
    ],
)
def test_bad_meetings_are_refused_and_nothing_is_saved(client, alice, contract, overrides, field, message):
    client.force_login(alice)
    record = "" if overrides.pop("arranging", False) else "?record=held"
    response = client.post(reverse("meetings:create", args=[contract.pk]) + record, meeting_data(**overrides))
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert "Nothing has been saved" in response.content.decode()
    assert not Meeting.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_forbidden_minutes_file_is_refused(client, alice, contract):
    client.force_login(alice)
    data = meeting_data(minutes_upload=SimpleUploadedFile("minutes.exe", b"MZ\x90\x00"))
    response = client.post(reverse("meetings:create", args=[contract.pk]) + "?record=held", data)
    assert response.status_code == 200
    assert "not an accepted file type" in response.context["form"].errors["minutes_upload"][0]
    assert not Meeting.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_an_action_cannot_be_due_before_its_meeting(client, alice, contract):
    meeting = MeetingFactory(contract=contract, starts_at=timezone.now() + dt.timedelta(days=200))
    client.force_login(alice)
    data = {"description": "Send MI", "owner": alice.pk, "due_date": "2027-01-01", "done_on": ""}
    response = client.post(reverse("meetings:action_create", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert "before the meeting" in response.context["form"].errors["due_date"][0]
    assert not Action.objects.exists()
    data["due_date"] = (meeting.local_date + dt.timedelta(days=7)).isoformat()
    assert client.post(reverse("meetings:action_create", args=[meeting.pk]), data).status_code == 302
    assert Action.objects.get().owner == alice


@time_machine.travel(NOW, tick=False)
def test_the_log_records_activities_filters_and_exports(client, alice, contract):
    MeetingFactory(
        contract=contract, agenda="Annual review", status="held", starts_at=timezone.now() - dt.timedelta(days=3)
    )
    client.force_login(alice)
    response = client.post(
        reverse("meetings:log", args=[contract.pk]),
        {
            "kind": "call",
            "occurred_on": "2026-11-24",
            "summary": "=HYPERLINK(bad) call about late invoices",
            "details": "Agreed a fix",
            "attachment_upload": SimpleUploadedFile("note.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.recorded_by == alice and activity.attachment_name == "note.pdf"
    timeline = client.get(reverse("meetings:log", args=[contract.pk])).context["entries"]
    assert [e.kind for e in timeline] == ["call", "meeting"]
    only_calls = client.get(reverse("meetings:log", args=[contract.pk]), {"kind": "call"}).context["entries"]
    assert [e.kind for e in only_calls] == ["call"]
    csv_text = client.get(reverse("meetings:log_csv", args=[contract.pk])).content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0] == "Date,Kind,Summary,Details,Recorded by,Link"
    assert lines[1].startswith("24/11/2026,Telephone call,'=HYPERLINK(bad)")  # no formula injection
    assert "Annual review" in lines[2]
    assert client.get(reverse("meetings:activity_attachment", args=[activity.pk])).status_code == 200


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"occurred_on": "2026-12-25"}, "occurred_on", "in the future"),
        ({"attachment_upload": SimpleUploadedFile("x.pdf", b"MZ\x90")}, "attachment_upload", "does not contain a PDF"),
        ({"summary": ""}, "summary", "This field is required"),
    ],
)
def test_bad_activities_are_refused(client, alice, contract, overrides, field, message):
    client.force_login(alice)
    data = {"kind": "note", "occurred_on": "2026-11-24", "summary": "A note", "details": ""}
    data.update(overrides)
    response = client.post(reverse("meetings:log", args=[contract.pk]), data)
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert not Activity.objects.exists()


# --- Who may do what (every meeting page as every persona: test_meeting_permissions.py) ------------------


def test_an_sro_cannot_record_an_activity(client, sam, contract):
    client.force_login(sam)
    data = {"kind": "note", "occurred_on": "2026-11-24", "summary": "A note"}
    assert client.post(reverse("meetings:log", args=[contract.pk]), data).status_code == 403
    assert not Activity.objects.exists()


def test_another_oco_cannot_set_the_cadence_or_post_a_meeting(client, bob, alice, contract):
    client.force_login(bob)
    assert client.post(reverse("meetings:cadence", args=[contract.pk]), {"cadence": "monthly"}).status_code == 404
    assert client.post(reverse("meetings:create", args=[contract.pk]), meeting_data()).status_code == 404
    client.force_login(alice)  # the OCO reads the cadence but the Procurement Unit sets it
    assert client.post(reverse("meetings:cadence", args=[contract.pk]), {"cadence": "monthly"}).status_code == 403


# --- Calendars ---------------------------------------------------------------------------


def _events(ics: bytes) -> list:
    return [c for c in Calendar.from_ical(ics).walk() if c.name == "VEVENT"]


def test_a_meeting_downloads_as_an_ics_file(client, alice, contract):
    meeting = MeetingFactory(contract=contract, location="HQ room 2")
    client.force_login(alice)
    response = client.get(reverse("meetings:ics", args=[meeting.pk]))
    assert response["Content-Type"] == "text/calendar"
    (event,) = _events(response.content)
    assert event["location"] == "HQ room 2"
    assert event.decoded("dtstart") == meeting.starts_at
    assert "CON-ALICE" in str(event["summary"])


def test_the_calendar_feed_shows_only_the_users_meetings_and_stops_when_revoked(
    client, alice, contract, other_contract
):
    mine = MeetingFactory(contract=contract)
    MeetingFactory(contract=other_contract)
    MeetingFactory(contract=contract, status="cancelled")
    feed = calendar_feed_renew(user=alice)
    client.logout()
    response = client.get(feed.get_absolute_url())  # calendar programs do not sign in
    assert response.status_code == 200
    uids = [str(e["uid"]) for e in _events(response.content)]
    assert uids == [f"meeting-{mine.pk}@contract-register"]

    client.force_login(alice)
    client.post(reverse("meetings:calendar"), {"action": "renew"})
    client.logout()
    assert client.get(feed.get_absolute_url()).status_code == 404  # the old address stopped working
    client.force_login(alice)
    client.post(reverse("meetings:calendar"), {"action": "revoke"})
    assert not CalendarFeed.objects.filter(user=alice).exists()
    client.logout()
    assert client.get(reverse("meetings:feed", args=["guessed-token"])).status_code == 404


def test_meetings_tab_query_count_does_not_grow_with_meetings(client, alice, contract, django_assert_max_num_queries):
    client.force_login(alice)
    MeetingFactory(contract=contract)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("meetings:contract", args=[contract.pk]))
    for _ in range(15):
        ActionFactory(meeting=MeetingFactory(contract=contract))
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("meetings:contract", args=[contract.pk]))
