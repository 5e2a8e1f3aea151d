"""OCDS import (release and record packages, a real file) and export (valid against the OCDS 1.1 schema)."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from jsonschema import Draft4Validator, FormatChecker

from contracts.models import Contract, Regime, Variation
from exchange.selectors import ocds_export as exporter
from exchange.services import ocds_import as importer
from exchange.services import ocds_read as reader
from performance.models import Milestone
from suppliers.models import Supplier
from tests import factories

REAL_FILE = Path(settings.BASE_DIR).parent / "shared" / "data" / "ocds" / "uk-notices-2025.json"
OCID = "ocds-b5fd17-0001"


@pytest.fixture(autouse=True)
def the_force_buys(settings):
    """The releases below are the force's: its buyer name is configured."""
    settings.OCDS_IMPORT_BUYER_NAMES = ["Police and Crime Commissioner for Anyshire"]


def release(ocid=OCID, *, awards=None, parties=None, date_="2025-03-01T10:00:00Z", **extra) -> dict:
    data = {
        "ocid": ocid,
        "id": f"{ocid}-r1",
        "date": date_,
        "tag": ["award"],
        "initiationType": "tender",
        "buyer": {"id": "GB-CFS-1", "name": "Police and Crime Commissioner for Anyshire"},
        "tender": {"id": "T1", "title": "Vehicle maintenance", "mainProcurementCategory": "services"},
        "parties": parties
        if parties is not None
        else [
            {"id": "GB-CFS-1", "name": "Police and Crime Commissioner for Anyshire", "roles": ["buyer"]},
            {
                "id": "GB-COH-1234567",
                "name": "Fleet Services Ltd",
                "identifier": {"scheme": "GB-COH", "id": "1234567"},
                "address": {"streetAddress": "1 High Street", "locality": "Anytown", "postalCode": "AN1 1AA"},
                "roles": ["supplier"],
            },
            {"id": "GB-CFS-9", "name": "Second Garage Ltd", "roles": ["supplier"]},
        ],
        **extra,
    }
    if awards is not None:
        data["awards"] = awards
    return data


def award(award_id=f"{OCID}-1", *, suppliers=None, value=None, period=True) -> dict:
    data = {
        "id": award_id,
        "status": "active",
        "date": "2025-02-01T00:00:00Z",
        "suppliers": suppliers if suppliers is not None else [{"id": "GB-COH-1234567", "name": "Fleet Services Ltd"}],
        "value": value if value is not None else {"amount": 240000, "currency": "GBP"},
    }
    if period:
        data["contractPeriod"] = {"startDate": "2025-04-01T00:00:00+01:00", "endDate": "2027-03-31T23:59:59+01:00"}
    return data


def package(*releases) -> dict:
    return {"uri": "https://example.org/p.json", "version": "1.1", "releases": list(releases)}


def run_import(data: dict, by) -> importer.ImportResult:
    plan = importer.build_plan(data)
    return importer.apply_plan(plan, by=by)


# Import: the rules ---------------------------------------------------------------------------------


def test_an_awarded_release_becomes_a_draft_contract_with_its_supplier_and_value(priya):
    result = run_import(package(release(awards=[award()])), priya)
    assert (result.created, result.updated, result.suppliers_created) == (1, 0, 1)
    contract = Contract.objects.get()
    assert contract.reference == f"{OCID}-1"
    assert contract.status == Contract.Status.DRAFT
    assert contract.title == "Vehicle maintenance"
    assert contract.total_value == Decimal("240000.00")
    assert contract.original_total_value == Decimal("240000.00")
    assert (contract.start_date, contract.end_date) == (date(2025, 4, 1), date(2027, 3, 31))
    assert contract.category.name == "Imported (OCDS)"
    assert contract.oco is None and contract.sro is None
    assert "Police and Crime Commissioner for Anyshire" in contract.description
    assert contract.supplier.name == "Fleet Services Ltd"
    assert contract.supplier.companies_house_number == "01234567"  # normalised to 8 characters
    assert "Anytown" in contract.supplier.address
    assert contract.history.first().history_user == priya


def test_the_tender_period_start_is_the_day_the_procurement_began_and_decides_the_regime(priya):
    tender = {"id": "T1", "title": "Vehicle maintenance", "tenderPeriod": {"startDate": "2025-02-24T09:00:00Z"}}
    run_import(package(release(awards=[award()], tender=tender)), priya)
    contract = Contract.objects.get()
    assert contract.procurement_started_on == date(2025, 2, 24)
    assert contract.regime_in_effect == Regime.ACT
    tender["tenderPeriod"] = {"startDate": "2025-02-23"}
    run_import(package(release(awards=[award()], tender=tender)), priya)
    contract.refresh_from_db()
    assert contract.regime_in_effect == Regime.PCR


