"""Saved views of the register: private to their owner unless the Procurement Unit shares them, and
always showing each person only the contracts they may see."""

import pytest
from django.urls import reverse

from contracts.models import SavedView
from tests import factories

pytestmark = pytest.mark.django_db


def _save(client, name, query="", shared=False):
    data = {"name": name, "query": query}
    if shared:
        data["shared"] = "on"
    return client.post(reverse("contracts:saved_views"), data)


def _titles(response):
    return [c.title for c in response.context["object_list"]]


def test_a_saved_view_keeps_the_filters_and_sort_and_appears_in_its_owners_menu(client, alice, bob, contract):
    client.force_login(alice)
    page = client.get(reverse("contracts:saved_views"), {"status": "active", "sort": "-end_date", "page": "2"})
    assert page.context["form"].initial["query"] == "sort=-end_date&status=active"  # no paging kept
    response = _save(client, "Ending last", "sort=-end_date&status=active&format=csv")
    view = SavedView.objects.get(owner=alice)
    assert view.query == "sort=-end_date&status=active" and not view.shared
    assert response.url == f"{reverse('contracts:list')}?sort=-end_date&status=active"
    menu = client.get(response.url)
    assert ("Ending last", response.url, True) in [
        (v.name, url, current) for v, url, current in menu.context["saved_views"]
    ]
    assert "Ending last" in menu.content.decode()

    client.force_login(bob)
    assert "Ending last" not in client.get(reverse("contracts:list")).content.decode()
    # Someone else's private view cannot be deleted, nor seen to exist.
    assert client.post(reverse("contracts:saved_view_delete", args=[view.pk])).status_code == 404
    assert SavedView.objects.filter(pk=view.pk).exists()


def test_only_the_procurement_unit_may_share_a_view(client, alice, priya):
    client.force_login(alice)
    assert "shared" not in client.get(reverse("contracts:saved_views")).context["form"].fields
    _save(client, "Mine", "status=active", shared=True)
    assert SavedView.objects.get(owner=alice).shared is False  # the box is not offered, and not taken

    client.force_login(priya)
    _save(client, "Active", "status=active", shared=True)
    assert SavedView.objects.get(owner=priya).shared is True


def test_a_shared_view_shows_each_person_only_the_contracts_they_may_see(
    client, alice, bob, priya, contract, other_contract
):
    factories.ContractFactory(title="Nobody's", status="active")
    client.force_login(priya)
    _save(client, "Active", "status=active", shared=True)
    url = reverse("contracts:list") + "?status=active"

    assert sorted(_titles(client.get(url))) == ["Body-worn video", "Custody healthcare", "Nobody's"]
    client.force_login(alice)
    assert "Active" in client.get(reverse("contracts:list")).content.decode()
    assert _titles(client.get(url)) == ["Body-worn video"]
    client.force_login(bob)
    assert _titles(client.get(url)) == ["Custody healthcare"]
    # Only its owner deletes it; others see it but may not remove it.
    view = SavedView.objects.get(name="Active")
    assert client.post(reverse("contracts:saved_view_delete", args=[view.pk])).status_code == 403
    client.force_login(priya)
    assert client.post(reverse("contracts:saved_view_delete", args=[view.pk])).status_code == 302
    assert not SavedView.objects.exists()


def test_a_view_needs_a_name_said_next_to_the_field(client, alice):
    client.force_login(alice)
    response = _save(client, "   ", "status=active")
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not SavedView.objects.exists()


def test_saving_under_a_name_already_used_replaces_the_view(client, alice):
    client.force_login(alice)
    _save(client, "Mine", "status=active")
    _save(client, "Mine", "status=draft")
    assert list(SavedView.objects.values_list("query", flat=True)) == ["status=draft"]
