"""The register's services write the contract's timeline in their own transaction: a document version,
a variation, a notice published, supplier information, a Kraljic reassessment, a handover, a status change."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts import services
from contracts.models import Activity, Contract, ContractDocument, Escalation
from contracts.services.timeline import timeline_record
from exchange.selectors.notices import PerformanceNoticeData
from exchange.services.notices import performance_notice_record
from performance.models import PerformanceNotice
from tests import factories
from tests.conftest import pdf_bytes
from tests.contracts.lifecycle_helpers import end, vary
from tests.contracts.test_kraljic import scores_for
from tests.suppliers.test_supplier_information import information

TODAY = date(2026, 11, 25)
pytestmark = pytest.mark.usefixtures("pinned")


@pytest.fixture
def pinned():
    with time_machine.travel("2026-11-25 10:00 +00:00", tick=False):
        yield


def entries(contract, kind=None):
    activities = Activity.objects.filter(contract=contract).order_by("-pk")  # newest first
    return list(activities.filter(kind=kind) if kind else activities)


def test_a_document_version_goes_on_the_timeline_with_its_uploader(contract, alice):
    upload = SimpleUploadedFile("contract-v1.pdf", pdf_bytes(), content_type="application/pdf")
    document = services.document_upload(
        contract=contract, kind=ContractDocument.Kind.CONTRACT, upload=upload, by=alice, description="Signed copy"
    )
    (entry,) = entries(contract, Activity.Kind.DOCUMENT)
    assert entry.subject == document and entry.recorded_by == alice and entry.occurred_on == TODAY
    assert entry.summary == "Contract version 1 uploaded: contract-v1.pdf"
    assert entry.details == "Signed copy"


def test_a_variation_and_its_change_notice_go_on_the_timeline(contract, priya):
    variation = vary(contract, priya, "20000", agreed=date(2026, 10, 1))  # 6.7%: no notice needed
    agreed, proposed = entries(contract, Activity.Kind.VARIATION)
    assert proposed.subject == variation and proposed.occurred_on == TODAY and proposed.recorded_by == priya
    assert proposed.summary.startswith("Variation 1 proposed: value +£20,000")
    assert agreed.subject == variation and agreed.occurred_on == date(2026, 10, 1)
    assert agreed.summary.startswith("Variation 1 agreed: value +£20,000")

    services.variation_notice_published(variation=variation, on=date(2026, 11, 20), by=priya)
    services.variation_notice_published(variation=variation, on=date(2026, 11, 20), by=priya)  # unchanged: no entry
    (notice,) = entries(contract, Activity.Kind.NOTICE_PUBLISHED)
    assert notice.subject == variation and notice.occurred_on == date(2026, 11, 20)
    assert notice.summary == "Contract change notice for variation 1 published on 20 Nov 2026"

    services.variation_notice_published(variation=variation, on=date(2026, 11, 21), by=priya)
    assert "date corrected to 21 Nov 2026" in entries(contract, Activity.Kind.NOTICE_PUBLISHED)[0].summary


def test_ending_a_contract_and_publishing_its_termination_notice_go_on_the_timeline(contract, priya, client):
    ending = end(contract, priya, ended_on=date(2026, 11, 10), kind="terminated")
    (status,) = entries(contract, Activity.Kind.STATUS)
    assert status.summary == "Status changed from active to terminated: terminated on 10 Nov 2026"
    assert status.subject == ending and status.occurred_on == date(2026, 11, 10)

    client.force_login(priya)
    response = client.post(reverse("lifecycle:termination_notice", args=[ending.pk]), {"published_on": "2026-11-24"})
    assert response.status_code == 302
    (notice,) = entries(contract, Activity.Kind.NOTICE_PUBLISHED)
    assert notice.summary == "Contract termination notice published on 24 Nov 2026"
    assert notice.recorded_by == priya and notice.subject == ending


def test_a_performance_notice_published_goes_on_the_timeline_once(contract, priya):
    data = PerformanceNoticeData(
        contract=contract,
        kind=PerformanceNotice.Kind.ANNUAL,
        period_start=date(2025, 4, 1),
        period_end=date(2026, 3, 31),
        number=1,
        contact_email="",
    )
    record = performance_notice_record(notice=data, published_on=date(2026, 4, 20), by=priya)
    performance_notice_record(notice=data, published_on=date(2026, 4, 20), by=priya)
    (entry,) = entries(contract, Activity.Kind.NOTICE_PUBLISHED)
    assert entry.subject == record and entry.occurred_on == date(2026, 4, 20)
    assert entry.summary.startswith("Contract performance notice (12-month assessment, 1 Apr 2025 to 31 Mar 2026)")


def test_a_status_changed_by_a_person_goes_on_the_timeline_and_other_edits_do_not(contract, priya):
    contract.title = "Body-worn video cameras"
    services.contract_save(contract=contract, by=priya)
    assert entries(contract, Activity.Kind.STATUS) == []
    contract.status = Contract.Status.EXPIRED
    services.contract_save(contract=contract, by=priya)
    (entry,) = entries(contract, Activity.Kind.STATUS)
    assert entry.summary == "Status changed from active to expired" and entry.recorded_by == priya


def test_a_new_contract_has_no_status_entry(priya):
    contract = services.contract_save(
        contract=factories.ContractFactory.build(
            supplier=factories.SupplierFactory(), category=factories.CategoryFactory()
        ),
        by=priya,
    )
    assert entries(contract) == []


def test_a_handover_goes_on_each_contract_moved(contract, alice, bob, priya):
    second = services.contract_save(contract=factories.ContractFactory(oco=alice), by=priya)
    services.handover(from_user=alice, to_user=bob, role="oco", reason="Alice moved to Fleet", by=priya)
    for moved in (contract, second):
        (entry,) = entries(moved, Activity.Kind.HANDOVER)
        assert entry.summary == "Handed over as OCO from Alice Adams to Bob Brown"
        assert entry.details == "Alice moved to Fleet" and entry.recorded_by == priya


def test_a_kraljic_reassessment_goes_on_the_timeline_with_the_change_of_quadrant(
    contract, priya, kraljic_reference_data
):
    first = services.assessment_record(contract=contract, scores=scores_for(profit=2, risk=2), rationale="", by=priya)
    second = services.assessment_record(
        contract=contract, scores=scores_for(profit=4, risk=4), rationale="Sole supplier now", by=priya
    )
    newest, oldest = entries(contract, Activity.Kind.KRALJIC)
    assert oldest.subject == first and oldest.summary == "Kraljic assessment: Non-critical"
    assert newest.subject == second and newest.summary == "Kraljic reassessment: Non-critical → Strategic"
    assert newest.details == "Sole supplier now"


def test_supplier_information_goes_on_every_affected_contracts_timeline(contract, other_contract, alice, priya):
    supplier = contract.supplier
    other_contract.supplier = supplier
    other_contract.save()
    services.supplier_information_record(information=information(supplier, by=alice), by=alice)
    for affected in (contract, other_contract):
        (entry,) = entries(affected, Activity.Kind.SUPPLIER_INFORMATION)
        assert entry.subject == Escalation.objects.get(contract=affected)
        assert entry.recorded_by == alice and entry.occurred_on == date(2026, 11, 24)
        assert entry.summary == (
            "Profit warning (high severity): Full-year profit expected to halve; escalated to the Procurement Unit"
        )


def test_entries_of_the_system_have_no_author(contract):
    entry = timeline_record(contract=contract, kind=Activity.Kind.STATUS, summary="Expired")
    assert entry.recorded_by is None and entry.occurred_on == TODAY


def test_a_kraljic_confirmation_in_a_review_round_goes_on_the_timeline(contract, priya, kraljic_reference_data):
    services.assessment_record(contract=contract, scores=scores_for(profit=2, risk=2), rationale="", by=priya)
    review_round, _ = services.review_round_open(today=date(2027, 1, 1))
    confirmed = services.assessment_confirm(item=review_round.items.get(contract=contract), by=priya)
    newest = entries(contract, Activity.Kind.KRALJIC)[0]
    assert newest.subject == confirmed and newest.occurred_on == TODAY
    assert newest.summary == "Kraljic assessment confirmed in the January 2027 review: Non-critical"
