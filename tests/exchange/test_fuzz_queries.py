"""Hostile input in the query strings (and path parts) of the list pages, exports and the API.

As in tests/core/test_fuzz.py: never a server error (the test client re-raises any exception), every page
holds hostile markup only escaped, and each example is rolled back."""

import csv
import io
import json
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import example, given
from hypothesis import strategies as st

from tests.fuzzing import SCRIPT, SETTINGS, any_hostile, assert_safe, dates, numbers, rolled_back, signed_in

pytestmark = pytest.mark.usefixtures("_pinned_clock")


# --- Query strings and path parts ---------------------------------------------------------------------

QUERY_VALUES = (SCRIPT, "a\x00b", "9" * 400, "²", "0001-01-01", "9999-12-31", "x" * 10_000)

# (who, the page, its query-string parameters)
QUERIES = {
    "contracts list": (
        "priya",
        lambda w: reverse("contracts:list"),
        ["q", "status", "supplier", "category", "oco", "sro", "end_date_after", "end_date_before"]
        + ["total_value_min", "total_value_max", "sort", "page"],
    ),
    "contracts list as an OCO": ("alice", lambda w: reverse("contracts:list"), ["q", "oco", "sro", "supplier", "page"]),
    "suppliers list": ("priya", lambda w: reverse("suppliers:list"), ["q", "status", "key", "page"]),
    "escalations list": (
        "priya",
        lambda w: reverse("escalations:list"),
        ["q", "contract", "status", "severity", "source", "owner", "page"],
    ),
    "renewals": ("priya", lambda w: reverse("lifecycle:renewals"), ["page"]),
    "savings": ("priya", lambda w: reverse("lifecycle:savings"), ["status", "year", "page"]),
    "training": ("priya", lambda w: reverse("lifecycle:training_add"), ["user"]),
    "handover": ("priya", lambda w: reverse("lifecycle:handover"), ["from_user", "role"]),
    "renewal decision": ("priya", lambda w: reverse("lifecycle:renewal_decide", args=[w.pk]), ["from"]),
    "termination notices": ("priya", lambda w: reverse("lifecycle:termination_notices"), ["page"]),
    "kraljic matrix": ("priya", lambda w: reverse("contracts:kraljic_matrix"), ["category", "oco"]),
    "kraljic assessment": ("priya", lambda w: reverse("contracts:kraljic_assess", args=[w.pk]), ["round"]),
    "notifications": ("alice", lambda w: reverse("notifications:list"), ["show", "page"]),
    "performance notices": ("priya", lambda w: reverse("exchange:notices"), ["format", "page"]),
    "change notices": ("priya", lambda w: reverse("exchange:change_notices"), ["format", "page"]),
    "termination notice exports": ("priya", lambda w: reverse("exchange:termination_notices"), ["format", "page"]),
    "mi reports": ("alice", lambda w: reverse("performance:mi_reports", args=[w.pk]), ["page"]),
    "administration log": ("alice", lambda w: reverse("meetings:log", args=[w.pk]), ["kind"]),
    "administration log csv": ("alice", lambda w: reverse("meetings:log_csv", args=[w.pk]), ["kind"]),
    "ocds export": (
        "priya",
        lambda w: reverse("ocds:export"),
        ["q", "status", "supplier", "end_date_after", "end_date_before", "total_value_min", "sort"],
    ),
    "api contracts": (
        "priya",
        lambda w: "/api/contracts/",
        ["status", "supplier", "category", "kraljic_quadrant", "oco", "end_date_after", "page", "page_size"],
    ),
    "api kpi results": (
        "priya",
        lambda w: "/api/kpi-results/",
        ["kpi", "contract", "period_after", "period_before", "rating", "page_size"],
    ),
    "api escalations": ("alice", lambda w: "/api/escalations/", ["status", "severity", "source", "contract"]),
}


@pytest.fixture
def listed(contract, other_contract, alice, priya):
    """Something on every list: alice's contract with a saving, an escalation and an activity."""
    from contracts import services
    from contracts.models import Escalation, Saving

    services.saving_record(
        saving=Saving(
            contract=contract, kind="cash_releasing", amount=1000, achieved_on=date(2026, 6, 1), description="Cut"
        ),
        by=priya,
    )
    services.escalation_raise(escalation=Escalation(contract=contract, source="dispute", title="Late"), by=alice)
    return contract


@pytest.mark.parametrize("name", list(QUERIES))
def test_query_strings_survive_hostile_values(name, listed, alice, priya):
    persona, url, params = QUERIES[name]
    client = signed_in(alice if persona == "alice" else priya)
    url = url(listed)

    @SETTINGS
    @with_queries(QUERY_VALUES)
    @given(query=st.dictionaries(st.sampled_from(params), st.one_of(any_hostile, numbers, dates), min_size=1))
    def fuzz(query):
        query = {key: value for key, value in query.items() if key != "*"} or dict.fromkeys(params, query.get("*"))
        with rolled_back():
            response = client.get(url, query)
            assert_safe(response, what=f"{url}?{query}"[:300])
            if response.get("Content-Type", "").startswith("text/csv"):
                list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
            elif response.get("Content-Type", "").startswith("application/json"):
                json.loads(response.content)

    fuzz()


def with_queries(values):
    def decorate(test):
        for value in reversed(values):
            test = example(query={"*": value})(test)
        return test

    return decorate


PATH_VALUES = (SCRIPT, "9" * 400, "0001-01-01", "9999-12-31", "2026-02-30", "²", "%00", "..%2F..%2Fetc", "x" * 2000)


def test_path_parts_survive_hostile_values(listed, priya):
    from urllib.parse import quote

    client = signed_in(priya)

    @SETTINGS
    @with_path_values(PATH_VALUES)
    @given(part=st.one_of(any_hostile, dates).filter(lambda v: v.strip("/") != ""))
    def fuzz(part):
        quoted = quote(part, safe="")
        with rolled_back():
            for url in (
                f"/performance/notices/contract/{listed.pk}/{quoted}/final/",
                f"/performance/notices/contract/{listed.pk}/2026-01-01/{quoted}/",
                f"/imports/template.{quoted}",
            ):
                assert_safe(client.get(url), what=url[:200])
            assert_safe(Client().get(f"/meetings/calendar/{quoted}.ics"), what="calendar feed")
            response = client.post(reverse("notifications:mark_all_read"), {"next": part})
            assert response.status_code == 302
            assert url_has_allowed_host_and_scheme(response["Location"], allowed_hosts={"testserver"})

    fuzz()


def with_path_values(values):
    def decorate(test):
        for value in reversed(values):
            test = example(part=value)(test)
        return test

    return decorate
