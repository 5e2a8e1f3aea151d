"""The regime of a contract and the Procurement Act 2023 duties that follow from it: each rule at its
boundaries, the same answer from the queryset method and the one-row property, and the pages, lists,
filter, exports, API and import that carry it."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from contracts import services
from contracts.models import Agreement, Contract, ContractEnding, Regime, Variation
from exchange.selectors import notices
from tests import factories
from tests.contracts.test_register import contract_form_data
from tests.exchange.test_api import auth
from tests.performance_factories import KpiFactory

FIVE_MILLION = Decimal("5000000")


def act_contract(**kwargs) -> Contract:
    """Procured under the Act (begun 1 March 2025), worth £6m, started 1 April 2025."""
    fields = {
        "procurement_started_on": date(2025, 3, 1),
        "start_date": date(2025, 4, 1),
        "end_date": date(2029, 3, 31),
        "total_value": Decimal("6000000"),
        **kwargs,
    }
    return factories.ContractFactory(**fields)


def agree(contract: Contract, by) -> Variation:
    """A variation raising the value by 20%: over section 75's limit."""
    variation = Variation(
        contract=contract,
        agreed_on=date(2026, 2, 1),
        description="More sites",
        reason="Two new stations",
        value_change=contract.total_value / 5,
        approved_by=by,
    )
    return services.variation_record(variation=variation, by=by)


def regimes(**kwargs) -> str:
    contract = factories.ContractFactory(**kwargs)
    return contract.regime_in_effect


# --- Which regime ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_procurement_begun_on_24_february_2025_is_under_the_act_and_the_day_before_is_not():
    assert regimes(procurement_started_on=date(2025, 2, 24), start_date=date(2025, 9, 1)) == Regime.ACT
    assert regimes(procurement_started_on=date(2025, 2, 23), start_date=date(2025, 9, 1)) == Regime.PCR


@pytest.mark.django_db
def test_when_the_procurement_start_is_unknown_the_contract_start_counts():
    assert regimes(start_date=date(2025, 2, 24)) == Regime.ACT
    assert regimes(start_date=date(2025, 2, 23)) == Regime.PCR


@pytest.mark.django_db
def test_a_below_threshold_quotation_is_not_covered_and_a_recorded_regime_wins():
    assert regimes(procurement_route=Contract.ProcurementRoute.BELOW_THRESHOLD) == Regime.BELOW_THRESHOLD
    assert regimes(start_date=date(2025, 6, 1), regime=Regime.GRANT) == Regime.GRANT
    assert regimes(start_date=date(2024, 6, 1), regime=Regime.ACT) == Regime.ACT


@pytest.mark.django_db
def test_the_commencement_date_is_a_setting(settings):
    settings.PROCUREMENT_ACT_COMMENCEMENT = date(2025, 6, 1)
    assert regimes(start_date=date(2025, 4, 1)) == Regime.PCR


@pytest.mark.django_db
def test_every_queryset_rule_and_its_one_row_property_agree():
    """A grid of contracts over every condition: the lists and the contract page never disagree."""
    for number, (began, route, regime, agreement, light, welsh, reason, value, status) in enumerate(
        [
            (date(2025, 2, 24), "open", "", "contract", False, False, "", "5000000.01", "active"),
            (date(2025, 2, 23), "open", "", "contract", False, False, "", "9000000", "active"),
            (None, "open", "", "contract", False, False, "", "9000000", "active"),
            (None, "below_threshold", "", "contract", False, False, "", "9000000", "active"),
            (None, "open", "pa2023", "framework", False, False, "", "9000000", "active"),
            (None, "open", "pa2023", "concession", False, True, "", "9000000", "active"),
            (None, "open", "pa2023", "contract", True, False, "", "9000000", "active"),
            (None, "open", "pa2023", "contract", False, False, "Outcome-based", "9000000", "active"),
            (None, "open", "pa2023", "contract", False, True, "", "5000000", "active"),
            (None, "open", "pa2023", "contract", False, True, "", "7000000", "draft"),
            (None, "open", "exempt", "contract", False, False, "", "9000000", "active"),
        ]
    ):
        factories.ContractFactory(
            reference=f"GRID-{number}",
            start_date=date(2025, 1, 10) if began is None and number == 2 else date(2025, 3, 1),
            procurement_started_on=began,
            procurement_route=route,
            regime=regime,
            agreement=agreement,
            light_touch=light,
            regulated_by_welsh_ministers=welsh,
            kpis_not_appropriate_reason=reason,
            total_value=Decimal(value),
            status=status,
        )
    every = list(Contract.objects.all())
    for regime in Regime.values:
        assert set(Contract.objects.in_regime(regime)) == {c for c in every if c.regime_in_effect == regime}
    assert set(Contract.objects.under_act()) == {c for c in every if c.under_act}
    assert set(Contract.objects.needing_three_kpis()) == {c for c in every if c.needs_three_kpis}
    assert set(Contract.objects.needing_change_notices()) == {c for c in every if c.needs_change_notices}
    assert set(Contract.objects.needing_termination_notices()) == {c for c in every if c.needs_termination_notice}
    for day in (date(2025, 12, 31), date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 1)):
        assert set(Contract.objects.needing_kpi_assessment_notices(on=day)) == {
            c for c in every if c.needs_kpi_assessment_notices(on=day)
        }
    assert {c.reference for c in Contract.objects.needing_three_kpis()} == {"GRID-0", "GRID-9"}


