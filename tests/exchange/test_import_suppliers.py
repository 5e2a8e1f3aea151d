"""The import preview lists the suppliers it would create with their likely matches on the register,
and the Procurement Unit says, for each, which existing supplier it is or that it is new."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.models import Contract
from exchange.models import ImportJob
from exchange.services import imports as services
from exchange.tasks import run_import_job
from suppliers.models import Supplier
from tests import factories
from tests.exchange.test_imports import _csv, _row


@pytest.fixture
def ict(db):
    return factories.CategoryFactory(name="ICT")


@pytest.fixture
def register_suppliers(db):
    return {
        "albion": factories.SupplierFactory(name="ALBION ESTATES MAINTENANCE LTD", companies_house_number=""),
        "redbrick": factories.SupplierFactory(
            name="Redbrick Facilities Management PLC", companies_house_number="05566123"
        ),
    }


def _previewed(content: bytes, *, by) -> ImportJob:
    job = services.import_job_create(upload=SimpleUploadedFile("finance-export.csv", content), by=by)
    run_import_job.apply(args=[job.pk], kwargs={"dry_run": True})
    job.refresh_from_db()
    return job


ROWS = [
    _row(1, supplier="albion estates maintenance limited"),  # the same name, normalised: no question
    _row(2, supplier="REDBRICK FACILITIES MANAGEMENT", supplier_companies_house_number="5566123"),  # by number
    _row(3, supplier="Redbrick Facility Management Services"),  # like Redbrick: asked
    _row(4, supplier="Harbour Linen Services Ltd"),  # like nothing: new
    _row(5, supplier="Redbrick Facility Management Services"),  # the same new supplier again
]


def test_the_preview_lists_the_new_suppliers_and_their_likely_matches(client, priya, alice, ict, register_suppliers):
    job = _previewed(_csv(ROWS), by=priya)

    assert job.can_confirm, job.errors
    redbrick = register_suppliers["redbrick"]
    assert [(s["name"], s["line"], [m["id"] for m in s["matches"]]) for s in job.suppliers] == [
        ("Redbrick Facility Management Services", 4, [redbrick.pk]),
        ("Harbour Linen Services Ltd", 5, []),
    ]
    assert Supplier.objects.count() == 2  # the preview created nothing

    client.force_login(priya)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "2 suppliers are not on the register" in page
    assert "Use Redbrick Facilities Management PLC (Companies House 05566123)" in page
    assert "Create “Harbour Linen Services Ltd” as a new supplier" in page
    assert "Nothing on the register looks like it." in page


def test_procurement_maps_each_new_supplier_before_the_import(client, priya, alice, ict, register_suppliers):
    job = _previewed(_csv(ROWS), by=priya)
    client.force_login(priya)

    # A supplier with a likely match is not created by default: the choice is asked for beside it.
    response = client.post(reverse("imports:confirm", args=[job.pk]), {"supplier_1": "new"})
    assert response.status_code == 400
    assert "Choose an existing supplier for “Redbrick Facility Management Services”, or create it." in (
        response.content.decode()
    )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED

    redbrick = register_suppliers["redbrick"]
    response = client.post(reverse("imports:confirm", args=[job.pk]), {"supplier_0": redbrick.pk, "supplier_1": "new"})
    assert response.status_code == 302
    run_import_job.apply(args=[job.pk], kwargs={"dry_run": False})
    job.refresh_from_db()

    assert job.status == ImportJob.Status.DONE, job.errors
    suppliers = dict(Contract.objects.values_list("reference", "supplier__name"))
    assert suppliers == {
        "IMP-0001": "ALBION ESTATES MAINTENANCE LTD",
        "IMP-0002": "Redbrick Facilities Management PLC",
        "IMP-0003": "Redbrick Facilities Management PLC",
        "IMP-0004": "Harbour Linen Services Ltd",
        "IMP-0005": "Redbrick Facilities Management PLC",
    }
    assert Supplier.objects.count() == 3


def test_a_supplier_that_is_not_a_likely_match_cannot_be_chosen(priya, alice, ict, register_suppliers):
    job = _previewed(_csv(ROWS), by=priya)
    other = factories.SupplierFactory(name="Unrelated Limited")
    with pytest.raises(Exception, match="Choose an existing supplier"):
        services.import_job_confirm(
            job=job, supplier_choices={job.suppliers[0]["key"]: str(other.pk), job.suppliers[1]["key"]: "new"}
        )


def test_an_oco_cannot_confirm_an_import(client, alice, priya, ict, register_suppliers):
    job = _previewed(_csv(ROWS), by=priya)
    client.force_login(alice)
    assert client.post(reverse("imports:confirm", args=[job.pk]), {"supplier_0": "new"}).status_code == 403
