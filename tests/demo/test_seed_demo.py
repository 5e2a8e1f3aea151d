"""seed_demo: the demo register, each app's part of it, and that a second run adds nothing.

Seeding costs more than everything else these tests do, so the module takes a copy of the demo seeded
once for the whole test run and seeds it a second time (to see that the second run adds nothing)
inside a transaction rolled back when the module ends, and each
test only reads what was seeded: what the first run made, and that the second changed none of it."""

import io
from datetime import UTC, datetime, time, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from contracts.models import (
    Activity,
    Contract,
    ContractDocument,
    ContractEnding,
    Escalation,
    KeySupplier,
    Regime,
    Variation,
)
from core.formatting import long_date
from demo import key_suppliers as demo_key_suppliers
from demo import lifecycle as demo_lifecycle
from demo.register import PASSWORD
from exchange.models import Invoice, NoticePublication
from exchange.payments import reporting_periods
from exchange.selectors.notice_schema import notice_validation_errors
from exchange.selectors.ocds_export import contract_ocid
from exchange.tasks import confirm_notice_publications
from meetings.models import Meeting
from notifications.models import Kind, Notification
from performance.models import ImprovementPlan, Kpi, KpiResult, Milestone, MiReport
from performance.ratings import Direction
from performance.selectors import performance_tasks
from portal import scope
from suppliers.models import CompanyRecord, Supplier, SupplierInformation
from tests.demo_world import seeded_demo
from tests.find_a_tender import PACKAGE, package_for

LIFECYCLE_ALERTS = [Kind.CONTRACT_END_DATE, Kind.TRAINING_DUE]


def _counts() -> dict:
    """What each test compares between the first run and the second."""
    return {
        "register": (Contract.objects.count(), Supplier.objects.count(), ContractDocument.objects.count()),
        "escalations": (Escalation.objects.count(), Notification.objects.count()),
        "lifecycle": demo_lifecycle.counts(),
        "lifecycle alerts": Notification.objects.filter(kind__in=LIFECYCLE_ALERTS).count(),
        "performance": (
            Kpi.objects.count(),
            KpiResult.objects.count(),
            Milestone.objects.count(),
            MiReport.objects.count(),
        ),
        "timeline": Activity.objects.count(),
        "supplier intelligence": demo_key_suppliers.counts(),
        "invoices": (Invoice.objects.count(), Invoice.history.count()),
    }


pytestmark = pytest.mark.slow  # seeds the whole demo: the slow tier


@pytest.fixture(scope="module")
def demo(request, django_db_setup, django_db_blocker, tmp_path_factory):
    # The first run: a copy of the demo seeded once for the whole test run (tests/demo_world.py).
    with seeded_demo(request.config, django_db_blocker, tmp_path_factory.mktemp("media-demo")):
        first = _counts()
        output = io.StringIO()
        call_command("seed_demo", stdout=output)
        yield SimpleNamespace(first=first, second=_counts(), output=output.getvalue())


@pytest.fixture
def db(demo):
    """pytest-django's `db`, replaced in this module: each test runs in a savepoint of the seeded
    transaction, rolled back after it."""
    savepoint = transaction.savepoint()
    yield
    transaction.savepoint_rollback(savepoint)


def test_seed_demo_builds_the_register_and_is_safe_to_run_twice(demo, db):
    contracts, suppliers, documents = demo.first["register"]
    assert contracts >= 40 and suppliers >= 12 and documents >= 1
    values = Contract.objects.values_list("total_value", flat=True)
    assert min(values) <= 5000 and max(values) >= 10_000_000
    assert set(Contract.objects.values_list("status", flat=True)) == set(Contract.Status.values)
    assert demo.second["register"] == demo.first["register"]


def test_seed_demo_escalates_and_is_safe_to_run_twice(demo, db):
    assert SupplierInformation.objects.filter(recorded_by__isnull=False).count() == 2
    assert set(Escalation.objects.values_list("source", flat=True)) >= {"financial", "reputational", "dispute"}
    in_progress = Escalation.objects.get(status=Escalation.Status.IN_PROGRESS)
    assert in_progress.owner.username == "procurement"
    assert demo.second["escalations"] == demo.first["escalations"]