# --- Section 52: three KPIs ------------------------------------------------------------------------


def short_listed(client, user) -> set[str]:
    client.force_login(user)
    return {c.reference for c in client.get(reverse("performance:published_kpis")).context["contracts"]}


def test_three_kpis_only_on_act_contracts_worth_more_than_5m(client, priya):
    act_contract(reference="ACT-OVER", total_value=FIVE_MILLION + Decimal("0.01"))
    act_contract(reference="ACT-5M", total_value=FIVE_MILLION)  # "more than £5m": exactly £5m is not
    act_contract(reference="PCR-BIG", procurement_started_on=date(2025, 2, 23))
    act_contract(reference="FRAMEWORK", agreement=Agreement.FRAMEWORK)
    act_contract(reference="CONCESSION", agreement=Agreement.CONCESSION)
    act_contract(reference="LIGHT", light_touch=True)
    act_contract(reference="REASONED", kpis_not_appropriate_reason="A one-off supply: delivery is the measure.")
    assert short_listed(client, priya) == {"ACT-OVER"}


def test_the_contract_page_flags_the_shortfall_only_where_the_rule_reaches(client, priya):
    flagged = act_contract(reference="ACT-OVER")
    KpiFactory(contract=flagged, is_published=True)
    reasoned = act_contract(reference="REASONED", kpis_not_appropriate_reason="Delivery is the measure.")
    client.force_login(priya)
    page = client.get(flagged.get_absolute_url()).content.decode()
    assert "Published KPIs: 1 of the 3 required." in page
    page = client.get(reasoned.get_absolute_url()).content.decode()
    assert "Published KPIs:" not in page
    assert "the Procurement Unit recorded why KPIs are not appropriate" in page
    assert "Delivery is the measure." in page


# --- Section 71: KPI assessment notices -----------------------------------------------------------


def notice_contracts(*, today: date) -> list[str]:
    return [n.contract.reference for n in notices.notices_due(Contract.objects.all(), today=today)]


@pytest.mark.django_db
def test_kpi_assessment_notices_start_on_1_january_2026_in_england():
    act_contract(reference="ENGLAND", start_date=date(2024, 12, 1), procurement_started_on=None, regime=Regime.ACT)
    # Year 1 ended on 30 November 2025, before section 71 was in force: no notice, then or later.
    assert notice_contracts(today=date(2025, 12, 31)) == []
    assert notice_contracts(today=date(2026, 1, 1)) == []
    assert notice_contracts(today=date(2026, 12, 1)) == ["ENGLAND"]  # year 2 ended on 30 November 2026


@pytest.mark.django_db
def test_a_welsh_procurement_has_no_notice_between_1_january_and_1_april_2026():
    act_contract(reference="ENGLAND", start_date=date(2025, 1, 15), regime=Regime.ACT, procurement_started_on=None)
    act_contract(
        reference="WALES",
        start_date=date(2025, 1, 15),
        regime=Regime.ACT,
        procurement_started_on=None,
        regulated_by_welsh_ministers=True,
    )
    # Year 1 of both ended on 14 January 2026.
    assert notice_contracts(today=date(2026, 2, 1)) == ["ENGLAND"]
    assert notice_contracts(today=date(2026, 3, 31)) == ["ENGLAND"]
    # From 1 April 2026 section 71 reaches the Welsh procurement, but its year 1 ended before then.
    assert notice_contracts(today=date(2026, 4, 1)) == ["ENGLAND"]
    assert sorted(notice_contracts(today=date(2027, 2, 1))) == ["ENGLAND", "ENGLAND", "WALES"]


