"""OCDS import, issue 16 point 6: only the force's awards, joint awards, re-imports that respect local
edits and write no history when nothing changed, call-offs on the framework route. The packages are
small copies of real shapes (Contracts Finder, Public Contracts Scotland, Sell2Wales)."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.models import Agreement, Contract
from exchange.models import OcdsImportRecord
from exchange.selectors import ocds_export
from exchange.services import ocds_import as importer
from suppliers.models import Supplier

FORCE_PPON = "GB-PPON-PMZV-4724-RQXL"


@pytest.fixture(autouse=True)
def force(settings):
    settings.OCDS_IMPORT_BUYER_IDS = [FORCE_PPON]
    settings.OCDS_IMPORT_BUYER_NAMES = ["Police and Crime Commissioner for Anyshire"]


def cf_release(ocid, buyer_name, *, buyer_identifier=None, suppliers=None, details="Open procedure", **tender):
    """A Contracts Finder award release: GB-CFS party ids, the buyer's identifier when it has one."""
    buyer_party = {"id": f"GB-CFS-{abs(hash(buyer_name)) % 100000}", "name": buyer_name, "roles": ["buyer"]}
    buyer_party["identifier"] = buyer_identifier or {"legalName": buyer_name}
    suppliers = suppliers or [("GB-COH-04142000", "Fleet Services Ltd", {"scheme": "GB-COH", "id": "4142000"})]
    parties = [buyer_party] + [
        {"id": pid, "name": name, "identifier": {"legalName": name, **ident}, "roles": ["supplier"]}
        for pid, name, ident in suppliers
    ]
    return {
        "ocid": ocid,
        "id": f"{ocid}-award",
        "date": "2025-03-11T10:14:34Z",
        "tag": ["award"],
        "initiationType": "tender",
        "parties": parties,
        "buyer": {"id": buyer_party["id"], "name": buyer_name},
        "tender": {
            "id": ocid,
            "title": f"Services for {buyer_name}",
            "status": "complete",
            "mainProcurementCategory": "services",
            "procurementMethod": "selective",
            "procurementMethodDetails": details,
            "classification": {"scheme": "CPV", "id": "50112000", "description": "Repair of cars"},
            **tender,
        },
        "awards": [
            {
                "id": f"{ocid}-1",
                "status": "active",
                "date": "2025-03-07T00:00:00Z",
                "value": {"amount": 75000, "currency": "GBP"},
                "suppliers": [{"id": pid, "name": name} for pid, name, _ in suppliers],
                "contractPeriod": {"startDate": "2025-04-01T00:00:00Z", "endDate": "2027-03-31T23:59:59+01:00"},
            }
        ],
    }


def package(*releases):
    return {"uri": "https://www.contractsfinder.service.gov.uk/", "version": "1.1", "releases": list(releases)}


FORCE_BY_PPON = "ocds-b5fd17-force-ppon"
FORCE_BY_NAME = "ocds-b5fd17-force-name"


@pytest.fixture
def three_buyers():
    return package(
        cf_release(
            FORCE_BY_PPON,
            "Chief Constable of Anyshire Police",
            buyer_identifier={"scheme": "GB-PPON", "id": "PMZV-4724-RQXL", "legalName": "Chief Constable"},
        ),
        cf_release(FORCE_BY_NAME, "The Police & Crime Commissioner for Anyshire,"),  # as published, comma and all
        cf_release("ocds-b5fd17-doncaster", "City of Doncaster Council"),
        cf_release("ocds-kuma6s-swansea", "City & County of Swansea"),
    )


def test_a_package_with_three_buyers_imports_only_the_forces_awards(priya, three_buyers):
    plan = importer.build_plan(three_buyers)
    assert sorted(c.ocid for c in plan.contracts) == [FORCE_BY_NAME, FORCE_BY_PPON]
    assert plan.skipped == {importer.SKIP_OTHER_BUYER: 2}
    assert [(b.name, b.awards, b.included) for b in plan.other_buyers.values()] == [
        ("City & County of Swansea", 1, False),
        ("City of Doncaster Council", 1, False),
    ]
    result = importer.apply_plan(plan, by=priya)
    assert result.created == 2
    assert not Contract.objects.filter(description__contains="Doncaster").exists()


def test_the_user_can_include_another_buyer(priya, three_buyers):
    plan = importer.build_plan(three_buyers, include_buyers={"city of doncaster council"})
    assert sorted(c.ocid for c in plan.contracts) == ["ocds-b5fd17-doncaster", FORCE_BY_NAME, FORCE_BY_PPON]
    assert plan.skipped == {importer.SKIP_OTHER_BUYER: 1}