def test_the_demo_shows_companies_house_monitoring_and_key_suppliers(demo, db):
    # Every supplier with a company number was checked; two concerns were recorded and escalated.
    assert CompanyRecord.objects.count() == Supplier.objects.exclude(companies_house_number="").count()
    found = SupplierInformation.objects.filter(recorded_by__isnull=True)
    assert sorted(found.values_list("supplier__name", flat=True)) == [
        "Quayside Print and Design Ltd",
        "Wessex Vehicle Recovery Ltd",
    ]
    assert all(i.source == "Companies House" for i in found)
    assert KeySupplier.objects.filter(lead__isnull=False).count() == 2
    assert demo.second["supplier intelligence"] == demo.first["supplier intelligence"]


def test_every_demo_escalation_is_on_its_contracts_timeline_with_a_respond_by_date(demo, db):
    for escalation in Escalation.objects.select_related("contract"):
        raised = Activity.objects.about(escalation).get(kind=Activity.Kind.ESCALATION_RAISED)
        assert raised.contract == escalation.contract and raised.occurred_on == escalation.raised_on
        assert escalation.respond_by is not None
    in_progress = Escalation.objects.get(status=Escalation.Status.IN_PROGRESS)
    assert [u.author.username for u in in_progress.updates.all()] == ["procurement", in_progress.contract.oco.username]
    plan = ImprovementPlan.objects.get()
    assert plan.result.effective_rating == "inadequate" and Activity.objects.about(plan).exists()


def test_the_demo_lifecycle_is_seeded_once_and_its_jobs_alert_once(demo, db, client):
    counts = demo.first["lifecycle"]
    assert all(counts.values()), counts
    assert Variation.objects.filter(change_notice_required=True, change_notice_published_on__isnull=True).exists()
    assert ContractEnding.objects.filter(notice_published_on__isnull=True).exists()
    alerts = demo.first["lifecycle alerts"]
    assert alerts and Notification.objects.filter(kind=Kind.TRAINING_DUE, recipient__username="oco3").exists()

    assert "nothing added" in demo.output
    assert demo.second["lifecycle"] == counts
    assert demo.second["lifecycle alerts"] == alerts

    client.force_login(User.objects.get(username="procurement"))
    for name in ("renewals", "termination_notices", "savings", "training", "handover"):
        assert client.get(reverse(f"lifecycle:{name}"), follow=True).status_code == 200


def test_seed_demo_adds_performance_once(demo, db):
    kpis, results, milestones, reports = demo.first["performance"]
    assert kpis >= 30 and results >= 400 and milestones >= 20 and reports >= 20
    assert Kpi.objects.filter(unit=Kpi.Unit.YES_NO, kind=Kpi.Kind.SLA).exists()
    assert Kpi.objects.filter(unit=Kpi.Unit.HOURS, direction=Direction.LOWER).exists()
    assert Escalation.objects.filter(source=Escalation.Source.PERSISTENT_POOR_PERFORMANCE).count() == 1
    assert MiReport.objects.filter(received_on__isnull=False).exclude(evaluation="").exists()
    assert sum(report.is_late for report in MiReport.objects.all()) == 1
    assert any(milestone.is_overdue for milestone in Milestone.objects.all())
    assert Milestone.objects.filter(status=Milestone.Status.MET).exists()
    tasks = performance_tasks(User.objects.get(username="procurement"), today=timezone.localdate())
    assert tasks.results_overdue.total and tasks.results_due.total
    assert demo.second["performance"] == demo.first["performance"]


def test_the_demo_applies_the_procurement_act_only_to_contracts_under_it(demo, db, client):
    """No performance notice, KPI shortfall, change notice or termination notice is listed for a
    contract outside the Act; the contract procured under the Act gets its notices."""
    contracts = list(Contract.objects.all())
    under_act = {c for c in contracts if c.under_act}
    assert set(Contract.objects.under_act()) == under_act
    outside = set(contracts) - under_act
    assert {c.regime_in_effect for c in contracts} >= {Regime.ACT, Regime.PCR, Regime.BELOW_THRESHOLD}
    # Awarded in 2022 to 2024: under the Public Contracts Regulations 2015 (or below threshold).
    assert not {c.reference for c in under_act if c.reference < "CON-2025"}

    client.force_login(User.objects.get(username="procurement"))
    performance = {row["notice"].contract for row in client.get(reverse("exchange:notices")).context["rows"]}
    short = set(client.get(reverse("performance:published_kpis")).context["contracts"])
    changes = {v.contract for v in client.get(reverse("exchange:change_notices")).context["variations"]}
    endings = {row["ending"].contract for row in client.get(reverse("exchange:termination_notices")).context["rows"]}
    for listed in (performance, short, changes, endings):
        assert not listed & outside, sorted(c.reference for c in listed & outside)
    act_contract = Contract.objects.get(reference="CON-2025-004")
    assert act_contract in performance and act_contract in short and act_contract in changes

    page = client.get(reverse("contracts:detail", args=[Contract.objects.get(reference="CON-2022-001").pk]))
    text = page.content.decode()
    assert "Public Contracts Regulations 2015" in text and "notice duties do not apply" in text
    assert "KPIs of this contract" not in text  # no "short of published KPIs" warning


