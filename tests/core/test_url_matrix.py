"""The permission matrix, generated from the URL configuration (issue 9).

Every named URL of the site (the Django admin apart, see ADMIN below) has a row in TABLE: the HTTP
method to use, the object it is tried on, and the answer each persona must get. A URL that takes an
object id is tried on two objects:

    A  an object of alice's contract CON-A, a strategic contract whose SRO is sam;
    B  the same object of bob's contract CON-B, on which neither alice nor sam is named.

so each cell reads "answer on A / answer on B". The policy (ARCHITECTURE.md, "Least privilege"):
an OCO or SRO sees the contracts on which they are named, the Procurement Unit and administrators
see everything; an object someone may not see answers 404 (never 200, 403 or 500); someone who may
see it but not change it gets 403 on the change URL; a page for the Procurement Unit alone answers 403
to anyone else whatever the object (refused before any lookup, so it tells nothing about the object);
anyone not signed in is sent to the login page.

Objects that do not belong to a contract:
    notification  A is alice's, B is bob's (a notification is its recipient's alone, even for an administrator)
    import_job    A was started by priya, B by another Procurement officer (only its starter and administrators)
    review_round  A is the open Kraljic review round, B a closed one; review_item: A is CON-A's item, B CON-B's
    feed          A is alice's calendar feed token, B a revoked one (the token is the key: no sign-in; 404 once revoked)

Methods: GET; HTMX (a GET sent as htmx sends it); POST (an empty form), for a URL only ever posted to, or
whose POST answers differently from its GET; FORM, a page with a form: its GET answers as the row says, and
an empty POST from anyone the GET refuses (sign in, 403, 404) is refused the same way. The whole module runs
inside one transaction, rolled back at its end, and each case in a savepoint of it: a POST that is allowed
changes nothing the next case sees.

Adding a URL: add its row to TABLE (and, for a page whose route takes a parameter that is not an object
id, such as a slug, its arguments to PAGE_KWARGS; for a new kind of object, a field on `Side` and
`_side()`, and a line in OBJECTS if the route has several parameters)."""

import importlib
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone

from contracts import services
from contracts.models import (
    ContractEnding,
    Escalation,
    ExtensionOption,
    KraljicCriterion,
    Quadrant,
    ReviewRound,
    Saving,
    Variation,
)
from exchange.models import ImportJob
from meetings import services as meeting_services
from meetings.models import Activity, CalendarFeed, Meeting
from notifications.models import Kind
from notifications.services import notify
from performance import services as performance_services
from performance.models import Milestone, MiReport
from tests import factories
from tests.conftest import pdf_bytes
from tests.meeting_factories import ActionFactory
from tests.performance_factories import KpiFactory

PERSONAS = ("anonymous", "alice", "bob", "sam", "priya", "admin")

