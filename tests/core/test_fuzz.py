"""Every form a user can post, fuzzed with hostile input (tests/fuzzing.py): very long strings, Unicode,
HTML and script, SQL fragments, huge numbers, dates far in the past and future, NUL characters.

Each form is posted by someone allowed to use it, from a valid baseline with one to three fields spoilt
(or every field of a kind, in the explicit examples). Whatever happens: no server error (the test client
re-raises any exception), and every page that then shows the input, the form again with its errors or
the pages of what was saved, holds the markup only escaped. Each example runs in a savepoint that is
rolled back, so the examples do not see each other's rows."""

import csv
import io
import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import given
from icalendar import Calendar

from contracts.models import Contract, ExtensionOption, Variation
from meetings.models import Meeting
from performance.models import Kpi, MiReport
from tests import meeting_factories
from tests.core.fuzz_cases_register import REGISTER_CASES
from tests.core.fuzz_cases_work import WORK_CASES
from tests.core.fuzz_world import TODAY, client_as
from tests.fuzzing import (
    FORMULA,
    SCRIPT,
    SETTINGS,
    assert_safe,
    field_kinds,
    rolled_back,
    spoiled,
    spoils,
    spoils_anything,
    with_examples,
)

pytestmark = pytest.mark.usefixtures("_pinned_clock")

CASES = {**REGISTER_CASES, **WORK_CASES}


@pytest.mark.parametrize("name", list(CASES))
def test_every_form_survives_hostile_input(name, world):
    case, w = CASES[name], world
    url = case.url(w)
    kinds = {**field_kinds(case.form(w)), **case.extra_kinds}
    baseline = case.baseline(w)
    pages = case.shows(w)

    def post(client, data):
        files = case.files(w) if case.files else {}
        return client.post(url, {**data, **files}, follow=True)

    # The baseline is valid: it saves and moves on, so the spoilt examples reach the saving code.
    with rolled_back():
        response = post(client_as(case.persona, w), baseline)
        form = (response.context or {}).get("form")
        assert response.redirect_chain, f"{name}: the baseline did not save: {form.errors if form else ''}"
        assert not response.redirect_chain[-1][0].startswith(reverse("accounts:login")), f"{name}: signed out"

    @SETTINGS
    @with_examples()
    @given(spoil=spoils(kinds))
    def fuzz(spoil):
        if not spoils_anything(kinds, spoil):
            return
        with rolled_back():
            client = client_as(case.persona, w)  # a fresh session: a password change ends the old one
            response = post(client, spoiled(baseline, kinds, spoil))
            assert_safe(response, what=f"{name} {url}")
            for hop, _ in response.redirect_chain:  # never sent to another site
                assert url_has_allowed_host_and_scheme(hop, allowed_hosts={"testserver"}), hop
            if response.redirect_chain:  # saved: every page that shows it
                for page in pages:
                    assert_safe(client.get(page), what=f"{name}, then {page}")

    fuzz()


# --- What the fuzzing found: refused next to the field, nothing saved ------------------------------------

OFF_THE_CALENDAR = "Enter a date between 1 Jan 1900 and 31 Dec 2199."


@pytest.mark.parametrize(
    ("name", "field_name", "value", "message"),
    [
        ("contract edit", "end_date", "9999-12-31", OFF_THE_CALENDAR),
        ("contract create", "start_date", "0001-01-01", OFF_THE_CALENDAR),
        ("meeting arrange", "starts_at", "9999-12-31T10:00", OFF_THE_CALENDAR),
        ("kpi", "start_date", "9999-12-01", OFF_THE_CALENDAR),
        ("mi report", "period_end", "9999-12-31", OFF_THE_CALENDAR),
        ("contract edit", "notice_period_days", "2147483647", "A notice period is at most 3,650 days (ten years)."),
        ("extension option", "length_months", "30000", "An extension option is at most 240 months (20 years)."),
        ("handover", "reason", "x" * 100, "Shorten the reason by "),
    ],
)
def test_what_the_fuzzing_found_is_refused_next_to_its_field(name, field_name, value, message, world):
    case, w = CASES[name], world
    client = client_as(case.persona, w)
    url = case.url(w)

    def saved():
        return {model: list(model.objects.order_by("pk").values()) for model in (Contract, Meeting, Kpi, MiReport)}

    before, option_before = saved(), list(ExtensionOption.objects.values())
    files = case.files(w) if case.files else {}
    response = client.post(url, {**case.baseline(w), field_name: value, **files})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert [error for error in errors[field_name] if error.startswith(message)], errors
    assert saved() == before and list(ExtensionOption.objects.values()) == option_before