def test_the_demo_notices_are_valid_in_find_a_tenders_form(demo, db, client):
    """Each notice of the demo (its contract performance notices UK9, contract change notice UK10 and
    contract termination notice UK11) is a valid OCDS release with Find a Tender's extensions, under the
    ocid recorded on the contract when it has one."""
    client.force_login(User.objects.get(username="procurement"))
    performance = [row["notice"] for row in client.get(reverse("exchange:notices")).context["rows"]]
    changes = list(client.get(reverse("exchange:change_notices")).context["variations"])
    endings = [row["ending"] for row in client.get(reverse("exchange:termination_notices")).context["rows"]]
    urls = (
        [reverse("exchange:notice", args=[n.contract.pk, f"{n.period_start:%Y-%m-%d}", n.kind]) for n in performance]
        + [reverse("exchange:change_notice", args=[v.pk]) for v in changes]
        + [reverse("exchange:termination_notice", args=[e.pk]) for e in endings]
    )
    assert performance and changes and endings
    assert {e.contract.reference for e in endings} == {"CON-2025-009"}
    notice_types, ocids = set(), {}
    for url in urls:
        assert client.get(url).status_code == 200
        release = client.get(url, {"format": "ocds"}).json()
        assert notice_validation_errors(release) == [], url
        ocids[release["contracts"][0]["id"]] = release["ocid"]
        notice_types |= {document["noticeType"] for document in release["contracts"][0]["documents"]}
    assert notice_types == {"UK9", "UK10", "UK11"}
    # The ocid Find a Tender gave the procurement where the contract records it (CON-2025-004's).
    for contract in Contract.objects.filter(finance_reference__in=ocids):
        assert ocids[contract.finance_reference] == contract_ocid(contract)
    assert "ocds-h6vhtk-04f2a9" in ocids.values()


def test_the_demo_meetings_are_a_believable_mix_with_each_on_the_timeline(demo, db):
    judged = list(Meeting.objects.with_lateness().filter(kind="face_to_face", status__in=["planned", "held"]))
    by_lateness = {value: sum(m.timeliness == value for m in judged) for value in ("", "arranged_late", "late")}
    assert by_lateness["arranged_late"] >= 1 and by_lateness["late"] >= 1
    assert by_lateness[""] > by_lateness["arranged_late"] + by_lateness["late"]  # most are on time
    arranged = Activity.objects.filter(kind=Activity.Kind.MEETING_ARRANGED)
    assert arranged.count() == Meeting.objects.count()
    assert arranged.filter(summary__contains="(late: it was due by").exists()
    assert arranged.filter(summary__contains="(arranged late: it was to be arranged by").exists()
    told = Notification.objects.filter(kind=Kind.MEETING_ARRANGED_LATE, recipient__username="procurement")
    assert told.count() == by_lateness["arranged_late"] + by_lateness["late"]


# --- The timeline (issue 15, point 2) ------------------------------------------------------------


def _about(queryset, kind=None):
    """The rows of `queryset` without a timeline entry about them on their own contract."""
    entries = Activity.objects.filter(
        subject_type=ContentType.objects.get_for_model(queryset.model),
        subject_id=OuterRef("pk"),
        contract=OuterRef("contract"),
    )
    return queryset.exclude(Exists(entries.filter(kind=kind) if kind else entries))


def test_every_received_mi_report_late_report_and_missed_milestone_is_on_its_contracts_timeline(demo, db):
    received = MiReport.objects.filter(received_on__isnull=False)
    assert received.count() >= 30
    assert not _about(received, Activity.Kind.MI_REPORT).exists()
    assert not _about(received.exclude(evaluation=""), Activity.Kind.MI_EVALUATION).exists()
    late = [report.pk for report in MiReport.objects.all() if report.is_late]
    assert late and not _about(MiReport.objects.filter(pk__in=late), Activity.Kind.MI_LATE).exists()
    overdue = [milestone.pk for milestone in Milestone.objects.all() if milestone.is_overdue]
    missed = Milestone.objects.filter(pk__in=overdue) | Milestone.objects.filter(status=Milestone.Status.NOT_MET)
    assert not _about(missed, Activity.Kind.MILESTONE_MISSED).exists()
    assert demo.second["timeline"] == demo.first["timeline"]  # the second run writes nothing again


