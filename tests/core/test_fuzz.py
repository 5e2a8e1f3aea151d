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
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

import pytest
import time_machine
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import given
from icalendar import Calendar

from accounts.models import TrainingRecord
from contracts import services
from contracts.forms.escalations import EscalationManageForm, EscalationRaiseForm, SupplierInformationForm
from contracts.forms.lifecycle import (
    ContractEndingForm,
    ExtensionOptionForm,
    HandoverForm,
    PublishedOnForm,
    RenewalDecisionForm,
    SavingForm,
    TrainingRecordForm,
    VariationForm,
)
from contracts.forms.register import ContractForm, ContractOperationalForm, DocumentUploadForm, KraljicAssessmentForm
from contracts.models import Contract, ContractEnding, Escalation, ExtensionOption, KraljicCriterion, Variation
from meetings.forms import ActionForm, ActivityForm, CadenceForm, MeetingForm
from meetings.models import Activity, Meeting
from notifications.forms import NotificationPreferencesForm
from performance import services as performance_services
from performance.forms.kpis import CorrectionForm, KpiForm, OverrideForm, ResultForm
from performance.forms.tracking import MilestoneForm, MiReportForm
from performance.models import Kpi, MiReport
from suppliers.forms import SupplierContactFormSet, SupplierForm
from suppliers.models import SupplierInformation
from tests import factories, meeting_factories, performance_factories
from tests.conftest import pdf_bytes
from tests.factories import PASSWORD
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

NOW = "2026-11-10 09:00 +00:00"
TODAY = date(2026, 11, 10)
pytestmark = pytest.mark.usefixtures("_pinned_clock")


@pytest.fixture
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


class World:
    """What the forms work on: alice's contract, with each part built when a form first asks for it
    (before the examples run: an object first built inside a rolled-back example would vanish)."""

    def __init__(self, *, contract, alice, sam, priya, other_contract):
        self.contract, self.alice, self.sam, self.priya, self.other_contract = (
            contract,
            alice,
            sam,
            priya,
            other_contract,
        )

    @cached_property
    def contact(self):
        return factories.SupplierContactFactory(supplier=self.contract.supplier, name="Jo Supplier")

    @cached_property
    def kpi(self):
        return performance_factories.KpiFactory(contract=self.contract, name="Calls answered")

    @cached_property
    def result(self):
        return performance_services.kpi_result_record(
            kpi=self.kpi, period_start=date(2026, 1, 1), actual=Decimal("97"), by=self.alice
        )

    @cached_property
    def meeting(self):
        return meeting_factories.MeetingFactory(contract=self.contract, created_by=self.alice, attendees=[self.alice])

    @cached_property
    def escalation(self):
        escalation = Escalation(contract=self.contract, source=Escalation.Source.DISPUTE, title="Late invoices")
        return services.escalation_raise(escalation=escalation, by=self.alice)

    @cached_property
    def variation(self):
        variation = Variation(
            contract=self.contract,
            agreed_on=date(2026, 5, 1),
            description="Two more sites",
            reason="New custody suite",
            value_change=Decimal("1000"),
            approved_by=self.sam,
        )
        return services.variation_record(variation=variation, by=self.priya)

    @cached_property
    def option(self):
        option = ExtensionOption(contract=self.contract, length_months=12, decide_by=date(2027, 12, 31))
        return services.extension_option_save(option=option, by=self.priya)

    @cached_property
    def ended(self):
        """bob's contract, ended last month: its termination notice is due."""
        ending = ContractEnding(
            contract=self.other_contract, kind="expired", ended_on=date(2026, 10, 1), reason="Ran out"
        )
        services.contract_end(ending=ending, by=self.priya)
        return self.other_contract

    @cached_property
    def carol(self):
        return factories.oco(username="carol", first_name="Carol", last_name="Clark")


@pytest.fixture
def world(contract, alice, sam, priya, other_contract) -> World:
    contract.extended_end_date = date(2030, 3, 31)
    contract.save()
    return World(contract=contract, alice=alice, sam=sam, priya=priya, other_contract=other_contract)


def contract_pages(w: World) -> list[str]:
    """The pages that work out dates from a contract, besides its own page (where the form lands)."""
    pk = w.contract.pk
    return [
        reverse("lifecycle:contract", args=[pk]),
        reverse("performance:contract", args=[pk]),
        reverse("meetings:contract", args=[pk]),
    ]


# --- The forms --------------------------------------------------------------------------------------