def test_the_preview_lists_other_buyers_skipped_and_the_confirm_takes_the_choice(client, priya, three_buyers):
    client.force_login(priya)
    body = json.dumps(three_buyers).encode()
    client.post(reverse("ocds:import"), {"file": SimpleUploadedFile("n.json", body)})
    page = client.get(reverse("ocds:import_preview")).content.decode()
    assert "2 contracts to create" in page and "another buyer&#x27;s award: 2" in page
    assert "City of Doncaster Council: 1 award (skipped: another buyer)" in page
    page = client.get(reverse("ocds:import_preview"), {"include": "city of doncaster council"}).content.decode()
    assert "3 contracts to create" in page
    assert 'name="include" value="city of doncaster council"' in page
    client.post(reverse("ocds:import_confirm"), {"include": "city of doncaster council"})
    assert Contract.objects.count() == 3


def test_with_no_buyer_configured_nothing_is_the_forces_and_the_preview_says_so(client, priya, settings, three_buyers):
    settings.OCDS_IMPORT_BUYER_IDS, settings.OCDS_IMPORT_BUYER_NAMES = [], []
    plan = importer.build_plan(three_buyers)
    assert plan.contracts == [] and not plan.force_configured
    client.force_login(priya)
    client.post(reverse("ocds:import"), {"file": SimpleUploadedFile("n.json", json.dumps(three_buyers).encode())})
    assert "OCDS_IMPORT_BUYER_IDS" in client.get(reverse("ocds:import_preview")).content.decode()


# Re-imports ----------------------------------------------------------------------------------------


@pytest.fixture
def imported(priya):
    data = package(cf_release(FORCE_BY_PPON, "x", buyer_identifier={"scheme": "GB-PPON", "id": "PMZV-4724-RQXL"}))
    importer.apply_plan(importer.build_plan(data), by=priya)
    return data, Contract.objects.get()


def test_an_unchanged_reimport_writes_no_history_row(priya, imported):
    data, contract = imported
    rows, version = contract.history.count(), contract.version
    plan = importer.build_plan(data)
    assert (plan.to_create, plan.to_update, plan.unchanged) == (0, 0, 1)
    result = importer.apply_plan(plan, by=priya)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    contract.refresh_from_db()
    assert (contract.history.count(), contract.version) == (rows, version)


def test_a_local_edit_survives_a_reimport_and_the_published_changes_still_arrive(client, priya, imported):
    data, contract = imported
    contract.title = "Fleet repairs (our title)"
    contract.end_date = contract.end_date.replace(year=2028)
    contract.save()
    data["releases"][0]["awards"][0]["value"]["amount"] = 80000  # published change
    data["releases"][0]["tender"]["title"] = "Vehicle repair and maintenance"  # the field we edited, changed too
    plan = importer.build_plan(data)
    item = plan.contracts[0]
    assert item.changes == ["total_value", "original_total_value", "annual_value"]
    assert item.kept == ["title", "end_date"]
    client.force_login(priya)
    importer.apply_plan(plan, by=priya)
    contract.refresh_from_db()
    assert contract.title == "Fleet repairs (our title)"
    assert contract.end_date.year == 2028
    assert contract.total_value == Decimal("80000.00")
    # And the next import of the same file changes nothing, still keeping the edits.
    again = importer.build_plan(data)
    assert again.unchanged == 1 and again.contracts[0].kept == ["title", "end_date"]
    rows = contract.history.count()
    importer.apply_plan(again, by=priya)
    assert contract.history.count() == rows


def test_the_preview_says_which_fields_change_and_which_local_edits_stay(client, priya, imported):
    data, contract = imported
    Contract.objects.filter(pk=contract.pk).update(title="Our title")
    data["releases"][0]["awards"][0]["value"]["amount"] = 80000
    client.force_login(priya)
    client.post(reverse("ocds:import"), {"file": SimpleUploadedFile("n.json", json.dumps(data).encode())})
    page = client.get(reverse("ocds:import_preview")).content.decode()
    assert "Update: total value, original total value, annual value" in page
    assert "Keeps the register's title (changed since the last import)" in page


def test_a_draft_imported_before_records_were_kept_keeps_what_differs(priya, imported):
    data, contract = imported
    OcdsImportRecord.objects.all().delete()
    data["releases"][0]["awards"][0]["value"]["amount"] = 80000
    item = importer.build_plan(data).contracts[0]
    assert item.changes == [] and "total_value" in item.kept


# Joint awards and call-offs -----------------------------------------------------------------------


