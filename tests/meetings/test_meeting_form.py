"""Arranging a meeting asks only what applies to a meeting ahead, and says when it is due."""

import pytest
import time_machine
from django.urls import reverse

from meetings.models import Meeting
from tests.meetings.test_meetings import NOW, meeting_data

pytestmark = pytest.mark.django_db


@time_machine.travel(NOW, tick=False)
def test_arranging_a_meeting_asks_no_status_or_minutes_and_says_when_it_is_due(client, alice, contract):
    client.force_login(alice)
    response = client.get(reverse("meetings:create", args=[contract.pk]))
    assert {"status", "minutes", "minutes_upload"}.isdisjoint(response.context["form"].fields)
    page = " ".join(response.content.decode().split())
    assert "Held" not in page and "Minutes file" not in page
    # The contract started on 1 Apr 2025 (annual cadence): its first meeting was due by 1 Apr 2026.
    assert "the meeting is due by 1 Apr 2026" in page
    assert 'href="?record=held"' in page

    response = client.post(reverse("meetings:create", args=[contract.pk]), meeting_data(status="held", minutes="x"))
    meeting = Meeting.objects.get()
    assert meeting.status == Meeting.Status.PLANNED and meeting.minutes == ""  # not asked, not taken
    assert "Meeting on 1 Jul 2027 saved." in [str(m) for m in response.wsgi_request._messages][0]


@time_machine.travel(NOW, tick=False)
def test_a_meeting_already_held_is_recorded_with_its_minutes(client, alice, contract):
    client.force_login(alice)
    url = reverse("meetings:create", args=[contract.pk]) + "?record=held"
    assert "minutes" in client.get(url).context["form"].fields
    data = meeting_data(kind="virtual", starts_at="2026-11-20T10:00", status="held", minutes="Agreed the plan")
    assert client.post(url, data).status_code == 302
    assert Meeting.objects.get().minutes == "Agreed the plan"