@dataclass
class Case:
    """A form: who posts it where, a valid baseline (it saves), and the pages that show what it saved."""

    persona: str
    url: object  # World -> str
    form: object  # World -> an unbound form, for its fields
    baseline: object  # World -> dict
    shows: object = lambda w: []  # World -> list of URLs
    files: object = None  # World -> dict of uploads
    extra_kinds: dict = field(default_factory=dict)


def hostile_pdf() -> SimpleUploadedFile:
    """A real PDF under a name with markup in it (no slash: the upload keeps only the last part of a path)."""
    return SimpleUploadedFile("<img src=x onerror=alert(1)>.pdf", pdf_bytes(), "application/pdf")


def contract_data(w: World, **changes) -> dict:
    return {
        "reference": "FUZZ-001",
        "title": "Fuzzed contract",
        "description": "",
        "supplier": w.contract.supplier_id,
        "category": w.contract.category_id,
        "status": "active",
        "nature": "services",
        "procurement_route": "open",
        "start_date": "2026-04-01",
        "end_date": "2029-03-31",
        "extended_end_date": "",
        "notice_period_days": "90",
        "total_value": "300000",
        "annual_value": "100000",
        "cost_centre": "",
        "finance_reference": "",
        "oco": w.alice.pk,
        "sro": w.sam.pk,
        "operational_notes": "",
        **changes,
    }


def supplier_data(w: World, *, existing: bool) -> dict:
    return {
        "name": "Fuzz Supplies Limited",
        "companies_house_number": "",
        "vat_number": "",
        "status": "active",
        "website": "",
        "address": "",
        "notes": "",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "1" if existing else "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-id": w.contact.pk if existing else "",
        "contacts-0-name": "Jo Supplier",
        "contacts-0-role": "Account manager",
        "contacts-0-email": "jo@supplier.example",
        "contacts-0-phone": "",
    }


def supplier_form(w: World, existing: bool):
    """The supplier form with its contacts formset: one form's fields with the formset's."""
    form = SupplierForm(instance=w.contract.supplier if existing else None)
    formset = SupplierContactFormSet(instance=form.instance, prefix="contacts")
    form.fields.update({f"contacts-0-{name}": f for name, f in formset.empty_form.fields.items()})
    return form


