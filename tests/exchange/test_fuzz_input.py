"""Hostile input that does not come through a page's form: spreadsheet imports (CSV and XLSX) and OCDS JSON
packages. (The query strings and path parts of the list pages, exports and the API: test_fuzz_queries.py.)

As in tests/core/test_fuzz.py: never a server error (the test client and the import task re-raise any
exception), every page holds hostile markup only escaped, and each example is rolled back."""

import json
import zlib
from datetime import date, datetime

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from contracts.models import Contract
from exchange.models import ImportJob
from exchange.resources import COLUMNS
from exchange.tasks import run_import_job
from tests import factories
from tests.exchange.test_imports import _csv, _row
from tests.fuzzing import (
    EMOJI,
    FORMULA,
    RTL,
    SCRIPT,
    SETTINGS,
    SQL,
    any_hostile,
    assert_safe,
    dates,
    numbers,
    rolled_back,
    signed_in,
)

pytestmark = pytest.mark.usefixtures("_pinned_clock")


# --- Spreadsheet imports ---------------------------------------------------------------------------


def import_row(**changes) -> dict:
    """A good row (tests/exchange/test_imports.py's first), with `changes`."""
    return _row(1, **{"reference": "IMP-0001", "title": "Imported service", **changes})


as_csv = _csv


def as_xlsx(rows: list[dict]) -> bytes:
    def cell(value):
        # Excel files cannot hold control characters at all: openpyxl refuses to write them.
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    return tablib.Dataset(*[[cell(r[c]) for c in COLUMNS] for r in rows], headers=list(COLUMNS)).export("xlsx")


def run_import(client: Client, content: bytes, name: str) -> None:
    """Upload as the Procurement Unit, preview, confirm when the preview allows; every page on the way."""
    before = set(Contract.objects.values_list("pk", flat=True))
    response = client.post(reverse("imports:start"), {"file": SimpleUploadedFile(name, content)}, follow=True)
    assert_safe(response, what=f"import upload {name}")
    job = ImportJob.objects.order_by("-pk").first()
    if job is None or not response.redirect_chain:
        return  # refused next to the file field
    # The task runs here, not after a commit that the test transaction never makes; throw=True: an
    # unexpected error fails the test instead of only marking the job failed.
    run_import_job.apply(args=[job.pk], kwargs={"dry_run": True}, throw=True)
    assert_safe(client.get(reverse("imports:detail", args=[job.pk])), what="import preview")
    job.refresh_from_db()
    if job.can_confirm:
        # Each new supplier created as new (hostile names may look like one an earlier example made).
        client.post(
            reverse("imports:confirm", args=[job.pk]), {f"supplier_{i}": "new" for i in range(len(job.suppliers))}
        )
        run_import_job.apply(args=[job.pk], kwargs={"dry_run": False}, throw=True)
        job.refresh_from_db()
        assert job.status == ImportJob.Status.DONE, job.errors
        assert_safe(client.get(reverse("imports:detail", args=[job.pk])), what="import done")
        for contract in Contract.objects.exclude(pk__in=before):
            assert_safe(client.get(contract.get_absolute_url()), what=f"imported {contract.reference}")
            assert_safe(client.get(reverse("lifecycle:contract", args=[contract.pk])), what="its lifecycle")
        assert_safe(client.get(reverse("lifecycle:renewals")), what="renewals after the import")
    assert_safe(client.get(reverse("imports:start")), what="the imports page")


cells = st.one_of(any_hostile, numbers, dates)
xlsx_cells = st.one_of(
    any_hostile,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=False),
    st.datetimes(min_value=datetime(1900, 3, 1)),
    st.sampled_from([date(1900, 3, 1), date(9999, 12, 31), 1e308, -1e308, 10**15]),
)


@pytest.fixture
def importer(priya, alice, db):
    factories.CategoryFactory(name="ICT")
    return signed_in(priya)


HOSTILE_ROWS = [
    import_row(
        title=SCRIPT, description=f"{SQL} {EMOJI} {RTL} {FORMULA}", supplier=f"{SCRIPT} Ltd", cost_centre="=1+1"
    ),
    import_row(title="a\x00b", description="\u202e\u0000"),
    import_row(reference="a\x00b"),
    import_row(supplier="Nul\x00 Limited", oco="alice\x00@police.example", category="I\x00CT"),
    import_row(total_value="9" * 400, annual_value="-1e309", notice_period_days="9" * 400),
    import_row(total_value="NaN", annual_value="1e20", notice_period_days="9" * 5000),
    import_row(start_date="01/01/0001", end_date="31/12/9999"),
    import_row(start_date="0001-01-01", end_date="0001-01-01", notice_period_days="365"),
    import_row(end_date="31/12/2199", extended_end_date="9999-12-31", notice_period_days="2147483647"),
    import_row(description="x" * 100_000, title="x" * 300),
    import_row(supplier_companies_house_number="9" * 400, status=SCRIPT, nature="\u202e"),
]
# Typed cells only a workbook has: dates at the ends of the calendar, numbers past a decimal's range.
XLSX_ROWS = [
    import_row(
        start_date=datetime(1900, 3, 1, 0, 0), end_date=date(9999, 12, 31), extended_end_date=date(9999, 12, 31)
    ),
    import_row(total_value=1e308, annual_value=float("nan"), notice_period_days=1e20),
    import_row(total_value=10**30, annual_value=-(10**30), notice_period_days=2**63),
]


