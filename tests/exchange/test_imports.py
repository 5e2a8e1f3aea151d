"""Spreadsheet import of contracts and suppliers: preview, all-or-nothing, idempotent, audited."""

import csv
import io
from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.models import Contract, ContractAssignment, Regime
from exchange.models import ImportJob
from exchange.resources import COLUMNS
from exchange.services import imports as services
from exchange.tasks import run_import_job
from suppliers.models import Supplier
from tests import factories


def _row(n: int, **changes) -> dict:
    row = {
        "reference": f"IMP-{n:04d}",
        "title": f"Imported service {n}",
        "description": "",
        "supplier": "Acme Services Limited",
        "supplier_companies_house_number": "",
        "category": "ICT",
        "status": "active",
        "nature": "services",
        "procurement_route": "open",
        "start_date": "01/04/2026",
        "end_date": "2029-03-31",
        "extended_end_date": "",
        "notice_period_days": "90",
        "total_value": "£1,250,000.00",
        "annual_value": "416,666.67",
        "cost_centre": "",
        "finance_reference": "",
        "oco": "alice@police.example",
        "sro": "",
        "regime": "",
        "procurement_started_on": "",
    }
    row.update(changes)
    return row


def _csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(rows: list[dict]) -> bytes:
    return tablib.Dataset(*[[r[c] for c in COLUMNS] for r in rows], headers=list(COLUMNS)).export("xlsx")


def _import(content: bytes, *, by, name="contracts.csv", confirm=True) -> ImportJob:
    """Upload, preview and (when the preview is clean) confirm, running the real Celery task."""
    job = services.import_job_create(upload=SimpleUploadedFile(name, content), by=by)
    run_import_job.apply(args=[job.pk], kwargs={"dry_run": True})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    if confirm and job.can_confirm:
        services.import_job_confirm(job=job)
        run_import_job.apply(args=[job.pk], kwargs={"dry_run": False})
        job.refresh_from_db()
    return job


@pytest.fixture
def ict(db):
    return factories.CategoryFactory(name="ICT")


@pytest.fixture
def hundred_rows(alice, ict):
    return [_row(n) for n in range(1, 101)]


def test_one_bad_row_among_100_saves_nothing_and_is_named(priya, hundred_rows):
    rows = list(hundred_rows)
    rows[5] = _row(6, start_date="01/04/2026", end_date="31/03/2025")  # the 6th row: line 7
    job = _import(_csv(rows), by=priya)

    assert job.status == ImportJob.Status.PREVIEWED and not job.can_confirm
    assert job.errors == [
        {"line": 7, "column": "end_date", "message": "The end date must be on or after the start date."}
    ]
    assert not Contract.objects.exists()
    assert not Supplier.objects.exists()  # the supplier the dry run created was rolled back too
    with pytest.raises(Exception, match="cannot be confirmed"):
        services.import_job_confirm(job=job)


def test_fixed_file_imports_100_and_again_changes_nothing(priya, alice, hundred_rows):
    job = _import(_csv(hundred_rows), by=priya)
    assert job.status == ImportJob.Status.DONE
    assert (job.new_count, job.updated_count, job.skipped_count, job.error_count) == (100, 0, 0, 0)
    assert Contract.objects.count() == 100
    contract = Contract.objects.get(reference="IMP-0007")
    assert contract.total_value == Decimal("1250000.00") and contract.annual_value == Decimal("416666.67")
    assert contract.original_total_value == Decimal("1250000.00")
    assert contract.oco == alice
    assert ContractAssignment.objects.filter(contract=contract, role="oco", user=alice).exists()
    assert Supplier.objects.filter(name="Acme Services Limited").count() == 1

    history_before = Contract.history.count()
    again = _import(_csv(hundred_rows), by=priya)
    assert (again.new_count, again.updated_count, again.skipped_count) == (0, 0, 100)
    assert again.status == ImportJob.Status.DONE
    assert Contract.history.count() == history_before
    assert Contract.objects.count() == 100


