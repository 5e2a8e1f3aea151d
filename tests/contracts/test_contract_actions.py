"""An OCO's main button on each tab is the work of that tab; editing the record is secondary."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _buttons(client, url) -> str:
    page = client.get(url).content.decode()
    return page[page.index("</h1>") : page.index('<ul class="nav nav-tabs')]


def test_an_oco_sees_the_tabs_own_action_first_and_edit_as_secondary(client, alice, contract):
    client.force_login(alice)
    meetings = client.get(reverse("meetings:contract", args=[contract.pk])).content.decode()
    # The tab's own button (in its schedule card) is the primary one; editing the record is secondary.
    assert 'class="btn btn-primary" href="/meetings/contract/' in meetings
    assert 'class="btn btn-outline-secondary" href="/contracts/' in meetings
    log = _buttons(client, reverse("meetings:log", args=[contract.pk]))
    assert 'class="btn btn-primary" href="#h-record">Log a call or activity<' in log
    details = _buttons(client, reverse("contracts:detail", args=[contract.pk]))
    assert "btn-primary" not in details.split("Edit operational details")[0].rsplit("<a", 1)[1]


def test_an_sro_who_may_not_log_is_not_offered_it(client, sam, contract):
    client.force_login(sam)
    assert "Log a call or activity" not in _buttons(client, reverse("meetings:log", args=[contract.pk]))