TABLE = """
url name                                 method  object        anonymous  alice    bob      sam      priya    admin
# --- The register: a contract, its documents, its Kraljic assessment ---------------------------------------------
contracts:detail                         GET     contract      302/302    200/404  404/200  200/404  200/200  200/200
contracts:edit                           FORM    contract      302/302    200/404  404/200  403/404  200/200  200/200
contracts:history                        GET     contract      302/302    200/404  404/200  200/404  200/200  200/200
contracts:document_upload                FORM    contract      302/302    200/404  404/200  403/404  200/200  200/200
contracts:document_download              GET     document      302/302    200/404  404/200  200/404  200/200  200/200
contracts:kraljic_assess                 FORM    contract      302/302    403/404  404/403  403/404  200/200  200/200
contracts:kraljic_history                GET     contract      302/302    200/404  404/200  200/404  200/200  200/200
contracts:review_round                   GET     review_round  302/302    403/403  403/403  403/403  200/200  200/200
contracts:review_close                   POST    review_round  302/302    403/403  403/403  403/403  302/302  302/302
contracts:review_confirm                 POST    review_item   302/302    403/403  403/403  403/403  302/302  302/302
# --- Escalations -------------------------------------------------------------------------------------------------
escalations:detail                       GET     escalation    302/302    200/404  404/200  200/404  200/200  200/200
escalations:manage                       FORM    escalation    302/302    403/404  404/403  403/404  200/200  200/200
escalations:raise                        FORM    contract      302/302    200/404  404/200  403/404  200/200  200/200
escalations:supplier_information_create  FORM    supplier      302/302    200/404  404/200  200/404  200/200  200/200
# --- Lifecycle: variations, renewals, ending, savings ------------------------------------------------------------
lifecycle:contract                       GET     contract      302/302    200/404  404/200  200/404  200/200  200/200
lifecycle:variation_create               FORM    contract      302/302    403/404  404/403  403/404  200/200  200/200
lifecycle:variation_notice               FORM    variation     302/302    403/404  404/403  403/404  200/200  200/200
lifecycle:extension_create               FORM    contract      302/302    403/404  404/403  403/404  200/200  200/200
lifecycle:extension_edit                 FORM    option        302/302    403/404  404/403  403/404  200/200  200/200
lifecycle:renewal_decide                 FORM    contract      302/302    403/404  404/403  403/404  200/200  200/200
lifecycle:contract_end                   FORM    contract      302/302    403/404  404/403  403/404  200/200  200/200
lifecycle:termination_notice             FORM    ending        302/302    403/404  404/403  403/404  200/200  200/200
lifecycle:saving_create                  FORM    contract      302/302    200/404  404/200  403/404  200/200  200/200
lifecycle:saving_validate                POST    saving        302/302    403/404  404/403  403/404  302/302  302/302
# --- Spreadsheet imports: the Procurement Unit's, each seen by whoever started it ---------------------------------
imports:detail                           GET     import_job    302/302    403/403  403/403  403/403  200/404  200/200
imports:confirm                          POST    import_job    302/302    403/403  403/403  403/403  302/404  302/302
# --- Suppliers: seen through the contracts one may see -----------------------------------------------------------
suppliers:detail                         GET     supplier      302/302    200/404  404/200  200/404  200/200  200/200
suppliers:edit                           FORM    supplier      302/302    403/404  404/403  403/404  200/200  200/200
suppliers:history                        GET     supplier      302/302    200/404  404/200  200/404  200/200  200/200
# --- Notifications: each its recipient's -------------------------------------------------------------------------
notifications:mark_read                  POST    notification  302/302    302/404  404/302  404/404  404/404  404/404
notifications:open                       GET     notification  302/302    302/404  404/302  404/404  404/404  404/404
# --- Meetings, actions, the administration log -------------------------------------------------------------------
meetings:contract                        GET     contract      302/302    200/404  404/200  200/404  200/200  200/200
meetings:cadence                         POST    contract      302/302    403/404  404/403  403/404  302/302  302/302
meetings:create                          FORM    contract      302/302    200/404  404/200  403/404  200/200  200/200
meetings:log                             GET     contract      302/302    200/404  404/200  200/404  200/200  200/200
meetings:log                             POST    contract      302/302    200/404  404/200  403/404  200/200  200/200
meetings:log_csv                         GET     contract      302/302    200/404  404/200  200/404  200/200  200/200
meetings:detail                          GET     meeting       302/302    200/404  404/200  200/404  200/200  200/200
meetings:edit                            FORM    meeting       302/302    200/404  404/200  403/404  200/200  200/200
meetings:ics                             GET     meeting       302/302    200/404  404/200  200/404  200/200  200/200
meetings:minutes                         GET     meeting       302/302    200/404  404/200  200/404  200/200  200/200
meetings:action_create                   FORM    meeting       302/302    200/404  404/200  403/404  200/200  200/200
meetings:action_edit                     FORM    action        302/302    200/404  404/200  403/404  200/200  200/200
meetings:activity_attachment             GET     activity      302/302    200/404  404/200  200/404  200/200  200/200
meetings:feed                            GET     feed          200/404    200/404  200/404  200/404  200/404  200/404
# --- Performance: KPIs, results, milestones, MI reports, Procurement Act notices ---------------------------------
performance:contract                     GET     contract      302/302    200/404  404/200  200/404  200/200  200/200
performance:kpi_create                   FORM    contract      302/302    200/404  404/200  403/404  200/200  200/200
performance:kpi_edit                     FORM    kpi           302/302    200/404  404/200  403/404  200/200  200/200
performance:kpi_history                  GET     kpi           302/302    200/404  404/200  200/404  200/200  200/200
performance:kpi_results                  HTMX    kpi           302/302    200/404  404/200  200/404  200/200  200/200
performance:result_record                POST    kpi           302/302    200/404  404/200  403/404  200/200  200/200
performance:result_correct               FORM    result        302/302    200/404  404/200  403/404  200/200  200/200
performance:result_override              FORM    result        302/302    200/404  404/200  403/404  200/200  200/200
performance:evidence                     GET     result        302/302    200/404  404/200  200/404  200/200  200/200
performance:milestones                   GET     contract      302/302    200/404  404/200  200/404  200/200  200/200
performance:milestone_create             FORM    contract      302/302    200/404  404/200  403/404  200/200  200/200
performance:milestone_edit               FORM    milestone     302/302    200/404  404/200  403/404  200/200  200/200
performance:mi_reports                   GET     contract      302/302    200/404  404/200  200/404  200/200  200/200
performance:mi_report_create             FORM    contract      302/302    200/404  404/200  403/404  200/200  200/200
performance:mi_report_edit               FORM    mi_report     302/302    200/404  404/200  403/404  200/200  200/200
performance:mi_report_file               GET     mi_report     302/302    200/404  404/200  200/404  200/200  200/200
exchange:notice                       FORM    notice        302/302    403/403  403/403  403/403  200/200  200/200
# --- The read-only API (signed in with a session here; a token sees the same) ------------------------------------
api:contract-detail                      GET     contract      401/401    200/404  404/200  200/404  200/200  200/200
api:supplier-detail                      GET     supplier      401/401    200/404  404/200  200/404  200/200  200/200
api:kpi-detail                           GET     kpi           401/401    200/404  404/200  200/404  200/200  200/200
api:kpi-result-detail                    GET     result        401/401    200/404  404/200  200/404  200/200  200/200
api:meeting-detail                       GET     meeting       401/401    200/404  404/200  200/404  200/200  200/200
api:escalation-detail                    GET     escalation    401/401    200/404  404/200  200/404  200/200  200/200
# --- Pages without an object: one answer per persona -------------------------------------------------------------
home                                     GET     -             302        302      302      302      302      302
healthz                                  GET     -             200        200      200      200      200      200
accounts:login                           GET     -             200        302      302      302      302      302
accounts:logout                          POST    -             302        302      302      302      302      302
accounts:password_change                 GET     -             302        200      200      200      200      200
accounts:password_changed                GET     -             302        200      200      200      200      200
contracts:list                           GET     -             302        200      200      200      200      200
contracts:create                         GET     -             302        403      403      403      200      200
contracts:kraljic_matrix                 GET     -             302        200      200      200      200      200
contracts:review_rounds                  GET     -             302        403      403      403      200      200
contracts:sro_rules                      GET     -             302        403      403      403      200      200
escalations:list                         GET     -             302        200      200      200      200      200
lifecycle:renewals                       GET     -             302        403      403      403      200      200
lifecycle:termination_notices            GET     -             302        302      302      302      302      302
lifecycle:savings                        GET     -             302        403      403      403      200      200
lifecycle:training                       GET     -             302        403      403      403      200      200
lifecycle:training_add                   GET     -             302        403      403      403      200      200
lifecycle:training_mine                  GET     -             302        200      200      200      200      200
lifecycle:handover                       GET     -             302        403      403      403      200      200
imports:start                            GET     -             302        403      403      403      200      200
imports:template                         GET     -             302        403      403      403      200      200
suppliers:list                           GET     -             302        200      200      200      200      200
suppliers:create                         GET     -             302        403      403      403      200      200
notifications:list                       GET     -             302        200      200      200      200      200
notifications:mark_all_read              POST    -             302        302      302      302      302      302
notifications:preferences                GET     -             302        200      200      200      200      200
notifications:operations                 GET     -             302        403      403      403      403      200
meetings:calendar                        GET     -             302        200      200      200      200      200
performance:tasks                        GET     -             302        200      200      200      200      200
accounts:verify                          GET     -             302        200      200      200      200      200
dashboard:procurement                    GET     -             302        403      403      403      200      200
dashboard:sro                            GET     -             302        403      403      200      403      403
dashboard:my_work                        GET     -             302        200      200      200      200      200
dashboard:list                           GET     -             302        200      200      200      200      200
performance:published_kpis               GET     -             302        403      403      403      200      200
exchange:notices                      GET     -             302        403      403      403      200      200
exchange:change_notices               GET     -             302        403      403      403      200      200
exchange:termination_notices          GET     -             302        403      403      403      200      200
ocds:import                              GET     -             302        403      403      403      200      200
ocds:import_preview                      GET     -             302        403      403      403      302      302
ocds:import_confirm                      POST    -             302        403      403      403      302      302
ocds:export                              GET     -             302        403      403      403      200      200
api:api-root                             GET     -             401        200      200      200      200      200
api:schema                               GET     -             401        200      200      200      200      200
api:contract-list                        GET     -             401        200      200      200      200      200
api:supplier-list                        GET     -             401        200      200      200      200      200
api:kpi-list                             GET     -             401        200      200      200      200      200
api:kpi-result-list                      GET     -             401        200      200      200      200      200
api:meeting-list                         GET     -             401        200      200      200      200      200
api:escalation-list                      GET     -             401        200      200      200      200      200
admin:index                              GET     -             302        302      302      302      302      200
"""