def test_releases_without_awards_are_skipped_and_counted(priya):
    plan = importer.build_plan(
        package(release(awards=[award()]), release("ocds-b5fd17-0002"), release("ocds-3", awards=[]))
    )
    assert plan.to_create == 1
    assert plan.skipped == {importer.SKIP_NO_AWARD: 2}


def test_awards_without_supplier_or_in_another_currency_are_skipped_and_one_without_value_is_imported_at_zero(priya):
    data = package(
        release(awards=[award(f"{OCID}-1", suppliers=[])]),
        release("ocds-2", awards=[award("a2", value={"amount": 10, "currency": "EUR"})]),
        release("ocds-3", awards=[award("a3", value={"amount": -5})]),
        release("ocds-4", awards=[{**award("a4"), "value": {"amount": 99.5}}]),  # no currency: GBP
        release("ocds-5", awards=[{k: v for k, v in award("a5", period=False).items() if k != "value"}]),
    )
    result = run_import(data, priya)
    assert result.created == 2
    assert result.skipped == {importer.SKIP_NO_SUPPLIER: 1, importer.SKIP_CURRENCY: 1, importer.SKIP_NEGATIVE: 1}
    assert Contract.objects.get(reference="ocds-4-a4").total_value == Decimal("99.50")
    no_value = Contract.objects.get(reference="ocds-5-a5")
    assert no_value.total_value == 0
    assert no_value.start_date == no_value.end_date == date(2025, 2, 1)  # no contract period: the award date


def test_a_joint_award_keeps_every_supplier_the_first_as_the_lead(client, priya):
    suppliers = [
        {"id": "GB-COH-1234567", "name": "Fleet Services Ltd"},
        {"id": "GB-CFS-9", "name": "Second Garage Ltd"},
    ]
    result = run_import(package(release(awards=[award(suppliers=suppliers)])), priya)
    assert result.suppliers_created == 2
    contract = Contract.objects.get()
    assert contract.supplier.name == "Fleet Services Ltd"
    assert [s.name for s in contract.joint_suppliers.all()] == ["Second Garage Ltd"]
    client.force_login(priya)
    page = client.get(contract.get_absolute_url()).content.decode()
    assert "Joint suppliers" in page and "Second Garage Ltd" in page


def test_odd_text_is_kept_without_crashing(priya):
    odd = release(awards=[award()], tender={"id": "T", "title": "Cleaningâ€¯services\x00 – Lot 1 " + "x" * 400})
    odd["parties"][1]["name"] = "Caf\u00e9 â€¯Supplies"
    odd["awards"][0]["suppliers"] = [{"id": "GB-COH-1234567"}]  # the name only in parties
    run_import(package(odd), priya)
    contract = Contract.objects.get()
    assert contract.title.startswith("Cleaningâ€¯services – Lot 1")
    assert len(contract.title) == 255
    assert contract.supplier.name == "Café â€¯Supplies"


def test_a_supplier_is_matched_by_companies_house_number_then_by_name(priya):
    by_number = factories.SupplierFactory(name="Fleet Services Limited", companies_house_number="01234567")
    by_name = factories.SupplierFactory(name="Second Garage Ltd")
    suppliers = [{"id": "GB-CFS-9", "name": "Second Garage Ltd"}]
    result = run_import(
        package(release(awards=[award()]), release("ocds-2", awards=[award("b", suppliers=suppliers)])), priya
    )
    assert result.suppliers_created == 0
    assert Contract.objects.get(reference=f"{OCID}-1").supplier == by_number
    assert Contract.objects.get(reference="ocds-2-b").supplier == by_name


def test_a_second_import_updates_and_creates_nothing_new(priya):
    data = package(release(awards=[award()]))
    run_import(data, priya)
    data["releases"][0]["awards"][0]["value"]["amount"] = 250000
    plan = importer.build_plan(data)
    assert (plan.to_create, plan.to_update, plan.suppliers_to_create) == (0, 1, 0)
    result = importer.apply_plan(plan, by=priya)
    assert (result.created, result.updated, result.suppliers_created) == (0, 1, 0)
    assert Contract.objects.get().total_value == 250000
    assert (Contract.objects.count(), Supplier.objects.count()) == (1, 1)


def test_the_latest_release_of_an_award_wins_and_a_contract_no_longer_draft_is_left_alone(priya):
    older = release(awards=[award(value={"amount": 1, "currency": "GBP"})], date_="2025-01-01T00:00:00Z")
    newer = release(awards=[award(value={"amount": 2, "currency": "GBP"})], date_="2025-06-01T00:00:00Z")
    result = run_import(package(newer, older), priya)
    assert result.created == 1 and result.skipped == {importer.SKIP_OLDER: 1}
    contract = Contract.objects.get()
    assert contract.total_value == 2
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.ACTIVE)
    assert importer.build_plan(package(newer)).skipped == {importer.SKIP_NOT_DRAFT: 1}