def random_rows(cell_values):
    """One to three rows, each with up to four columns spoilt."""
    return st.lists(
        st.dictionaries(st.sampled_from(COLUMNS), cell_values, max_size=4).map(
            lambda changes: import_row(**{"reference": f"IMP-{zlib.crc32(ascii(changes).encode()) % 10**6}", **changes})
        ),
        min_size=1,
        max_size=3,
    )


def with_files(examples):
    def decorate(test):
        for rows, name in reversed(examples):
            test = example(rows=rows, name=name)(test)
        return test

    return decorate


def test_csv_imports_survive_hostile_cells(importer):
    @SETTINGS
    @with_files(
        [
            (HOSTILE_ROWS, f"{SCRIPT}.csv"),
            (HOSTILE_ROWS[:1], "a\x00b.csv"),
            *(([row], "contracts.csv") for row in HOSTILE_ROWS),
        ]
    )
    @given(rows=random_rows(cells), name=st.just("contracts.csv"))
    def fuzz(rows, name):
        with rolled_back():
            run_import(importer, as_csv(rows), name)

    fuzz()


def test_a_row_of_markup_is_imported_and_shown_escaped(importer):
    with rolled_back():
        run_import(importer, as_csv(HOSTILE_ROWS[:1]), "contracts.csv")
        contract = Contract.objects.get(reference="IMP-0001")
        assert (contract.title, contract.supplier.name, contract.cost_centre) == (SCRIPT, f"{SCRIPT} Ltd", "=1+1")


def test_xlsx_imports_survive_hostile_cells(importer):
    @SETTINGS
    @with_files([(HOSTILE_ROWS, f"{SCRIPT}.xlsx"), *(([row], "contracts.xlsx") for row in XLSX_ROWS)])
    @given(rows=random_rows(xlsx_cells), name=st.just("contracts.xlsx"))
    def fuzz(rows, name):
        with rolled_back():
            run_import(importer, as_xlsx(rows), name)

    fuzz()


# --- OCDS packages -----------------------------------------------------------------------------------

OCID = "ocds-b5fd17-0001"


def ocds_release(**changes) -> dict:
    release = {
        "ocid": OCID,
        "id": f"{OCID}-r1",
        "date": "2025-03-01T10:00:00Z",
        "tag": ["award"],
        "buyer": {"id": "GB-CFS-1", "name": "Police and Crime Commissioner for Anyshire"},
        "tender": {"id": "T1", "title": "Vehicle maintenance", "mainProcurementCategory": "services"},
        "parties": [
            {
                "id": "S1",
                "name": "Fleet Services Ltd",
                "identifier": {"scheme": "GB-COH", "id": "1234567"},
                "address": {"streetAddress": "1 High Street", "locality": "Anytown"},
                "roles": ["supplier"],
            }
        ],
        "awards": [
            {
                "id": f"{OCID}-1",
                "title": "Vehicle maintenance",
                "suppliers": [{"id": "S1", "name": "Fleet Services Ltd"}],
                "value": {"amount": 240000, "currency": "GBP"},
                "contractPeriod": {"startDate": "2025-04-01", "endDate": "2027-03-31"},
            }
        ],
    }
    for path, value in changes.items():
        set_path(release, path, value)
    return release


def set_path(document, path: str, value) -> None:
    """Set "awards.0.value.amount" in a nested document; a step into a dict that is missing or of another
    type makes it a dict, a path that cannot be followed (into a number, past a list's end) is let go."""
    *steps, last = path.split(".")
    for step in steps:
        if isinstance(document, list):
            if not step.isdigit() or int(step) >= len(document):
                return
            document = document[int(step)]
        elif isinstance(document, dict):
            if not isinstance(document.get(step), dict | list):
                document[step] = {}
            document = document[step]
        else:
            return
    if isinstance(document, dict):
        document[last] = value
    elif isinstance(document, list) and last.isdigit() and int(last) < len(document):
        document[int(last)] = value


def package_bytes(*releases) -> bytes:
    # ensure_ascii: a lone surrogate is written as the escape \ud800, as a producer of bad JSON might.
    return json.dumps({"version": "1.1", "releases": list(releases)}).encode()


