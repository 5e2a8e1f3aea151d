"""The lists behind the dashboard: a row's link is on what names it (an escalation's title, an action's
words), with its date still shown beside it; a meeting, named by its date, keeps the link on its date."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import escalation_raised
from tests.meeting_factories import ActionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _cells(page: str, text: str) -> str:
    """The table row holding `text`."""
    return next(row for row in re.findall(r"<tr>.*?</tr>", page, re.S) if text in row)


def test_an_open_escalation_links_from_its_title_and_shows_its_date(client, priya, contract):
    escalation = escalation_raised(contract, by=priya)
    client.force_login(priya)
    page = client.get(reverse("dashboard:list", args=["open-escalations"])).content.decode()
    row = _cells(page, "Dispute over service credits")
    url = reverse("escalations:detail", args=[escalation.pk])
    assert f'<a href="{url}">Dispute over service credits</a>' in row
    assert row.count("<a ") == 1  # not on the date as well
    assert f"{escalation.raised_on:%-d %b %Y}" in row


def test_an_overdue_action_links_from_its_words_and_shows_its_due_date(client, priya, contract):
    meeting = MeetingFactory(contract=contract, created_by=priya, starts_at=timezone.now() - dt.timedelta(days=30))
    action = ActionFactory(meeting=meeting, owner=priya, due_date=timezone.localdate() - dt.timedelta(days=3))
    client.force_login(priya)
    page = client.get(reverse("dashboard:list", args=["overdue-actions"])).content.decode()
    row = _cells(page, action.description)
    url = reverse("meetings:detail", args=[meeting.pk])
    assert f'<a href="{url}">{action.description}</a>' in row
    assert row.count("<a ") == 1
    assert f"{action.due_date:%-d %b %Y}" in row


def test_a_meeting_keeps_its_link_on_its_date(client, priya, contract):
    held = timezone.now() - dt.timedelta(days=10)
    meeting = MeetingFactory(contract=contract, created_by=priya, starts_at=held, status="held")
    client.force_login(priya)
    page = client.get(reverse("dashboard:list", args=["meetings-without-minutes"])).content.decode()
    url = reverse("meetings:detail", args=[meeting.pk])
    assert f'<a href="{url}">{meeting.local_date:%-d %b %Y}</a>' in _cells(page, contract.reference)
