"""Who may do what on a contract's Performance page: each URL for each persona, another OCO refused
everywhere (404), the SRO reading without changing, read-only URLs refusing a post."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from performance import services
from performance.models import Kpi, KpiResult
from tests import factories
from tests.conftest import pdf_bytes
from tests.demo_world import read_only_world
from tests.performance.conftest import KpiFactory
from tests.performance.test_kpi_definition import kpi_data
from tests.performance.test_performance_pages import HTMX, NOW


def _build(people: dict) -> dict:
    """Alice's contract with a published KPI and a result with its evidence; the URLs of each."""
    contract = factories.alices_contract(alice=people["alice"], sam=people["sam"], priya=people["priya"])
    kpi = KpiFactory(contract=contract, name="Calls answered within 20 seconds")  # tests/performance/conftest.py's
    result = services.kpi_result_record(
        kpi=kpi, period_start=date(2026, 1, 1), actual=Decimal("97"), by=people["alice"]
    )
    result.evidence.save("e.pdf", SimpleUploadedFile("e.pdf", pdf_bytes()))
    return {
        "contract": reverse("performance:contract", args=[contract.pk]),
        "kpi_create": reverse("performance:kpi_create", args=[contract.pk]),
        "kpi_edit": reverse("performance:kpi_edit", args=[kpi.pk]),
        "kpi_history": reverse("performance:kpi_history", args=[kpi.pk]),
        "kpi_results": reverse("performance:kpi_results", args=[kpi.pk]),
        "result_record": reverse("performance:result_record", args=[kpi.pk]),
        "result_correct": reverse("performance:result_correct", args=[result.pk]),
        "result_override": reverse("performance:result_override", args=[result.pk]),
        "evidence": reverse("performance:evidence", args=[result.pk]),
    }


# Only refusals and reads: the module shares one world (tests/demo_world.py), each test in a savepoint of it.
world, db, persona, _test_settings = read_only_world(_build)


@pytest.fixture
def urls(world):
    return world["objects"]


# What each persona gets from a GET (htmx where the URL answers htmx only): alice the contract's OCO,
# bob another OCO, sam the contract's SRO (reads), priya the Procurement Unit.
GET_MATRIX = {
    "contract": {"alice": 200, "bob": 404, "sam": 200, "priya": 200},
    "kpi_create": {"alice": 200, "bob": 404, "sam": 403, "priya": 200},
    "kpi_edit": {"alice": 200, "bob": 404, "sam": 403, "priya": 200},
    "kpi_history": {"alice": 200, "bob": 404, "sam": 200, "priya": 200},
    "kpi_results": {"alice": 200, "bob": 404, "sam": 200, "priya": 200},
    "result_record": {"alice": 302, "bob": 404, "sam": 302, "priya": 302},  # a GET goes to the page
    "result_correct": {"alice": 200, "bob": 404, "sam": 403, "priya": 200},
    "result_override": {"alice": 200, "bob": 404, "sam": 403, "priya": 200},
    "evidence": {"alice": 200, "bob": 404, "sam": 200, "priya": 200},
}
POST_DATA = {
    "kpi_create": kpi_data(),
    "kpi_edit": kpi_data(),
    "result_record": {"period_start": "2026-10-01", "actual": "97"},
    "result_correct": {"actual": "50"},
    "result_override": {"rating_override": "other", "override_reason": "Because"},
}


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("name", "persona", "expected"),
    [(name, p, code) for name, codes in GET_MATRIX.items() for p, code in codes.items()],
    indirect=["persona"],
)
def test_every_performance_url_answers_each_persona_as_intended(client, urls, name, persona, expected):
    client.force_login(persona)
    headers = HTMX if name == "kpi_results" else {}
    assert client.get(urls[name], **headers).status_code == expected


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("name", list(GET_MATRIX))
def test_another_oco_gets_404_for_every_performance_url_of_the_contract_get_and_post(client, urls, bob, name):
    client.force_login(bob)
    assert client.get(urls[name]).status_code == 404
    assert client.get(urls[name], **HTMX).status_code == 404
    assert client.post(urls[name], POST_DATA.get(name, {})).status_code == 404
    assert client.post(urls[name], POST_DATA.get(name, {}), **HTMX).status_code == 404


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("name", list(POST_DATA))
def test_the_sro_reads_but_cannot_change_anything(client, urls, sam, name):
    client.force_login(sam)
    before = list(KpiResult.objects.values_list("actual", "rating_override")), Kpi.objects.count()
    assert client.post(urls[name], POST_DATA[name]).status_code == 403
    assert client.post(urls[name], POST_DATA[name], **HTMX).status_code == 403
    assert (list(KpiResult.objects.values_list("actual", "rating_override")), Kpi.objects.count()) == before


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("name", ["contract", "kpi_history", "kpi_results", "evidence"])
def test_read_only_urls_refuse_a_post(client, urls, alice, name):
    client.force_login(alice)
    assert client.post(urls[name]).status_code == 405