# Arguments of pages whose route takes a parameter that is not an object id.
PAGE_KWARGS = {
    "dashboard:list": {"slug": "contracts"},
    "imports:template": {"file_format": "csv"},
}

# The Django admin is Django's own permission system (staff status and model permissions), tested by
# Django: only its front door is in the table (admin:index), to show that nobody but an administrator
# gets in. Its hundred-odd change/delete/history URLs are left out of the completeness checks.
ADMIN = "admin"

# A route parameter names an object when it is one of these, ends in one of them, or is converted by
# an int or uuid converter (a slug or a file format is not an object id).
OBJECT_PARAMETER = re.compile(r"^(pk|id|uuid|token)$|_(pk|id|uuid|token)$")


# --- The table, read ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    object: str  # a field of Side, or "-" for a page without an object
    expected: dict  # persona -> (status on A, status on B), or (status,) for a page

    @property
    def label(self) -> str:
        return f"{self.name} {self.method}"


def _parse(table: str) -> list[Row]:
    rows = []
    lines = [line for line in table.strip().splitlines()[1:] if line.strip() and not line.startswith("#")]
    for line in lines:
        name, method, obj, *cells = line.split()
        assert method in ("GET", "HTMX", "POST", "FORM"), f"{name}: unknown method {method}"
        assert len(cells) == len(PERSONAS), f"{name}: {len(cells)} cells for {len(PERSONAS)} personas"
        expected = {
            persona: tuple(int(code) for code in cell.split("/")) for persona, cell in zip(PERSONAS, cells, strict=True)
        }
        width = 1 if obj == "-" else 2
        assert all(len(codes) == width for codes in expected.values()), f"{name}: one answer per object in each cell"
        rows.append(Row(name, method, obj, expected))
    return rows