def test_history_records_the_importing_user_for_created_and_changed_rows(priya, hundred_rows):
    _import(_csv(hundred_rows[:3]), by=priya)
    rows = [hundred_rows[0], _row(2, title="Renamed service"), hundred_rows[2]]
    job = _import(_csv(rows), by=priya)

    assert (job.new_count, job.updated_count, job.skipped_count) == (0, 1, 2)
    changed = Contract.objects.get(reference="IMP-0002")
    assert changed.title == "Renamed service"
    assert [(h.history_type, h.history_user) for h in changed.history.order_by("history_date")] == [
        ("+", priya),
        ("~", priya),
    ]
    assert Contract.objects.get(reference="IMP-0001").history.count() == 1
    assert Supplier.objects.get().history.get().history_user == priya


def test_suppliers_are_matched_by_companies_house_number_by_exact_name_or_created(priya, alice, ict):
    by_number = factories.SupplierFactory(name="Old Name Limited", companies_house_number="SC123456")
    by_name = factories.SupplierFactory(name="Named Supplier Limited", companies_house_number="")
    rows = [
        _row(1, supplier="New Name Limited", supplier_companies_house_number="SC123456"),
        _row(2, supplier="Named Supplier Limited"),
        _row(3, supplier="Brand New Limited", supplier_companies_house_number="09876543"),
        _row(4, supplier="Brand New Limited", supplier_companies_house_number="09876543"),
        _row(5, supplier="NAMED SUPPLIER LTD"),  # the same name, normalised (suppliers.identity)
    ]
    job = _import(_csv(rows), by=priya)

    assert job.status == ImportJob.Status.DONE, job.errors
    suppliers = dict(Contract.objects.values_list("reference", "supplier__name"))
    assert Contract.objects.get(reference="IMP-0001").supplier == by_number
    assert Contract.objects.get(reference="IMP-0002").supplier == by_name
    created = Supplier.objects.get(companies_house_number="09876543")
    assert created.name == "Brand New Limited"
    assert suppliers["IMP-0003"] == suppliers["IMP-0004"] == "Brand New Limited"
    assert Contract.objects.get(reference="IMP-0005").supplier == by_name
    assert Supplier.objects.count() == 3


def test_a_bad_companies_house_number_is_a_row_error(priya, alice, ict):
    job = _import(_csv([_row(1, supplier="X Limited", supplier_companies_house_number="123456789")]), by=priya)
    assert [(e["line"], e["column"]) for e in job.errors] == [(2, "supplier")]
    assert "Companies House number is 8 characters" in job.errors[0]["message"]


def test_oco_and_sro_by_email_and_who_may_hold_the_role(priya, alice, sam, ict):
    factories.UserFactory(username="clerk", email="clerk@police.example")  # no OCO role
    rows = [
        _row(1, oco="ALICE@police.example", sro="sam@police.example"),
        _row(2, oco="nobody@police.example"),
        _row(3, oco="clerk@police.example"),
        _row(4, sro="alice@police.example"),
    ]
    job = _import(_csv(rows), by=priya)

    assert [(e["line"], e["column"], e["message"]) for e in job.errors] == [
        (
            3,
            "oco",
            "No user has the username or e-mail address “nobody@police.example”: "
            "the template's Reference sheet lists them.",
        ),
        (4, "oco", f"{factories.UserFactory(username='clerk')} is not an Operational Contract Owner."),
        (5, "sro", "Alice Adams is not a Senior Representative Owner."),
    ]
    assert not Contract.objects.exists()

    job = _import(_csv(rows[:1]), by=priya)
    contract = Contract.objects.get()
    assert (contract.oco, contract.sro) == (alice, sam)


def test_several_errors_on_one_row_name_each_column(priya, alice, ict):
    rows = [_row(1), _row(2, category="Catering", total_value="lots", start_date="31/02/2026", title="")]
    job = _import(_csv(rows), by=priya)
    assert [(e["line"], e["column"]) for e in job.errors] == [
        (3, "category"),
        (3, "start_date"),
        (3, "title"),
        (3, "total_value"),
    ]
    assert "The categories are: ICT." in job.errors[0]["message"]


def test_missing_and_unknown_columns_are_reported_on_line_1(priya):
    content = b"reference,title,colour\nX-1,Thing,blue\n"
    job = _import(content, by=priya)
    columns = {(e["line"], e["column"]) for e in job.errors}
    assert (1, "supplier") in columns and (1, "colour") in columns
    assert not job.can_confirm