def test_a_nul_character_in_an_imported_spreadsheet_is_refused_by_line_and_column(world):
    from exchange.models import ImportJob
    from exchange.resources import COLUMNS
    from exchange.tasks import run_import_job

    client = client_as("priya", world)
    row = dict.fromkeys(COLUMNS, "") | {
        "reference": "IMP-1",
        "title": "Nul\x00 title",
        "supplier": "Acme",
        "category": world.contract.category.name,
        "start_date": "01/04/2026",
        "end_date": "31/03/2029",
        "total_value": "1000",
        "annual_value": "500",
    }
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerow(row)
    upload = SimpleUploadedFile("contracts.csv", buffer.getvalue().encode())
    client.post(reverse("imports:start"), {"file": upload})
    job = ImportJob.objects.get()
    run_import_job.apply(args=[job.pk], kwargs={"dry_run": True}, throw=True)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED and not job.can_confirm
    assert job.errors == [
        {
            "line": 2,
            "column": "title",
            "message": "This cell holds a NUL character (\\0), which cannot be stored: "
            "remove it and upload the file again.",
        }
    ]
    assert not Contract.objects.filter(reference="IMP-1").exists()
    assert "NUL character" in client.get(reverse("imports:detail", args=[job.pk])).content.decode()


# --- A script stored in every free-text field -------------------------------------------------------------


def free_text_fields(model, *, leave_out=()) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.choices and f.name not in leave_out
    ]


def payload(model, name: str) -> str:
    """A script naming its field, as long as the column allows (else markup that fits)."""
    max_length = model._meta.get_field(name).max_length
    for value in (f'<script>alert("{name}")</script>', SCRIPT):
        if max_length is None or len(value) <= max_length:
            return value
    return f"<b>{'x' * (max_length - 7)}</b>"


def store_payloads(obj, *, leave_out=()) -> dict[str, str]:
    """Write a payload into every free-text field of the object, as any path that stores text might."""
    values = {name: payload(type(obj), name) for name in free_text_fields(type(obj), leave_out=leave_out)}
    type(obj).objects.filter(pk=obj.pk).update(**values)
    obj.refresh_from_db()
    return values


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    assert_safe(response, what=url)
    return response.content.decode()