MANAGEMENT = {f"contacts-{n}": "number" for n in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")}


def criteria():
    return list(KraljicCriterion.objects.filter(is_active=True))


CASES = {
    "contract create": Case(
        "priya",
        lambda w: reverse("contracts:create"),
        lambda w: ContractForm(),
        contract_data,
        lambda w: [reverse("lifecycle:renewals")],
    ),
    "contract edit": Case(
        "priya",
        lambda w: reverse("contracts:edit", args=[w.contract.pk]),
        lambda w: ContractForm(instance=w.contract),
        lambda w: contract_data(w, reference=w.contract.reference, extended_end_date="2030-03-31"),
        lambda w: [*contract_pages(w), reverse("lifecycle:renewals")],
    ),
    "contract operational fields": Case(
        "alice",
        lambda w: reverse("contracts:edit", args=[w.contract.pk]),
        lambda w: ContractOperationalForm(instance=w.contract),
        lambda w: {"description": "Body-worn cameras", "cost_centre": "CC-1", "operational_notes": ""},
        lambda w: [reverse("contracts:list")],
    ),
    "document upload": Case(
        "alice",
        lambda w: reverse("contracts:document_upload", args=[w.contract.pk]),
        lambda w: DocumentUploadForm(),
        lambda w: {"kind": "contract", "description": "Signed contract"},
        lambda w: [reverse("contracts:history", args=[w.contract.pk])],
        files=lambda w: {"file": hostile_pdf()},
    ),
    "kraljic assessment": Case(
        "priya",
        lambda w: reverse("contracts:kraljic_assess", args=[w.contract.pk]),
        lambda w: KraljicAssessmentForm(criteria=criteria()),
        lambda w: {"rationale": "Few suppliers", **{f"score_{c.pk}": "4" for c in criteria()}},
        lambda w: [reverse("contracts:kraljic_history", args=[w.contract.pk]), reverse("contracts:kraljic_matrix")],
    ),
    "supplier create": Case(
        "priya",
        lambda w: reverse("suppliers:create"),
        lambda w: supplier_form(w, existing=False),
        lambda w: supplier_data(w, existing=False),
        lambda w: [reverse("suppliers:list")],
        extra_kinds=MANAGEMENT,
    ),
    "supplier edit": Case(
        "priya",
        lambda w: reverse("suppliers:edit", args=[w.contract.supplier_id]),
        lambda w: supplier_form(w, existing=True),
        lambda w: supplier_data(w, existing=True),
        lambda w: [
            reverse("suppliers:history", args=[w.contract.supplier_id]),
            reverse("meetings:edit", args=[w.meeting.pk]),
        ],
        extra_kinds=MANAGEMENT,
    ),
    "supplier information": Case(
        "alice",
        lambda w: reverse("escalations:supplier_information_create", args=[w.contract.supplier_id]),
        lambda w: SupplierInformationForm(supplier=w.contract.supplier),
        lambda w: {
            "kind": "financial",
            "category": SupplierInformation.Category.PROFIT_WARNING,
            "severity": "high",
            "occurred_on": "2026-11-01",
            "source": "https://news.example/profit-warning",
            "summary": "Profit warning",
            "details": "",
        },
        lambda w: [reverse("escalations:list")],
    ),
    "escalation raise": Case(
        "alice",
        lambda w: reverse("escalations:raise", args=[w.contract.pk]),
        lambda w: EscalationRaiseForm(contract=w.contract),
        lambda w: {"source": "dispute", "severity": "high", "title": "Invoices disputed", "details": "Three months"},
        lambda w: [reverse("contracts:detail", args=[w.contract.pk])],
    ),
    "escalation manage": Case(
        "priya",
        lambda w: reverse("escalations:manage", args=[w.escalation.pk]),
        lambda w: EscalationManageForm(instance=w.escalation),
        lambda w: {
            "status": "resolved",
            "severity": "medium",
            "owner": w.priya.pk,
            "actions": "Met the supplier",
            "resolution": "Credit note issued",
        },
        lambda w: [reverse("escalations:list") + "?status="],
    ),
    "variation": Case(
        "priya",
        lambda w: reverse("lifecycle:variation_create", args=[w.contract.pk]),
        lambda w: VariationForm(contract=w.contract),
        lambda w: {
            "agreed_on": "2026-09-01",
            "description": "Twelve more vehicles",
            "reason": "Fleet growth",
            "value_change": "-2500.50",
            "new_end_date": "2029-06-30",
            "approved_by": w.sam.pk,
        },
        lambda w: [
            reverse("contracts:detail", args=[w.contract.pk]),
            reverse("exchange:change_notices") + "?format=csv",
            reverse("exchange:change_notices") + "?format=json",
        ],
    ),
    "change notice published": Case(
        "priya",
        lambda w: reverse("lifecycle:variation_notice", args=[w.variation.pk]),
        lambda w: PublishedOnForm(earliest=w.variation.agreed_on, earliest_text="agreed"),
        lambda w: {"published_on": "2026-10-01"},
        lambda w: [reverse("exchange:change_notices")],
    ),
    "extension option": Case(
        "priya",
        lambda w: reverse("lifecycle:extension_edit", args=[w.option.pk]),
        lambda w: ExtensionOptionForm(instance=w.option, contract=w.contract),
        lambda w: {"length_months": "6", "decide_by": "2027-09-30", "decision": "pending", "notes": ""},
        lambda w: [reverse("lifecycle:renewals")],
    ),
    "renewal decision": Case(
        "priya",
        lambda w: reverse("lifecycle:renewal_decide", args=[w.contract.pk]),
        lambda w: RenewalDecisionForm(),
        lambda w: {"decision": "reprocure", "notes": "Market has moved on"},
        lambda w: [reverse("lifecycle:renewals")],
    ),
    "contract ending": Case(
        "priya",
        lambda w: reverse("lifecycle:contract_end", args=[w.contract.pk]),
        lambda w: ContractEndingForm(contract=w.contract),
        lambda w: {
            "kind": "terminated",
            "ended_on": "2026-11-01",
            "reason": "Service failures",
            "ended_early_for_breach": "on",
            "breach_details": "Missed every target",
            "damages_or_settlement": "£10,000 settlement",
        },
        lambda w: [
            reverse("exchange:termination_notices"),
            reverse("exchange:termination_notices") + "?format=csv",
            reverse("exchange:termination_notices") + "?format=json",
        ],
    ),
    "termination notice published": Case(
        "priya",
        lambda w: reverse("lifecycle:termination_notice", args=[w.ended.ending.pk]),
        lambda w: PublishedOnForm(earliest=date(2026, 10, 1), earliest_text="it ended"),
        lambda w: {"published_on": "2026-10-20"},
        lambda w: [reverse("exchange:termination_notices")],
    ),
    "saving": Case(
        "alice",
        lambda w: reverse("lifecycle:saving_create", args=[w.contract.pk]),
        lambda w: SavingForm(contract=w.contract),
        lambda w: {
            "kind": "cash_releasing",
            "amount": "2500",
            "achieved_on": "2026-06-01",
            "description": "Rate cut",
            "evidence": "",
        },
        lambda w: [reverse("lifecycle:contract", args=[w.contract.pk])],
    ),
    "training record": Case(
        "priya",
        lambda w: reverse("lifecycle:training_add"),
        lambda w: TrainingRecordForm(),
        lambda w: {
            "user": w.alice.pk,
            "course": TrainingRecord.Course.OTHER,
            "course_name": "Negotiation",
            "level": "foundation",
            "completed_on": "2026-03-01",
            "expires_on": "2028-03-01",
        },
        lambda w: [reverse("lifecycle:training")],
    ),
    "handover": Case(
        "priya",
        lambda w: reverse("lifecycle:handover"),
        lambda w: HandoverForm(),
        lambda w: {
            "from_user": w.alice.pk,
            "to_user": w.carol.pk,
            "role": "oco",
            "reason": "Moved team",
            "confirm": "1",
        },
    ),
    "meeting arrange": Case(
        "alice",
        lambda w: reverse("meetings:create", args=[w.contract.pk]),
        lambda w: MeetingForm(contract=w.contract),
        lambda w: {
            "kind": "virtual",
            "starts_at": "2027-01-20T10:00",
            "duration_minutes": "60",
            "location": "Teams",
            "arranged_on": "2026-11-01",
            "status": "planned",
            "short_notice_reason": "",
            "agenda": "Service review",
            "attendees": [w.alice.pk],
            "supplier_attendees": [w.contact.pk],
            "minutes": "",
        },
        lambda w: [
            reverse("meetings:contract", args=[w.contract.pk]),
            reverse("meetings:log_csv", args=[w.contract.pk]),
        ],
        files=lambda w: {"minutes_upload": hostile_pdf()},
    ),
    "meeting edit": Case(
        "alice",
        lambda w: reverse("meetings:edit", args=[w.meeting.pk]),
        lambda w: MeetingForm(instance=w.meeting, contract=w.contract),
        lambda w: {
            "kind": "face_to_face",
            "starts_at": "2027-06-01T10:00",
            "duration_minutes": "90",
            "location": "HQ",
            "arranged_on": "2026-11-01",
            "status": "planned",
            "short_notice_reason": "",
            "agenda": "Annual review",
            "attendees": [w.alice.pk],
            "minutes": "",
        },
        lambda w: [reverse("meetings:contract", args=[w.contract.pk]), reverse("meetings:ics", args=[w.meeting.pk])],
    ),
    "meeting action": Case(
        "alice",
        lambda w: reverse("meetings:action_create", args=[w.meeting.pk]),
        lambda w: ActionForm(meeting=w.meeting),
        lambda w: {"description": "Send the schedule", "owner": w.alice.pk, "due_date": "2027-08-01", "done_on": ""},
    ),
    "activity": Case(
        "alice",
        lambda w: reverse("meetings:log", args=[w.contract.pk]),
        lambda w: ActivityForm(contract=w.contract),
        lambda w: {"kind": Activity.Kind.CALL, "occurred_on": "2026-11-09", "summary": "Call", "details": ""},
        lambda w: [reverse("meetings:log_csv", args=[w.contract.pk])],
        files=lambda w: {"attachment_upload": hostile_pdf()},
    ),
    "meeting cadence": Case(
        "priya",
        lambda w: reverse("meetings:cadence", args=[w.contract.pk]),
        lambda w: CadenceForm(),
        lambda w: {"cadence": "monthly"},
    ),
    "kpi": Case(
        "alice",
        lambda w: reverse("performance:kpi_create", args=[w.contract.pk]),
        lambda w: KpiForm(contract=w.contract),
        lambda w: {
            "name": "Repairs on time",
            "description": "",
            "kind": "kpi",
            "unit": "count",
            "direction": "higher",
            "target": "50",
            "tolerance": "5",
            "inadequate_threshold": "30",
            "frequency": "quarterly",
            "start_date": "2026-04-01",
            "end_date": "",
            "is_published": "on",
            "is_active": "on",
        },
        lambda w: [reverse("exchange:notices") + "?format=csv", reverse("exchange:notices") + "?format=json"],
    ),
    "kpi result": Case(
        "alice",
        lambda w: reverse("performance:result_record", args=[w.kpi.pk]),
        lambda w: ResultForm(),
        lambda w: {"period_start": "2026-09-01", "actual": "96.5", "commentary": "Good month"},
        lambda w: [reverse("performance:kpi_history", args=[w.kpi.pk])],
        files=lambda w: {"evidence": hostile_pdf()},
    ),
    "kpi result correction": Case(
        "alice",
        lambda w: reverse("performance:result_correct", args=[w.result.pk]),
        lambda w: CorrectionForm(result=w.result),
        lambda w: {"actual": "42", "commentary": "Recounted"},
    ),
    "kpi rating override": Case(
        "alice",
        lambda w: reverse("performance:result_override", args=[w.result.pk]),
        lambda w: OverrideForm(result=w.result),
        lambda w: {"rating_override": "other", "override_reason": "Outage outside their control"},
        lambda w: [reverse("performance:kpi_history", args=[w.kpi.pk])],
    ),
    "milestone": Case(
        "alice",
        lambda w: reverse("performance:milestone_create", args=[w.contract.pk]),
        lambda w: MilestoneForm(contract=w.contract),
        lambda w: {
            "title": "Go live",
            "due_date": "2027-01-31",
            "status": "scheduled",
            "met_on": "",
            "owner": w.alice.pk,
            "notes": "",
        },
        lambda w: [reverse("ocds:export")],
    ),
    "mi report": Case(
        "alice",
        lambda w: reverse("performance:mi_report_create", args=[w.contract.pk]),
        lambda w: MiReportForm(contract=w.contract),
        lambda w: {
            "period_label": "October 2026",
            "period_start": "2026-10-01",
            "period_end": "2026-10-31",
            "expected_by": "2026-11-07",
            "received_on": "2026-11-05",
            "evaluation": "On target",
            "issues_found": "",
        },
        files=lambda w: {"file_upload": hostile_pdf()},
    ),
    "notification preferences": Case(
        "alice",
        lambda w: reverse("notifications:preferences"),
        lambda w: NotificationPreferencesForm(user=w.alice),
        lambda w: {"email_escalation": "on"},
    ),
    "password change": Case(
        "alice",
        lambda w: reverse("accounts:password_change"),
        lambda w: PasswordChangeForm(w.alice),
        lambda w: {
            "old_password": PASSWORD,
            "new_password1": "Blue-sky-thinking-42",
            "new_password2": "Blue-sky-thinking-42",
        },
    ),
    "sign in": Case(
        "anonymous",
        lambda w: reverse("accounts:login"),
        lambda w: AuthenticationForm(),
        lambda w: {"username": "alice", "password": PASSWORD, "next": "/contracts/"},
        extra_kinds={"next": "text"},
    ),
}


def _client(persona: str, w: World) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(w, persona))
    return client


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
        response = post(_client(case.persona, w), baseline)
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
            client = _client(case.persona, w)  # a fresh session: a password change ends the old one
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
        ("meeting arrange", "arranged_on", "9999-12-31", OFF_THE_CALENDAR),
        ("kpi", "start_date", "9999-12-01", OFF_THE_CALENDAR),
        ("mi report", "period_end", "9999-12-31", OFF_THE_CALENDAR),
        ("contract edit", "notice_period_days", "2147483647", "A notice period is at most 3,650 days (ten years)."),
        ("extension option", "length_months", "30000", "An extension option is at most 240 months (20 years)."),
        ("handover", "reason", "x" * 100, "Shorten the reason by "),
    ],
)
def test_what_the_fuzzing_found_is_refused_next_to_its_field(name, field_name, value, message, world):
    case, w = CASES[name], world
    client = _client(case.persona, w)
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

    client = _client("priya", world)
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
    client = _client("alice", w)

    response = client.post(
        reverse("contracts:edit", args=[w.contract.pk]),
        {"description": "Body-worn cameras", "cost_centre": "CC-9", "operational_notes": "Supplier changed manager"},
    )

    assert response.status_code == 302
    w.contract.refresh_from_db()
    assert (w.contract.cost_centre, w.contract.operational_notes) == ("CC-9", "Supplier changed manager")