@pytest.mark.django_db
def test_the_in_force_dates_are_settings(settings):
    act_contract(reference="WALES", regulated_by_welsh_ministers=True)
    assert notice_contracts(today=date(2027, 5, 1)) == ["WALES"]  # year 2 ended on 31 March 2027
    settings.ACT_KPI_NOTICES_IN_FORCE = {"england": date(2026, 1, 1), "wales": date(2027, 6, 1)}
    assert notice_contracts(today=date(2027, 5, 1)) == []


@pytest.mark.django_db
def test_no_kpi_assessment_notice_for_light_touch_pcr_or_reasoned_contracts():
    act_contract(reference="LIGHT", light_touch=True)
    act_contract(reference="PCR", procurement_started_on=date(2024, 11, 1))
    act_contract(reference="REASONED", kpis_not_appropriate_reason="Delivery is the measure.")
    act_contract(reference="FRAMEWORK", agreement=Agreement.FRAMEWORK)
    act_contract(reference="5M", total_value=FIVE_MILLION)
    act_contract(reference="ACT")
    assert notice_contracts(today=date(2026, 6, 1)) == ["ACT"]


def test_the_notice_page_lists_only_act_contracts(client, priya):
    act_contract(reference="ACT")
    act_contract(reference="PCR", procurement_started_on=date(2024, 11, 1))
    client.force_login(priya)
    with time_machine.travel("2026-06-01 09:00 +00:00"):
        rows = client.get(reverse("exchange:notices")).context["rows"]
    assert [row["notice"].contract.reference for row in rows] == ["ACT"]


# --- Section 75: change notices; section 80: termination notices ----------------------------------


@time_machine.travel("2026-03-01 09:00 +00:00")
def test_change_notices_only_for_act_contracts_that_are_not_light_touch(client, priya):
    act = agree(act_contract(reference="ACT"), priya)
    pcr = agree(act_contract(reference="PCR", procurement_started_on=date(2024, 11, 1)), priya)
    light = agree(act_contract(reference="LIGHT", light_touch=True), priya)
    assert act.change_notice_required
    assert not pcr.change_notice_required
    assert pcr.change_notice_reason.startswith("No contract change notice: the contract is under the Public")
    assert not light.change_notice_required and "light-touch" in light.change_notice_reason
    # A regime corrected after the variation was recorded: the list follows the contract's regime.
    Variation.objects.filter(pk=pcr.pk).update(change_notice_required=True)
    client.force_login(priya)
    listed = client.get(reverse("exchange:change_notices")).context["variations"]
    assert [v.contract.reference for v in listed] == ["ACT"]


@time_machine.travel("2026-05-01 09:00 +00:00")
def test_termination_notices_only_for_act_contracts(client, priya):
    for reference, began in (("ACT", date(2025, 3, 1)), ("PCR", date(2024, 11, 1))):
        contract = act_contract(reference=reference, procurement_started_on=began)
        ending = ContractEnding(contract=contract, kind="terminated", ended_on=date(2026, 3, 15), reason="Breach")
        services.contract_end(ending=ending, by=priya)
    assert [e.contract.reference for e in ContractEnding.objects.termination_notice_due()] == ["ACT"]
    client.force_login(priya)
    rows = client.get(reverse("exchange:termination_notices")).context["rows"]
    assert [row["ending"].contract.reference for row in rows] == ["ACT"]
    pcr = Contract.objects.get(reference="PCR")
    page = client.get(reverse("lifecycle:contract", args=[pcr.pk])).content.decode()
    assert "Not required: the contract is under the Public Contracts Regulations 2015." in page


# --- Recording it: the Procurement Unit only ------------------------------------------------------


def edit_data(contract: Contract, **changes) -> dict:
    return contract_form_data(
        contract.supplier,
        contract.category,
        reference=contract.reference,
        start_date=contract.start_date.isoformat(),
        end_date=contract.end_date.isoformat(),
        total_value=str(contract.total_value),
        annual_value=str(contract.annual_value),  # never above the total (Contract.clean)
        oco=contract.oco_id or "",
        sro=contract.sro_id or "",
        **changes,
    )


def test_the_procurement_unit_records_the_regime_and_what_follows(client, priya, contract):
    client.force_login(priya)
    form = client.get(reverse("contracts:edit", args=[contract.pk])).content.decode()
    assert "Follow from the dates (now: Procurement Act 2023)" in form  # started on 1 April 2025
    data = edit_data(
        contract,
        regime=Regime.PCR,
        procurement_started_on="2024-10-01",
        light_touch="on",
        kpis_not_appropriate_reason="Outcome-based payments",
    )
    assert client.post(reverse("contracts:edit", args=[contract.pk]), data).status_code == 302
    contract.refresh_from_db()
    assert (contract.regime, contract.procurement_started_on, contract.light_touch) == (
        Regime.PCR,
        date(2024, 10, 1),
        True,
    )
    page = client.get(contract.get_absolute_url()).content.decode()
    assert "Recorded by the Procurement Unit." in page
    assert "The contract is under the Public Contracts Regulations 2015: the Procurement Act 2023" in page