ROWS = _parse(TABLE)


def _cells(row: Row):
    for persona in PERSONAS:
        sides = ("-",) if row.object == "-" else ("A", "B")
        for side, status in zip(sides, row.expected[persona], strict=True):
            yield persona, side, status


def _case_id(row: Row, persona: str, side: str, method: str) -> str:
    return f"{row.name}-{method}-{persona}" + ("" if side == "-" else f"-{side}")


def _cases():
    for row in ROWS:
        for persona, side, status in _cells(row):
            yield pytest.param(row, persona, side, status, id=_case_id(row, persona, side, row.method))


def _refused_posts():
    """The FORM rows' cells where the GET is refused: the POST is tried there too."""
    for row in ROWS:
        if row.method == "FORM":
            for persona, side, status in _cells(row):
                if persona == "anonymous" or status in (403, 404):
                    yield pytest.param(row, persona, side, status, id=_case_id(row, persona, side, "POST"))


# --- The URL configuration, walked -----------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None
    route: str
    parameters: dict  # name -> its converter's class name ("IntConverter", ...), or "regex"

    @property
    def takes_an_object(self) -> bool:
        return any(
            OBJECT_PARAMETER.search(name) or converter in ("IntConverter", "UUIDConverter")
            for name, converter in self.parameters.items()
        )


def _parameters(pattern) -> dict:
    if isinstance(pattern.pattern, RoutePattern):
        return {name: type(converter).__name__ for name, converter in pattern.pattern.converters.items()}
    return dict.fromkeys(pattern.pattern.regex.groupindex, "regex")  # a regex route (DRF's router)


