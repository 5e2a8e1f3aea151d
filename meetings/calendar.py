"""Meetings as iCalendar (RFC 5545), for Outlook and other calendars."""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from icalendar import Calendar, Event

from meetings.models import Meeting

STATUS: dict[str, str] = {
    Meeting.Status.PLANNED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.POSTPONED: "TENTATIVE",
    Meeting.Status.CANCELLED: "CANCELLED",
}


def _event(meeting: Meeting) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@contract-register")
    event.add("dtstamp", meeting.created_at)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.starts_at + timedelta(minutes=meeting.duration_minutes))
    contract = meeting.contract
    event.add("summary", f"{meeting.get_kind_display()} meeting: {contract.reference} {contract.supplier.name}")
    if meeting.location:
        event.add("location", meeting.location)
    description = f"{contract.reference} {contract.title}\n\n{meeting.agenda}".strip()
    event.add("description", description)
    event.add("url", settings.SITE_URL + meeting.get_absolute_url())
    event.add("status", STATUS[meeting.status])
    return event


def calendar_bytes(meetings: Iterable[Meeting], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Police force//Contract register//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(_event(meeting))
    return calendar.to_ical()