def test_escalations_raised_by_supplier_information_are_on_their_contracts_timeline(demo, db):
    raised = Escalation.objects.filter(supplier_information__isnull=False)
    assert raised.exists() and not _about(raised, Activity.Kind.SUPPLIER_INFORMATION).exists()


def test_every_escalation_of_the_demo_is_on_its_contracts_timeline(demo, db):
    assert Escalation.objects.count() >= 10
    assert not _about(Escalation.objects.all()).exists()


def test_the_demo_still_has_its_meetings_and_typed_entries_beside_what_the_services_wrote(demo, db):
    active = Contract.objects.active().filter(oco__isnull=False)
    with_meetings = active.filter(meetings__isnull=False).distinct().count()
    assert with_meetings >= active.count() * 3 // 5  # one contract in five has none
    assert Activity.objects.filter(kind__in=Activity.TYPED_KINDS).count() >= 2 * with_meetings
    assert Meeting.objects.count() > with_meetings


def test_the_demo_sro_sees_every_missed_renewal_decision(demo, db, client):
    """The notice dates passed with no decision, which the SRO page showed without a word, say so."""
    today = timezone.localdate()
    passed = Contract.objects.active().with_renewal_dates(today=today).filter(notice_on__lt=today, end_date__gte=today)
    undecided = passed.filter(renewal_decided=False).select_related("sro")
    assert undecided.exists()
    assert set(undecided) <= set(Contract.objects.renewal_decision_overdue(today=today))
    for contract in undecided.filter(sro__isnull=False):
        client.force_login(contract.sro)
        page = client.get(reverse("dashboard:sro")).content.decode()
        row = page[page.index('id="h-renewals"') :]
        assert contract.reference in row and "Decision overdue" in row


def test_the_demo_shows_remedies_and_a_section_72_notice_due(demo, db, client):
    from exchange.selectors.performance_failures import section72_notices
    from performance.models import Breach, ImprovementNotice, ServiceCredit

    notice = ImprovementNotice.objects.get()
    assert notice.cure_period_running and notice.plan is not None
    credit = ServiceCredit.objects.get()
    assert credit.kpi.contract == notice.contract and credit.invoice_reference
    breach = Breach.objects.get()
    assert breach.outcome == "settlement" and breach.value and breach.contract.under_act
    (due,) = section72_notices(Contract.objects.all())
    assert due.remedy == breach and due.due_by == breach.outcome_on + timedelta(days=30)
    for remedy in (notice, credit, breach):
        assert Activity.objects.about(remedy).exists()
    client.force_login(User.objects.get(username="procurement"))
    page = client.get(reverse("performance:remedies", args=[breach.contract.pk])).content.decode()
    assert "Settlement agreed, £45,000" in page


def test_the_demo_has_two_supplier_people_of_two_suppliers_each_with_an_mi_report_due(demo, db):
    people = [User.objects.get(username=name) for name in ("supplier1", "supplier2")]
    assert all(person.is_supplier and person.check_password(PASSWORD) for person in people)
    suppliers = {scope.supplier_of(person) for person in people}
    assert len(suppliers) == 2 and None not in suppliers
    for person in people:
        assert scope.contracts(person).active().exists()
        assert scope.mi_reports(person).filter(received_on__isnull=True).exists()
    assert "supplier1" in demo.output and "supplier2" in demo.output


def test_the_demo_has_a_year_of_invoices_some_late_some_disputed_and_two_to_match(demo, db, client):
    assert demo.second["invoices"] == demo.first["invoices"]
    today = timezone.localdate()
    figures = Invoice.objects.payment_figures(start=today - timezone.timedelta(days=364), end=today)
    assert figures["invoices"] >= 200
    assert figures["within_30"] > figures["within_60"] > 0 and figures["over_60"] > 0
    assert Invoice.objects.filter(disputed=True, dispute_resolved_on__isnull=False).exists()
    assert Invoice.objects.filter(disputed=True, dispute_resolved_on__isnull=True).exists()
    assert Invoice.objects.unmatched().count() == 2
    late = Invoice.objects.with_days_to_pay().filter(days__gt=30, contract__isnull=False)
    assert Activity.objects.filter(kind=Activity.Kind.LATE_PAYMENT).count() == late.count()
    client.force_login(User.objects.get(username="procurement"))
    page = client.get(reverse("payments:late")).content.decode()
    assert "Contracts paid late" in page and "2 invoices to match to a contract" in page