def test_a_joint_award_keeps_both_suppliers_and_a_reimport_keeps_them(priya):
    joint = [
        ("GB-COH-00907224", "Appleton Woods Ltd", {"scheme": "GB-COH", "id": "00907224"}),
        ("GB-COH-02883961", "FISHER SCIENTIFIC U.K., LIMITED", {"scheme": "GB-COH", "id": "02883961"}),
    ]
    data = package(cf_release(FORCE_BY_NAME, "Police and Crime Commissioner for Anyshire", suppliers=joint))
    result = importer.apply_plan(importer.build_plan(data), by=priya)
    assert result.suppliers_created == 2
    contract = Contract.objects.get()
    assert contract.supplier.name == "Appleton Woods Ltd"
    assert [s.companies_house_number for s in contract.joint_suppliers.all()] == ["02883961"]
    again = importer.build_plan(data)
    assert again.unchanged == 1 and again.suppliers_to_create == 0
    importer.apply_plan(again, by=priya)
    assert Supplier.objects.count() == 2 and contract.joint_suppliers.count() == 1


@pytest.mark.parametrize(
    ("tender", "route", "agreement"),
    [
        ({"procurementMethodDetails": "Call-off from a framework agreement"}, "framework", Agreement.CONTRACT),
        ({"procurementMethodDetails": "Call-off from a dynamic purchasing system"}, "framework", Agreement.CONTRACT),
        ({"procurementMethodDetails": "Other - Direct Award from a Framework Contract"}, "framework", "contract"),
        ({"procurementMethodDetails": "Other - Further Competition - Framework"}, "framework", "contract"),
        ({"procurementMethodDetails": "Restricted procedure"}, "competitive_flexible", "contract"),
        (
            {
                "procurementMethod": "open",
                "procurementMethodDetails": "Open procedure",
                "techniques": {"hasFrameworkAgreement": True},
            },
            "open",
            Agreement.FRAMEWORK,
        ),
        (
            {
                "procurementMethod": None,
                "procurementMethodDetails": "",
                "techniques": {"hasDynamicPurchasingSystem": True},
            },
            "framework",
            Agreement.FRAMEWORK,
        ),
    ],
)
def test_a_call_off_maps_to_the_framework_route_not_an_act_procedure(priya, tender, route, agreement):
    data = package(cf_release(FORCE_BY_NAME, "Police and Crime Commissioner for Anyshire", **tender))
    importer.apply_plan(importer.build_plan(data), by=priya)
    contract = Contract.objects.get()
    assert (contract.procurement_route, contract.agreement) == (route, agreement)


def test_a_call_off_from_a_related_framework_process(priya):
    data = package(cf_release(FORCE_BY_NAME, "Police and Crime Commissioner for Anyshire", details="Not specified"))
    data["releases"][0]["relatedProcesses"] = [
        {"id": "1", "relationship": ["framework"], "scheme": "ocid", "identifier": "ocds-b5fd17-fw"}
    ]
    importer.apply_plan(importer.build_plan(data), by=priya)
    assert Contract.objects.get().procurement_route == Contract.ProcurementRoute.FRAMEWORK


def test_the_cpv_code_is_imported(priya):
    data = package(cf_release(FORCE_BY_NAME, "Police and Crime Commissioner for Anyshire"))
    importer.apply_plan(importer.build_plan(data), by=priya)
    assert Contract.objects.get().cpv_code == "50112000"


def test_a_joint_award_goes_out_with_every_supplier_and_comes_back_the_same(priya, client):
    joint = [
        ("GB-COH-00907224", "Appleton Woods Ltd", {"scheme": "GB-COH", "id": "00907224"}),
        ("GB-CFS-304869", "Lura Constructions LTD", {}),
    ]
    data = package(cf_release(FORCE_BY_NAME, "Police and Crime Commissioner for Anyshire", suppliers=joint))
    importer.apply_plan(importer.build_plan(data), by=priya)
    client.force_login(priya)
    exported = client.get(reverse("ocds:export")).json()
    assert [s["name"] for s in exported["releases"][0]["awards"][0]["suppliers"]] == [
        "Appleton Woods Ltd",
        "Lura Constructions LTD",
    ]
    assert ocds_export.validation_errors(exported) == []


def test_the_notices_identity_counts_but_not_its_stand_ins(db, settings, three_buyers):
    settings.OCDS_IMPORT_BUYER_IDS, settings.OCDS_IMPORT_BUYER_NAMES = [], []
    settings.OCDS_BUYER_ID, settings.OCDS_BUYER_NAME = "GB-PPON-XXXX-0000-XXXX", "The Chief Constable of the force"
    assert not importer.build_plan(three_buyers).force_configured
    settings.OCDS_BUYER_ID = FORCE_PPON
    assert [c.ocid for c in importer.build_plan(three_buyers).contracts] == [FORCE_BY_PPON]
