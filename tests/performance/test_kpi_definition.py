"""Defining a contract's KPIs on its Performance page (the Procurement Unit and the OCO; not the SRO), what
makes no sense refused next to its field, and the £5m flag for a contract with fewer than three published KPIs."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from performance import services
from performance.models import Kpi
from tests.performance.conftest import KpiFactory
from tests.performance.test_performance_pages import NOW, page_url

# --- Defining KPIs -------------------------------------------------------------------------------------


def kpi_data(**overrides):
    data = {
        "name": "Incidents resolved within 4 hours",
        "description": "",
        "kind": "sla",
        "unit": "percentage",
        "direction": "higher",
        "target": "95",
        "tolerance": "3",
        "inadequate_threshold": "85",
        "frequency": "monthly",
        "start_date": "2026-01-01",
        "end_date": "",
        "is_published": "on",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_procurement_defines_a_kpi(client, priya, contract):
    client.force_login(priya)
    url = reverse("performance:kpi_create", args=[contract.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, kpi_data())
    kpi = Kpi.objects.get()
    assert response.status_code == 303 and response["Location"] == f"{page_url(contract)}#kpi-{kpi.pk}"
    assert kpi.contract == contract and kpi.kind == "sla" and kpi.is_published
    assert kpi.history.get().history_user == priya


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"target": "120"}, "target", "A percentage runs from 0 to 100."),
        ({"inadequate_threshold": "94"}, "inadequate_threshold", "at most the target minus the tolerance"),
        (
            {"direction": "lower", "target": "4", "tolerance": "2", "inadequate_threshold": "5", "unit": "hours"},
            "inadequate_threshold",
            "at least the target plus the tolerance",
        ),
        ({"end_date": "2025-12-31"}, "end_date", "on or after the start date"),
        ({"start_date": "2025-01-01"}, "start_date", "cannot start before the contract does (1 Apr 2025)"),
        ({"tolerance": "-1"}, "tolerance", "greater than or equal to 0"),
    ],
)
def test_a_kpi_that_makes_no_sense_is_refused(client, priya, contract, overrides, field, message):
    client.force_login(priya)
    response = client.post(reverse("performance:kpi_create", args=[contract.pk]), kpi_data(**overrides))
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert "Nothing has been saved" in response.content.decode()
    assert not Kpi.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_oco_edits_a_kpi_but_its_periods_stay_once_results_exist(client, alice, contract, kpi):
    client.force_login(alice)
    url = reverse("performance:kpi_edit", args=[kpi.pk])
    assert client.post(url, kpi_data(name=kpi.name, target="96")).status_code == 303
    kpi.refresh_from_db()
    assert kpi.target == Decimal("96")
    services.kpi_result_record(kpi=kpi, period_start=date(2026, 1, 1), actual=Decimal("97"), by=alice)
    response = client.post(url, kpi_data(name=kpi.name, frequency="quarterly"))
    assert response.status_code == 200
    assert "cannot move" in response.context["form"].errors["frequency"][0]


def test_an_sro_cannot_define_a_kpi(client, sam, contract):
    client.force_login(sam)
    assert client.post(reverse("performance:kpi_create", args=[contract.pk]), kpi_data()).status_code == 403
    assert not Kpi.objects.exists()


# --- The £5m flag -------------------------------------------------------------------------------------------

FLAG = (
    "The Procurement Act 2023 (section 52) asks for at least three published KPIs on this contract, "
    "procured under the Act and worth more than £5m; it has"
)


def test_the_5m_flag_shows_with_two_published_kpis_and_not_with_three(client, alice, contract):
    contract.total_value = Decimal("5000000.01")
    contract.save()
    KpiFactory(contract=contract, is_published=True)
    KpiFactory(contract=contract, is_published=True)
    KpiFactory(contract=contract, is_published=False)
    KpiFactory(contract=contract, is_published=True, is_active=False)  # not measured: does not count
    client.force_login(alice)
    assert f"{FLAG} 2." in client.get(page_url(contract)).content.decode()

    KpiFactory(contract=contract, is_published=True)
    assert FLAG not in client.get(page_url(contract)).content.decode()


def test_no_flag_on_a_contract_of_exactly_5m(client, alice, contract):
    contract.total_value = Decimal("5000000")
    contract.save()
    client.force_login(alice)
    assert FLAG not in client.get(page_url(contract)).content.decode()