LIST_QUERIES = 10  # the session and user, then three whatever the number of periods: figures, approvals, publications


def test_the_demo_payments_compliance_notice_is_listed_due_valid_and_published_as_the_others(
    demo, db, client, find_a_tender, django_assert_max_num_queries
):
    """Section 69 over the demo's year of invoices: the latest ended reporting period's notice (UK8), pinned
    ten days after the period ends, is listed due by 30 days after it; its release validates against Find a
    Tender's schema; it is recorded as published once approved, and the hourly job confirms it."""
    procurement = User.objects.get(username="procurement")
    start, end = next((s, e) for s, e in reporting_periods(today=timezone.localdate()) if e < timezone.localdate())
    due = end + timedelta(days=30)
    with time_machine.travel(datetime.combine(end + timedelta(days=10), time(9), tzinfo=UTC), tick=False):
        client.force_login(procurement)
        with django_assert_max_num_queries(LIST_QUERIES) as listed:
            page = client.get(reverse("exchange:payments_compliance_notices"))
        [row] = [r for r in page.context["rows"] if r["notice"].period_start == start]
        assert (row["notice"].due_on, row["state"], row["detail"]) == (due, "Due", "in 20 days")
        assert f"{long_date(start)} to {long_date(end)}" in page.content.decode()
        assert row["notice"].figures["invoices"] > 0 and row["notice"].figures["over_60"] > 0

        url = reverse("exchange:payments_compliance_notice", args=[f"{start:%Y-%m-%d}"])
        assert client.get(url).status_code == 200
        release = client.get(url, {"format": "ocds"}).json()
        assert notice_validation_errors(release) == []
        [document] = release["planning"]["documents"]
        assert (document["noticeType"], document["documentType"]) == ("UK8", "paymentsComplianceNotice")
        assert f"{row['notice'].figures['within_30_percent']}% within 30 days" in document["description"]

        published = {"notice_id": "054321-2026", "published_on": f"{end + timedelta(days=10):%Y-%m-%d}"}
        refused = client.post(url, published)  # the finance director has not approved it yet
        assert refused.status_code == 200 and "approval" in refused.content.decode()
        assert not NoticePublication.objects.filter(reporting_period_start=start).exists()
        approval = {
            "approver_name": "Dana Finch",
            "approver_role": "Director of Finance",
            "approved_on": published["published_on"],
        }
        client.post(reverse("payments:compliance_approve", args=[f"{start:%Y-%m-%d}"]), approval)
        assert client.post(url, published).status_code == 302
        release = client.get(url, {"format": "ocds"}).json()
        assert "Approved by Dana Finch (Director of Finance)" in release["planning"]["documents"][0]["description"]
        page = client.get(reverse("exchange:payments_compliance_notices"))
        [row] = [r for r in page.context["rows"] if r["notice"].period_start == start]
        assert row["state"] == "Published" and "054321-2026" in page.content.decode()

    find_a_tender.answers["054321-2026"] = [(200, package_for("054321-2026"))]
    with time_machine.travel(datetime.combine(end + timedelta(days=11), time(9, 25), tzinfo=UTC), tick=False):
        confirm_notice_publications()
    publication = NoticePublication.objects.get(reporting_period_start=start)
    assert publication.notice_type == "UK8" and publication.contract is None
    assert publication.confirmed_at is not None and publication.ocid == PACKAGE["releases"][0]["ocid"]
    assert find_a_tender.requests == ["/api/1.0/ocdsReleasePackages/054321-2026"]

    # A year on, with two more periods ended, the list costs the same queries.
    with time_machine.travel(datetime.combine(end + timedelta(days=375), time(9), tzinfo=UTC), tick=False):
        client.force_login(procurement)
        with django_assert_max_num_queries(LIST_QUERIES) as later:
            page = client.get(reverse("exchange:payments_compliance_notices"))
        assert len(page.context["rows"]) >= 3
    assert len(later.captured_queries) == len(listed.captured_queries)