def test_a_long_reference_is_shortened_the_same_way_each_time(priya):
    reference = importer.make_reference("ocds-b5fd17-" + "a" * 40, "award-7")
    assert len(reference) == 50
    assert reference == importer.make_reference("ocds-b5fd17-" + "a" * 40, "award-7")
    assert reference != importer.make_reference("ocds-b5fd17-" + "a" * 40, "award-8")


@pytest.mark.parametrize("shape", ["compiled", "releases"])
def test_record_packages_are_accepted(priya, shape):
    full = release(awards=[award()])
    record = {"ocid": OCID, "compiledRelease": full} if shape == "compiled" else {"ocid": OCID, "releases": [full]}
    result = run_import({"uri": "x", "version": "1.1", "records": [record]}, priya)
    assert result.created == 1


def test_linked_releases_in_a_record_are_counted_not_read(priya):
    record = {"ocid": OCID, "releases": [{"url": "https://example.org/r.json#1", "date": "2025-01-01T00:00:00Z"}]}
    assert importer.build_plan({"records": [record]}).skipped == {reader.SKIP_LINKED: 1}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json at all", "not valid JSON"),
        (b'{"releases": [', "not valid JSON"),
        (b'{"hello": "world"}', "not an OCDS release package or record package"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_a_bad_upload_gets_a_clear_message_and_nothing_is_saved(client, priya, content, message):
    client.force_login(priya)
    response = client.post(reverse("ocds:import"), {"file": SimpleUploadedFile("notices.json", content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Contract.objects.count() == 0
    assert not (Path(settings.MEDIA_ROOT) / "ocds-imports").exists()


def test_a_file_that_is_not_json_by_name_is_refused(client, priya):
    client.force_login(priya)
    response = client.post(reverse("ocds:import"), {"file": SimpleUploadedFile("notices.xlsx", b"{}")})
    assert response.status_code == 400
    assert "Upload a .json file." in response.content.decode()


# Import: the pages ---------------------------------------------------------------------------------


def test_upload_preview_confirm(client, priya):
    client.force_login(priya)
    body = json.dumps(package(release(awards=[award()]), release("ocds-2"))).encode()
    response = client.post(reverse("ocds:import"), {"file": SimpleUploadedFile("n.json", body)})
    assert response.status_code == 302 and response.url == reverse("ocds:import_preview")
    page = client.get(reverse("ocds:import_preview")).content.decode()
    assert "1 contract to create, 0 to update, 0 unchanged, 1 skipped (no award: 1)" in page
    assert "Fleet Services Ltd" in page
    assert Contract.objects.count() == 0  # the preview saves nothing
    response = client.post(reverse("ocds:import_confirm"))
    assert response.status_code == 302
    assert Contract.objects.get().status == Contract.Status.DRAFT
    assert not list((Path(settings.MEDIA_ROOT) / "ocds-imports").iterdir())  # the upload is removed
    assert client.post(reverse("ocds:import_confirm")).url == reverse("ocds:import")  # not twice


def test_cancel_removes_the_upload(client, priya):
    client.force_login(priya)
    body = json.dumps(package(release(awards=[award()]))).encode()
    client.post(reverse("ocds:import"), {"file": SimpleUploadedFile("n.json", body)})
    client.post(reverse("ocds:import_confirm"), {"cancel": "1"})
    assert Contract.objects.count() == 0
    assert not list((Path(settings.MEDIA_ROOT) / "ocds-imports").iterdir())


@pytest.mark.parametrize("name", ["ocds:import", "ocds:import_preview", "ocds:export"])
def test_only_the_procurement_unit_imports_and_exports(client, alice, sam, name):
    for user in (alice, sam):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403
    client.logout()
    response = client.get(reverse(name))
    assert response.status_code == 302 and "login" in response.url


def test_an_oco_cannot_confirm_an_import(client, alice):
    client.force_login(alice)
    assert client.post(reverse("ocds:import_confirm")).status_code == 403


# Import: the real file -----------------------------------------------------------------------------


@pytest.mark.skipif(not REAL_FILE.exists(), reason=f"the real OCDS file is not here: {REAL_FILE}")
def test_the_real_file_imports_only_the_forces_awards_unless_others_are_included(priya, settings):
    settings.OCDS_IMPORT_BUYER_NAMES = []
    settings.OCDS_IMPORT_BUYER_IDS = ["GB-CFS-307548"]  # the Police and Crime Commissioner for Bedfordshire
    data = reader.load_package(REAL_FILE.read_bytes())
    plan = importer.build_plan(data)
    assert [c.buyer for c in plan.contracts] == ["The Police and Crime Commissioner for Bedfordshire"]
    assert plan.skipped[importer.SKIP_OTHER_BUYER] > 100
    assert "city of doncaster council" in plan.other_buyers
    # Everything included: the file as before, twice.
    everyone = set(plan.other_buyers)
    first = importer.apply_plan(importer.build_plan(data, include_buyers=everyone), by=priya)
    print(
        f"\nreal file, first import: {first.created} contracts created, {first.updated} updated, "
        f"{first.suppliers_created} suppliers created, skipped {sum(first.skipped.values())}: {dict(first.skipped)}"
    )
    second = importer.apply_plan(importer.build_plan(data, include_buyers=everyone), by=priya)
    print(
        f"real file, second import: {second.created} contracts created, {second.updated} updated, "
        f"{second.suppliers_created} suppliers created, skipped {sum(second.skipped.values())}: {dict(second.skipped)}"
    )
    assert first.created == 142
    assert first.skipped == {importer.SKIP_NO_AWARD: 233, importer.SKIP_OLDER: 4, importer.SKIP_NO_SUPPLIER: 1}
    # Nothing changed: nothing saved, no history row.
    assert (second.created, second.suppliers_created, second.updated, second.unchanged) == (0, 0, 0, first.created)
    assert Contract.history.count() == first.created
    assert Contract.objects.filter(status=Contract.Status.DRAFT).count() == first.created
    # What came in from the real file goes out valid.
    exported = exporter.release_package(exporter.contracts_for_export(Contract.objects.all()), uri="https://x.test/")
    assert exporter.validation_errors(exported) == []


# Export --------------------------------------------------------------------------------------------


@pytest.fixture
def varied_contract(contract, priya):
    Variation.objects.create(
        contract=contract,
        number=1,
        agreed_on=date(2025, 6, 1),
        description="Two more cameras",
        reason="More officers",
        value_change=Decimal("1000"),
        approved_by=priya,
        recorded_by=priya,
    )
    Milestone.objects.create(
        contract=contract, title="Go live", due_date=date(2025, 5, 1), status="met", met_on=date(2025, 5, 2)
    )
    Milestone.objects.create(contract=contract, title="Review", due_date=date(2026, 5, 1))
    return contract


def test_the_export_is_valid_against_the_ocds_release_schema(client, priya, varied_contract, other_contract):
    other_contract.supplier.companies_house_number = "SC123456"
    other_contract.supplier.address = "2 Low Road"
    other_contract.supplier.save()
    client.force_login(priya)
    response = client.get(reverse("ocds:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["version"] == "1.1"
    validator = Draft4Validator(exporter.release_schema(), format_checker=FormatChecker())
    for item in data["releases"]:
        assert list(validator.iter_errors(item)) == []
    assert exporter.validation_errors(data) == []
    by_id = {r["contracts"][0]["id"]: r for r in data["releases"]}
    varied = by_id["CON-ALICE"]
    assert varied["ocid"] == "ocds-xxxxxx-CON-ALICE"
    assert varied["tag"] == ["contractAmendment"]
    assert varied["contracts"][0]["amendments"][0]["rationale"] == "More officers"
    assert [m["status"] for m in varied["contracts"][0]["implementation"]["milestones"]] == ["met", "scheduled"]
    assert by_id["CON-BOB"]["tag"] == ["contract"]
    assert by_id["CON-BOB"]["parties"][1]["identifier"] == {
        "scheme": "GB-COH",
        "id": "SC123456",
        "legalName": other_contract.supplier.name,
    }


def test_the_export_takes_the_register_filters_and_the_prefix_setting(
    client, priya, contract, other_contract, settings
):
    settings.OCDS_PREFIX = "ocds-abc123"
    client.force_login(priya)
    data = client.get(reverse("ocds:export"), {"q": "CON-BOB"}).json()
    assert [r["ocid"] for r in data["releases"]] == ["ocds-abc123-CON-BOB"]


def test_a_bad_filter_is_refused_not_ignored(client, priya, contract):
    client.force_login(priya)
    assert client.get(reverse("ocds:export"), {"status": "nonsense"}).status_code == 400


def test_posting_no_file_says_so(client, priya):
    client.force_login(priya)
    response = client.post(reverse("ocds:import"))
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_imported_contracts_export_valid(client, priya):
    run_import(package(release(awards=[award()])), priya)
    client.force_login(priya)
    assert exporter.validation_errors(client.get(reverse("ocds:export")).json()) == []


def test_the_export_query_count_does_not_grow_with_contracts(client, priya, django_assert_max_num_queries):
    for _ in range(5):
        factories.ContractFactory()
    client.force_login(priya)
    with django_assert_max_num_queries(12):
        assert len(client.get(reverse("ocds:export")).json()["releases"]) == 5
