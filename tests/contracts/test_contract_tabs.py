"""A contract's header, tabs and the Performance tab's sections link to this contract's pages (their
URLs are filled in from patterns reversed once: accounts/templatetags/register.py, `pk_url`)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

TABS = ("contracts:detail", "performance:contract", "meetings:contract", "meetings:log", "lifecycle:contract")


@pytest.mark.parametrize("page", ["contracts:detail", "performance:contract"])
def test_the_tabs_and_header_link_to_this_contracts_pages(client, alice, contract, other_contract, page):
    client.force_login(alice)
    html = client.get(reverse(page, args=[contract.pk])).content.decode()
    links = set(re.findall(r'href="([^"]+)"', html))
    for name in (*TABS, "contracts:history", "contracts:edit"):
        assert reverse(name, args=[contract.pk]) in links, name
        assert reverse(name, args=[other_contract.pk]) not in links, name
    assert reverse("suppliers:detail", args=[contract.supplier_id]) in links
    if page == "performance:contract":
        for name in ("performance:milestones", "performance:mi_reports", "performance:remedies"):
            assert reverse(name, args=[contract.pk]) in links, name
