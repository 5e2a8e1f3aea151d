"""The permission matrix's world (tests/core/test_url_matrix.py): two contracts, alice's (A) and bob's (B),
with one of each kind of object on them, built once for the module."""

import importlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contracts import services
from contracts.models import (
    Activity,
    ContractEnding,
    Escalation,
    ExtensionOption,
    KraljicCriterion,
    ReviewRound,
    SavedView,
    Saving,
    Variation,
)
from contracts.services.log import typed_entry_record
from exchange.models import ImportJob, Invoice
from meetings import services as meeting_services
from meetings.models import Meeting
from notifications.models import Kind
from notifications.services import notify
from performance import services as performance_services
from performance.models import Breach, ImprovementNotice, ImprovementPlan, Milestone, MiReport
from portal.models import Figure, Submission
from portal.services import notices as portal_notices
from tests import factories
from tests.conftest import pdf_bytes
from tests.meeting_factories import ActionFactory
from tests.performance_factories import KpiFactory


@dataclass
class Side:
    """One contract and one of each kind of object on it (A: alice's, B: bob's)."""

    contract: object
    supplier: object
    supplier_twin: object  # a second record of the same supplier (a likely duplicate, to merge)
    document: object
    kpi: object
    result: object
    milestone: object
    mi_report: object
    meeting: object
    action: object
    activity: object
    escalation: object
    thread_post: object  # a post in the escalation's thread, with an attachment
    plan: object  # an improvement plan on the KPI
    cure_notice: object  # an improvement notice, not cured: a section 72 notice is due
    breach: object  # settled: a section 72 notice is due
    variation: object
    option: object
    ending: object
    saving: object
    notification: object
    import_job: object
    invoice: object  # an invoice of the side's supplier that the import could not match to a contract
    review_round: object
    review_item: object
    feed: object  # a calendar feed token (a string, not a row)
    contact: object  # the supplier's contact who is its supplier user (supplier1 on A, supplier2 on B)
    submission: object  # that supplier user's MI submission, a figure waiting for the OCO
    notice: object  # the contract, whose first 12-month performance notice is due
    saved_view: object  # the OCO's own saved view of the register, not shared
    supplier_post: object  # the supplier user's reply in the shared escalation's thread, with an attachment
    notice_reply: object  # the supplier user's reply to the improvement notice (shared with them), with an attachment


MISSING_ID = 2_147_483_647  # the largest id PostgreSQL's integer holds: no object has it


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(name))


def _kraljic_scores(score: int) -> dict[int, int]:
    return {c.pk: score for c in KraljicCriterion.objects.filter(is_active=True)}


