"""Finding 4 of issue 14: an action or a milestone is given only to someone on the contract (its OCO
and SRO, the Procurement Unit, the meeting's attendees); anyone else is refused next to the field."""

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from meetings.models import Action
from performance.models import Milestone
from tests import factories
from tests.meeting_factories import MeetingFactory

NOW = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


def _choices(response, field="owner") -> set[int]:
    return {int(str(value)) for value, _ in response.context["form"].fields[field].choices if value}


@time_machine.travel(NOW, tick=False)
def test_action_owner_is_someone_on_the_contract_or_the_meeting(client, alice, bob, sam, priya, contract):
    guest = factories.oco(username="guest")
    meeting = MeetingFactory(contract=contract, attendees=[alice, guest], starts_at=timezone.now())
    client.force_login(alice)
    url = reverse("meetings:action_create", args=[meeting.pk])
    assert _choices(client.get(url)) == {alice.pk, sam.pk, priya.pk, guest.pk}

    data = {"description": "Pay the invoice at http://scam.example", "owner": bob.pk, "due_date": "2026-11-20"}
    response = client.post(url, data | {"done_on": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["owner"] == [
        "Choose someone on this contract: its OCO, its SRO, the Procurement Unit or an attendee."
    ]
    assert 'id="error_1_id_owner"' in response.content.decode()  # beside the field
    assert not Action.objects.exists()

    response = client.post(url, data | {"owner": guest.pk, "done_on": ""})
    assert response.status_code == 302
    assert Action.objects.get().owner == guest


@time_machine.travel(NOW, tick=False)
def test_milestone_owner_is_someone_on_the_contract(client, alice, bob, sam, priya, contract):
    client.force_login(alice)
    url = reverse("performance:milestone_create", args=[contract.pk])
    assert _choices(client.get(url)) == {alice.pk, sam.pk, priya.pk}

    data = {"title": "Mobilisation complete", "due_date": "2026-12-15", "status": "scheduled", "met_on": ""}
    response = client.post(url, data | {"owner": bob.pk, "notes": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["owner"] == [
        "Choose someone on this contract: its OCO, its SRO or the Procurement Unit."
    ]
    assert 'id="error_1_id_owner"' in response.content.decode()
    assert not Milestone.objects.exists()
    assert client.post(url, data | {"owner": sam.pk, "notes": ""}).status_code == 302
    assert Milestone.objects.get().owner == sam


@time_machine.travel(NOW, tick=False)
def test_an_existing_owner_who_left_the_contract_can_be_kept(client, alice, bob, priya, contract):
    milestone = Milestone.objects.create(contract=contract, title="Go live", due_date=dt.date(2026, 12, 1), owner=bob)
    client.force_login(alice)
    url = reverse("performance:milestone_edit", args=[milestone.pk])
    data = {"title": "Go live soon", "due_date": "2026-12-01", "status": "scheduled", "met_on": "", "notes": ""}
    assert client.post(url, data | {"owner": bob.pk}).status_code == 302