OCDS_PATHS = [
    "ocid",
    "date",
    "buyer",
    "buyer.name",
    "tender",
    "tender.title",
    "tender.mainProcurementCategory",
    "parties",
    "parties.0.name",
    "parties.0.identifier",
    "parties.0.identifier.id",
    "parties.0.additionalIdentifiers",
    "parties.0.address",
    "awards",
    "awards.0.id",
    "awards.0.title",
    "awards.0.suppliers",
    "awards.0.suppliers.0.name",
    "awards.0.value",
    "awards.0.value.amount",
    "awards.0.value.currency",
    "awards.0.contractPeriod",
    "awards.0.contractPeriod.startDate",
    "awards.0.contractPeriod.endDate",
    "contracts",
]
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), any_hostile, dates),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3)),
    max_leaves=6,
)
OCDS_EXAMPLES = [
    package_bytes(
        ocds_release(
            **{
                "ocid": f"{OCID}{SCRIPT}",
                "awards.0.title": SCRIPT,
                "awards.0.suppliers.0.name": f"{SCRIPT} Ltd",
                "tender.title": SQL,
                "buyer.name": f"{EMOJI} {RTL}",
                "parties.0.address.streetAddress": FORMULA,
            }
        )
    ),
    package_bytes(ocds_release(**{"awards.0.title": "\ud800 lone", "awards.0.suppliers.0.name": "Bad \udfff Ltd"})),
    package_bytes(ocds_release(**{"awards.0.title": "a\x00b", "awards.0.suppliers.0.name": "\u202e\u0000"})),
    package_bytes(ocds_release(**{"awards.0.value.amount": 1e400, "parties.0.identifier.id": "9" * 400})),
    package_bytes(ocds_release(**{"awards.0.value.amount": float("nan"), "awards.0.value.currency": SCRIPT})),
    package_bytes(ocds_release(**{"awards.0.value.amount": "9" * 400})),
    package_bytes(
        ocds_release(
            **{"awards.0.contractPeriod.startDate": "0001-01-01", "awards.0.contractPeriod.endDate": "9999-12-31"}
        )
    ),
    package_bytes(ocds_release(**{"awards.0.contractPeriod.startDate": "9999-12-31T23:59:59-12:00"})),
    package_bytes(ocds_release(awards=5, parties=7, contracts=9), ocds_release(**{"awards.0.suppliers": 3})),
    package_bytes(ocds_release(**{"parties.0.additionalIdentifiers": 5, "parties.0.identifier": "x"})),
    package_bytes(ocds_release(**{"parties.0.identifier.id": "١٢٣٤٥٦٧٨"})),  # digits, but not 0-9
    package_bytes(ocds_release(**{"awards.0.title": "x" * 100_000, "ocid": "x" * 1000})),
    json.dumps({"releases": [1, "x", None, [], {"ocid": SCRIPT, "awards": "abc"}]}).encode(),
    json.dumps({"records": [5, {"releases": 3}, {"compiledRelease": 4}, {"releases": [7]}]}).encode(),
    b"[" * 100_000 + b"]" * 100_000,
    b'{"releases": [' + b"{" * 50_000 + b"}" * 50_000 + b"]}",
    b"\xff\xfe not utf-8",
    b"",
]


@pytest.fixture
def ocds_user(priya, db):
    return signed_in(priya)


def test_ocds_imports_survive_hostile_packages(ocds_user):
    client = ocds_user

    @SETTINGS
    @with_content(OCDS_EXAMPLES)
    @given(
        content=st.lists(st.tuples(st.sampled_from(OCDS_PATHS), json_values), min_size=1, max_size=3).map(
            lambda changes: package_bytes(ocds_release(**dict(changes)))
        )
    )
    def fuzz(content):
        with rolled_back():
            before = set(Contract.objects.values_list("pk", flat=True))
            upload = SimpleUploadedFile("notices.json", content, "application/json")
            response = client.post(reverse("ocds:import"), {"file": upload}, follow=True)
            assert_safe(response, what="OCDS upload and preview")
            if not response.redirect_chain:
                return  # refused next to the file field
            response = client.post(reverse("ocds:import_confirm"), follow=True)
            assert_safe(response, what="OCDS confirm")
            for contract in Contract.objects.exclude(pk__in=before):
                assert_safe(client.get(contract.get_absolute_url()), what=f"imported {contract.reference}")
                assert_safe(client.get(reverse("lifecycle:contract", args=[contract.pk])), what="its lifecycle")
            assert_safe(client.get(reverse("ocds:export")), what="the OCDS export")

    fuzz()


def with_content(examples):
    def decorate(test):
        for content in reversed(examples):
            test = example(content=content)(test)
        return test

    return decorate