def _side(label: str, *, oco, sro, priya, importer, score: int, supplier_user) -> Side:
    supplier = factories.SupplierFactory(name=f"Supplier {label} Limited")
    contact = factories.SupplierContactFactory(supplier=supplier, user=supplier_user)
    supplier_twin = factories.SupplierFactory(name=f"SUPPLIER {label} LTD", companies_house_number="")
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
    document = services.document_upload(
        contract=contract, kind="contract", upload=_pdf("contract.pdf"), by=priya, shared_with_supplier=True
    )

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
    activity = typed_entry_record(
        activity=Activity(contract=contract, kind=Activity.Kind.CALL, summary="Call about late deliveries"),
        by=oco,
        attachment=_pdf("call-note.pdf"),
    )
    escalation = services.escalation_raise(
        escalation=Escalation(
            contract=contract,
            source=Escalation.Source.DISPUTE,
            title="Dispute over service credits",
            details="March",
            # Shared with the supplier: its person (supplier1 on A, supplier2 on B) reads and replies on the portal.
            supplier_notice="Please explain the missed credits for March.",
            supplier_respond_by=date(2026, 12, 10),
        ),
        by=oco,
    )
    escalation_update = services.escalation_post(
        escalation=escalation, by=oco, text="The supplier has not replied", attachment=_pdf("letter.pdf")
    )
    plan = performance_services.improvement_plan_start(
        plan=ImprovementPlan(
            contract=contract,
            kpi=kpi,
            result=result,
            must_improve="Calls answered within 20 seconds back to 95%",
            improve_by=date(2027, 3, 31),
            review_on=date(2027, 1, 31),
            owner=oco,
        ),
        by=oco,
    )
    improvement_notice = performance_services.improvement_notice_issue(
        notice=ImprovementNotice(
            contract=contract,
            plan=plan,
            issued_on=date(2026, 1, 5),
            failure="Calls answered late",
            required_action="Back to 95%",
            cure_by=date(2026, 2, 28),
        ),
        by=oco,
    )
    improvement_notice.outcome, improvement_notice.outcome_on = "not_cured", date(2026, 3, 2)
    performance_services.improvement_notice_decide(notice=improvement_notice, by=oco)
    # Shared with the supplier, who replied with an attachment; and replied in the escalation's thread.
    portal_notices.improvement_notice_share(notice=improvement_notice, respond_by=date(2026, 1, 31), by=oco)
    notice_reply = portal_notices.improvement_notice_reply(
        notice=improvement_notice,
        by=supplier_user,
        text="Our plan",
        attachment=_pdf("plan.pdf"),
        today=date(2026, 1, 20),
    )
    supplier_post = portal_notices.notice_reply(
        escalation=escalation, by=supplier_user, text="Our answer", attachment=_pdf("answer.pdf")
    )
    breach = performance_services.breach_record(
        breach=Breach(contract=contract, identified_on=date(2026, 2, 2), requirement="Clause 4", description="Late"),
        by=oco,
    )
    breach.outcome, breach.outcome_on, breach.value = "settlement", date(2026, 3, 2), Decimal("18500")
    performance_services.breach_decide(breach=breach, by=oco)

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
    invoice = Invoice.objects.create(
        invoice_number=f"INV-{label}",
        supplier=supplier,
        received_on=date(2026, 9, 1),
        valid_from=date(2026, 9, 1),
        paid_on=date(2026, 10, 20),
        amount=Decimal("1200"),
    )
    return Side(
        contract=contract,
        supplier=supplier,
        supplier_twin=supplier_twin,
        document=document,
        kpi=kpi,
        result=result,
        milestone=milestone,
        mi_report=mi_report,
        meeting=meeting,
        action=action,
        activity=activity,
        escalation=escalation,
        thread_post=escalation_update,
        plan=plan,
        cure_notice=improvement_notice,
        breach=breach,
        variation=variation,
        option=option,
        ending=ending,
        saving=saving,
        notification=notification,
        import_job=import_job,
        invoice=invoice,
        review_round=None,
        review_item=None,
        feed=None,
        notice=contract,
        saved_view=SavedView.objects.create(owner=oco, name=f"{label}'s active", query="status=active"),
        contact=contact,
        submission=_submission(mi_report, kpi, by=supplier_user),
        supplier_post=supplier_post,
        notice_reply=notice_reply,
    )


def _submission(mi_report, kpi, *, by) -> Submission:
    submission = Submission.objects.create(
        mi_report=mi_report, file=_pdf("mi.pdf"), file_name="mi.pdf", submitted_by=by
    )
    Figure.objects.create(submission=submission, kpi=kpi, period_start=date(2026, 10, 1), actual=Decimal("98"))
    return submission


def build_world() -> SimpleNamespace:
    # Transactional tests elsewhere flush the reference data the migrations wrote: put it back.
    importlib.import_module("contracts.migrations.0003_kraljic_reference_data").add_reference_data(apps, None)

    users = {
        "alice": factories.oco(username="alice", first_name="Alice", last_name="Adams"),
        "bob": factories.oco(username="bob", first_name="Bob", last_name="Brown"),
        "sam": factories.sro(username="sam", first_name="Sam", last_name="Singh"),
        "priya": factories.procurement_officer(username="priya", first_name="Priya", last_name="Patel"),
        "admin": factories.UserFactory(username="root", is_staff=True, is_superuser=True),
        "supplier1": factories.supplier_user(username="supplier1"),
        "supplier2": factories.supplier_user(username="supplier2"),
    }
    pat = factories.procurement_officer(username="pat", first_name="Pat", last_name="Price")
    priya = users["priya"]
    a = _side(
        "A",
        oco=users["alice"],
        sro=users["sam"],
        priya=priya,
        importer=priya,
        score=5,
        supplier_user=users["supplier1"],
    )
    b = _side("B", oco=users["bob"], sro=None, priya=priya, importer=pat, score=1, supplier_user=users["supplier2"])

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