def test_a_reference_twice_in_the_file_is_an_error(priya, alice, ict):
    job = _import(_csv([_row(1), _row(2), _row(1)]), by=priya)
    assert job.errors == [{"line": 4, "column": "reference", "message": "“IMP-0001” is also on line 2."}]


def test_xlsx_imports_like_csv(priya, alice, ict):
    rows = [_row(n) for n in range(1, 6)]
    rows[0]["total_value"] = 1250000  # number and date cells as Excel stores them
    job = _import(_xlsx(rows), by=priya, name="contracts.xlsx")
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.new_count == 5
    assert Contract.objects.get(reference="IMP-0001").total_value == Decimal("1250000")

    bad = _import(_xlsx([_row(1, end_date="01/01/2020")]), by=priya, name="again.xlsx")
    assert bad.errors == [
        {"line": 2, "column": "end_date", "message": "The end date must be on or after the start date."}
    ]
    again = _import(_xlsx(rows), by=priya, name="contracts.xlsx")
    assert again.skipped_count == 5 and again.new_count == again.updated_count == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("contracts.pdf", b"%PDF-1.4", "is not a CSV or XLSX file"),
        ("contracts.csv", "reference\n\xff".encode("latin-1"), "is not UTF-8 text"),
        ("contracts.xlsx", b"reference,title\n", "is not an Excel (XLSX) workbook"),
    ],
)
def test_uploads_are_checked_by_type(client, priya, name, content, message):
    client.force_login(priya)
    response = client.post(reverse("imports:start"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_uploads_over_10_mb_are_refused(client, priya, monkeypatch):
    monkeypatch.setattr(services, "MAX_UPLOAD_BYTES", 100)
    client.force_login(priya)
    response = client.post(reverse("imports:start"), {"file": SimpleUploadedFile("big.csv", b"x" * 101)})
    assert "the limit is 100" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_procurement_uploads_previews_and_confirms_through_the_pages(
    client, priya, alice, ict, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    # The broker is the boundary: what would be sent to it is recorded instead.
    monkeypatch.setattr(
        run_import_job, "apply_async", lambda args=(), kwargs=None, **options: queued.append((tuple(args), kwargs))
    )
    client.force_login(priya)
    assert client.get(reverse("imports:start")).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("imports:start"), {"file": SimpleUploadedFile("c.csv", _csv([_row(1), _row(2)]))}
        )
    job = ImportJob.objects.get()
    assert response.url == job.get_absolute_url()
    assert job.created_by == priya and job.file.name.startswith("contract-imports/") and "c.csv" not in job.file.name
    assert queued == [((job.pk,), {"dry_run": True})]

    page = client.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page and "Checking the file" in page

    run_import_job.apply(args=[job.pk], kwargs={"dry_run": True})
    page = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in page
    assert "<strong>2</strong> to create" in page and "IMP-0001 Imported service 1" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[job.pk]))
    assert queued[-1] == ((job.pk,), {"dry_run": False})
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Importing" in page and 'hx-trigger="every 1s"' in page

    run_import_job.apply(args=[job.pk], kwargs={"dry_run": False})
    page = client.get(job.get_absolute_url()).content.decode()
    assert "2 new contracts, 0 updated, 0 unchanged" in page
    assert Contract.objects.count() == 2


def test_progress_counts_rows_as_it_goes(priya, alice, ict):
    job = _import(_csv([_row(n) for n in range(1, 4)]), by=priya)
    assert (job.progress_done, job.progress_total) == (3, 3)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_template_downloads_with_headers_and_an_example_row(client, priya, file_format):
    client.force_login(priya)
    response = client.get(reverse("imports:template", args=[file_format]))
    assert response.status_code == 200
    assert f'filename="contract-import-template.{file_format}"' in response["Content-Disposition"]
    dataset = tablib.Dataset().load(
        response.content.decode("utf-8") if file_format == "csv" else response.content, format=file_format
    )
    assert list(dataset.headers) == list(COLUMNS)
    assert len(dataset) == 1


