"""A Kraljic review round past its due date with contracts not reviewed is "Overdue" on the review
rounds list, its page and the Procurement dashboard, and reminded once; a complete round is not."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts import services
from contracts.models import ReviewRound
from notifications.models import Kind, Notification
from tests import factories
from tests.contracts.test_kraljic import scores_for

DECEMBER = date(2026, 12, 4)


def pinned(day: date = DECEMBER):
    return time_machine.travel(f"{day.isoformat()} 10:00 +00:00", tick=False)


@pytest.fixture
def july_round(priya):
    """The July 2026 round, due 31 Aug, with one of its two contracts reviewed."""
    first, _second = factories.ContractFactory.create_batch(2)
    with time_machine.travel("2026-07-01 07:00 +01:00", tick=False):
        review_round, _ = services.review_round_open(today=date(2026, 7, 1))
        services.assessment_record(
            contract=first, scores=scores_for(3, 3), rationale="", by=priya, review_round=review_round
        )
    Notification.objects.all().delete()
    return review_round


def test_overdue_is_open_past_due_with_contracts_to_review(july_round, priya):
    assert july_round.due_date == date(2026, 8, 31)
    assert list(ReviewRound.objects.overdue(today=date(2026, 8, 31))) == []
    assert list(ReviewRound.objects.overdue(today=DECEMBER)) == [july_round]
    item = july_round.items.get(reviewed_at__isnull=True)
    with pinned():
        services.assessment_record(
            contract=item.contract, scores=scores_for(2, 2), rationale="", by=priya, review_round=july_round
        )
    # Every contract reviewed: complete, though not yet closed. No false alarm.
    assert list(ReviewRound.objects.overdue(today=DECEMBER)) == []
    with pinned():
        services.review_round_reminders_send(today=DECEMBER)
    assert not Notification.objects.exists()


def test_the_july_round_shows_overdue_in_december(client, july_round, priya):
    client.force_login(priya)
    with pinned():
        rounds = client.get(reverse("contracts:review_rounds")).content.decode()
        one = client.get(july_round.get_absolute_url()).content.decode()
        dashboard = client.get(reverse("dashboard:procurement")).content.decode()
    assert "July 2026" in rounds and "Overdue" in rounds
    assert ">Open<" not in rounds
    assert "Overdue" in one
    assert "Kraljic review July 2026" in dashboard and "Overdue" in dashboard


def test_a_round_not_yet_due_shows_open(client, july_round, priya):
    client.force_login(priya)
    with pinned(date(2026, 8, 31)):
        rounds = client.get(reverse("contracts:review_rounds")).content.decode()
    assert ">Open<" in rounds and "Overdue" not in rounds


def test_the_overdue_reminder_is_sent_once(july_round, priya):
    officer = factories.procurement_officer(username="omar")
    for day in (date(2026, 9, 1), date(2026, 9, 1), DECEMBER):
        with pinned(day):
            services.review_round_reminders_send(today=day)
    for person in (priya, officer):
        sent = Notification.objects.filter(recipient=person, kind=Kind.REVIEW_ROUND_OVERDUE)
        assert list(sent.values_list("title", flat=True)) == ["The July 2026 Kraljic review is overdue"]


def test_the_rounds_list_costs_the_same_queries_for_one_round_or_four(client, july_round, priya):
    client.force_login(priya)
    with pinned(), CaptureQueriesContext(connection) as one:
        client.get(reverse("contracts:review_rounds"))
    for day in (date(2027, 1, 1), date(2027, 7, 1), date(2028, 1, 1)):
        with time_machine.travel(f"{day.isoformat()} 07:00 +00:00", tick=False):
            services.review_round_open(today=day)
    with time_machine.travel("2028-03-15 10:00 +00:00", tick=False):
        client.force_login(priya)  # a new session: the first one has long expired
        with CaptureQueriesContext(connection) as four:
            content = client.get(reverse("contracts:review_rounds")).content.decode()
    assert content.count("Overdue") == 4
    assert len(four) == len(one)