def test_a_regime_that_contradicts_the_procurement_start_is_refused_next_to_its_field(client, priya, contract):
    client.force_login(priya)
    data = edit_data(contract, regime=Regime.ACT, procurement_started_on="2025-02-23")
    response = client.post(reverse("contracts:edit", args=[contract.pk]), data)
    assert response.status_code == 200
    assert "is not under the Procurement Act 2023" in response.context["form"].errors["regime"][0]
    data = edit_data(contract, procurement_started_on="2026-01-01")  # after the contract started
    response = client.post(reverse("contracts:edit", args=[contract.pk]), data)
    assert "begins before the contract starts" in response.context["form"].errors["procurement_started_on"][0]


def test_an_oco_cannot_change_the_regime_of_their_contract(client, alice, contract):
    assert contract.regime == "" and contract.under_act
    client.force_login(alice)
    data = {
        "description": "Updated by the OCO",
        "cost_centre": "",
        "operational_notes": "",
        "version": contract.version,
        "regime": Regime.PCR,
        "light_touch": "on",
        "kpis_not_appropriate_reason": "Not wanted",
    }
    assert client.post(reverse("contracts:edit", args=[contract.pk]), data).status_code == 302
    contract.refresh_from_db()
    assert contract.description == "Updated by the OCO"  # the OCO's own field is saved ...
    assert (contract.regime, contract.light_touch, contract.kpis_not_appropriate_reason) == ("", False, "")
    page = client.get(reverse("contracts:edit", args=[contract.pk])).content.decode()
    assert 'name="regime"' not in page


def test_the_contract_page_says_why_a_notice_is_or_is_not_listed(client, priya):
    pcr = act_contract(reference="PCR", procurement_started_on=date(2024, 11, 1))
    act = act_contract(reference="ACT", regulated_by_welsh_ministers=True)
    client.force_login(priya)
    page = client.get(pcr.get_absolute_url()).content.decode()
    assert "From the dates: the procurement began on 1 Nov 2024." in page
    assert "Public Contracts Regulations 2015" in page and "notice duties do not apply" in page
    page = client.get(act.get_absolute_url()).content.decode()
    assert "KPI assessment notices every 12 months (section 71), from 1 Apr 2026." in page
    assert "A contract termination notice within 30 days of its end (section 80)." in page


# --- The register list, its exports, the API and the import ---------------------------------------


def test_the_register_filters_and_exports_by_regime_in_constant_queries(client, priya, django_assert_max_num_queries):
    act_contract(reference="ACT-1")
    act_contract(reference="PCR-1", procurement_started_on=date(2024, 11, 1))
    factories.ContractFactory(reference="LOW-1", procurement_route=Contract.ProcurementRoute.BELOW_THRESHOLD)
    client.force_login(priya)
    url = reverse("contracts:list")
    listed = client.get(url, {"regime": Regime.PCR}).context["object_list"]
    assert [c.reference for c in listed] == ["PCR-1"]
    assert [c.reference for c in client.get(url, {"regime": Regime.ACT}).context["object_list"]] == ["ACT-1"]
    response = client.get(url, {"regime": Regime.PCR, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["Reference"], r["Regime"], r["Regime recorded or from the dates"]) for r in rows] == [
        ("PCR-1", "Public Contracts Regulations 2015", "from the dates")
    ]
    cache.clear()  # the page rendered, not read from the cache (ContractListView)
    with django_assert_max_num_queries(12) as one:
        client.get(url, {"regime": Regime.PCR})
    for number in range(30):
        act_contract(reference=f"PCR-{number + 2}", procurement_started_on=date(2024, 11, 1))
    cache.clear()
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url, {"regime": Regime.PCR})


def test_the_api_carries_the_regime_and_filters_by_it(client, priya):
    act = act_contract(reference="ACT-1")
    act_contract(reference="PCR-1", procurement_started_on=date(2024, 11, 1))
    rows = client.get("/api/contracts/", {"regime": Regime.ACT}, **auth(priya)).json()["results"]
    assert [(r["reference"], r["regime"], r["under_act"], r["regime_from_dates"]) for r in rows] == [
        ("ACT-1", "pa2023", True, True)
    ]
    row = client.get(f"/api/contracts/{act.pk}/", **auth(priya)).json()
    assert (row["procurement_started_on"], row["agreement"], row["light_touch"]) == ("2025-03-01", "contract", False)