def _walk(resolver, prefix="", namespace=None, parameters=None):
    for pattern in resolver.url_patterns:
        found = {**(parameters or {}), **_parameters(pattern)}
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from _walk(pattern, route, inner or namespace, found)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield Route(name, route, found)


def _routes() -> list[Route]:
    return [r for r in _walk(get_resolver()) if not r.route.startswith(f"{ADMIN}/")]


# --- The fixture world, built once for the module -------------------------------------------------------


@dataclass
class Side:
    """One contract and one of each kind of object on it (A: alice's, B: bob's)."""

    contract: object
    supplier: object
    document: object
    kpi: object
    result: object
    milestone: object
    mi_report: object
    meeting: object
    action: object
    activity: object
    escalation: object
    variation: object
    option: object
    ending: object
    saving: object
    notification: object
    import_job: object
    review_round: object
    review_item: object
    feed: object  # a calendar feed token (a string, not a row)
    notice: object  # the contract, whose first 12-month performance notice is due


MISSING_ID = 2_147_483_647  # the largest id PostgreSQL's integer holds: no object has it


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(name))


def _kraljic_scores(score: int) -> dict[int, int]:
    return {c.pk: score for c in KraljicCriterion.objects.filter(is_active=True)}


def _side(label: str, *, oco, sro, priya, importer, score: int) -> Side:
    supplier = factories.SupplierFactory(name=f"Supplier {label} Limited")
    factories.SupplierContactFactory(supplier=supplier)
    contract = services.contract_save(
        contract=factories.ContractFactory(
            reference=f"CON-{label}",
            supplier=supplier,
            oco=oco,
            sro=sro,
            # Over £5m, started 1 Apr 2025: its first performance notice (to 31 Mar 2026) is due.
            total_value=Decimal("6000000"),
            annual_value=Decimal("1500000"),
            extended_end_date=date(2030, 3, 31),
        ),
        by=priya,
    )
    services.assessment_record(
        contract=contract, scores=_kraljic_scores(score), rationale="Critical to operations", by=priya
    )
    document = services.document_upload(contract=contract, kind="contract", upload=_pdf("contract.pdf"), by=priya)

    kpi = KpiFactory(contract=contract, is_published=True)
    result = performance_services.kpi_result_record(
        kpi=kpi, period_start=date(2026, 10, 1), actual=Decimal("97"), evidence=_pdf("evidence.pdf"), by=oco
    )
    milestone = performance_services.milestone_save(
        milestone=Milestone(contract=contract, title="Go live", due_date=date(2027, 1, 31)), by=oco
    )
    mi_report = performance_services.mi_report_save(
        report=MiReport(
            contract=contract,
            period_label="October 2026",
            period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 31),
            expected_by=date(2026, 11, 15),
            received_on=date(2026, 11, 10),
        ),
        by=oco,
        upload=_pdf("mi.pdf"),
    )

    meeting = meeting_services.meeting_save(
        meeting=Meeting(
            contract=contract,
            starts_at=timezone.now() - timedelta(days=30),
            status=Meeting.Status.HELD,
            location="Force headquarters",
            agenda="Quarterly service review",
        ),
        by=oco,
        attendees=[oco],
        minutes_upload=_pdf("minutes.pdf"),
    )
    action = ActionFactory(meeting=meeting, owner=oco)
    activity = meeting_services.activity_record(
        activity=Activity(contract=contract, kind=Activity.Kind.CALL, summary="Call about late deliveries"),
        by=oco,
        attachment=_pdf("call-note.pdf"),
    )
    escalation = services.escalation_raise(
        escalation=Escalation(
            contract=contract, source=Escalation.Source.DISPUTE, title="Dispute over service credits", details="March"
        ),
        by=oco,
    )

    variation = Variation(
        contract=contract,
        agreed_on=date(2026, 5, 1),
        description="Two more sites",
        reason="New custody suite",
        value_change=Decimal("900000"),  # 15%: a change notice is needed
        approved_by=sro or priya,
    )
    variation.full_clean(exclude=["number", "recorded_by"])
    variation = services.variation_record(variation=variation, by=priya)
    option = ExtensionOption(contract=contract, length_months=12, decide_by=date(2027, 12, 31))
    option.full_clean()
    services.extension_option_save(option=option, by=priya)
    saving = services.saving_record(
        saving=Saving(
            contract=contract,
            kind=Saving.Kind.CASH_RELEASING,
            amount=Decimal("2500"),
            achieved_on=date(2026, 6, 1),
            description="Rate reduction",
        ),
        by=oco,
    )
    ended = services.contract_save(
        contract=factories.ContractFactory(reference=f"CON-{label}-ENDED", supplier=supplier, oco=oco, sro=sro),
        by=priya,
    )
    ending = ContractEnding(contract=ended, kind="expired", ended_on=date(2026, 11, 1), reason="No longer needed")
    ending.full_clean(exclude=["recorded_by"])
    ending = services.contract_end(ending=ending, by=priya)

    notification = notify(recipient=oco, kind=Kind.GENERAL, title=f"For {oco}", url=contract.get_absolute_url())
    import_job = ImportJob.objects.create(original_name=f"{label}.csv", format="csv", created_by=importer)
    return Side(
        contract=contract,
        supplier=supplier,
        document=document,
        kpi=kpi,
        result=result,
        milestone=milestone,
        mi_report=mi_report,
        meeting=meeting,
        action=action,
        activity=activity,
        escalation=escalation,
        variation=variation,
        option=option,
        ending=ending,
        saving=saving,
        notification=notification,
        import_job=import_job,
        review_round=None,
        review_item=None,
        feed=None,
        notice=contract,
    )