def test_the_xlsx_template_is_a_workbook_with_the_allowed_values_and_people(client, priya, alice, sam, ict):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(priya)
    workbook = load_workbook(BytesIO(client.get(reverse("imports:template", args=["xlsx"])).content))
    assert workbook.sheetnames == ["Contracts", "Reference"]
    contracts = workbook["Contracts"]
    assert [c.value for c in contracts[1]] == list(COLUMNS) and contracts.freeze_panes == "A2"
    example = dict(zip(COLUMNS, [c.value for c in contracts[2]], strict=True))
    assert (example["title"], example["category"], example["oco"]) == ("Custody healthcare", "Healthcare", "jsmith")
    rows = {(r[0], r[1]): r[2] for r in workbook["Reference"].iter_rows(min_row=2, values_only=True)}
    assert ("category", "ICT") in rows and rows[("status", "active")] == "Active"
    assert rows[("oco / sro", "alice")].startswith("Alice Adams, Operational Contract Owner")
    assert rows[("oco / sro", "sam")].startswith("Sam Singh, Senior")
    assert ("oco / sro", "priya") not in rows  # only those who may be named


def test_an_oco_is_named_by_username_or_by_e_mail(priya, alice, ict):
    alice.email = "alice.adams@police.example"
    alice.save()
    by_username = _import(_csv([_row(1, oco="alice")]), by=priya)
    by_email = _import(_csv([_row(2, oco="Alice.Adams@police.example")]), by=priya)
    assert by_username.status == by_email.status == ImportJob.Status.DONE, (by_username.errors, by_email.errors)


def test_the_template_example_imports_once_its_names_exist(priya, ict):
    factories.oco(username="jsmith", email="jane.smith@police.example")
    factories.CategoryFactory(name="Healthcare")
    content = services.template_dataset().export("csv").encode()
    job = _import(content, by=priya)
    assert job.status == ImportJob.Status.DONE, job.errors


@pytest.mark.parametrize(
    ("persona", "status"), [("alice", 403), ("sam", 403), ("anonymous", 302)], indirect=["persona"]
)
def test_only_the_procurement_unit_imports(client, persona, status, priya):
    job = ImportJob.objects.create(original_name="x.csv", format="csv", created_by=priya)
    if persona:
        client.force_login(persona)
    urls = [
        reverse("imports:start"),
        reverse("imports:template", args=["csv"]),
        job.get_absolute_url(),
    ]
    for url in urls:
        assert client.get(url).status_code == status, url
    assert client.post(reverse("imports:confirm", args=[job.pk])).status_code == status


def test_someone_elses_import_answers_404_but_an_administrator_sees_it(client, priya, admin_user):
    job = ImportJob.objects.create(original_name="x.csv", format="csv", created_by=priya)
    other = factories.procurement_officer(username="olu")
    client.force_login(other)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.post(reverse("imports:confirm", args=[job.pk])).status_code == 404
    client.force_login(admin_user)
    assert client.get(job.get_absolute_url()).status_code == 200


def test_a_changed_oco_goes_through_the_register_service(priya, alice, bob, ict):
    _import(_csv([_row(1)]), by=priya)
    job = _import(_csv([_row(1, oco="bob@police.example")]), by=priya)
    assert job.updated_count == 1
    contract = Contract.objects.get()
    assignments = contract.assignments.filter(role="oco").order_by("started_at")
    assert [(a.user, a.ended_at is not None, a.assigned_by) for a in assignments] == [
        (alice, True, priya),
        (bob, False, priya),
    ]
    assert contract.history.latest().history_user == priya


def test_the_spreadsheet_import_takes_an_optional_regime_column(priya, alice):
    factories.CategoryFactory(name="ICT")
    rows = [
        _row(1, regime="Public Contracts Regulations 2015", start_date="01/04/2025"),
        _row(2, procurement_started_on="23/02/2025", start_date="01/09/2025"),
        _row(3),
    ]
    job = _import(_csv(rows), by=priya)
    assert job.status == ImportJob.Status.DONE, job.errors
    found = {c.reference: (c.regime, c.regime_in_effect) for c in Contract.objects.all()}
    assert found == {
        "IMP-0001": (Regime.PCR, Regime.PCR),
        "IMP-0002": ("", Regime.PCR),  # begun the day before the Act's commencement
        "IMP-0003": ("", Regime.ACT),  # started on 1 April 2026
    }
    job = _import(_csv([_row(4, regime="EU rules")]), by=priya)
    assert [(e["line"], e["column"]) for e in job.errors] == [(2, "regime")]