def test_a_script_in_every_free_text_field_is_shown_escaped_everywhere(world):
    w = world
    contract, supplier, escalation = w.contract, w.contract.supplier, w.escalation
    contact, meeting = w.contact, w.meeting
    activity = meeting_factories.ActivityFactory(contract=contract, recorded_by=w.alice, occurred_on=TODAY)
    formula = meeting_factories.ActivityFactory(contract=contract, recorded_by=w.alice, summary=FORMULA)
    Variation.objects.filter(pk=w.variation.pk).update(change_notice_required=True, description=FORMULA)
    stored = {
        "contract": store_payloads(contract),
        # A website is checked as a web address on every path in: this one is, with markup in it.
        "supplier": store_payloads(supplier, leave_out=["website"]),
        "contact": store_payloads(contact),
        "meeting": store_payloads(meeting),
        "activity": store_payloads(activity),
        "escalation": store_payloads(escalation),
    }
    supplier.website = 'https://supplier.example/"><script>alert("website")</script>'
    supplier.save()
    every_payload = [value for values in stored.values() for value in values.values()] + [supplier.website]

    client = Client()
    client.force_login(w.priya)
    pages = [
        reverse("contracts:detail", args=[contract.pk]),
        reverse("contracts:list"),
        reverse("contracts:history", args=[contract.pk]),
        reverse("lifecycle:contract", args=[contract.pk]),
        reverse("lifecycle:renewals"),
        reverse("performance:contract", args=[contract.pk]),
        reverse("exchange:change_notices"),
        reverse("suppliers:detail", args=[supplier.pk]),
        reverse("suppliers:list"),
        reverse("suppliers:history", args=[supplier.pk]),
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:contract", args=[contract.pk]),
        reverse("meetings:edit", args=[meeting.pk]),
        reverse("meetings:log", args=[contract.pk]),
        reverse("escalations:detail", args=[escalation.pk]),
        reverse("escalations:list"),
        reverse("escalations:manage", args=[escalation.pk]),
    ]
    shown = {}
    for url in pages:
        shown[url] = html = html_of(client, url)
        for value in every_payload:
            assert value not in html, f"{url} shows {value!r} unescaped"

    # The detail pages do show the text, escaped: the check above is not passing on an empty page.
    expected = {
        reverse("contracts:detail", args=[contract.pk]): [
            stored["contract"][name] for name in ("reference", "title", "description", "operational_notes")
        ]
        + [stored["contact"]["name"]],
        reverse("suppliers:detail", args=[supplier.pk]): [
            stored["supplier"][name] for name in ("name", "address", "notes", "companies_house_number")
        ]
        + [supplier.website],
        reverse("meetings:detail", args=[meeting.pk]): [
            stored["meeting"][name] for name in ("location", "agenda", "minutes")
        ],
        reverse("meetings:log", args=[contract.pk]): [stored["activity"][name] for name in ("summary", "details")],
        reverse("escalations:detail", args=[escalation.pk]): [
            stored["escalation"][name] for name in ("title", "details", "actions", "resolution")
        ],
        reverse("contracts:list"): [stored["contract"]["title"], stored["supplier"]["name"]],
        reverse("suppliers:list"): [stored["supplier"]["name"]],
        reverse("escalations:list"): [stored["escalation"]["title"]],
    }
    for url, values in expected.items():
        for value in values:
            assert escape(value) in shown[url], f"{url} does not show {value!r}"

    # The CSV and JSON exports: well-formed, the text as stored (no HTML escaping in data), and no cell
    # that a spreadsheet would run as a formula.
    log_csv = client.get(reverse("meetings:log_csv", args=[contract.pk]))
    change_csv = client.get(reverse("exchange:change_notices") + "?format=csv")
    for response in (log_csv, change_csv):
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        cells = [cell for row in rows[1:] for cell in row]
        assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")], response["Content-Disposition"]
    log_cells = [cell for row in csv.reader(io.StringIO(log_csv.content.decode("utf-8-sig"))) for cell in row]
    assert stored["activity"]["summary"] in log_cells and stored["activity"]["details"] in log_cells
    assert "'" + formula.summary in log_cells

    for url, values in {
        reverse("ocds:export"): [stored["contract"]["title"], stored["supplier"]["name"]],
        f"/api/contracts/{contract.pk}/": [stored["contract"]["title"], stored["contract"]["description"]],
        f"/api/suppliers/{supplier.pk}/": [stored["supplier"]["name"]],
        f"/api/meetings/{meeting.pk}/": [stored["meeting"]["agenda"]],
        f"/api/escalations/{escalation.pk}/": [stored["escalation"]["title"], stored["escalation"]["details"]],
        reverse("exchange:change_notices") + "?format=json": [stored["contract"]["title"], FORMULA],
    }.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/json"), url
        text = json.dumps(json.loads(response.content), ensure_ascii=False)
        for value in values:
            assert json.dumps(value, ensure_ascii=False)[1:-1] in text, f"{url} lacks {value!r}"

    calendar = Calendar.from_ical(client.get(reverse("meetings:ics", args=[meeting.pk])).content)
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["location"]) == stored["meeting"]["location"]


@pytest.mark.parametrize(
    "spoilt",
    [
        {"end_date": date(2300, 1, 1), "extended_end_date": None},  # stored before such dates were refused
        {"notice_period_days": 100_000},
        {"oco_demoted": True},  # alice is no longer in the OCO group
    ],
)
def test_an_oco_saves_notes_on_a_contract_that_has_a_fault_only_procurement_can_fix(spoilt, world):
    """Contract.clean() checks the whole contract; the OCO's form holds only the operational fields, and a
    complaint about another field (the owners, the dates) neither refuses the notes nor fails the page."""
    w = world
    if spoilt.pop("oco_demoted", False):
        w.alice.groups.clear()
    Contract.objects.filter(pk=w.contract.pk).update(**spoilt)
    client = client_as("alice", w)

    response = client.post(
        reverse("contracts:edit", args=[w.contract.pk]),
        {"description": "Body-worn cameras", "cost_centre": "CC-9", "operational_notes": "Supplier changed manager"},
    )

    assert response.status_code == 302
    w.contract.refresh_from_db()
    assert (w.contract.cost_centre, w.contract.operational_notes) == ("CC-9", "Supplier changed manager")