def _build() -> SimpleNamespace:
    # Transactional tests elsewhere flush the reference data the migrations wrote: put it back.
    importlib.import_module("contracts.migrations.0003_kraljic_reference_data").add_reference_data(apps, None)

    users = {
        "alice": factories.oco(username="alice", first_name="Alice", last_name="Adams"),
        "bob": factories.oco(username="bob", first_name="Bob", last_name="Brown"),
        "sam": factories.sro(username="sam", first_name="Sam", last_name="Singh"),
        "priya": factories.procurement_officer(username="priya", first_name="Priya", last_name="Patel"),
        "admin": factories.UserFactory(username="root", is_staff=True, is_superuser=True),
    }
    pat = factories.procurement_officer(username="pat", first_name="Pat", last_name="Price")
    priya = users["priya"]
    a = _side("A", oco=users["alice"], sro=users["sam"], priya=priya, importer=priya, score=5)
    b = _side("B", oco=users["bob"], sro=None, priya=priya, importer=pat, score=1)

    closed = ReviewRound.objects.create(
        year=2026, half=1, opened_at=timezone.now() - timedelta(days=200), due_date=date(2026, 2, 28)
    )
    closed.closed_at, closed.closed_by = timezone.now() - timedelta(days=100), priya
    closed.save()
    review_round, _ = services.review_round_open(today=timezone.localdate())
    a.review_round, b.review_round = review_round, closed
    a.review_item = review_round.items.get(contract=a.contract)
    b.review_item = review_round.items.get(contract=b.contract)

    a.feed = meeting_services.calendar_feed_renew(user=users["alice"]).token
    b.feed = meeting_services.calendar_feed_renew(user=users["bob"]).token
    meeting_services.calendar_feed_revoke(user=users["bob"])
    # Ids that no object has: every lookup must answer 404 for them, as for an object one may not see.
    missing = Side(**{field: SimpleNamespace(pk=MISSING_ID) for field in Side.__dataclass_fields__})
    missing.feed = "no-such-token"
    return SimpleNamespace(users=users, sides={"A": a, "B": b, "missing": missing})


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once, inside a transaction that is rolled back when the module ends; each case runs in a
    savepoint of it (`db` below), so a POST that is allowed leaves nothing behind for the next."""
    media_root = tmp_path_factory.mktemp("media-matrix")
    with (
        django_db_blocker.unblock(),
        time_machine.travel("2026-11-25 10:00 +00:00"),
        override_settings(
            MEDIA_ROOT=media_root,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            # Sessions in signed cookies: no session row to read and write on each of these requests.
            SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
        ),
        transaction.atomic(),
        _quiet("django.request"),  # a warning with a traceback for each of the hundreds of 403s and 404s
    ):
        world = _build()
        # One session per persona, reused by every case (signing in again for each costs a write or two).
        world.sessions = {}
        for persona, user in world.users.items():
            client = Client()
            client.force_login(user)
            world.sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield world
        transaction.set_rollback(True)


@contextmanager
def _quiet(logger_name: str):
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)  # a 500 is still logged
    try:
        yield
    finally:
        logger.setLevel(level)


@pytest.fixture
def _test_settings():
    """Replaces conftest's per-test media folder and password hasher: the module's world sets both once."""


@pytest.fixture
def db(world):
    """pytest-django's `db`, replaced in this module: each case runs in a savepoint of the world's
    transaction, rolled back after it (the usual `db` wraps every case in a fresh TestCase, which
    costs more than most of these requests). The name stays `db` so that pytest-django, which sets
    up the test database for the tests that ask for `db`, sets it up for these."""
    savepoint = transaction.savepoint()
    yield
    transaction.savepoint_rollback(savepoint)


# Routes with more than one parameter, or whose parameter is not the object's pk.
OBJECTS = {
    "document": lambda s: {"pk": s.contract.pk, "document_pk": s.document.pk},
    "feed": lambda s: {"token": s.feed},
    "notice": lambda s: {"contract_pk": s.contract.pk, "period_start": "2025-04-01", "kind": "annual"},
}


def _url(row: Row, side: str, world, routes: dict) -> str:
    if row.object == "-":
        return reverse(row.name, kwargs=PAGE_KWARGS.get(row.name, {}))
    objects = world.sides[side]
    if row.object in OBJECTS:
        return reverse(row.name, kwargs=OBJECTS[row.object](objects))
    (parameter,) = routes[row.name].parameters  # the one id the route takes
    return reverse(row.name, kwargs={parameter: getattr(objects, row.object).pk})


@pytest.fixture(scope="module")
def routes() -> dict:
    return {r.name: r for r in _routes() if r.name}


# --- The tests -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("row", "persona", "side", "expected"), list(_cases()))
def test_each_persona_gets_the_answer_in_the_table(client, world, db, routes, row, persona, side, expected):
    url = _url(row, side, world, routes)
    if persona != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    if row.method == "POST":
        response = client.post(url)
    else:
        response = client.get(url, headers={"HX-Request": "true"} if row.method == "HTMX" else {})
    assert response.status_code == expected, f"{row.method} {url} as {persona}"
    _assert_redirect(response, row, persona, url)


@pytest.mark.parametrize(("row", "persona", "side", "expected"), list(_refused_posts()))
def test_a_form_refuses_a_post_from_whoever_its_page_refuses(client, world, db, routes, row, persona, side, expected):
    url = _url(row, side, world, routes)
    if persona != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    response = client.post(url)
    assert response.status_code == expected, f"POST {url} as {persona}"
    _assert_redirect(response, row, persona, url)


def _assert_redirect(response, row: Row, persona: str, url: str) -> None:
    """Whoever is not signed in is sent to sign in; whoever is, never is."""
    if response.status_code != 302 or row.name == "accounts:logout":  # signing out ends on the login page
        return
    login = reverse("admin:login") if row.name.startswith(f"{ADMIN}:") else reverse("accounts:login")
    if persona == "anonymous":
        assert response["Location"].startswith(login), f"{url} sends an anonymous visitor to {response['Location']}"
    else:
        assert not response["Location"].startswith(reverse("accounts:login")), f"{url} asks {persona} to sign in again"


def test_the_world_is_what_the_table_says(world, db):
    a, b = world.sides["A"], world.sides["B"]
    a.contract.refresh_from_db()
    assert (a.contract.oco, a.contract.sro) == (world.users["alice"], world.users["sam"])
    assert a.contract.kraljic_quadrant == Quadrant.STRATEGIC
    assert (b.contract.oco, b.contract.sro) == (world.users["bob"], None)
    assert a.notification.recipient == world.users["alice"] and b.notification.recipient == world.users["bob"]
    assert a.import_job.created_by == world.users["priya"] and b.import_job.created_by.is_procurement
    assert a.review_round.is_open and not b.review_round.is_open
    assert CalendarFeed.objects.filter(token=a.feed).exists() and not CalendarFeed.objects.filter(token=b.feed).exists()
    assert {b.contract.pk, a.contract.pk} <= set(a.review_round.items.values_list("contract", flat=True))


@pytest.mark.parametrize("row", [r for r in ROWS if r.object != "-"], ids=lambda r: r.label)
def test_an_id_no_object_has_answers_404(client, world, db, routes, row):
    """Even to an administrator: a missing object looks like one the user may not see (never a 500)."""
    url = _url(row, "missing", world, routes)
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions["admin"]
    response = client.post(url) if row.method == "POST" else client.get(url)
    assert response.status_code == 404, f"{row.method} {url}"


@pytest.mark.parametrize("persona", ["alice", "priya"])
def test_a_document_is_found_only_under_its_own_contract(client, world, db, persona):
    """Two ids in one URL: bob's document asked for under alice's contract is not found, even by
    someone who may see both."""
    a, b = world.sides["A"], world.sides["B"]
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    response = client.get(reverse("contracts:document_download", args=[a.contract.pk, b.document.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("period_start", "kind"), [("2025-04-02", "annual"), ("2025-13-01", "annual"), ("2025-04-01", "x")]
)
def test_a_performance_notice_that_is_not_due_answers_404(client, world, db, period_start, kind):
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions["priya"]
    url = reverse("exchange:notice", args=[world.sides["A"].contract.pk, period_start, kind])
    assert client.get(url).status_code == 404


def test_every_object_url_has_a_row_in_the_table():
    in_table = {row.name for row in ROWS}
    missing = sorted(f"{r.name}  ({r.route})" for r in _routes() if r.takes_an_object and r.name not in in_table)
    assert not missing, (
        "These URLs take an object id but have no row in tests/core/test_url_matrix.py TABLE:\n  "
        + "\n  ".join(missing)
        + "\nAdd a row for each: its method (GET for a page, FORM for a page with a form, POST for a URL only "
        "posted to), the object it is tried on (a field of Side) and the answer each persona gets on alice's object "
        "/ bob's object (see the module's docstring)."
    )


def test_every_page_has_a_row_in_the_table():
    """Pages without an object are in the table too: a new page states who may open it."""
    in_table = {row.name for row in ROWS}
    missing = sorted(
        f"{r.name}  ({r.route})" for r in _routes() if r.name and not r.takes_an_object and r.name not in in_table
    )
    assert not missing, (
        "These URLs have no row in tests/core/test_url_matrix.py TABLE:\n  "
        + "\n  ".join(missing)
        + "\nAdd a row with object '-' and one answer per persona (and its arguments to PAGE_KWARGS if the "
        "route takes a parameter that is not an object id, such as a slug)."
    )


def test_every_url_is_named():
    """A URL without a name cannot have a row: name it."""
    unnamed = sorted(r.route for r in _routes() if not r.name)
    assert not unnamed, f"Name these URLs so the permission table can list them: {unnamed}"


def test_every_row_names_a_url_that_exists():
    names = {r.name for r in _walk(get_resolver()) if r.name}
    stale = sorted({row.name for row in ROWS} - names)
    assert not stale, f"TABLE in tests/core/test_url_matrix.py names URLs that no longer exist: {stale}; remove them."


def test_each_row_uses_an_object_the_world_has_and_the_right_kind_of_cell():
    routes = {r.name: r for r in _routes() if r.name}
    for row in ROWS:
        if row.name not in routes:
            continue  # admin:index, or a stale row (the test above names it)
        takes_an_object = routes[row.name].takes_an_object
        assert (row.object != "-") == takes_an_object, (
            f"{row.name}: {'give the object it is tried on' if takes_an_object else 'a page: use object -'}"
        )
        assert row.object == "-" or row.object in Side.__dataclass_fields__, f"{row.name}: no object {row.object}"


def test_the_table_has_no_duplicate_rows():
    labels = [row.label for row in ROWS]
    assert len(labels) == len(set(labels)), sorted({label for label in labels if labels.count(label) > 1})


# What a GET does to a URL that is only ever POSTed to: refused, so a link or an image cannot act.
GET_ON_POST_ONLY = {"performance:result_record": 302}  # sent back to the KPI on the Performance page


@pytest.mark.parametrize(
    "row",
    [r for r in ROWS if r.method == "POST" and not any(o.name == r.name and o.method != "POST" for o in ROWS)],
    ids=lambda r: r.name,
)
def test_a_url_only_posted_to_refuses_a_get(client, world, db, routes, row):
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions["admin"]
    response = client.get(_url(row, "A", world, routes))
    assert response.status_code == GET_ON_POST_ONLY.get(row.name, 405)
