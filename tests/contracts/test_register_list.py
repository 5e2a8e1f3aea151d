"""The register list as a working day uses it: what matters first, nothing repeated, filters out of the way."""

from datetime import date

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_the_register_lists_active_contracts_ending_soonest_first_then_drafts_then_ended(client, priya):
    made = {
        "ended-long-ago": {"status": "expired", "end_date": date(2024, 3, 31), "start_date": date(2021, 4, 1)},
        "active-later": {"status": "active", "end_date": date(2029, 3, 31)},
        "terminated-lately": {"status": "terminated", "end_date": date(2026, 1, 31)},
        "draft": {"status": "draft", "end_date": date(2027, 3, 31)},
        "active-soon": {"status": "active", "end_date": date(2026, 12, 31)},
    }
    for title, fields in made.items():
        factories.ContractFactory(title=title, **fields)
    client.force_login(priya)
    response = client.get(reverse("contracts:list"))
    titles = [c.title for c in response.context["object_list"]]
    assert titles == ["active-soon", "active-later", "draft", "terminated-lately", "ended-long-ago"]
    # A column header still sorts the list its way.
    response = client.get(reverse("contracts:list"), {"sort": "-end_date"})
    assert [c.title for c in response.context["object_list"]][0] == "active-later"


def test_my_contracts_leaves_out_the_oco_column_that_would_repeat_my_name(client, alice, contract):
    client.force_login(alice)
    page = client.get(reverse("contracts:list")).content.decode()
    assert ">OCO</a>" not in page and '<td data-label="OCO">' not in page and "Alice Adams</td>" not in page
    assert ">SRO</th>" in page and '<td data-label="SRO">Sam Singh</td>' in page


def test_the_procurement_unit_sees_both_columns(client, priya, contract, other_contract):
    client.force_login(priya)
    page = client.get(reverse("contracts:list")).content.decode()
    assert ">OCO</a>" in page and '<td data-label="OCO">Alice Adams</td>' in page and ">SRO</th>" in page


def test_the_filters_button_says_how_many_are_applied(client, priya, contract):
    client.force_login(priya)
    page = client.get(reverse("contracts:list")).content.decode()
    assert 'aria-controls="register-filters">Filters</button>' in page
    query = {"status": "active", "oco": "alice", "end_date_after": "2026-01-01", "end_date_before": "2030-01-01"}
    page = client.get(reverse("contracts:list"), query).content.decode()
    assert "Filters (3 applied)" in page
    assert 'class="collapse d-lg-block" id="register-filters"' in page
